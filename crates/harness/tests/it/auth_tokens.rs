//! The OAuth client against a small token server: every token kind, caching, CIBA
//! polling, error answers, and secrets kept out of messages.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use reachability_harness::http::{HttpClient, HttpSettings};
use reachability_harness::oauth::{TokenError, TokenKind, TokenProvider};
use reachability_harness::redact::Redactor;
use reachability_harness::target_file::{AuthSettings, Secret};
use serde_json::json;
use tokio::time::Instant;

const CLIENT_SECRET: &str = "client-secret-123";
/// `Basic base64("demo-client:client-secret-123")`.
const BASIC: &str = "Basic ZGVtby1jbGllbnQ6Y2xpZW50LXNlY3JldC0xMjM=";
const AUTH_REQ_ID: &str = "auth-req-0042";

type Params = HashMap<String, String>;

/// What the token server saw and how it answers CIBA polls.
#[derive(Default)]
struct Seen {
    /// Every request: path, Authorization header, form.
    requests: Vec<(String, String, Params)>,
    /// Answers to CIBA polls, in order (`ok` gives a token; the last one repeats).
    ciba_script: VecDeque<&'static str>,
    /// `interval` and `expires_in` of the CIBA answer.
    ciba_timing: (u64, u64),
}

type Shared = Arc<Mutex<Seen>>;

/// A loopback token server; its requests are in `seen`.
struct TokenServer {
    base: String,
    seen: Shared,
}

impl TokenServer {
    async fn start() -> Self {
        let seen = Shared::default();
        let app = Router::new()
            .route("/token", post(token))
            .route("/revoke", post(revoke))
            .route("/bc-authorize", post(bc_authorize))
            .route("/html", post(|| async { "<html>oops</html>" }))
            .route("/no-token", post(|| async { Json(json!({"token_type": "Bearer"})) }))
            .route(
                "/invalid-scope",
                post(|| async {
                    let body = json!({"error": "invalid_scope", "error_description": "scope x unknown"});
                    (StatusCode::BAD_REQUEST, Json(body))
                }),
            )
            .route(
                "/echo-secret",
                post(|| async {
                    let body = json!({"error": "invalid_client", "error_description": format!("bad secret {CLIENT_SECRET}")});
                    (StatusCode::UNAUTHORIZED, Json(body))
                }),
            )
            .route(
                "/unavailable",
                post(|| async { (StatusCode::SERVICE_UNAVAILABLE, "down for maintenance") }),
            )
            .with_state(seen.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { base, seen }
    }

    /// Settings with every endpoint of this server and a client-secret client.
    fn settings(&self) -> AuthSettings {
        AuthSettings {
            token_url: Some(format!("{}/token", self.base)),
            client_id: Some("demo-client".into()),
            client_secret: Some(Secret::new(CLIENT_SECRET.into())),
            scope: Some("api:read".into()),
            revocation_url: Some(format!("{}/revoke", self.base)),
            expired_token: Some(Secret::new("expired-token-789".into())),
            no_scope_scope: Some("openid".into()),
            ciba_url: Some(format!("{}/bc-authorize", self.base)),
            device_login_hint: Some("tel:+33699901031".into()),
            ..AuthSettings::default()
        }
    }

    fn provider(&self, settings: AuthSettings) -> TokenProvider {
        let http = HttpClient::new(&HttpSettings::default(), Redactor::new()).unwrap();
        TokenProvider::new(settings, http)
    }

    fn script_ciba(&self, script: &[&'static str], interval: u64, expires_in: u64) {
        let mut seen = self.seen.lock().unwrap();
        seen.ciba_script = script.iter().copied().collect();
        seen.ciba_timing = (interval, expires_in);
    }

    /// The requests seen at `path`: Authorization header and form.
    fn requests(&self, path: &str) -> Vec<(String, Params)> {
        let seen = self.seen.lock().unwrap();
        seen.requests
            .iter()
            .filter(|(p, _, _)| p == path)
            .map(|(_, auth, form)| (auth.clone(), form.clone()))
            .collect()
    }
}

fn record(seen: &Shared, path: &str, headers: &HeaderMap, form: &Params) -> usize {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let mut seen = seen.lock().unwrap();
    seen.requests.push((path.to_owned(), auth, form.clone()));
    seen.requests.len()
}

fn oauth_error(status: StatusCode, error: &str) -> Response {
    (status, Json(json!({"error": error}))).into_response()
}

async fn token(
    State(seen): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<Params>,
) -> Response {
    let n = record(&seen, "/token", &headers, &form);
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok());
    if auth != Some(BASIC) && auth != Some("Basic b3JhbmdlOnNlY3JldA==") {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    let issue = |label: &str| {
        Json(json!({"access_token": format!("token-{n}-{label}"), "token_type": "Bearer"}))
    };
    match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {
            issue(form.get("scope").map_or("none", String::as_str)).into_response()
        }
        Some("urn:openid:params:grant-type:ciba")
            if form.get("auth_req_id").map(String::as_str) == Some(AUTH_REQ_ID) =>
        {
            let mut seen = seen.lock().unwrap();
            let step = if seen.ciba_script.len() > 1 {
                seen.ciba_script.pop_front()
            } else {
                seen.ciba_script.front().copied()
            };
            match step {
                Some("ok") => issue("device").into_response(),
                Some(error) => oauth_error(StatusCode::BAD_REQUEST, error),
                None => oauth_error(StatusCode::BAD_REQUEST, "invalid_grant"),
            }
        }
        _ => oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type"),
    }
}

async fn revoke(
    State(seen): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<Params>,
) -> Response {
    record(&seen, "/revoke", &headers, &form);
    StatusCode::OK.into_response()
}

async fn bc_authorize(
    State(seen): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<Params>,
) -> Response {
    record(&seen, "/bc-authorize", &headers, &form);
    if form.get("login_hint").map(String::as_str) != Some("tel:+33699901031") {
        return oauth_error(StatusCode::BAD_REQUEST, "unknown_user_id");
    }
    let (interval, expires_in) = seen.lock().unwrap().ciba_timing;
    Json(json!({"auth_req_id": AUTH_REQ_ID, "interval": interval, "expires_in": expires_in}))
        .into_response()
}

fn form(pairs: &[(&str, &str)]) -> Params {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn valid_token_by_client_credentials_with_basic_auth() {
    let server = TokenServer::start().await;
    let tokens = server.provider(server.settings());
    let token = tokens.token(TokenKind::Valid).await.unwrap();
    assert_eq!(token.expose(), "token-1-api:read");
    assert_eq!(
        server.requests("/token"),
        [(
            BASIC.to_owned(),
            form(&[("grant_type", "client_credentials"), ("scope", "api:read")])
        )]
    );
}

#[tokio::test]
async fn valid_token_is_fetched_once_for_concurrent_callers() {
    let server = TokenServer::start().await;
    let tokens = server.provider(server.settings());
    let calls = (0..8).map(|_| {
        let tokens = tokens.clone();
        async move { tokens.token(TokenKind::Valid).await }
    });
    for token in futures::future::join_all(calls).await {
        assert_eq!(token.unwrap().expose(), "token-1-api:read");
    }
    assert_eq!(
        tokens.token(TokenKind::Valid).await.unwrap().expose(),
        "token-1-api:read"
    );
    assert_eq!(server.requests("/token").len(), 1);
}

#[tokio::test]
async fn a_failure_is_cached_and_names_no_secret() {
    let server = TokenServer::start().await;
    let settings = AuthSettings {
        client_secret: Some(Secret::new("wrong-secret-999".into())),
        ..server.settings()
    };
    let tokens = server.provider(settings);
    let first = tokens.token(TokenKind::Valid).await.unwrap_err();
    let second = tokens.token(TokenKind::Valid).await.unwrap_err();
    assert_eq!(first, second);
    assert_eq!(server.requests("/token").len(), 1);
    assert_eq!(
        first.to_string(),
        format!(
            "cannot get a valid access token: token endpoint {}/token answered HTTP 401 with error \
             \"invalid_client\"; check the client credentials (auth.client_id and its secret, or \
             auth.authorization_env)",
            server.base
        )
    );
    assert!(!format!("{first} {first:?}").contains("wrong-secret-999"));
}

#[tokio::test]
async fn access_token_from_the_environment_needs_no_request() {
    let server = TokenServer::start().await;
    let settings = AuthSettings {
        access_token: Some(Secret::new("ready-token-000".into())),
        ..server.settings()
    };
    let tokens = server.provider(settings);
    assert_eq!(
        tokens.token(TokenKind::Valid).await.unwrap().expose(),
        "ready-token-000"
    );
    assert!(server.requests("/token").is_empty());
}

#[tokio::test]
async fn a_ready_authorization_header_is_sent_as_is() {
    let server = TokenServer::start().await;
    let settings = AuthSettings {
        client_id: None,
        client_secret: None,
        authorization: Some(Secret::new("Basic b3JhbmdlOnNlY3JldA==".into())),
        scope: None,
        ..server.settings()
    };
    let tokens = server.provider(settings);
    assert_eq!(
        tokens.token(TokenKind::Valid).await.unwrap().expose(),
        "token-1-none"
    );
    assert_eq!(
        server.requests("/token"),
        [(
            "Basic b3JhbmdlOnNlY3JldA==".to_owned(),
            form(&[("grant_type", "client_credentials")])
        )]
    );
}

#[tokio::test]
async fn token_without_scope_uses_the_no_scope_scope_and_its_own_cache() {
    let server = TokenServer::start().await;
    let tokens = server.provider(server.settings());
    assert_eq!(
        tokens.token(TokenKind::Valid).await.unwrap().expose(),
        "token-1-api:read"
    );
    assert_eq!(
        tokens
            .token(TokenKind::WithoutScope)
            .await
            .unwrap()
            .expose(),
        "token-2-openid"
    );
    assert_eq!(
        tokens
            .token(TokenKind::WithoutScope)
            .await
            .unwrap()
            .expose(),
        "token-2-openid"
    );
    assert_eq!(server.requests("/token").len(), 2);
}

#[tokio::test]
async fn revoked_token_is_a_fresh_one_revoked_once() {
    let server = TokenServer::start().await;
    let tokens = server.provider(server.settings());
    assert_eq!(
        tokens.token(TokenKind::Valid).await.unwrap().expose(),
        "token-1-api:read"
    );
    assert_eq!(
        tokens.token(TokenKind::Revoked).await.unwrap().expose(),
        "token-2-api:read"
    );
    assert_eq!(
        tokens.token(TokenKind::Revoked).await.unwrap().expose(),
        "token-2-api:read"
    );
    assert_eq!(
        server.requests("/revoke"),
        [(
            BASIC.to_owned(),
            form(&[
                ("token", "token-2-api:read"),
                ("token_type_hint", "access_token")
            ])
        )]
    );
    assert_eq!(
        tokens.token(TokenKind::Valid).await.unwrap().expose(),
        "token-1-api:read"
    );
}

#[tokio::test]
async fn expired_token_comes_from_the_environment() {
    let server = TokenServer::start().await;
    let tokens = server.provider(server.settings());
    assert_eq!(
        tokens.token(TokenKind::Expired).await.unwrap().expose(),
        "expired-token-789"
    );
    assert!(server.requests("/token").is_empty());
}

#[tokio::test]
async fn missing_settings_are_named() {
    let server = TokenServer::start().await;
    let settings = AuthSettings {
        access_token: Some(Secret::new("ready-token-000".into())),
        ..AuthSettings::default()
    };
    let tokens = server.provider(settings);
    let cases = [
        (TokenKind::WithoutScope, "auth.no_scope_scope"),
        (TokenKind::Revoked, "auth.revocation_url"),
        (TokenKind::Expired, "auth.expired_token_env"),
        (TokenKind::DeviceBound, "auth.ciba_url"),
    ];
    for (kind, key) in cases {
        assert_eq!(
            tokens.token(kind).await,
            Err(TokenError::NotConfigured { key })
        );
    }
    assert_eq!(
        TokenError::NotConfigured {
            key: "auth.revocation_url"
        }
        .to_string(),
        "auth.revocation_url is not set in the target file; add it to run the tests that need it"
    );
    let no_client = AuthSettings {
        no_scope_scope: Some("openid".into()),
        ..AuthSettings::default()
    };
    assert_eq!(
        server
            .provider(no_client)
            .token(TokenKind::WithoutScope)
            .await,
        Err(TokenError::NotConfigured {
            key: "auth.token_url"
        })
    );
}

#[tokio::test]
async fn device_bound_token_by_ciba_polls_while_pending() {
    let server = TokenServer::start().await;
    server.script_ciba(
        &["authorization_pending", "authorization_pending", "ok"],
        0,
        30,
    );
    let tokens = server.provider(server.settings());
    assert_eq!(
        tokens.token(TokenKind::DeviceBound).await.unwrap().expose(),
        "token-4-device"
    );
    assert_eq!(
        server.requests("/bc-authorize"),
        [(
            BASIC.to_owned(),
            form(&[
                ("login_hint", "tel:+33699901031"),
                ("scope", "openid api:read")
            ])
        )]
    );
    let polls = server.requests("/token");
    assert_eq!(polls.len(), 3);
    assert_eq!(
        polls[0],
        (
            BASIC.to_owned(),
            form(&[
                ("grant_type", "urn:openid:params:grant-type:ciba"),
                ("auth_req_id", AUTH_REQ_ID)
            ])
        )
    );
    // Cached: no second authentication request.
    tokens.token(TokenKind::DeviceBound).await.unwrap();
    assert_eq!(server.requests("/bc-authorize").len(), 1);
}

#[tokio::test]
async fn ciba_slow_down_adds_five_seconds() {
    let server = TokenServer::start().await;
    server.script_ciba(&["slow_down", "ok"], 0, 30);
    let tokens = server.provider(server.settings());
    let start = Instant::now();
    assert_eq!(
        tokens.token(TokenKind::DeviceBound).await.unwrap().expose(),
        "token-3-device"
    );
    assert!(start.elapsed() >= Duration::from_secs(5));
    assert_eq!(server.requests("/token").len(), 2);
}

#[tokio::test]
async fn ciba_denied_or_expired_ends_with_a_clear_message() {
    for (error, expected) in [
        (
            "access_denied",
            "cannot get a device-bound access token: the authentication request for tel:+33699901031 \
             was denied (access_denied); approve it on the device, or check auth.device_login_hint",
        ),
        (
            "expired_token",
            "cannot get a device-bound access token: the authentication request for tel:+33699901031 \
             expired before it was approved (expired_token); approve it on the device sooner",
        ),
    ] {
        let server = TokenServer::start().await;
        server.script_ciba(&["authorization_pending", error], 0, 30);
        let tokens = server.provider(server.settings());
        assert_eq!(
            tokens
                .token(TokenKind::DeviceBound)
                .await
                .unwrap_err()
                .to_string(),
            expected
        );
        assert_eq!(server.requests("/token").len(), 2);
    }
}

#[tokio::test]
async fn ciba_polling_stops_when_the_request_expires() {
    let server = TokenServer::start().await;
    server.script_ciba(&["authorization_pending"], 1, 1);
    let tokens = server.provider(server.settings());
    assert_eq!(
        tokens
            .token(TokenKind::DeviceBound)
            .await
            .unwrap_err()
            .to_string(),
        "cannot get a device-bound access token: the authentication request for tel:+33699901031 was \
         still pending after the 1 s allowed (polled every 1 s); approve it on the device sooner, or \
         check the CIBA setup"
    );
}

#[tokio::test]
async fn ciba_first_poll_comes_at_once() {
    // The interval is the least time between two polls, not before the first: even with
    // an interval longer than the request's lifetime, one poll is made and gets the token.
    let server = TokenServer::start().await;
    server.script_ciba(&["ok"], 5, 1);
    let tokens = server.provider(server.settings());
    assert_eq!(
        tokens.token(TokenKind::DeviceBound).await.unwrap().expose(),
        "token-2-device"
    );
    assert_eq!(server.requests("/token").len(), 1);
}

#[tokio::test]
async fn ciba_endpoint_errors_are_reported() {
    let server = TokenServer::start().await;
    let settings = AuthSettings {
        device_login_hint: Some("tel:+1000".into()),
        ..server.settings()
    };
    let tokens = server.provider(settings);
    assert_eq!(
        tokens
            .token(TokenKind::DeviceBound)
            .await
            .unwrap_err()
            .to_string(),
        format!(
            "cannot get a device-bound access token: CIBA endpoint {}/bc-authorize answered HTTP 400 \
             with error \"unknown_user_id\"; check the [auth] settings of the target file",
            server.base
        )
    );
}

#[tokio::test]
async fn bad_token_endpoint_answers() {
    let server = TokenServer::start().await;
    let base = &server.base;
    let cases = [
        (
            "/html",
            format!(
                "token endpoint {base}/html answered HTTP 200 with a body that is not JSON: \
                 <html>oops</html>; check that the URL is right"
            ),
        ),
        (
            "/no-token",
            format!(
                "token endpoint {base}/no-token answered HTTP 200 without access_token; check that the URL is right"
            ),
        ),
        (
            "/invalid-scope",
            format!(
                "token endpoint {base}/invalid-scope answered HTTP 400 with error \"invalid_scope\" \
                 (scope x unknown); check the [auth] settings of the target file"
            ),
        ),
        (
            "/echo-secret",
            format!(
                "token endpoint {base}/echo-secret answered HTTP 401 with error \"invalid_client\" \
                 (bad secret [REDACTED]); check the client credentials (auth.client_id and its \
                 secret, or auth.authorization_env)"
            ),
        ),
        (
            "/unavailable",
            format!(
                "token endpoint {base}/unavailable answered HTTP 503 with a body that is not JSON: \
                 down for maintenance; check that the endpoint is up and that its URL is right"
            ),
        ),
    ];
    for (path, message) in cases {
        let settings = AuthSettings {
            token_url: Some(format!("{base}{path}")),
            ..server.settings()
        };
        let err = server
            .provider(settings)
            .token(TokenKind::Valid)
            .await
            .unwrap_err();
        assert_eq!(
            err,
            TokenError::Failed {
                kind: TokenKind::Valid,
                message
            }
        );
    }
}

#[tokio::test]
async fn unreachable_token_endpoint_is_reported() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/token", listener.local_addr().unwrap());
    drop(listener);
    let server = TokenServer::start().await;
    let settings = AuthSettings {
        token_url: Some(url.clone()),
        ..server.settings()
    };
    let err = server
        .provider(settings)
        .token(TokenKind::Valid)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "cannot get a valid access token: {url}: connection refused; check that the target is \
             running and that its URL in the target file is right"
        )
    );
}

#[tokio::test]
async fn every_secret_is_registered_for_redaction() {
    let server = TokenServer::start().await;
    server.script_ciba(&["ok"], 0, 30);
    let http = HttpClient::new(&HttpSettings::default(), Redactor::new()).unwrap();
    let tokens = TokenProvider::new(server.settings(), http.clone());
    let valid = tokens.token(TokenKind::Valid).await.unwrap();
    let device = tokens.token(TokenKind::DeviceBound).await.unwrap();
    let text = format!(
        "{CLIENT_SECRET} {BASIC} {} {} {AUTH_REQ_ID} expired-token-789",
        valid.expose(),
        device.expose()
    );
    assert_eq!(http.redactor().redact(&text), ["[REDACTED]"; 6].join(" "));
}
