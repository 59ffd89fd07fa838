//! The mock under load: throughput and latency percentiles at a given number of
//! concurrent clients, each with its own connection, for a bounded number of requests.

use reachability_harness::Api;
use std::time::{Duration, Instant};

use reachability_harness::Profile;
use reachability_harness::target_file::Target;
use reachability_test_support::lab;
use serde_json::json;

use crate::floor::bare_client;

/// Lab devices asked in turn (each answers 200).
/// The lab numbers the load is spread over.
fn phones() -> [&'static str; 4] {
    [
        lab::data(),
        lab::sms(),
        lab::data_and_sms(),
        lab::not_connected(),
    ]
}

/// What one load level measured.
pub struct Load {
    /// Requests sent (all answered 200).
    pub requests: usize,
    /// Wall time of the level.
    pub elapsed: Duration,
    /// Every request's latency.
    pub latencies: Vec<Duration>,
}

/// Sends `total` API requests to the mock behind `target` from `clients` concurrent
/// clients, with one valid `token`.
pub async fn level(
    target: &Target,
    token: &str,
    clients: usize,
    total: usize,
) -> Result<Load, String> {
    let url = target
        .operation_url()
        .ok_or("the mock has no operation URL")?;
    let started = Instant::now();
    let shares = (0..clients).map(|client| {
        let url = url.as_str();
        async move {
            let http = bare_client()?;
            let mut latencies = Vec::new();
            for i in (client..total).step_by(clients) {
                let body = json!({ "device": { "phoneNumber": phones()[i % 4] } });
                let sent = Instant::now();
                let answer = http
                    .post(url)
                    .bearer_auth(token)
                    .header("content-type", "application/json")
                    .header("x-correlator", format!("bench-{i}"))
                    .body(body.to_string())
                    .send()
                    .await
                    .map_err(|e| format!("request {i}: {e}"))?;
                let status = answer.status();
                answer
                    .bytes()
                    .await
                    .map_err(|e| format!("request {i}: {e}"))?;
                if status != 200 {
                    return Err(format!("request {i}: status {status}"));
                }
                latencies.push(sent.elapsed());
            }
            Ok::<_, String>(latencies)
        }
    });
    let mut latencies = Vec::with_capacity(total);
    for share in futures::future::join_all(shares).await {
        latencies.extend(share?);
    }
    Ok(Load {
        requests: latencies.len(),
        elapsed: started.elapsed(),
        latencies,
    })
}

/// The profile the load levels use.
pub fn profile() -> Profile {
    Api::CamaraV1.current()
}
