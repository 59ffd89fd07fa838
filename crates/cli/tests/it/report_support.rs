//! Shared by the report tests: runs of the embedded mock, made once per test binary.

use reachability_harness::Api;
use std::path::PathBuf;
use std::sync::OnceLock;

use reachability_harness::Profile;
use reachability_harness::redact::Redactor;
use reachability_harness::report::{Event, OutputArgs, Reporter, RunResult};
use reachability_harness::runner::{RunBuilder, Suite};

/// The fault switched on in the known failing run.
pub const FAULT: &str = "no-correlator-echo";

/// The scenarios that fail against the camara-v1 mock with [`FAULT`] on: every one that
/// checks the x-correlator echo (v1_20 is an outline: 8 rows).
pub const FAILING_IDS: &[&str] = &[
    "reachability_v1_01_connected_sms_only",
    "reachability_v1_02_connected_data_only",
    "reachability_v1_03_connected_data_and_sms",
    "reachability_v1_04_not_connected",
    "reachability_v1_10_device_empty",
    "reachability_v1_11_device_not_found",
    "reachability_v1_13_device_from_token",
    "reachability_v1_20_malformed_phone_number",
    "reachability_v1_30_expired_access_token",
    "reachability_v1_34_permission_denied",
];

/// How many scenarios fail in the known failing run (outline rows counted).
pub const FAILING_COUNT: usize = 17;

/// Runs of the embedded mock, the redactor that knows their secrets, and the secrets the
/// mocks handed out (client secret or Basic header, expired token).
pub struct Fixture {
    pub runs: Vec<RunResult>,
    pub redactor: Redactor,
    pub secrets: Vec<String>,
}

/// camara-v1 against the mock with [`FAULT`] on.
pub fn failing_run() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        fixture(&[(
            "camara-v1.0"
                .parse::<reachability_harness::Profile>()
                .unwrap(),
            &[FAULT],
        )])
    })
}

/// Both profiles against the clean mock, as `run` without --target does.
pub fn both_profiles() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        fixture(&[
            (
                "camara-v1.0"
                    .parse::<reachability_harness::Profile>()
                    .unwrap(),
                &[],
            ),
            (Api::OrangeLabV0.current(), &[]),
        ])
    })
}

fn fixture(plan: &[(Profile, &[&str])]) -> Fixture {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let suite = Suite::embedded().expect("embedded features parse");
        let redactor = Redactor::new();
        let mut runs = Vec::new();
        let mut secrets = Vec::new();
        for (profile, faults) in plan {
            let faults: Vec<String> = faults.iter().map(|f| f.to_string()).collect();
            let mock =
                reachability_conformance::embedded::start_embedded_mock(*profile, &faults, 0, None)
                    .await
                    .expect("embedded mock starts");
            secrets.extend(mock.server.secret_env().into_iter().map(|(_, v)| v));
            let run = RunBuilder::new(mock.target.clone())
                .reporter(Reporter::new(redactor.clone()))
                .build()
                .expect("run context");
            runs.push(run.execute(&suite).await);
            mock.server.shutdown().await;
        }
        Fixture {
            runs,
            redactor,
            secrets,
        }
    })
}

impl Fixture {
    /// Writes `outputs` about the runs as `run` does: a reporter masking with the fixture's
    /// redactor hears each run finish, then writes the files; returns its lines.
    pub fn write(&self, outputs: &OutputArgs) -> Result<Vec<String>, String> {
        let reporter = Reporter::new(self.redactor.clone()).outputs(outputs);
        for run in &self.runs {
            reporter.report(Event::RunFinished(run));
        }
        reporter.finish()
    }
}

/// A fresh folder under `target/test-output/<name>` (emptied first).
pub fn output_dir(name: &str) -> PathBuf {
    let dir = crate::cli_support::root()
        .join("target/test-output")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("test output folder");
    dir
}
