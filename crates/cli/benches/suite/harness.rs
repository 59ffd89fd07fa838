//! The harness side: whole suite runs against the in-process mock, timed from building
//! the run's context (HTTP client, token cache) to the last result.

use std::time::{Duration, Instant};

use reachability_conformance::embedded::EmbeddedMock;
use reachability_harness::Profile;
use reachability_harness::http::HttpSettings;
use reachability_harness::negative::GenerationSettings;
use reachability_harness::report::{RunResult, Status};
use reachability_harness::runner::{self, RunBuilder, Suite, TagFilter};
use reachability_harness::schema::SchemaSet;
use reachability_harness::target_file::Target;
use reachability_mock::{MockCiba, MockOptions, MockServer};

use crate::stats::{Timings, cpu_time};

/// A mock of `profile` answering after `latency_ms`, tested with `concurrency`. It
/// authenticates clients by secret (the floor's bare client cannot sign assertions).
pub async fn mock(
    profile: Profile,
    latency_ms: u64,
    concurrency: usize,
) -> Result<EmbeddedMock, String> {
    limited_mock(profile, latency_ms, concurrency, None).await
}

/// [`mock`], answering 429 beyond `rate_limit` requests a second when given; the target
/// is then paced to that rate (`requests_per_second`), as a user sets it for a sandbox.
pub async fn limited_mock(
    profile: Profile,
    latency_ms: u64,
    concurrency: usize,
    rate_limit: Option<u32>,
) -> Result<EmbeddedMock, String> {
    let options = MockOptions {
        profile,
        latency: Duration::from_millis(latency_ms),
        rate_limit_per_second: rate_limit,
        ..MockOptions::default()
    };
    start(options, concurrency, rate_limit).await
}

/// [`mock`] whose CIBA user has approved before the first poll (`pending_polls = 0`; the
/// default mock answers one `authorization_pending`, so a device-bound token waits the
/// 1 s `interval`): the flow's requests are all sent, no user's time is counted.
pub async fn approving_mock(
    profile: Profile,
    latency_ms: u64,
    concurrency: usize,
) -> Result<EmbeddedMock, String> {
    let options = MockOptions {
        profile,
        latency: Duration::from_millis(latency_ms),
        ciba: MockCiba {
            pending_polls: 0,
            ..MockCiba::default()
        },
        ..MockOptions::default()
    };
    start(options, concurrency, None).await
}

/// Starts a mock with `options` and the target that tests it with `concurrency`, paced to
/// `rate_limit` when given.
async fn start(
    options: MockOptions,
    concurrency: usize,
    rate_limit: Option<u32>,
) -> Result<EmbeddedMock, String> {
    let server = MockServer::start(options)
        .await
        .map_err(|e| e.to_string())?;
    let secrets = server.secret_env();
    let lookup = |name: &str| {
        secrets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut target =
        Target::parse(&server.target_toml(), "bench mock", &lookup).map_err(|e| e.to_string())?;
    target.http = HttpSettings {
        concurrency,
        requests_per_second: rate_limit.unwrap_or(0),
        ..HttpSettings::default()
    };
    Ok(EmbeddedMock { server, target })
}

/// One run of `suite` (scenarios matching `tags`) against `target`, and its wall time;
/// with `record`, its results keep every exchange (as `run --record` does).
pub async fn run(
    suite: &Suite,
    target: &Target,
    tags: Option<&TagFilter>,
    record: bool,
) -> Result<(Duration, RunResult), String> {
    let started = Instant::now();
    let run = RunBuilder::new(target.clone())
        .tags(tags.cloned())
        .record_exchanges(record)
        .build()
        .map_err(|e| e.to_string())?;
    let result = run.execute(suite).await;
    Ok((started.elapsed(), result))
}

/// `runs` timed runs after one warm-up, as `run` without `--record` makes them; the
/// warm-up's result comes along, its exchanges recorded (the floor replays them).
/// Scenarios of any run that did not pass are listed on stderr: they sent their requests
/// all the same, so the timings stand, and the table says how many passed.
pub async fn runs(
    suite: &Suite,
    target: &Target,
    tags: Option<&TagFilter>,
    runs: usize,
) -> Result<(Timings, RunResult), String> {
    let (_, warm_up) = run(suite, target, tags, true).await?;
    let mut wall = Vec::with_capacity(runs);
    let mut not_passed = not_passed(target, &warm_up);
    let cpu = cpu_time();
    for _ in 0..runs {
        let (elapsed, result) = run(suite, target, tags, false).await?;
        wall.push(elapsed);
        not_passed.extend(self::not_passed(target, &result));
    }
    let timings = Timings::new(wall, cpu_time().saturating_sub(cpu));
    for line in not_passed {
        eprintln!("{line}");
    }
    Ok((timings, warm_up))
}

/// A line for each scenario of `result` that did not pass.
fn not_passed(target: &Target, result: &RunResult) -> Vec<String> {
    result
        .scenarios
        .iter()
        .filter(|s| s.status != Status::Passed)
        .map(|bad| {
            format!(
                "bench: {} {} {}: {}",
                target.profile,
                bad.label(),
                bad.status.name(),
                bad.reason.as_deref().unwrap_or("").replace('\n', " ")
            )
        })
        .collect()
}

/// The scenarios of the API itself: the security-profile ones exercise the token endpoint
/// with freshly signed assertions, which a bare replay cannot repeat.
pub fn api_only() -> TagFilter {
    API_ONLY.parse().expect("a valid tag expression")
}

/// The tag expression of [`api_only`].
const API_ONLY: &str = "not @security_profile";

/// A tag filter of the API scenarios leaving out those that need a device-bound (CIBA) token, or
/// `None` when no scenario of `suite` needs one for `target`.
pub fn without_ciba(suite: &Suite, target: &Target) -> Result<Option<TagFilter>, String> {
    // The scenarios that would be skipped for want of `auth.ciba_url` are the CIBA ones.
    let mut probe = target.clone();
    probe.auth.ciba_url = None;
    let ids: Vec<String> = runner::plan(
        suite,
        &probe,
        &SchemaSet::builtin(probe.profile),
        None,
        &GenerationSettings::drawn(),
    )
    .into_iter()
    .filter(|s| s.missing.contains(&"auth.ciba_url"))
    .map(|s| {
        s.id.map(|id| format!("not @{id}"))
            .ok_or_else(|| format!("{}: a CIBA scenario without an id tag", s.name))
    })
    .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(None);
    }
    format!("{API_ONLY} and {}", ids.join(" and "))
        .parse()
        .map(Some)
}
