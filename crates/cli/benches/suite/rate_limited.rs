//! The suite against a sandbox's rate limit: a mock answering 429 beyond 2 requests a
//! second, and a target paced to that rate (`requests_per_second = 2`), at the default
//! depth. One run per profile: each takes tens of seconds, almost all of it waiting for
//! the rate, so a repeat would say nothing new.

use std::time::Duration;

use reachability_harness::report::{RunResult, Status};
use reachability_harness::runner::Suite;

use crate::stats::{Table, ms};
use crate::{Column, harness, per_profile};

/// The sandbox's rate: Orange's ready sandbox allows 2 requests a second.
const RATE: u32 = 2;
/// The harness's default concurrency.
const CONCURRENCY: usize = 8;

/// One paced run of each profile against the rate-limited mock.
pub async fn table(suite: &Suite) -> Result<Table, String> {
    let doing = format!("rate-limited to {RATE} requests/s");
    per_profile(
        "suite at 2 requests/s (mock answers 429 beyond)",
        &doing,
        &ROWS,
        &GOALS,
        async |profile| {
            let mock = harness::limited_mock(profile, 0, CONCURRENCY, Some(RATE)).await?;
            let api = harness::api_only();
            let (elapsed, result) = harness::run(suite, &mock.target, Some(&api), false).await?;
            mock.server.shutdown().await;
            Ok(column(elapsed, &result))
        },
    )
    .await
}

const ROWS: [&str; 4] = [
    "wall time of the run",
    "API requests sent (shared exchanges not counted)",
    "answers 429 seen by a check (errored, never failed)",
    "scenarios passed",
];
const GOALS: [&str; 4] = ["<= 60 s", "", "0", ""];

fn column(elapsed: Duration, result: &RunResult) -> Column {
    let limited = result
        .scenarios
        .iter()
        .filter(|s| s.reason.as_deref().is_some_and(|r| r.contains("429")))
        .count();
    vec![
        ms(elapsed),
        result.requests_sent().to_string(),
        limited.to_string(),
        format!(
            "{}/{}",
            result.count(Status::Passed),
            result.scenarios.len()
        ),
    ]
}
