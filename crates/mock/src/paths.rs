//! Every path the mock serves; `routes` maps each one to its handler.

use super::app::App;
use super::variations::Variation;
use crate::Api;
use crate::profile::Profile;

/// Token endpoint answering `expires_in` as a number.
pub(crate) const TOKEN_PATH: &str = "/oauth/token";
/// Token endpoint answering `expires_in` as a string, as Orange's does.
pub(crate) const ORANGE_TOKEN_PATH: &str = "/oauth/v3/token";
/// Revocation endpoint.
pub(crate) const REVOKE_PATH: &str = "/oauth/revoke";
/// Introspection endpoint.
pub(crate) const INTROSPECT_PATH: &str = "/oauth/introspect";
/// CIBA backchannel authentication endpoint.
pub(crate) const CIBA_PATH: &str = "/bc-authorize";
/// Where the OpenID configuration is served.
pub(crate) const OPENID_CONFIGURATION_PATH: &str = "/.well-known/openid-configuration";
/// Where the access-token signing keys are served.
pub(crate) const JWKS_PATH: &str = "/.well-known/jwks.json";

/// The control endpoint that changes a device's state (subscriptions profile; not part of
/// the API).
pub(crate) const DEVICE_STATE_PATH: &str = "/_mock/devices/state";

/// Whether `path` belongs to the authorisation server rather than to the API.
pub(crate) fn is_oauth_path(path: &str) -> bool {
    [
        TOKEN_PATH,
        ORANGE_TOKEN_PATH,
        REVOKE_PATH,
        INTROSPECT_PATH,
        CIBA_PATH,
        OPENID_CONFIGURATION_PATH,
        JWKS_PATH,
    ]
    .contains(&path)
}

/// The token endpoint a profile's target file names.
pub(crate) fn token_path(profile: Profile) -> &'static str {
    match profile.api() {
        Api::CamaraV1 | Api::CamaraSubscriptionsV0 => TOKEN_PATH,
        Api::OrangeLabV0 => ORANGE_TOKEN_PATH,
    }
}

/// The path of the API operation: the profile's, behind [`BASE_PATH`] with the
/// `base-path` variation.
pub(crate) fn api_path(app: &App) -> String {
    format!("{}{}", api_base(app), app.profile.operation_path())
}

/// What stands between the server's root and the API root: [`BASE_PATH`] with the
/// `base-path` variation, else nothing.
pub(crate) fn api_base(app: &App) -> &'static str {
    if app.faults.varies(Variation::BasePath) {
        BASE_PATH
    } else {
        ""
    }
}

/// The path in front of the API with the `base-path` variation.
const BASE_PATH: &str = "/gateway";
