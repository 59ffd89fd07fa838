//! Starting the embedded reference mock and the target that tests it.

use std::fmt;
use std::time::Duration;

use crate::http::HttpSettings;
use crate::mock::{Fault, MockClientAuth, MockError, MockOptions, MockServer, Variation};
use crate::profile::Profile;
use crate::target_file::{Target, TargetError};
use reachability_harness::Api;

/// Why the embedded mock could not be started, or tested.
#[derive(Debug)]
pub enum EmbeddedError {
    /// A switch names neither a fault nor a legal variation (the message says which).
    UnknownSwitch(String),
    /// The mock did not start.
    Start(MockError),
    /// The target file the mock printed for itself cannot be used (a bug of the mock).
    TargetFile(TargetError),
}

impl fmt::Display for EmbeddedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EmbeddedError::UnknownSwitch(message) => f.write_str(message),
            EmbeddedError::Start(e) => write!(f, "the embedded mock did not start: {e}"),
            EmbeddedError::TargetFile(e) => {
                write!(f, "the embedded mock printed an unusable target file: {e}")
            }
        }
    }
}

impl std::error::Error for EmbeddedError {}

/// A running embedded mock and the target file it printed for itself.
pub struct EmbeddedMock {
    /// The running server; stop it with [`MockServer::shutdown`].
    pub server: MockServer,
    /// The target that tests it, secrets resolved.
    pub target: Target,
}

/// Starts the embedded mock in `profile` with the named switches (fault or legal variation
/// names) and latency, and builds the target that tests it (with `http` settings when given).
pub async fn start_embedded_mock(
    profile: Profile,
    switches: &[String],
    latency_ms: u64,
    http: Option<&HttpSettings>,
) -> Result<EmbeddedMock, EmbeddedError> {
    let mut faults = Vec::new();
    let mut variations = Vec::new();
    for name in switches {
        match (name.parse::<Fault>(), name.parse::<Variation>()) {
            (Ok(fault), _) => faults.push(fault),
            (_, Ok(variation)) => variations.push(variation),
            (Err(e), Err(_)) => {
                return Err(EmbeddedError::UnknownSwitch(format!(
                    "{e}; nor is it a legal variation (`reachability-conformance mock --list-variations`)"
                )));
            }
        }
    }
    let mut origin = format!("embedded mock ({profile}");
    for (what, names) in [
        (
            "faults",
            faults.iter().map(|f| f.name()).collect::<Vec<_>>(),
        ),
        ("variations", variations.iter().map(|v| v.name()).collect()),
    ] {
        if !names.is_empty() {
            origin.push_str(&format!(", {what}: {}", names.join(", ")));
        }
    }
    origin.push(')');
    // camara-v1 speaks CAMARA's security profile: private_key_jwt, discovery, JWT
    // access tokens; orange-lab-v0 keeps the Orange lab's Basic header.
    let security_profile = profile.api() == Api::CamaraV1;
    let options = MockOptions {
        profile,
        faults,
        variations,
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
        .map_err(EmbeddedError::Start)?;
    let secrets = server.secret_env();
    let lookup = |name: &str| {
        secrets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut target = Target::parse(&server.target_toml(), &origin, &lookup)
        .map_err(EmbeddedError::TargetFile)?;
    if let Some(http) = http {
        target.http = http.clone();
    }
    Ok(EmbeddedMock { server, target })
}
