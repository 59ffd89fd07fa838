//! Whole runs against token endpoints that misbehave: refused credentials, an answer
//! that is not JSON, an answer without `access_token`. One clear message, every scenario
//! that needs a token fails with it, one request per token kind, no secret shown.

use crate::robustness_support;

use std::sync::{Arc, Mutex};

use axum::extract::Form;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use axum::{Json, Router};
use reachability_harness::report::Status;
use robustness_support::*;
use serde_json::json;

/// The API scope asked for valid tokens, and the scope of a token without it.
use reachability_contract::oauth::API_SCOPE as SCOPE;
const NO_SCOPE: &str = "openid";

/// What the token endpoint answers.
#[derive(Clone, Copy)]
enum TokenAnswer {
    /// 401 `invalid_client`, quoting the client secret it got (which must be masked).
    Refused,
    /// 200 with an HTML page.
    Html,
    /// 200 with JSON lacking `access_token`.
    NoAccessToken,
}

/// Requests seen: path and `scope` form field.
type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// An OAuth server answering `answer` at `/token` (and 200 at `/revoke`), and an API
/// answering 401 to everything; returns the target file, the token URL and what the
/// servers saw.
async fn setup(answer: TokenAnswer) -> (String, String, Seen) {
    let seen = Seen::default();
    let (token_log, revoke_log, api_log) = (seen.clone(), seen.clone(), seen.clone());
    let oauth = serve(
        Router::new()
            .route(
                "/token",
                post(move |Form(form): Form<Vec<(String, String)>>| {
                    let scope = form
                        .iter()
                        .find(|(k, _)| k == "scope")
                        .map(|(_, v)| v.clone());
                    token_log.lock().unwrap().push(("/token".into(), scope));
                    async move { token_answer(answer) }
                }),
            )
            .route(
                "/revoke",
                post(move || {
                    revoke_log.lock().unwrap().push(("/revoke".into(), None));
                    async { StatusCode::OK }
                }),
            ),
    )
    .await;
    let api = serve(Router::new().fallback(any(move |headers: HeaderMap| {
        api_log.lock().unwrap().push(("api".into(), None));
        let body =
            json!({"status": 401, "code": "UNAUTHENTICATED", "message": "No valid credentials."});
        let mut response = (StatusCode::UNAUTHORIZED, Json(body)).into_response();
        if let Some(correlator) = headers.get("x-correlator") {
            response
                .headers_mut()
                .insert("x-correlator", correlator.clone());
        }
        async move { response }
    })))
    .await;
    let auth = format!(
        r#"token_url = "{oauth}/token"
client_id = "robustness-client"
client_secret_env = "RC_CLIENT_SECRET"
scope = "{SCOPE}"
no_scope_scope = "{NO_SCOPE}"
revocation_url = "{oauth}/revoke""#
    );
    (target_toml(&api, "", &auth), format!("{oauth}/token"), seen)
}

fn token_answer(answer: TokenAnswer) -> Response {
    match answer {
        TokenAnswer::Refused => {
            let body = json!({
                "error": "invalid_client",
                "error_description": format!("unknown secret {CLIENT_SECRET}"),
            });
            (StatusCode::UNAUTHORIZED, Json(body)).into_response()
        }
        TokenAnswer::Html => (
            [("content-type", "text/html")],
            "<html><body>Sign in</body></html>",
        )
            .into_response(),
        TokenAnswer::NoAccessToken => Json(json!({"token_type": "Bearer"})).into_response(),
    }
}

/// Runs the suite with `answer` at the token endpoint and checks that every scenario
/// failed with what the endpoint did (`said`, given the token URL), and that the
/// endpoint got exactly one request: the failure is kept for the run, not retried by
/// each scenario. Every scenario asks for a valid token first (its background), so the
/// other kinds configured (without scope, revoked) are never asked for.
async fn assert_token_failure(answer: TokenAnswer, said: impl Fn(&str) -> String) {
    let (toml, token_url, seen) = setup(answer).await;
    let expected = format!(
        "could not test: no access token: cannot get a valid access token: {}",
        said(&token_url)
    );
    let result = run(target(&toml)).await;
    let seen = seen.lock().unwrap();
    let token_requests: Vec<&(String, Option<String>)> =
        seen.iter().filter(|(path, _)| path != "api").collect();
    assert_eq!(
        token_requests,
        [&("/token".to_owned(), Some(SCOPE.to_owned()))]
    );

    // Every scenario starts with a valid token (the background): each could not test, with
    // the one message, before sending anything to the API.
    assert!(!result.scenarios.is_empty());
    for scenario in &result.scenarios {
        // The security-profile scenarios call the token endpoint with no API background:
        // on this secret-based target without CIBA they skip for their missing key.
        if scenario.label().starts_with("security_profile_") {
            assert_eq!(scenario.status, Status::Skipped, "{}", scenario.label());
            continue;
        }
        assert_eq!(
            (scenario.status, reason(scenario)),
            (Status::Errored, expected.as_str()),
            "{}",
            scenario.label()
        );
        assert!(scenario.exchanges.is_empty(), "{}", scenario.label());
    }
    assert!(!seen.iter().any(|(path, _)| path == "api"));
}

#[tokio::test(flavor = "multi_thread")]
async fn token_endpoint_refuses_the_credentials() {
    assert_token_failure(TokenAnswer::Refused, |url| {
        format!(
            "token endpoint {url} answered HTTP 401 with error \"invalid_client\" (unknown \
             secret [REDACTED]); check the client credentials (auth.client_id and its secret, \
             or auth.authorization_env)"
        )
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn token_endpoint_answers_html() {
    assert_token_failure(TokenAnswer::Html, |url| {
        format!(
            "token endpoint {url} answered HTTP 200 with a body that is not JSON: \
             <html><body>Sign in</body></html>; check that the URL is right"
        )
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn token_endpoint_gives_no_access_token() {
    assert_token_failure(TokenAnswer::NoAccessToken, |url| {
        format!(
            "token endpoint {url} answered HTTP 200 without access_token; check that the URL is \
             right"
        )
    })
    .await;
}
