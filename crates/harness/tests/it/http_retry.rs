//! 429 answers: retried within bounds, `Retry-After` honoured up to a cap, no retry for
//! other statuses, and no more retries once an origin's quota is spent. Also the fast
//! stop after a transport failure, and names that never resolve.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use reachability_harness::http::{
    HttpClient, HttpError, HttpSettings, MAX_ATTEMPTS, MAX_RETRY_WAIT, Request,
};
use reachability_harness::redact::Redactor;
use reachability_test_support::loopback::{closed_url, serve};

/// A server whose `n`-th answer (from 0) is `answer(n)`; returns its URL and hit count.
async fn scripted(answer: fn(usize) -> Response) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let base = serve(Router::new().fallback(any(move || {
        let n = counted.fetch_add(1, Ordering::SeqCst);
        async move { answer(n) }
    })))
    .await;
    (format!("{base}/x"), hits)
}

fn too_many(retry_after: Option<&'static str>) -> Response {
    match retry_after {
        Some(wait) => (StatusCode::TOO_MANY_REQUESTS, [("retry-after", wait)]).into_response(),
        None => StatusCode::TOO_MANY_REQUESTS.into_response(),
    }
}

fn client() -> HttpClient {
    HttpClient::new(&HttpSettings::default(), Redactor::new()).unwrap()
}

fn post(url: &str) -> Request {
    Request {
        method: "POST".into(),
        url: url.into(),
        body: Some(b"{}".to_vec()),
        ..Request::default()
    }
}

#[test]
fn the_documented_bounds() {
    assert_eq!(MAX_ATTEMPTS, 3);
    assert_eq!(MAX_RETRY_WAIT.as_secs(), 5);
}

#[tokio::test]
async fn a_429_that_persists_is_the_answer_after_three_attempts() {
    let (url, hits) = scripted(|_| too_many(Some("0"))).await;
    let exchange = client().send(post(&url)).await.unwrap();
    assert_eq!((exchange.status, exchange.attempts), (429, 3));
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    assert!(exchange.render().contains("< HTTP 429 Too Many Requests ("));
    assert!(
        exchange
            .render()
            .contains(" ms, attempt 3 after 429 answers)")
    );
}

#[tokio::test]
async fn a_429_then_success_returns_the_success() {
    let (url, hits) = scripted(|n| {
        if n < 2 {
            too_many(Some("0"))
        } else {
            "done".into_response()
        }
    })
    .await;
    let exchange = client().send(post(&url)).await.unwrap();
    assert_eq!((exchange.status, exchange.attempts), (200, 3));
    assert_eq!(exchange.body, b"done");
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn without_retry_after_the_client_backs_off_and_retries() {
    let (url, hits) = scripted(|_| too_many(None)).await;
    let exchange = client().send(post(&url)).await.unwrap();
    assert_eq!((exchange.status, exchange.attempts), (429, 3));
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_not_waited_for_and_spends_the_origin() {
    let (url, hits) = scripted(|_| too_many(Some("3600"))).await;
    let http = client();
    let exchange = http.send(post(&url)).await.unwrap();
    assert_eq!((exchange.status, exchange.attempts), (429, 1));
    assert_eq!(exchange.header("retry-after"), Some("3600"));
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    // The origin's quota is spent: no retries for it from now on.
    assert_eq!(http.send(post(&url)).await.unwrap().attempts, 1);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn once_a_429_persisted_later_429s_are_not_retried() {
    let (url, hits) = scripted(|_| too_many(Some("0"))).await;
    let http = client();
    assert_eq!(http.send(post(&url)).await.unwrap().attempts, 3);
    assert_eq!(http.send(post(&url)).await.unwrap().attempts, 1);
    assert_eq!(hits.load(Ordering::SeqCst), 4);
    // Another run (another client) starts afresh.
    assert_eq!(client().send(post(&url)).await.unwrap().attempts, 3);
}

#[tokio::test]
async fn other_statuses_are_not_retried() {
    for status in [500, 502, 503, 504, 401] {
        let (url, hits) = scripted(match status {
            500 => |_| (StatusCode::INTERNAL_SERVER_ERROR, [("retry-after", "0")]).into_response(),
            502 => |_| StatusCode::BAD_GATEWAY.into_response(),
            503 => |_| (StatusCode::SERVICE_UNAVAILABLE, [("retry-after", "0")]).into_response(),
            504 => |_| StatusCode::GATEWAY_TIMEOUT.into_response(),
            _ => |_| StatusCode::UNAUTHORIZED.into_response(),
        })
        .await;
        let exchange = client().send(post(&url)).await.unwrap();
        assert_eq!((exchange.status, exchange.attempts), (status, 1));
        assert_eq!(hits.load(Ordering::SeqCst), 1, "status {status}");
    }
}

#[tokio::test]
async fn after_a_transport_failure_the_origin_is_not_tried_again() {
    let base = closed_url().await;
    let http = client();
    let first = http.send(post(&format!("{base}/a"))).await.unwrap_err();
    assert_eq!(
        first,
        HttpError::Refused {
            url: format!("{base}/a")
        }
    );
    let second = http.send(post(&format!("{base}/b"))).await.unwrap_err();
    assert_eq!(
        second,
        HttpError::NotSent {
            url: format!("{base}/b"),
            origin: base.clone(),
            first: Box::new(first.clone()),
        }
    );
    assert_eq!(
        second.to_string(),
        format!("not sent: {base} already failed: {first}")
    );
    // Other origins are unaffected.
    let (url, _) = scripted(|_| "ok".into_response()).await;
    assert_eq!(http.send(post(&url)).await.unwrap().status, 200);
}

#[tokio::test]
async fn invalid_names_fail_without_a_dns_query() {
    let err = client()
        .send(post("http://sandbox.invalid/x"))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "http://sandbox.invalid/x: DNS lookup failed (sandbox.invalid is under .invalid, which \
         never resolves (RFC 6761); no DNS query was sent); check the host name in the target \
         file and the network"
    );
}
