//! The OAuth 2.0 authorisation server: client credentials (RFC 6749), client secrets or
//! `private_key_jwt` assertions (RFC 7523), revocation (RFC 7009), introspection
//! (RFC 7662) and OpenID CIBA in poll mode.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::API_SCOPE;
use super::app::App;
use super::assertion::{self, Expected};
use super::clients::{MockClient, authenticate};
use super::errors::{OAuthError, json_response, no_store};
use super::faults::Fault;
use super::login_hint;
use super::paths::{CIBA_PATH, INTROSPECT_PATH, ORANGE_TOKEN_PATH, REVOKE_PATH, TOKEN_PATH};
use super::request::{MAX_BODY_BYTES, media_type_is, read_body};
use super::tokens::{CibaPoll, Grant, Pace, TOKEN_LIFETIME, unix_now};
use super::variations::Variation;

pub(crate) use reachability_contract::oauth::CIBA_GRANT;

/// How the token endpoint writes `expires_in`.
#[derive(Clone, Copy)]
enum ExpiresIn {
    Number,
    Text,
}

/// `POST /oauth/token`.
pub(crate) async fn token(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    answer(issue_token(&app, &headers, body, TOKEN_PATH, ExpiresIn::Number).await)
}

/// `POST /oauth/v3/token` (Orange's path and `expires_in` style).
pub(crate) async fn orange_token(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(issue_token(&app, &headers, body, ORANGE_TOKEN_PATH, ExpiresIn::Text).await)
}

/// `POST /oauth/revoke`.
pub(crate) async fn revoke(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(revoke_token(&app, &headers, body).await)
}

/// `POST /oauth/introspect`.
pub(crate) async fn introspect(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(introspect_token(&app, &headers, body).await)
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

/// The client a request authenticates as: by client assertion (`private_key_jwt`) or
/// by client secret. `path` is the endpoint called (an acceptable assertion audience).
fn client<'a>(
    app: &'a App,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
    path: &str,
) -> Result<&'a MockClient, OAuthError> {
    if !assertion::is_used(form) {
        return authenticate(&app.clients, headers, form);
    }
    if headers.contains_key(axum::http::header::AUTHORIZATION) {
        return Err(OAuthError::invalid_request(
            "use one client authentication method: client_assertion or the Authorization header, not both",
        ));
    }
    let issuer = &app.issuer;
    let audiences = [
        issuer.clone(),
        format!("{issuer}{TOKEN_PATH}"),
        format!("{issuer}{ORANGE_TOKEN_PATH}"),
        format!("{issuer}{path}"),
    ];
    let expected = Expected {
        audiences: &audiences,
        now: unix_now(),
        jtis: &app.jtis,
        faults: &app.faults,
    };
    assertion::authenticate(&app.clients, form, &expected)
}

async fn issue_token(
    app: &App,
    headers: &HeaderMap,
    body: Body,
    path: &str,
    style: ExpiresIn,
) -> Result<Value, OAuthError> {
    let form = read_form(headers, body).await?;
    let client = client(app, headers, &form, path)?;
    let mut grant = match form.get("grant_type").map(String::as_str) {
        None => return Err(OAuthError::invalid_request("grant_type is missing")),
        Some("client_credentials") => Grant {
            scopes: client.grant_scopes(param(&form, "scope"))?,
            device: None,
        },
        Some(CIBA_GRANT) => {
            let id = param(&form, "auth_req_id")
                .ok_or_else(|| OAuthError::invalid_request("auth_req_id is missing"))?;
            ciba_grant(app, id, client.client_id())?
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
    let access_token = app
        .tokens
        .issue(client.client_id(), grant)
        .map_err(OAuthError::server_error)?;
    let lifetime = TOKEN_LIFETIME.as_secs();
    let expires_in = match style {
        ExpiresIn::Number => json!(lifetime),
        ExpiresIn::Text => json!(lifetime.to_string()),
    };
    Ok(token_response(app, access_token, expires_in, scope))
}

/// The RFC 6749 §5.1 answer, shaped by the token-response variations.
fn token_response(app: &App, access_token: String, expires_in: Value, scope: String) -> Value {
    let switches = &app.faults;
    let token_type = if switches.varies(Variation::TokenTypeLowercase) {
        "bearer"
    } else {
        "Bearer"
    };
    let mut answer = json!({ "access_token": access_token, "token_type": token_type });
    if !switches.varies(Variation::TokenResponseWithoutExpiresIn) {
        answer["expires_in"] = expires_in;
    }
    if !switches.varies(Variation::TokenResponseWithoutScope) {
        answer["scope"] = json!(scope);
    }
    if switches.varies(Variation::TokenResponseExtraMembers) {
        answer["mock_session_state"] = json!("a member no RFC defines");
    }
    answer
}

/// The grant of an approved CIBA request, or the CIBA error of this poll.
fn ciba_grant(app: &App, id: &str, client_id: &str) -> Result<Grant, OAuthError> {
    let unpaced = [Variation::CibaNoSlowDown, Variation::CibaPendingLonger];
    let pace = if unpaced.iter().any(|v| app.faults.varies(*v)) {
        Pace::Unchecked
    } else {
        Pace::Interval
    };
    match app.tokens.poll_ciba(id, client_id, pace) {
        CibaPoll::Approved(request) => Ok(Grant {
            scopes: request.scopes,
            device: Some(request.device),
        }),
        CibaPoll::Pending => Err(OAuthError::bad_request(
            "authorization_pending",
            "the user has not approved the request yet: poll again after the interval",
        )),
        CibaPoll::SlowDown if app.faults.has(Fault::CibaEarlyPoll500) => Err(
            OAuthError::server_error("the poll came too early and the server tripped over it"),
        ),
        CibaPoll::SlowDown => Err(OAuthError::bad_request(
            "slow_down",
            "polled sooner than the interval allows: wait 5 s more between polls from now on",
        )),
        CibaPoll::Denied => Err(OAuthError::bad_request(
            "access_denied",
            "the user refused the authentication request",
        )),
        CibaPoll::Expired => Err(OAuthError::bad_request(
            "expired_token",
            "the authentication request expired before it was approved: start a new one",
        )),
        CibaPoll::Unknown => Err(OAuthError::bad_request(
            "invalid_grant",
            "auth_req_id is unknown, already used or issued to another client: start a new CIBA request",
        )),
    }
}

async fn revoke_token(app: &App, headers: &HeaderMap, body: Body) -> Result<Value, OAuthError> {
    let form = read_form(headers, body).await?;
    let client = client(app, headers, &form, REVOKE_PATH)?;
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

/// RFC 7662: `{"active": false}` for any token that is not usable now.
async fn introspect_token(app: &App, headers: &HeaderMap, body: Body) -> Result<Value, OAuthError> {
    let form = read_form(headers, body).await?;
    client(app, headers, &form, INTROSPECT_PATH)?;
    let token =
        param(&form, "token").ok_or_else(|| OAuthError::invalid_request("token is missing"))?;
    Ok(match app.tokens.introspect(token) {
        None => json!({ "active": false }),
        Some(facts) => {
            let sub = match &facts.grant.device {
                Some(phone) => format!("tel:{phone}"),
                None => facts.client_id.clone(),
            };
            json!({
                "active": true,
                "client_id": facts.client_id,
                "scope": facts.grant.scopes.join(" "),
                "token_type": "Bearer",
                "sub": sub,
                "iss": app.issuer,
                "iat": facts.iat,
                "exp": facts.exp,
            })
        }
    })
}

async fn start_ciba(app: &App, headers: &HeaderMap, body: Body) -> Result<Value, OAuthError> {
    let form = read_form(headers, body).await?;
    let client = client(app, headers, &form, CIBA_PATH)?;
    let hint = param(&form, "login_hint").ok_or_else(|| {
        OAuthError::invalid_request(
            "login_hint is missing: send login_hint=tel:+<E.164 number>, ipport:<address>:<port> or operatortoken:<token>",
        )
    })?;
    let device = login_hint::resolve(&app.devices, hint)?;
    let scopes = client.grant_scopes(param(&form, "scope"))?;
    let behaviour = &app.ciba;
    let auth_req_id = app.tokens.start_ciba(
        app.faults.varies(Variation::AuthReqIdUuid),
        client.client_id(),
        device.phone_number.clone(),
        scopes,
        behaviour,
    );
    let expires_in = behaviour.lifetime.as_secs_f64().ceil() as u64;
    Ok(
        json!({ "auth_req_id": auth_req_id, "expires_in": expires_in, "interval": behaviour.interval_secs }),
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
