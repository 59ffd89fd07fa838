//! The embedded reference implementation of the Device Reachability Status API, with
//! fault switches.
//!
//! [`MockServer::start`] serves one profile on 127.0.0.1 with an OAuth 2.0 server
//! beside it:
//! - `POST /oauth/token` and `POST /oauth/v3/token` (Orange's path; `expires_in` as a
//!   string): `client_credentials` and the CIBA grant, clients authenticated by HTTP
//!   Basic or by `client_id`/`client_secret` form fields;
//! - `POST /oauth/revoke` (RFC 7009) and `POST /bc-authorize` (CIBA, approved at once,
//!   the token is bound to the `login_hint=tel:+...` device);
//! - `POST {profile operation path}`, the API, conformant unless [`Fault`]s are on.
//!
//! Every answer is JSON; a well-formed `x-correlator` is echoed on every answer. A
//! request carrying [`NETWORK_ERROR_HEADER`] simulates a network failure (503).
//! Bodies larger than 16 KiB are refused with 400 INVALID_ARGUMENT (the operation's
//! documented error for a bad request body); other media types than JSON get 415,
//! unknown paths 404 NOT_FOUND and other methods than POST 405, all as JSON.
//!
//! Hostile clients are bounded by [`MockLimits`]: headers must arrive within a timeout
//! (else the connection is dropped), bodies too (else 408), headers over 16 KiB get 431,
//! and connections past the limit get 503 UNAVAILABLE, all as JSON.
//!
//! API checks run in this order: `x-correlator` (400), the transport limits (408, 503,
//! 431), token (401), scope (403), quota (429), media type (415), body (400), device
//! identification (404/422), then the network-error hook (503).

mod api;
mod app;
mod bearer;
mod clients;
mod connections;
mod correlator;
mod devices;
mod errors;
mod faults;
mod identify;
mod limits;
mod mock_error;
mod oauth;
mod orange;
mod request;
mod server;
mod target_file;
mod tokens;
mod v1;
mod validate;

use std::time::Duration;

pub use clients::MockClient;
pub use devices::{Device, DeviceIpv4, DeviceRegistry, DeviceState};
pub use faults::{Fault, UnknownFault};
pub use limits::MockLimits;
pub use mock_error::MockError;
pub use server::MockServer;

use crate::profile::Profile;

/// Request header (name, value) that makes the API answer 503 UNAVAILABLE, as if a
/// network error prevented retrieving the status: the provider's hook for the
/// official provider-only 503 scenario. It acts once the request is authorised, valid
/// and names a servable device (the status lookup is what fails).
pub const NETWORK_ERROR_HEADER: (&str, &str) = ("x-mock-simulate", "network-error");

/// The scope the API requires.
const API_SCOPE: &str = "device-reachability-status:read";

/// How to run a mock.
#[derive(Clone, Debug)]
pub struct MockOptions {
    /// The API generation to serve.
    pub profile: Profile,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Delay added before every API answer (not OAuth answers).
    pub latency: Duration,
    /// Faults to switch on; each must apply to `profile`.
    pub faults: Vec<Fault>,
    /// The managed devices.
    pub devices: DeviceRegistry,
    /// API calls allowed per access token before 429 QUOTA_EXCEEDED; `None`: unlimited.
    pub quota_per_token: Option<u32>,
}

impl Default for MockOptions {
    /// camara-v1 on a free port, no latency, no faults, the lab devices, no quota.
    fn default() -> Self {
        Self {
            profile: Profile::CamaraV1,
            port: 0,
            latency: Duration::ZERO,
            faults: Vec::new(),
            devices: DeviceRegistry::lab(),
            quota_per_token: None,
        }
    }
}
