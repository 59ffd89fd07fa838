//! A bounded loopback load test: 20,000 requests from 64 concurrent clients, every
//! answer accounted for and correct. Throughput is printed, never asserted.

mod mock_support;

use std::sync::Arc;
use std::time::Instant;

use mock_support::*;
use reachability_conformance::Profile;

const TOTAL: usize = 20_000;
const CLIENTS: usize = 64;

/// Phone numbers asked in turn, with the `reachable` each must get.
const CASES: [(&str, bool); 4] = [
    (DATA, true),
    (SMS, true),
    (DATA_AND_SMS, true),
    (NOT_CONNECTED, false),
];

/// The problems of one client's share of the requests, and how many answers were right.
async fn client_share(client: usize, url: Arc<str>, token: Arc<str>) -> (usize, Vec<String>) {
    let http = http_client();
    let mut right = 0;
    let mut problems = Vec::new();
    for i in (client..TOTAL).step_by(CLIENTS) {
        let (phone, reachable) = CASES[i % CASES.len()];
        let correlator = format!("load-{i}");
        let request = http
            .post(&*url)
            .bearer_auth(&*token)
            .header("content-type", "application/json")
            .header("x-correlator", &correlator)
            .body(device_body(phone).to_string());
        let answer = match request.send().await {
            Ok(response) => response,
            Err(e) => {
                problems.push(format!("request {i}: {e}"));
                continue;
            }
        };
        let status = answer.status().as_u16();
        let echoed = answer
            .headers()
            .get("x-correlator")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body: serde_json::Value = answer.json().await.unwrap_or_default();
        if status == 200
            && echoed.as_deref() == Some(correlator.as_str())
            && body["reachable"] == reachable
        {
            right += 1;
        } else {
            problems.push(format!("request {i}: {status} {echoed:?} {body}"));
        }
    }
    (right, problems)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loopback_load_has_no_errors_and_no_lost_answers() {
    let mock = Mock::start(Profile::CamaraV1, &[]).await;
    let token: Arc<str> = mock.token(None).await.into();
    let url: Arc<str> = mock.url(Profile::CamaraV1.operation_path()).into();
    let started = Instant::now();
    let shares: Vec<_> = (0..CLIENTS)
        .map(|client| tokio::spawn(client_share(client, Arc::clone(&url), Arc::clone(&token))))
        .collect();
    let mut right = 0;
    let mut problems = Vec::new();
    for share in shares {
        let (share_right, share_problems) = share.await.expect("a client task");
        right += share_right;
        problems.extend(share_problems);
    }
    let elapsed = started.elapsed();
    println!(
        "mock load: {TOTAL} requests from {CLIENTS} clients in {:.2} s: {:.0} requests/s, {right} right answers, {} problems",
        elapsed.as_secs_f64(),
        TOTAL as f64 / elapsed.as_secs_f64(),
        problems.len()
    );
    assert!(
        problems.is_empty(),
        "{} problems, first: {:?}",
        problems.len(),
        problems.first()
    );
    assert_eq!(right, TOTAL);
    mock.server.shutdown().await;
}
