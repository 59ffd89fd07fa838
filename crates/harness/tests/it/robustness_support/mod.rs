//! Shared by the robustness tests: misbehaving loopback servers, target files pointing at
//! them, and whole runs of the embedded suite against them.

// Each test crate uses part of this module.

pub mod tls;

use std::future::Future;

use axum::Router;
use reachability_harness::report::{RunResult, ScenarioResult, Status};
use reachability_harness::runner::{RunBuilder, Suite};
use reachability_harness::target_file::Target;
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};

/// The bearer token handed to the harness through `access_token_env`.
pub const ACCESS_TOKEN: &str = "robustness-access-token-0123";
/// The client secret handed to the harness through `client_secret_env`.
pub const CLIENT_SECRET: &str = "robustness-client-secret-4567";
/// The access token the test token endpoints hand out.
pub const ISSUED_TOKEN: &str = "robustness-issued-token-89ab";

/// Serves `app` on a loopback port; returns its base URL.
pub async fn serve(app: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

/// Hands every connection to `reply`; returns the base URL.
pub async fn serve_raw<F, Fut>(reply: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(reply(stream));
        }
    });
    format!("http://{addr}")
}

/// A loopback URL nothing listens at.
pub async fn closed_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    drop(listener);
    format!("http://{addr}")
}

/// Reads one HTTP/1.1 request (head, then a `content-length` body) and returns its head
/// (names lower-cased); `None` when the connection ends first.
pub async fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await.unwrap_or(0) != 1 {
            return None;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let length = header(&head, "content-length")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).await.ok()?;
    Some(head)
}

/// The value of header `name` in a request head.
pub fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Response header lines echoing the request's `x-correlator`, if it sent one.
pub fn correlator_echo(head: &str) -> String {
    header(head, "x-correlator")
        .map(|c| format!("x-correlator: {c}\r\n"))
        .unwrap_or_default()
}

/// A camara-v1 target file for the API at `api_root`, every testing device configured,
/// with the given `[http]` and `[auth]` table bodies.
pub fn target_toml(api_root: &str, http: &str, auth: &str) -> String {
    format!(
        r#"profile = "camara-v1"
api_root = "{api_root}"

[http]
{http}

[auth]
{auth}

[devices]
data = {{ phoneNumber = "+33699901031" }}
sms = {{ phoneNumber = "+33699901032" }}
data_and_sms = {{ phoneNumber = "+33699901033" }}
not_connected = {{ phoneNumber = "+33699901034" }}
not_applicable = {{ phoneNumber = "+33699901035" }}
unknown = {{ phoneNumber = "+33699999999" }}
mismatch = {{ phoneNumber = "+33699901031", ipv6Address = "2001:db8:85a3:8d3:1319:8a2e:370:7344" }}
unsupported_identifiers = ["networkAccessIdentifier"]
"#
    )
}

/// The `[auth]` table of a ready bearer token ([`ACCESS_TOKEN`]).
pub const BEARER_AUTH: &str = r#"access_token_env = "RC_ACCESS_TOKEN""#;

/// Parses a target file, its `*_env` variables answered with this module's secrets.
pub fn target(toml: &str) -> Target {
    let env = |name: &str| match name {
        "RC_ACCESS_TOKEN" => Some(ACCESS_TOKEN.to_owned()),
        "RC_CLIENT_SECRET" => Some(CLIENT_SECRET.to_owned()),
        _ => None,
    };
    Target::parse(toml, "robustness.toml", &env).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs the embedded suite against `target`.
pub async fn run(target: Target) -> RunResult {
    let suite = Suite::embedded().expect("the embedded features parse");
    let run = RunBuilder::new(target).build().expect("run context");
    let result = run.execute(&suite).await;
    assert_no_secret(&result);
    result
}

/// Fails if a secret appears anywhere in the result: reasons, transcripts or records.
fn assert_no_secret(result: &RunResult) {
    let shown = format!("{result:?}");
    for secret in [ACCESS_TOKEN, CLIENT_SECRET, ISSUED_TOKEN] {
        assert!(!shown.contains(secret), "{secret} leaked into the result");
    }
}

/// The scenarios that ended with `status`.
pub fn with_status(result: &RunResult, status: Status) -> Vec<&ScenarioResult> {
    result
        .scenarios
        .iter()
        .filter(|s| s.status == status)
        .collect()
}

/// The reason of a scenario, or "".
pub fn reason(scenario: &ScenarioResult) -> &str {
    scenario.reason.as_deref().unwrap_or_default()
}

/// Checks that no scenario passed, that skipped ones name a missing testing asset, and that
/// those that ended with `status` (failed, or errored: could not test) have a reason
/// `accept` takes; returns those.
pub fn ended_only_with(
    result: &RunResult,
    status: Status,
    accept: impl Fn(&str) -> bool,
) -> Vec<&ScenarioResult> {
    assert_eq!(result.count(Status::Passed), 0, "{result:#?}");
    for skipped in with_status(result, Status::Skipped) {
        assert!(
            reason(skipped).starts_with("testing asset `"),
            "{}: {}",
            skipped.label(),
            reason(skipped)
        );
    }
    let failed = with_status(result, status);
    assert!(!failed.is_empty());
    for scenario in &failed {
        assert!(
            accept(reason(scenario)),
            "{}: unexpected reason {:?}",
            scenario.label(),
            reason(scenario)
        );
    }
    failed
}
