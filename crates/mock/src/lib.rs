//! The embedded reference implementation of the Device Reachability Status API, with
//! fault switches and legal variations ([`Variation`]).
//!
//! [`MockServer::start`] serves one profile on 127.0.0.1 with an OAuth 2.0 server
//! beside it:
//! - `POST /oauth/token` and `POST /oauth/v3/token` (Orange's path; `expires_in` as a
//!   string): `client_credentials` and the CIBA grant, clients authenticated by HTTP
//!   Basic, by `client_id`/`client_secret` form fields, or (the key-based `jwt-client`)
//!   by a `private_key_jwt` client assertion (RFC 7523: signature, `iss` = `sub`, `aud`,
//!   `exp` at most 300 s after `iat`, `jti` never replayed);
//! - `POST /oauth/revoke` (RFC 7009), `POST /oauth/introspect` (RFC 7662) and
//!   `POST /bc-authorize` (CIBA in poll mode, see [`MockCiba`]; `login_hint` as
//!   `tel:+<number>`, `ipport:<address>:<port>` or `operatortoken:mock-<digits>`);
//! - `GET /.well-known/openid-configuration` and `GET /.well-known/jwks.json`;
//! - `POST {profile operation path}`, the API, conformant unless [`Fault`]s are on.
//!
//! Access tokens are opaque, or RS256-signed JWTs with [`MockOptions::jwt_access_tokens`];
//! either way the API checks them against the token store, so a revoked JWT is refused
//! although its signature is still good.
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

use reachability_contract::{jose, profile};

mod access_tokens;
mod api;
mod app;
mod assertion;
mod bearer;
mod clients;
mod connections;
mod correlator;
mod devices;
mod discovery;
#[cfg(test)]
mod error_answers_tests;
mod errors;
mod faults;
mod identify;
mod limits;
mod login_hint;
mod mock_error;
mod oauth;
mod orange;
mod paths;
mod rate_limit;
mod request;
mod routes;
mod scope;
mod server;
mod shape;
mod subscriptions;
mod target_file;
mod tokens;
mod v1;
mod validate;
mod variations;

use std::time::Duration;

pub use clients::{JWT_CLIENT_ID, JWT_CLIENT_KEY_ID, MockClient};
pub use devices::{Device, DeviceIpv4, DeviceRegistry, DeviceState};
pub use faults::{Fault, UnknownFault};
pub use limits::MockLimits;
pub use mock_error::MockError;
pub use server::MockServer;
pub use variations::{UnknownVariation, Variation};

pub use reachability_contract::{Api, Profile};

/// Request header (name, value) that makes the API answer 503 UNAVAILABLE, as if a
/// network error prevented retrieving the status: the provider's hook for the
/// official provider-only 503 scenario. It acts once the request is authorised, valid
/// and names a servable device (the status lookup is what fails).
pub const NETWORK_ERROR_HEADER: (&str, &str) = ("x-mock-simulate", "network-error");

use reachability_contract::oauth::API_SCOPE;

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
    /// Legal variations to switch on; each must apply to `profile`.
    pub variations: Vec<Variation>,
    /// The managed devices.
    pub devices: DeviceRegistry,
    /// API calls allowed per access token before 429 QUOTA_EXCEEDED; `None`: unlimited.
    pub quota_per_token: Option<u32>,
    /// Requests (API and OAuth) allowed per second, as a rate-limited sandbox allows them;
    /// those beyond get 429 TOO_MANY_REQUESTS with `Retry-After: 1`. `None`: unlimited.
    pub rate_limit_per_second: Option<u32>,
    /// How the client of the mock's own target file authenticates.
    pub client_auth: MockClientAuth,
    /// Issue RS256-signed JWT access tokens (keys at `/.well-known/jwks.json`) instead
    /// of opaque ones.
    pub jwt_access_tokens: bool,
    /// How CIBA requests are decided.
    pub ciba: MockCiba,
}

/// How the client named by the mock's target file authenticates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MockClientAuth {
    /// `demo-client` with its secret: HTTP Basic (camara-v1), or the ready Basic header
    /// Orange's lab hands out (orange-lab-v0).
    #[default]
    ClientSecret,
    /// `jwt-client` with `private_key_jwt` (ES256, a key generated at start), endpoints
    /// from the OpenID configuration: CAMARA's security profile.
    PrivateKeyJwt,
}

/// How the mock's CIBA server answers polls of one authentication request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MockCiba {
    /// `authorization_pending` answers before the user decides (0: decided by the
    /// first poll).
    pub pending_polls: u32,
    /// Whether the user approves; otherwise the decision is `access_denied`.
    pub approve: bool,
    /// The `interval` clients are told, in seconds; a poll sooner after the previous one
    /// gets `slow_down`, and the request's interval grows by 5 s (the first poll may
    /// come at once).
    pub interval_secs: u64,
    /// Lifetime of an `auth_req_id` (`expires_in`); a poll after it gets `expired_token`.
    pub lifetime: Duration,
}

impl Default for MockCiba {
    /// One `authorization_pending` (a user takes a moment), then approved; 1 s
    /// interval, 120 s lifetime.
    fn default() -> Self {
        Self {
            pending_polls: 1,
            approve: true,
            interval_secs: 1,
            lifetime: Duration::from_secs(120),
        }
    }
}

impl Default for MockOptions {
    /// camara-v1 (its current release) on a free port, no latency, no faults or variations, the lab devices, no quota,
    /// client secrets, opaque tokens, CIBA approved by the second poll.
    fn default() -> Self {
        Self {
            profile: Api::CamaraV1.current(),
            port: 0,
            latency: Duration::ZERO,
            faults: Vec::new(),
            variations: Vec::new(),
            devices: DeviceRegistry::lab(),
            quota_per_token: None,
            rate_limit_per_second: None,
            client_auth: MockClientAuth::default(),
            jwt_access_tokens: false,
            ciba: MockCiba::default(),
        }
    }
}
