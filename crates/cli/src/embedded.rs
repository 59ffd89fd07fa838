//! Starting the embedded reference mock and the target that tests it.

use std::time::Duration;

use crate::http::HttpSettings;
use crate::mock::{Fault, MockClientAuth, MockOptions, MockServer};
use crate::profile::Profile;
use crate::target_file::Target;

/// A running embedded mock and the target file it printed for itself.
pub struct EmbeddedMock {
    /// The running server; stop it with [`MockServer::shutdown`].
    pub server: MockServer,
    /// The target that tests it, secrets resolved.
    pub target: Target,
}

/// Starts the embedded mock in `profile` with the named fault switches and latency, and
/// builds the target that tests it (with `http` settings when given).
pub async fn start_embedded_mock(
    profile: Profile,
    faults: &[String],
    latency_ms: u64,
    http: Option<&HttpSettings>,
) -> Result<EmbeddedMock, String> {
    let faults = faults
        .iter()
        .map(|name| name.parse::<Fault>().map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let origin = if faults.is_empty() {
        format!("embedded mock ({profile})")
    } else {
        let names: Vec<&str> = faults.iter().map(|f| f.name()).collect();
        format!("embedded mock ({profile}, faults: {})", names.join(", "))
    };
    // camara-v1 speaks CAMARA's security profile: private_key_jwt, discovery, JWT
    // access tokens; orange-lab-v0 keeps the Orange lab's Basic header.
    let security_profile = profile == Profile::CamaraV1;
    let options = MockOptions {
        profile,
        faults,
        latency: Duration::from_millis(latency_ms),
        client_auth: if security_profile {
            MockClientAuth::PrivateKeyJwt
        } else {
            MockClientAuth::ClientSecret
        },
        jwt_access_tokens: security_profile,
        ..MockOptions::default()
    };
    let server = MockServer::start(options)
        .await
        .map_err(|e| format!("the embedded mock did not start: {e}"))?;
    let secrets = server.secret_env();
    let lookup = |name: &str| {
        secrets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut target = Target::parse(&server.target_toml(), &origin, &lookup)
        .map_err(|e| format!("the embedded mock printed an unusable target file: {e}"))?;
    if let Some(http) = http {
        target.http = http.clone();
    }
    Ok(EmbeddedMock { server, target })
}
