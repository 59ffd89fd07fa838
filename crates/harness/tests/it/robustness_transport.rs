//! Whole runs of the embedded suite against targets that misbehave at the transport
//! level: every scenario must end with a message saying what happened, the run must
//! end on its own, and no secret may reach the result.

use crate::robustness_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::any;
use reachability_harness::http::{HttpError, MAX_BODY_BYTES};
use reachability_harness::report::{RunResult, Status};
use reachability_test_support::loopback::tls::serve_self_signed;
use robustness_support::*;
use tokio::io::AsyncWriteExt;
use tokio::time::Instant;

/// The operation URL of a camara-v1 target at `base`.
fn operation(base: &str) -> String {
    format!("{base}/device-reachability-status/v1/retrieve")
}

/// How the send step reports a transport failure: the scenario could not test.
fn no_response(error: &HttpError) -> String {
    format!("could not test: the request got no usable response: {error}")
}

/// Checks a run against an origin that cannot be reached: every scenario is skipped for
/// a missing asset or could not test; between 1 and `first_at_most` report `first` itself, every
/// other one says it was not sent because `first` happened.
fn assert_origin_failed(result: &RunResult, base: &str, first: &HttpError, first_at_most: usize) {
    let original = no_response(first);
    let not_sent = no_response(&HttpError::NotSent {
        url: operation(base),
        origin: base.to_owned(),
        first: Box::new(first.clone()),
    });
    let failed = ended_only_with(result, Status::Errored, |r| r == original || r == not_sent);
    let originals = failed.iter().filter(|s| reason(s) == original).count();
    assert!(
        (1..=first_at_most).contains(&originals),
        "{originals} scenarios report the first failure"
    );
    assert!(
        failed.len() > originals,
        "later scenarios say they were not sent"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn connection_refused() {
    let base = closed_url().await;
    let result = run(target(&target_toml(&base, "concurrency = 1", BEARER_AUTH))).await;
    let refused = HttpError::Refused {
        url: operation(&base),
    };
    assert_eq!(
        refused.to_string(),
        format!(
            "{}: connection refused; check that the target is running and that its URL in the \
             target file is right",
            operation(&base)
        )
    );
    assert_origin_failed(&result, &base, &refused, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn host_name_that_does_not_resolve() {
    // RFC 6761: `.invalid` never resolves; the client fails it without a DNS query.
    let base = "http://sandbox.invalid".to_owned();
    let started = Instant::now();
    let result = run(target(&target_toml(&base, "concurrency = 1", BEARER_AUTH))).await;
    let dns = HttpError::Dns {
        url: operation(&base),
        detail: "sandbox.invalid is under .invalid, which never resolves (RFC 6761); no DNS \
                 query was sent"
            .to_owned(),
    };
    assert_origin_failed(&result, &base, &dns, 1);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "DNS failures are fast"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn self_signed_certificate_is_refused_unless_opted_in() {
    let base = serve_self_signed();
    let result = run(target(&target_toml(&base, "concurrency = 1", BEARER_AUTH))).await;
    let HttpError::Tls { detail, .. } = tls_failure(&result) else {
        unreachable!()
    };
    let tls = HttpError::Tls {
        url: operation(&base),
        detail,
        insecure_tls: false,
    };
    assert!(tls.to_string().ends_with(
        "; if the server uses a self-signed certificate, set `insecure_tls = true` in the \
             [http] table of the target file"
    ));
    assert_origin_failed(&result, &base, &tls, 1);

    let http = "concurrency = 1\ninsecure_tls = true";
    let result = run(target(&target_toml(&base, http, BEARER_AUTH))).await;
    // Every scenario that sends got the server's answer (`200 ok`, which conforms to
    // nothing): the handshake succeeded.
    let failed = ended_only_with(&result, Status::Failed, |r| !r.contains("got no response"));
    assert!(failed.iter().all(|s| !s.exchanges.is_empty()));
}

/// The TLS failure of the one scenario that reports it.
fn tls_failure(result: &RunResult) -> HttpError {
    let prefix = "could not test: the request got no usable response: ";
    let reason = result
        .scenarios
        .iter()
        .filter_map(|s| s.reason.as_deref()?.strip_prefix(prefix))
        .find(|r| !r.starts_with("not sent"))
        .expect("one scenario reports the TLS failure");
    let (_, rest) = reason
        .split_once(": TLS handshake failed (")
        .unwrap_or_else(|| panic!("not a TLS failure: {reason}"));
    let (detail, _) = rest.split_once("); if the server").expect("TLS message");
    HttpError::Tls {
        url: String::new(),
        detail: detail.to_owned(),
        insecure_tls: false,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn server_that_never_answers_costs_one_timeout() {
    let base = serve_raw(|mut stream| async move {
        let _ = read_request(&mut stream).await;
        // Keep the connection open, say nothing.
        std::future::pending::<()>().await;
        drop(stream);
    })
    .await;
    let http = "timeout_ms = 300\nconcurrency = 2";
    let started = Instant::now();
    let result = run(target(&target_toml(&base, http, BEARER_AUTH))).await;
    let elapsed = started.elapsed();
    let timeout = HttpError::Timeout {
        url: operation(&base),
        after_ms: 300,
    };
    assert_origin_failed(&result, &base, &timeout, 2);
    // Without the fast stop, 35 sending scenarios two at a time would take 18 timeouts.
    assert!(
        elapsed < Duration::from_millis(5 * 300),
        "the run took {elapsed:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn body_dribbled_byte_by_byte_ends_at_the_timeout() {
    let base = serve_raw(|mut stream| async move {
        let Some(head) = read_request(&mut stream).await else {
            return;
        };
        let start = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{}content-length: 1000\r\n\r\n",
            correlator_echo(&head)
        );
        if stream.write_all(start.as_bytes()).await.is_err() {
            return;
        }
        while stream.write_all(b" ").await.is_ok() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    let http = "timeout_ms = 300\nconcurrency = 1";
    let result = run(target(&target_toml(&base, http, BEARER_AUTH))).await;
    let timeout = HttpError::Timeout {
        url: operation(&base),
        after_ms: 300,
    };
    assert_origin_failed(&result, &base, &timeout, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn connection_closed_mid_body() {
    let base = serve_raw(|mut stream| async move {
        let Some(head) = read_request(&mut stream).await else {
            return;
        };
        let partial = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{}content-length: 100\r\n\r\n{{\"reachable\"",
            correlator_echo(&head)
        );
        let _ = stream.write_all(partial.as_bytes()).await;
        let _ = stream.shutdown().await;
    })
    .await;
    let result = run(target(&target_toml(&base, "", BEARER_AUTH))).await;
    // Not a reason to stop the run: every scenario tries, and says what happened.
    let prefix = format!(
        "could not test: the request got no usable response: {}: connection closed before the whole response body \
         arrived (",
        operation(&base)
    );
    ended_only_with(&result, Status::Errored, |r| {
        r.starts_with(&prefix) && r.ends_with("); check the target's logs")
    });
}

/// An API that answers every request `200` with a JSON content type (echoing
/// `x-correlator`) and `body`.
async fn serve_json_claiming(body: &'static str) -> String {
    serve(
        Router::new().fallback(any(move |headers: HeaderMap| async move {
            let mut answer = Response::builder().header("content-type", "application/json");
            if let Some(correlator) = headers.get("x-correlator") {
                answer = answer.header("x-correlator", correlator);
            }
            answer.body(Body::from(body)).expect("a response")
        })),
    )
    .await
}

/// Runs the suite against an API answering `body` and checks that the success scenarios
/// fail on reading it, with `not_json` (an excerpt of what came) as the reason.
async fn assert_not_json(body: &'static str, not_json: &str) {
    let base = serve_json_claiming(body).await;
    let result = run(target(&target_toml(&base, "", BEARER_AUTH))).await;
    let success = result
        .scenarios
        .iter()
        .find(|s| s.id.as_deref() == Some("reachability_v1_01_connected_sms_only"))
        .expect("the scenario runs");
    assert_eq!(success.status, Status::Failed);
    assert!(
        reason(success).ends_with(not_json),
        "{:?} does not end with {not_json:?}",
        reason(success)
    );
    assert_eq!(result.count(Status::Passed), 0, "{result:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn html_error_page_where_json_was_expected() {
    let page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    assert_not_json(page, &format!("not JSON: {page}")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn empty_body_where_json_was_expected() {
    assert_not_json("", "not JSON: empty body").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn truncated_json() {
    let cut = r#"{"reachable": true, "connectivity": ["DA"#;
    assert_not_json(cut, &format!("not JSON: {cut}")).await;
}

/// Bytes of the huge body the test server offers (generated as it is sent).
const HUGE: usize = 200 * 1024 * 1024;
/// The start of the huge body; the rest is `a`s.
const HUGE_START: &str = r#"{"reachable": true, "pad": ""#;

#[tokio::test(flavor = "multi_thread")]
async fn huge_body_is_read_up_to_the_cap_only() {
    let written = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = written.clone();
    let base = serve_raw(move |mut stream| {
        let log = log.clone();
        async move {
            let Some(head) = read_request(&mut stream).await else {
                return;
            };
            let start = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{}content-length: {HUGE}\r\n\r\n{HUGE_START}",
                correlator_echo(&head)
            );
            let mut sent = 0;
            let mut complete = false;
            if stream.write_all(start.as_bytes()).await.is_ok() {
                sent = HUGE_START.len();
                let chunk = vec![b'a'; 64 * 1024];
                complete = loop {
                    let n = chunk.len().min(HUGE - sent);
                    if n == 0 {
                        break true;
                    }
                    if stream.write_all(&chunk[..n]).await.is_err() {
                        break false;
                    }
                    sent += n;
                };
            }
            log.lock().unwrap().push((sent, complete));
        }
    })
    .await;
    let result = run(target(&target_toml(&base, "", BEARER_AUTH))).await;
    let quoted = format!("{HUGE_START}{}", "a".repeat(200 - HUGE_START.len()));
    let cut = format!(
        "not JSON: the body is longer than {MAX_BODY_BYTES} bytes, the most the harness reads, \
         and was cut there; it starts: {quoted}… ({} more bytes)",
        MAX_BODY_BYTES - 200
    );
    let success = result
        .scenarios
        .iter()
        .find(|s| s.id.as_deref() == Some("reachability_v1_01_connected_sms_only"))
        .expect("the scenario runs");
    assert!(reason(success).ends_with(&cut), "{}", reason(success));
    assert!(
        success
            .exchange
            .as_deref()
            .is_some_and(|e| e.ends_with(&format!(
                "[body cut at {MAX_BODY_BYTES} bytes by the harness]\n"
            )))
    );
    // The server notices the client stopped reading: no connection carried the whole body.
    let deadline = Instant::now() + Duration::from_secs(10);
    // Exchanges shared from another scenario were not sent again.
    let sends = result
        .scenarios
        .iter()
        .flat_map(|s| &s.exchanges)
        .filter(|e| e.get("shared_from").is_none())
        .count();
    while written.lock().unwrap().len() < sends && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let written = written.lock().unwrap();
    assert_eq!(written.len(), sends);
    for (sent, complete) in written.iter() {
        assert!(!complete && *sent < 32 * 1024 * 1024, "{sent} bytes sent");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn redirect_could_not_test_and_is_not_followed() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let elsewhere = serve(Router::new().fallback(any(move || {
        counted.fetch_add(1, Ordering::SeqCst);
        async { "followed" }
    })))
    .await;
    let location = format!("{elsewhere}/device-reachability-status/v1/retrieve");
    let to = location.clone();
    let base = serve(Router::new().fallback(any(move || {
        let to = to.clone();
        async move { (StatusCode::TEMPORARY_REDIRECT, [("location", to)]) }
    })))
    .await;
    let result = run(target(&target_toml(&base, "", BEARER_AUTH))).await;
    let redirected = no_response(&HttpError::Redirected {
        url: operation(&base),
        status: 307,
        location,
    });
    ended_only_with(&result, Status::Errored, |r| r == redirected);
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}
