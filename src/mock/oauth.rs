//! The OAuth 2.0 authorisation server: client credentials (RFC 6749), revocation
//! (RFC 7009) and OpenID CIBA in poll mode, approved at once.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::API_SCOPE;
use super::app::App;
use super::clients::authenticate;
use super::errors::{OAuthError, json_response, no_store};
use super::faults::{Fault, FaultSet};
use super::request::{MAX_BODY_BYTES, media_type_is, read_body};
use super::tokens::{CIBA_LIFETIME, Grant, TOKEN_LIFETIME};
use super::validate::normalize_phone;

/// Token endpoint answering `expires_in` as a number.
pub(crate) const TOKEN_PATH: &str = "/oauth/token";
/// Token endpoint answering `expires_in` as a string, as Orange's does.
pub(crate) const ORANGE_TOKEN_PATH: &str = "/oauth/v3/token";
/// Revocation endpoint.
pub(crate) const REVOKE_PATH: &str = "/oauth/revoke";
/// CIBA backchannel authentication endpoint.
pub(crate) const CIBA_PATH: &str = "/bc-authorize";
/// The CIBA grant type.
const CIBA_GRANT: &str = "urn:openid:params:grant-type:ciba";
/// Seconds a CIBA client is told to wait between polls: none, since the mock approves
/// at once and the first poll already succeeds.
const CIBA_INTERVAL_SECS: u64 = 0;

/// Whether `path` belongs to the authorisation server rather than to the API.
pub(crate) fn is_oauth_path(path: &str) -> bool {
    [TOKEN_PATH, ORANGE_TOKEN_PATH, REVOKE_PATH, CIBA_PATH].contains(&path)
}

/// How the token endpoint writes `expires_in`.
#[derive(Clone, Copy)]
enum ExpiresIn {
    Number,
    Text,
}

/// `POST /oauth/token`.
pub(crate) async fn token(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    answer(issue_token(&app, &headers, body, ExpiresIn::Number).await)
}

/// `POST /oauth/v3/token` (Orange's path and `expires_in` style).
pub(crate) async fn orange_token(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(issue_token(&app, &headers, body, ExpiresIn::Text).await)
}

/// `POST /oauth/revoke`.
pub(crate) async fn revoke(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(revoke_token(&app, &headers, body).await)
}

/// `POST /bc-authorize`.
pub(crate) async fn bc_authorize(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(start_ciba(&app, &headers, body).await)
}

fn answer(result: Result<Value, OAuthError>) -> Response {
    match result {
        Ok(body) => no_store(json_response(StatusCode::OK, &body)),
        Err(error) => error.render(),
    }
}

async fn issue_token(
    app: &App,
    headers: &HeaderMap,
    body: Body,
    style: ExpiresIn,
) -> Result<Value, OAuthError> {
    let form = read_form(headers, body).await?;
    let client = authenticate(&app.clients, headers, &form)?;
    let mut grant = match form.get("grant_type").map(String::as_str) {
        None => return Err(OAuthError::invalid_request("grant_type is missing")),
        Some("client_credentials") => Grant {
            scopes: client.grant_scopes(param(&form, "scope"))?,
            device: None,
        },
        Some(CIBA_GRANT) => {
            let id = param(&form, "auth_req_id")
                .ok_or_else(|| OAuthError::invalid_request("auth_req_id is missing"))?;
            let request = app.tokens.take_ciba(id, client.client_id()).ok_or_else(|| {
                OAuthError::bad_request(
                    "invalid_grant",
                    "auth_req_id is unknown, expired, already used or issued to another client: start a new CIBA request",
                )
            })?;
            Grant {
                scopes: request.scopes,
                device: Some(request.device),
            }
        }
        Some(other) => {
            return Err(OAuthError::bad_request(
                "unsupported_grant_type",
                format!(
                    "grant_type {other:?} is not supported: use client_credentials or {CIBA_GRANT}"
                ),
            ));
        }
    };
    if app.faults.has(Fault::TokenScopeIgnored) && !grant.scopes.iter().any(|s| s == API_SCOPE) {
        grant.scopes.push(API_SCOPE.to_owned());
    }
    let scope = grant.scopes.join(" ");
    let access_token = app.tokens.issue(client.client_id(), grant);
    let lifetime = TOKEN_LIFETIME.as_secs();
    let expires_in = match style {
        ExpiresIn::Number => json!(lifetime),
        ExpiresIn::Text => json!(lifetime.to_string()),
    };
    Ok(
        json!({ "access_token": access_token, "token_type": "Bearer", "expires_in": expires_in, "scope": scope }),
    )
}

async fn revoke_token(app: &App, headers: &HeaderMap, body: Body) -> Result<Value, OAuthError> {
    let form = read_form(headers, body).await?;
    let client = authenticate(&app.clients, headers, &form)?;
    let token =
        param(&form, "token").ok_or_else(|| OAuthError::invalid_request("token is missing"))?;
    app.tokens.revoke(token, client.client_id()).map_err(|_| {
        OAuthError::bad_request(
            "unauthorized_client",
            "this token was not issued to this client",
        )
    })?;
    Ok(json!({}))
}

async fn start_ciba(app: &App, headers: &HeaderMap, body: Body) -> Result<Value, OAuthError> {
    let form = read_form(headers, body).await?;
    let client = authenticate(&app.clients, headers, &form)?;
    let hint = param(&form, "login_hint").ok_or_else(|| {
        OAuthError::invalid_request("login_hint is missing: send login_hint=tel:+<E.164 number>")
    })?;
    let number = hint
        .strip_prefix("tel:")
        .ok_or_else(|| OAuthError::invalid_request("login_hint must be tel:+<E.164 number>"))?;
    let phone = normalize_phone(number, &FaultSet::default())
        .map_err(|why| OAuthError::invalid_request(format!("the login_hint number {why}")))?;
    if app.devices.by_phone(&phone).is_none() {
        return Err(OAuthError::bad_request(
            "unknown_user_id",
            "no device of this mock has the login_hint number",
        ));
    }
    let scopes = client.grant_scopes(param(&form, "scope"))?;
    let auth_req_id = app.tokens.start_ciba(client.client_id(), phone, scopes);
    Ok(
        json!({ "auth_req_id": auth_req_id, "expires_in": CIBA_LIFETIME.as_secs(), "interval": CIBA_INTERVAL_SECS }),
    )
}

fn param<'a>(form: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    form.get(name).map(String::as_str)
}

/// Reads an `application/x-www-form-urlencoded` body; repeated parameters are refused
/// (RFC 6749 §3.2).
async fn read_form(headers: &HeaderMap, body: Body) -> Result<HashMap<String, String>, OAuthError> {
    if !media_type_is(headers, "application/x-www-form-urlencoded") {
        return Err(OAuthError::invalid_request(
            "send the parameters as Content-Type: application/x-www-form-urlencoded",
        ));
    }
    let bytes = read_body(body).await.ok_or_else(|| {
        OAuthError::invalid_request(format!(
            "the request body is unreadable or larger than {MAX_BODY_BYTES} bytes"
        ))
    })?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
        .map_err(|e| OAuthError::invalid_request(format!("the form body cannot be read: {e}")))?;
    let mut form = HashMap::new();
    for (name, value) in pairs {
        if form.contains_key(&name) {
            return Err(OAuthError::invalid_request(format!(
                "parameter {name} is repeated"
            )));
        }
        form.insert(name, value);
    }
    Ok(form)
}
