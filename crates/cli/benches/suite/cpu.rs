//! CPU per run, steadier than the floor table's five runs: many runs of the suite without
//! CIBA and of its floor, alternated in blocks so that other work on the machine weighs
//! on both alike; the median of the blocks' CPU per run, and what the harness spends beyond
//! the floor per scenario and per request (the floor sends the same requests).

use std::time::Duration;

use reachability_harness::Profile;
use reachability_harness::runner::Suite;

use crate::floor::Floor;
use crate::harness;
use crate::stats::{Table, median, ms, ratio, us};
use crate::{CONCURRENCY, Column, per_profile};

/// Blocks of each side, alternated.
const BLOCKS: usize = 6;
/// Runs per block.
const RUNS_PER_BLOCK: usize = 10;

/// The CPU table: harness and floor CPU per run of each profile, without CIBA.
pub async fn table(suite: &Suite) -> Result<Table, String> {
    let title = format!(
        "CPU per run without CIBA, median of {BLOCKS} blocks of {RUNS_PER_BLOCK} runs (mock included)"
    );
    per_profile(&title, "CPU per run", &ROWS, &GOALS, async |profile| {
        column(suite, profile).await
    })
    .await
}

const ROWS: [&str; 5] = [
    "harness",
    "floor",
    "ratio harness / floor",
    "harness beyond the floor, per scenario run",
    "harness beyond the floor, per request sent (API + OAuth)",
];
const GOALS: [&str; 5] = ["", "", "<= 1.5", "", ""];

/// One profile's cells.
async fn column(suite: &Suite, profile: Profile) -> Result<Column, String> {
    let mock = harness::mock(profile, 0, CONCURRENCY).await?;
    let target = &mock.target;
    let tags = harness::without_ciba(suite, target)?.unwrap_or_else(harness::api_only);
    let mut harness_cpu: Vec<Duration> = Vec::with_capacity(BLOCKS);
    let mut floor_cpu: Vec<Duration> = Vec::with_capacity(BLOCKS);
    let (mut scenarios, mut sent) = (1, 1);
    for _ in 0..BLOCKS {
        let (timings, result) = harness::runs(suite, target, Some(&tags), RUNS_PER_BLOCK).await?;
        harness_cpu.push(timings.cpu_per_run);
        let requests = Floor::from_run(&result)?;
        scenarios = result.scenarios.len().max(1);
        sent = (requests.requests() + requests.oauth_requests()).max(1);
        floor_cpu.push(
            crate::replays(&requests, target, RUNS_PER_BLOCK)
                .await?
                .cpu_per_run,
        );
    }
    mock.server.shutdown().await;
    let (h, f) = (median(&harness_cpu), median(&floor_cpu));
    let beyond = h.saturating_sub(f);
    let per = |n: usize| beyond / u32::try_from(n).unwrap_or(u32::MAX);
    Ok(vec![
        ms(h),
        ms(f),
        ratio(h, f),
        us(per(scenarios)),
        us(per(sent)),
    ])
}
