//! `GET /.well-known/openid-configuration` (OpenID Connect Discovery 1.0, with the CIBA
//! and RFC 8414 fields) and `GET /.well-known/jwks.json`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::API_SCOPE;
use super::app::App;
use super::errors::json_response;
use super::oauth::CIBA_GRANT;
use super::paths::{CIBA_PATH, INTROSPECT_PATH, JWKS_PATH, REVOKE_PATH, token_path};
use crate::jose::{Algorithm, JwkSet};

/// `GET /.well-known/openid-configuration`.
pub(crate) async fn openid_configuration(State(app): State<Arc<App>>) -> Response {
    json_response(StatusCode::OK, &document(&app))
}

/// `GET /.well-known/jwks.json`: the keys of JWT access tokens (none when tokens are
/// opaque).
pub(crate) async fn jwks(State(app): State<Arc<App>>) -> Response {
    let keys = app
        .tokens
        .signer()
        .map(|s| s.jwks().clone())
        .unwrap_or_else(JwkSet::default);
    json_response(StatusCode::OK, &json!(keys))
}

/// The discovery document of `app`.
fn document(app: &App) -> Value {
    let issuer = &app.issuer;
    let url = |path: &str| format!("{issuer}{path}");
    let auth_methods = [
        "client_secret_basic",
        "client_secret_post",
        "private_key_jwt",
    ];
    let algorithms: Vec<&str> = Algorithm::ALL.iter().map(|a| a.name()).collect();
    json!({
        "issuer": issuer,
        "token_endpoint": url(token_path(app.profile)),
        "revocation_endpoint": url(REVOKE_PATH),
        "introspection_endpoint": url(INTROSPECT_PATH),
        "backchannel_authentication_endpoint": url(CIBA_PATH),
        "jwks_uri": url(JWKS_PATH),
        "token_endpoint_auth_methods_supported": auth_methods,
        "token_endpoint_auth_signing_alg_values_supported": algorithms,
        "revocation_endpoint_auth_methods_supported": auth_methods,
        "introspection_endpoint_auth_methods_supported": auth_methods,
        "backchannel_token_delivery_modes_supported": ["poll"],
        "backchannel_user_code_parameter_supported": false,
        "grant_types_supported": ["client_credentials", CIBA_GRANT],
        "scopes_supported": [API_SCOPE, "openid"],
        "response_types_supported": [],
        "subject_types_supported": ["public"],
    })
}
