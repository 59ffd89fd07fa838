//! `cargo bench --bench suite`: how close the harness stays to the network floor.
//!
//! Measures, in one run on one machine, and prints as tables:
//! - the whole suite of each profile against the in-process mock, against the same
//!   requests sent by a bare `reqwest` loop (the floor), with and without the scenarios
//!   that wait for a device-bound (CIBA) token;
//! - CPU per run of the suite without CIBA and of its floor, in alternated blocks of runs
//!   (the goal's steadier figure);
//! - the suite at 50 ms simulated latency, concurrency 1 and 8, in round trips;
//! - the mock's throughput and p50/p99 latency at 1, 16 and 64 clients;
//! - peak memory of `reachability-conformance run`, and its time to first request;
//! - its peak memory against hostile targets (a 50 MB body, an endless body, JSON nested
//!   100,000 deep), records on.
//!
//! Wall times are shown as median and minimum of several runs, with the load average
//! before and after (other work on the machine inflates medians); CPU time per run
//! (whole process, mock included) is the steadier measure of the harness's own cost.
//!
//! Goals (not assertions): harness CPU within 1.5x of the floor; at 50 ms with concurrency
//! 8, the suite within 10 round trips; at 2 requests per second, each profile within 60 s;
//! peak memory under 64 MiB.
//!
//! - the suite against a mock rate-limited to 2 requests per second (429 beyond), paced;
//!
//! `cargo bench --bench suite -- floor latency` runs only the named sections
//! (startup, floor, cpu, latency, rate, load, binary, hostile).

mod cpu;
mod floor;
mod harness;
mod hostile;
mod mock_load;
mod process;
mod rate_limited;
mod stats;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use reachability_harness::Profile;
use reachability_harness::http::{HttpClient, HttpSettings};
use reachability_harness::redact::Redactor;
use reachability_harness::report::Status;
use reachability_harness::runner::Suite;
use reachability_harness::schema::SchemaSet;
use reachability_harness::steps::{TokenChoice, vocabulary};
use reachability_harness::target_file::Target;

use floor::Floor;
use stats::{Table, Timings, cpu_time, median, ms, percentile, ratio, us};

/// Timed repetitions of each suite measurement (after one warm-up).
const RUNS: usize = 5;
/// Timed repetitions at 50 ms latency (each takes seconds).
const LATENCY_RUNS: usize = 2;
/// The simulated latency of the remote-sandbox measurement.
const LATENCY_MS: u64 = 50;
/// The harness's default concurrency.
pub(crate) const CONCURRENCY: usize = 8;
/// Load levels of the mock: concurrent clients and total requests.
const LOAD: [(usize, usize); 3] = [(1, 2_000), (16, 8_000), (64, 16_000)];

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("bench: no async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(bench()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The sections of the bench, in the order they run; `cargo bench --bench suite -- NAME...`
/// runs only the named ones.
const SECTIONS: [&str; 8] = [
    "startup", "floor", "cpu", "latency", "rate", "load", "binary", "hostile",
];

async fn bench() -> Result<(), String> {
    let asked: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if let Some(unknown) = asked.iter().find(|a| !SECTIONS.contains(&a.as_str())) {
        return Err(format!(
            "no section {unknown:?}; the sections are {SECTIONS:?}"
        ));
    }
    println!("load average before: {}", stats::load_average());
    let wanted = |name: &str| asked.is_empty() || asked.iter().any(|a| a == name);
    let mut startup = Table::new(&["start-up part (in process, cold)", "time"]);
    let suite = startup_parts(&mut startup)?;
    let mut tables = Vec::new();
    if wanted("startup") {
        tables.push(startup);
    }
    if wanted("floor") {
        tables.push(floor_table(&suite).await?);
    }
    if wanted("cpu") {
        tables.push(cpu::table(&suite).await?);
    }
    if wanted("latency") {
        tables.push(latency_table(&suite).await?);
    }
    if wanted("rate") {
        tables.push(rate_limited::table(&suite).await?);
    }
    if wanted("load") {
        eprintln!("bench: mock load");
        tables.push(mock_load().await?);
    }
    if wanted("binary") {
        eprintln!("bench: release binary");
        tables.push(binary().await?);
    }
    if wanted("hostile") {
        eprintln!("bench: release binary against hostile targets");
        tables.push(hostile::table(&std::env::temp_dir()).await?);
    }
    for table in &tables {
        table.print();
    }
    println!("load average after: {}", stats::load_average());
    Ok(())
}

/// A table titled `title` with a column per profile and a goal column.
fn profile_table(title: &str) -> Table {
    let mut headers = vec![title];
    headers.extend(Profile::status_profiles().map(|p| p.name()));
    headers.push("goal");
    Table::new(&headers)
}

/// The suite of each profile against the in-process mock and against its floor.
async fn floor_table(suite: &Suite) -> Result<Table, String> {
    let title = "suite vs floor (in-process mock)";
    per_profile(
        title,
        "in-process mock",
        &FLOOR_ROWS,
        &FLOOR_GOALS,
        async |profile| against_floor(suite, profile).await,
    )
    .await
}

/// The suite of each profile at [`LATENCY_MS`], concurrency 1 and 8.
async fn latency_table(suite: &Suite) -> Result<Table, String> {
    let doing = format!("{LATENCY_MS} ms latency");
    per_profile(
        "suite at 50 ms latency",
        &doing,
        &LATENCY_ROWS,
        &LATENCY_GOALS,
        async |profile| at_latency(suite, profile).await,
    )
    .await
}

/// A table titled `title` of `rows` (each with its goal), one column per status profile
/// made by `column` (announced on stderr as `doing`).
pub(crate) async fn per_profile(
    title: &str,
    doing: &str,
    rows: &[&str],
    goals: &[&str],
    mut column: impl AsyncFnMut(Profile) -> Result<Column, String>,
) -> Result<Table, String> {
    let mut table = profile_table(title);
    let mut columns = Vec::new();
    for profile in Profile::status_profiles() {
        eprintln!("bench: {profile}, {doing}");
        columns.push(column(profile).await?);
    }
    for (i, title) in rows.iter().enumerate() {
        table.row(row(title, &columns, i, goals[i]));
    }
    Ok(table)
}

/// One profile's cells of a suite table.
pub(crate) type Column = Vec<String>;

const FLOOR_ROWS: [&str; 12] = [
    "harness, whole suite (wall)",
    "floor: same requests, bare reqwest (wall)",
    "ratio harness / floor (medians)",
    "requests: API + OAuth",
    "harness, without CIBA scenarios (wall)",
    "floor, without CIBA scenarios (wall)",
    "ratio harness / floor, without CIBA (medians)",
    "harness CPU per run, without CIBA (mock included)",
    "floor CPU per run, without CIBA (mock included)",
    "ratio of CPU harness / floor, without CIBA",
    "one bare CIBA token flow (poll interval)",
    "scenarios passed",
];
const FLOOR_GOALS: [&str; 12] = ["", "", "", "", "", "", "", "", "", "<= 1.5", "", ""];

const LATENCY_ROWS: [&str; 8] = [
    "requests sent, concurrency 8 (API + token endpoint steps; shared not counted)",
    "one round trip (median)",
    "suite, concurrency 1 (median)",
    "suite, concurrency 8 (median)",
    "suite / round trip, concurrency 1",
    "suite / round trip, concurrency 8 (the default mock's CIBA user answers one `authorization_pending`: + the 1 s `interval`)",
    "suite / round trip, concurrency 8, CIBA user approved before the first poll",
    "suite / round trip, concurrency 8, without CIBA",
];
/// The goal is the harness's own cost: a CIBA user's wait for approval (the default
/// mock's one `authorization_pending`, then the `interval` OpenID CIBA Core 1.0 §7.3
/// makes every client wait) is the target's, and is shown apart.
const LATENCY_GOALS: [&str; 8] = ["", "", "", "", "", "", "<= 10", "<= 10"];

fn row(title: &str, columns: &[Column], i: usize, goal: &str) -> Vec<String> {
    let mut cells = vec![title.to_owned()];
    cells.extend(columns.iter().map(|c| c[i].clone()));
    cells.push(goal.to_owned());
    cells
}

/// Times what a process does before its first request, each part once and cold.
fn startup_parts(table: &mut Table) -> Result<Suite, String> {
    let started = Instant::now();
    let suite = Suite::embedded().map_err(|e| e.to_string())?;
    table.row(vec![
        "parse the embedded features".into(),
        ms(started.elapsed()),
    ]);
    let started = Instant::now();
    // The first sentence parsed compiles the whole vocabulary.
    let _ = vocabulary::parse("the response status code is 200", None);
    table.row(vec![
        "compile the step vocabulary".to_owned(),
        ms(started.elapsed()),
    ]);
    for profile in Profile::status_profiles() {
        let started = Instant::now();
        SchemaSet::builtin(profile);
        table.row(vec![
            format!("compile the {profile} schemas"),
            ms(started.elapsed()),
        ]);
    }
    let started = Instant::now();
    HttpClient::new(&HttpSettings::default(), Redactor::new()).map_err(|e| e.to_string())?;
    table.row(vec![
        "build the HTTP client (first)".into(),
        ms(started.elapsed()),
    ]);
    let started = Instant::now();
    HttpClient::new(&HttpSettings::default(), Redactor::new()).map_err(|e| e.to_string())?;
    table.row(vec![
        "build the HTTP client (again)".into(),
        ms(started.elapsed()),
    ]);
    Ok(suite)
}

/// The suite of `profile` against the in-process mock, and its floor.
async fn against_floor(suite: &Suite, profile: Profile) -> Result<Column, String> {
    let mock = harness::mock(profile, 0, CONCURRENCY).await?;
    let target = &mock.target;
    let api = harness::api_only();
    let (harness_all, result) = harness::runs(suite, target, Some(&api), RUNS).await?;
    let requests = Floor::from_run(&result)?;
    let floor_all = replays(&requests, target, RUNS).await?;
    let mut cells = vec![
        harness_all.wall(),
        floor_all.wall(),
        ratio(harness_all.median(), floor_all.median()),
        format!("{} + {}", requests.requests(), requests.oauth_requests()),
    ];
    let (harness_quick, floor_quick) = match harness::without_ciba(suite, target)? {
        Some(tags) => {
            let (harness_quick, result) = harness::runs(suite, target, Some(&tags), RUNS).await?;
            let quick = Floor::from_run(&result)?;
            (harness_quick, replays(&quick, target, RUNS).await?)
        }
        None => (harness_all, floor_all),
    };
    cells.extend([
        harness_quick.wall(),
        floor_quick.wall(),
        ratio(harness_quick.median(), floor_quick.median()),
        ms(harness_quick.cpu_per_run),
        ms(floor_quick.cpu_per_run),
        ratio(harness_quick.cpu_per_run, floor_quick.cpu_per_run),
    ]);
    cells.push(if requests.needs_ciba() {
        ms(floor::ciba_wait(&target.auth).await?)
    } else {
        "none needed".into()
    });
    cells.push(format!(
        "{}/{}",
        result.count(Status::Passed),
        result.scenarios.len()
    ));
    mock.server.shutdown().await;
    Ok(cells)
}

/// `runs` timed replays of `requests` after one warm-up.
pub(crate) async fn replays(
    requests: &Floor,
    target: &Target,
    runs: usize,
) -> Result<Timings, String> {
    requests.replay(&target.auth, CONCURRENCY).await?;
    let mut wall = Vec::with_capacity(runs);
    let cpu = cpu_time();
    for _ in 0..runs {
        wall.push(requests.replay(&target.auth, CONCURRENCY).await?);
    }
    Ok(Timings::new(wall, cpu_time().saturating_sub(cpu)))
}

/// The suite of `profile` against a mock answering after [`LATENCY_MS`].
async fn at_latency(suite: &Suite, profile: Profile) -> Result<Column, String> {
    let mut suite_times = Vec::new();
    let mut round_trip = Duration::ZERO;
    let mut quick = Duration::ZERO;
    let mut sent = 0;
    for concurrency in [1, CONCURRENCY] {
        let mock = harness::mock(profile, LATENCY_MS, concurrency).await?;
        let target = &mock.target;
        if concurrency == 1 {
            let client = floor::bare_client()?;
            let token = floor::token(&client, &target.auth, TokenChoice::Valid).await?;
            let load = mock_load::level(target, &token, 1, 5).await?;
            round_trip = median(&load.latencies);
        }
        let api = harness::api_only();
        let (timings, result) = harness::runs(suite, target, Some(&api), LATENCY_RUNS).await?;
        suite_times.push(timings.median());
        sent = result.requests_sent();
        if concurrency == CONCURRENCY {
            let tags = harness::without_ciba(suite, target)?;
            let (timings, _) = harness::runs(suite, target, tags.as_ref(), LATENCY_RUNS).await?;
            quick = timings.median();
        }
        mock.server.shutdown().await;
    }
    let approving = harness::approving_mock(profile, LATENCY_MS, CONCURRENCY).await?;
    let api = harness::api_only();
    let (timings, _) = harness::runs(suite, &approving.target, Some(&api), LATENCY_RUNS).await?;
    approving.server.shutdown().await;
    Ok(vec![
        sent.to_string(),
        ms(round_trip),
        ms(suite_times[0]),
        ms(suite_times[1]),
        ratio(suite_times[0], round_trip),
        ratio(suite_times[1], round_trip),
        ratio(timings.median(), round_trip),
        ratio(quick, round_trip),
    ])
}

/// Throughput and latency of the mock at each load level.
async fn mock_load() -> Result<Table, String> {
    let mut table = Table::new(&[
        "mock load (camara-v1)",
        "requests",
        "requests/s",
        "p50",
        "p99",
    ]);
    let mock = harness::mock(mock_load::profile(), 0, CONCURRENCY).await?;
    let client = floor::bare_client()?;
    let token = floor::token(&client, &mock.target.auth, TokenChoice::Valid).await?;
    for (clients, total) in LOAD {
        let load = mock_load::level(&mock.target, &token, clients, total).await?;
        table.row(vec![
            format!("{clients} client(s)"),
            load.requests.to_string(),
            format!("{:.0}", load.requests as f64 / load.elapsed.as_secs_f64()),
            us(percentile(&load.latencies, 0.5)),
            us(percentile(&load.latencies, 0.99)),
        ]);
    }
    mock.server.shutdown().await;
    Ok(table)
}

/// Peak memory and time to first request of the release binary.
async fn binary() -> Result<Table, String> {
    let mut table = Table::new(&["release binary", "value", "goal"]);
    let mut peak = 0;
    let mut walls = Vec::new();
    let mut codes = Vec::new();
    for _ in 0..3 {
        let run = process::measure(&["run"])?;
        // 1 means a scenario failed: the run still went through; 2 means nothing ran.
        if !matches!(run.code, Some(0 | 1)) {
            return Err(format!("`run` exited with {:?}", run.code));
        }
        codes.push(run.code);
        peak = peak.max(run.max_rss_kib);
        walls.push(run.elapsed);
    }
    table.row(vec![
        "peak RSS of `run` (both profiles, max of 3)".into(),
        format!("{:.1} MiB", peak as f64 / 1024.0),
        "< 64 MiB".into(),
    ]);
    table.row(vec![
        format!("wall time of `run` (median of 3; exit codes {codes:?})"),
        ms(median(&walls)),
        String::new(),
    ]);
    let dir = std::env::temp_dir();
    let mut firsts = Vec::new();
    for _ in 0..5 {
        firsts.push(process::startup(&dir).await?);
    }
    table.row(vec![
        "process start to first request (median of 5)".into(),
        ms(median(&firsts)),
        String::new(),
    ]);
    let version = process::measure(&["--version"])?;
    table.row(vec![
        "process start to exit, `--version`".into(),
        ms(version.elapsed),
        String::new(),
    ]);
    Ok(table)
}
