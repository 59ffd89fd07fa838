//! Whole runs against targets that throttle: 429 answers retried within bounds and then
//! reported, `requests_per_second` and `concurrency` honoured (counted at the server).

use crate::robustness_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use reachability_harness::report::Status;
use robustness_support::*;
use tokio::time::Instant;

/// Echoes `x-correlator` on `answer`.
fn echoing(headers: &HeaderMap, answer: impl IntoResponse) -> Response {
    let mut response = answer.into_response();
    if let Some(correlator) = headers.get("x-correlator") {
        response
            .headers_mut()
            .insert("x-correlator", correlator.clone());
    }
    response
}

#[tokio::test(flavor = "multi_thread")]
async fn persistent_429_is_retried_once_then_reported() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let base = serve(Router::new().fallback(any(move |headers: HeaderMap| {
        counted.fetch_add(1, Ordering::SeqCst);
        let answer = (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "0")]);
        async move { echoing(&headers, answer) }
    })))
    .await;
    let result = run(target(&target_toml(&base, "concurrency = 1", BEARER_AUTH))).await;
    // A 429 is the target's rate limit, not a wrong answer: every scenario that met it
    // could not test, none failed.
    let limited = ended_only_with(&result, Status::Errored, |r| {
        r.contains("the target answered 429 Too Many Requests")
    });
    assert_eq!(result.count(Status::Failed), 0);
    // Every exchange the run sent, skipped scenarios included (one sends before it skips);
    // an exchange shared from another scenario was not sent again.
    let attempts: Vec<u64> = result
        .scenarios
        .iter()
        .flat_map(|s| &s.exchanges)
        .filter(|e| e.get("shared_from").is_none())
        .map(|e| e["attempts"].as_u64().expect("attempts recorded"))
        .collect();
    // The first request was tried three times; then the quota counts as spent and
    // every later request is tried once.
    let mut counts = attempts.clone();
    counts.sort_unstable();
    assert_eq!(counts.pop(), Some(3));
    assert!(counts.iter().all(|a| *a == 1), "{attempts:?}");
    assert_eq!(
        hits.load(Ordering::SeqCst) as u64,
        attempts.iter().sum::<u64>()
    );
    let first = limited
        .iter()
        .find(|s| {
            s.exchanges
                .first()
                .is_some_and(|e| e["attempts"] == 3 && e.get("shared_from").is_none())
        })
        .expect("the first scenario");
    assert!(
        first
            .exchange
            .as_deref()
            .is_some_and(|e| e.contains(" ms, attempt 3 after 429 answers)"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_per_second_is_honoured() {
    const PER_SECOND: usize = 10;
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let log = arrivals.clone();
    let base = serve(Router::new().fallback(any(move |headers: HeaderMap| {
        log.lock().unwrap().push(Instant::now());
        async move { echoing(&headers, StatusCode::BAD_REQUEST) }
    })))
    .await;
    let http = format!("requests_per_second = {PER_SECOND}\nconcurrency = 8");
    let start = Instant::now();
    let result = run(target(&target_toml(&base, &http, BEARER_AUTH))).await;
    assert!(result.count(Status::Failed) > 0);
    let arrivals = arrivals.lock().unwrap();
    assert!(
        arrivals.len() > 2 * PER_SECOND,
        "{} requests",
        arrivals.len()
    );
    // Within the first k seconds of the run, at most k × requests_per_second requests.
    for k in 1..=arrivals.len().div_ceil(PER_SECOND) {
        let horizon = start + Duration::from_secs(k as u64);
        let before = arrivals.iter().filter(|t| **t < horizon).count();
        assert!(
            before <= k * PER_SECOND,
            "{before} requests in the first {k} s"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrency_is_honoured() {
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let hits = Arc::new(AtomicUsize::new(0));
    let (now, max, counted) = (in_flight.clone(), most.clone(), hits.clone());
    let base = serve(Router::new().fallback(any(move |headers: HeaderMap| {
        let (now, max) = (now.clone(), max.clone());
        counted.fetch_add(1, Ordering::SeqCst);
        async move {
            let current = now.fetch_add(1, Ordering::SeqCst) + 1;
            max.fetch_max(current, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(30)).await;
            now.fetch_sub(1, Ordering::SeqCst);
            echoing(&headers, StatusCode::BAD_REQUEST)
        }
    })))
    .await;
    let result = run(target(&target_toml(&base, "concurrency = 2", BEARER_AUTH))).await;
    assert!(result.count(Status::Failed) > 0);
    assert!(hits.load(Ordering::SeqCst) > 2);
    let most = most.load(Ordering::SeqCst);
    assert!((1..=2).contains(&most), "{most} requests in flight at once");
}
