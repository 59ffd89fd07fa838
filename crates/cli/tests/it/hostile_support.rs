//! A hostile target: one loopback server playing the API, the token endpoint and the CIBA
//! endpoint, misbehaving in one chosen way, and handed canary secrets. The API always
//! echoes the credentials it gets (raw, JSON-escaped, percent-encoded and in base64, in
//! its body, a header and a cookie), as a careless gateway would.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Form, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use futures::StreamExt as _;

use reachability_contract::oauth::API_SCOPE;
use reachability_test_support::lab;
use reachability_test_support::loopback::{serve, target_toml};

/// The client secret, with the characters form encoding changes.
pub const CANARY_SECRET: &str = "CANARY+SECRET/=&%7q";
/// The secret inside the Basic header of `authorization_env` targets.
pub const CANARY_BASIC_SECRET: &str = "CANARYBASIC-pw+9";
/// The token the token endpoint issues unless the behaviour says otherwise.
pub const CANARY_TOKEN: &str = "CANARY-TOKEN/0123456789+abc=";
/// The CIBA request id.
pub const CANARY_REQ_ID: &str = "CANARY-REQ-ID-4242";
/// The cookie the token endpoint sets.
pub const CANARY_COOKIE: &str = "CANARYCOOKIE-77";
/// A token shorter than any length limit.
pub const SHORT_TOKEN: &str = "Kq9";
/// A token that is a number.
pub const NUMBER_TOKEN: u64 = 987_654_321_987;
/// How the huge token begins.
pub const CANARY_HUGE: &str = "CANARYHUGE";
/// The client id.
const CLIENT_ID: &str = "hostile-client";

/// The ways the target misbehaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
    /// Conformant OAuth; the API only echoes credentials.
    EchoOnly,
    /// Token answer with a trailing comma (not JSON), the token inside.
    TokenTrailingComma,
    /// A 2 MB access token.
    TokenHuge,
    /// An access token that is a number.
    TokenNumber,
    /// An access token containing CR LF.
    TokenCrlf,
    /// A three-character access token, echoed by the API.
    TokenShort,
    /// A token endpoint answering 401 with the request's form (secret included, encoded)
    /// in `error_description`.
    TokenEchoesForm,
    /// Like `TokenEchoesForm`, the client authenticating with a Basic header from
    /// `authorization_env`, whose decoded `id:secret` is echoed.
    TokenEchoesBasic,
    /// A token endpoint answering 400 with escape sequences in `error_description`.
    TokenAnsiDescription,
    /// The API echoes the token at the very end of the body cap, cut in two.
    BodyCutsToken,
    /// The API answers a 50 MB body.
    HugeBody,
    /// The API answers an endless chunked body.
    EndlessBody,
    /// The API answers JSON nested 100,000 deep.
    DeepNesting100k,
    /// The API answers JSON nested 1,000 deep (within the body cap).
    DeepNesting1k,
    /// The API answers a gzip body it was not asked for.
    GzipBody,
    /// The API answers bytes that are not UTF-8.
    InvalidUtf8,
    /// The API answers text with ANSI escapes, BEL and NUL.
    AnsiBody,
    /// The API answers headers with a 6 KB value echoing the token near its end.
    LongHeader,
    /// CIBA `interval` 0, always `authorization_pending`.
    CibaIntervalZero,
    /// CIBA `interval` of u64::MAX, then a slow `authorization_pending`.
    CibaIntervalMax,
    /// CIBA `interval` near u64::MAX, always `slow_down`.
    CibaSlowDownWraps,
    /// CIBA `expires_in` of u64::MAX, the start answered as JSON with a trailing comma.
    CibaStartNotJson,
    /// The API redirects to a URL carrying the token.
    RedirectWithToken,
    /// The API answers 429 with an absurd `Retry-After`.
    RetryAfterHuge,
    /// An `https` URL to a plain-HTTP server, with `insecure_tls = true`.
    NotTlsWhileInsecure,
}

/// Everything the behaviours send that must never be shown.
pub fn canaries() -> Vec<String> {
    let mut all: Vec<String> = [
        CANARY_SECRET,
        CANARY_BASIC_SECRET,
        CANARY_TOKEN,
        CANARY_REQ_ID,
        CANARY_COOKIE,
        CANARY_HUGE,
        // Every prefix long enough to be recognised.
        "CANARY",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    all.push(NUMBER_TOKEN.to_string());
    all.push(format!("\"{SHORT_TOKEN}\""));
    all.push(format!(" {SHORT_TOKEN}"));
    all.push(STANDARD.encode(CANARY_TOKEN));
    all.push(URL_SAFE_NO_PAD.encode(CANARY_TOKEN));
    all
}

/// The environment the target file's `*_env` keys read.
pub fn secret_env() -> Vec<(String, String)> {
    vec![
        ("RC_CLIENT_SECRET".to_owned(), CANARY_SECRET.to_owned()),
        (
            "RC_AUTHORIZATION".to_owned(),
            format!(
                "Basic {}",
                STANDARD.encode(format!("{CLIENT_ID}:{CANARY_BASIC_SECRET}"))
            ),
        ),
    ]
}

/// What the server saw.
#[derive(Default)]
pub struct Seen {
    /// Polls of the token endpoint with the CIBA grant.
    pub ciba_polls: AtomicUsize,
}

/// A running hostile target.
pub struct Hostile {
    /// The target file.
    pub toml: String,
    /// What the server saw.
    pub seen: Arc<Seen>,
}

#[derive(Clone)]
struct App {
    behaviour: Behaviour,
    seen: Arc<Seen>,
}

/// Starts the server for `behaviour`; returns the target file to test it with.
pub async fn start(behaviour: Behaviour) -> Hostile {
    let seen = Arc::new(Seen::default());
    let app = App {
        behaviour,
        seen: seen.clone(),
    };
    let base = serve(
        Router::new()
            .route("/token", post(token))
            .route("/ciba", post(ciba_start))
            .fallback(any(api))
            .with_state(app),
    )
    .await;
    let client_auth = if behaviour == Behaviour::TokenEchoesBasic {
        r#"authorization_env = "RC_AUTHORIZATION""#.to_owned()
    } else {
        format!(
            "client_id = \"{CLIENT_ID}\"\nclient_secret_env = \"RC_CLIENT_SECRET\"\nclient_auth = \"client_secret_post\""
        )
    };
    let auth = format!(
        "token_url = \"{base}/token\"\n{client_auth}\nscope = \"{API_SCOPE}\"\n\
         ciba_url = \"{base}/ciba\"\ndevice_login_hint = \"tel:{}\"",
        lab::data()
    );
    let (api_root, http) = if behaviour == Behaviour::NotTlsWhileInsecure {
        (
            base.replace("http://", "https://"),
            "concurrency = 2\ninsecure_tls = true",
        )
    } else {
        (base.clone(), "concurrency = 2\ntimeout_ms = 5000")
    };
    Hostile {
        toml: target_toml(&api_root, http, &auth),
        seen,
    }
}

/// A JSON response.
fn json(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The token endpoint: client credentials, and CIBA polls.
async fn token(State(app): State<App>, Form(form): Form<Vec<(String, String)>>) -> Response {
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    if field("grant_type").starts_with("urn:openid:params:grant-type:ciba") {
        let poll = app.seen.ciba_polls.fetch_add(1, Ordering::SeqCst);
        return ciba_poll(app.behaviour, poll).await;
    }
    let issued = |body: String| {
        let mut response = json(StatusCode::OK, body);
        response.headers_mut().insert(
            header::SET_COOKIE,
            HeaderValue::from_str(&format!("SESSION={CANARY_COOKIE}; Path=/")).unwrap(),
        );
        response
    };
    match app.behaviour {
        Behaviour::TokenTrailingComma => issued(format!(
            r#"{{"access_token":"{CANARY_TOKEN}","token_type":"Bearer",}}"#
        )),
        Behaviour::TokenHuge => issued(format!(
            r#"{{"access_token":"{CANARY_HUGE}{}","token_type":"Bearer"}}"#,
            "h".repeat(2_000_000)
        )),
        Behaviour::TokenNumber => issued(format!(
            r#"{{"access_token":{NUMBER_TOKEN},"token_type":"Bearer"}}"#
        )),
        Behaviour::TokenCrlf => {
            issued(r#"{"access_token":"CANARY-CR\r\nLF-TOKEN","token_type":"Bearer"}"#.to_owned())
        }
        Behaviour::TokenShort => issued(format!(
            r#"{{"access_token":"{SHORT_TOKEN}","token_type":"Bearer"}}"#
        )),
        Behaviour::TokenEchoesForm | Behaviour::TokenEchoesBasic => {
            let echoed = form
                .iter()
                .map(|(k, v)| format!("{k}={}", percent(v)))
                .collect::<Vec<_>>()
                .join("&");
            let basic = if app.behaviour == Behaviour::TokenEchoesBasic {
                format!("{CLIENT_ID}:{CANARY_BASIC_SECRET}")
            } else {
                String::new()
            };
            json(
                StatusCode::UNAUTHORIZED,
                serde_json::json!({
                    "error": "invalid_client",
                    "error_description": format!("bad client: {echoed} {basic}"),
                })
                .to_string(),
            )
        }
        Behaviour::TokenAnsiDescription => json(
            StatusCode::BAD_REQUEST,
            serde_json::json!({
                "error": "invalid_request",
                "error_description": "\u{1b}[2J\u{1b}]0;owned\u{7}\u{0}boom",
            })
            .to_string(),
        ),
        _ => issued(format!(
            r#"{{"access_token":"{CANARY_TOKEN}","token_type":"Bearer","expires_in":3600}}"#
        )),
    }
}

/// A CIBA start: `auth_req_id`, `expires_in` and `interval` as the behaviour wants.
async fn ciba_start(State(app): State<App>) -> Response {
    let (expires_in, interval) = match app.behaviour {
        Behaviour::CibaIntervalZero => ("3".to_owned(), "0".to_owned()),
        Behaviour::CibaIntervalMax => ("4".to_owned(), u64::MAX.to_string()),
        Behaviour::CibaSlowDownWraps => ("3".to_owned(), (u64::MAX - 2).to_string()),
        Behaviour::CibaStartNotJson => {
            return json(
                StatusCode::OK,
                format!(
                    r#"{{"auth_req_id":"{CANARY_REQ_ID}","expires_in":{},}}"#,
                    u64::MAX
                ),
            );
        }
        _ => ("3".to_owned(), "1".to_owned()),
    };
    json(
        StatusCode::OK,
        format!(
            r#"{{"auth_req_id":"{CANARY_REQ_ID}","expires_in":{expires_in},"interval":{interval}}}"#
        ),
    )
}

/// A CIBA poll (`poll` counts from 0).
async fn ciba_poll(behaviour: Behaviour, poll: usize) -> Response {
    let error = |code: &str| json(StatusCode::BAD_REQUEST, format!(r#"{{"error":"{code}"}}"#));
    match behaviour {
        Behaviour::CibaIntervalZero => error("authorization_pending"),
        Behaviour::CibaIntervalMax => {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            error("authorization_pending")
        }
        Behaviour::CibaSlowDownWraps => error("slow_down"),
        // A token of its own at every poll, so only its own registration can mask it in
        // the transcript of the slow_down scenario (which polls twice at once).
        _ => json(
            StatusCode::OK,
            format!(r#"{{"access_token":"CANARY-CIBA-TOKEN-{poll}x","token_type":"Bearer"}}"#),
        ),
    }
}

/// The API: echoes the credentials it got, misbehaving as asked.
async fn api(State(app): State<App>, headers: HeaderMap) -> Response {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let token = authorization
        .split_once(' ')
        .map(|(_, t)| t.to_owned())
        .unwrap_or_default();
    let echo = format!(
        r#"{{"echo":"{}","escaped":"{}","percent":"{}","base64":"{}","base64url":"{}"}}"#,
        authorization,
        token.replace('/', "\\/"),
        percent(&token),
        STANDARD.encode(&token),
        URL_SAFE_NO_PAD.encode(&token)
    );
    let mut response = match app.behaviour {
        Behaviour::BodyCutsToken => {
            // The body cap (64 KiB) falls in the middle of the token.
            let mut body = "a".repeat(64 * 1024 - token.len() / 2);
            body.push_str(&token);
            body.push_str(&"b".repeat(1024));
            json(StatusCode::OK, body)
        }
        Behaviour::HugeBody => stream(StatusCode::OK, Some(50 * 1024 * 1024 / 8192)),
        Behaviour::EndlessBody => stream(StatusCode::OK, None),
        Behaviour::DeepNesting100k => json(StatusCode::OK, nested(100_000)),
        Behaviour::DeepNesting1k => json(StatusCode::OK, nested(1_000)),
        Behaviour::GzipBody => {
            let mut response = json(StatusCode::OK, String::new());
            *response.body_mut() = Body::from(gzip_bomb());
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            response
        }
        Behaviour::InvalidUtf8 => {
            let mut response = json(StatusCode::OK, String::new());
            *response.body_mut() = Body::from(b"{\"echo\":\"\xff\xfe\"}".to_vec());
            response
        }
        Behaviour::AnsiBody => json(
            StatusCode::BAD_REQUEST,
            serde_json::json!({
                "status": 400,
                "code": "INVALID_ARGUMENT",
                "message": "\u{1b}[2J\u{1b}[31mowned\u{7}\u{0}\u{202e}",
            })
            .to_string(),
        ),
        Behaviour::LongHeader => {
            let mut response = json(StatusCode::OK, echo);
            let value = format!("{}{token}", "x".repeat(6 * 1024 - token.len() / 2));
            if let Ok(value) = HeaderValue::from_str(&value) {
                response.headers_mut().insert("x-echo-long", value);
            }
            response
        }
        Behaviour::RedirectWithToken => (
            StatusCode::FOUND,
            [(
                header::LOCATION,
                format!("https://elsewhere.invalid/?t={token}"),
            )],
        )
            .into_response(),
        Behaviour::RetryAfterHuge => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, u64::MAX.to_string())],
        )
            .into_response(),
        _ => json(StatusCode::OK, echo),
    };
    let echoed = [
        ("x-echo", authorization.clone()),
        ("set-cookie", format!("ECHO={token}; Path=/")),
    ];
    for (name, value) in echoed {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().append(name, value);
        }
    }
    if let Some(correlator) = headers.get("x-correlator") {
        response
            .headers_mut()
            .insert("x-correlator", correlator.clone());
    }
    response
}

/// A body of `chunks` 8 KiB chunks (endless when `None`).
fn stream(status: StatusCode, chunks: Option<usize>) -> Response {
    let chunk = Bytes::from("z".repeat(8192));
    let body = futures::stream::repeat(chunk)
        .take(chunks.unwrap_or(usize::MAX))
        .map(Ok::<_, Infallible>);
    (status, Body::from_stream(body)).into_response()
}

/// JSON arrays nested `depth` deep.
fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// A gzip member that would inflate to far more than it weighs (never inflated).
fn gzip_bomb() -> Vec<u8> {
    let mut bytes = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
    bytes.extend(std::iter::repeat_n(0u8, 32 * 1024));
    bytes
}

/// `text` percent-encoded (every byte but letters and digits).
fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
