//! Self-test: proof that the suite can fail, and that it fails only for what a document
//! requires.
//!
//! The fault matrix runs the embedded suite against the mock once clean (everything must
//! pass), once per fault switch and once per legal variation, in each profile the switch
//! applies to. A fault is caught when at least one scenario fails; the mutation score is
//! the share of (fault, profile) pairs caught. A variation passes when no scenario fails,
//! a failed `@advisory` scenario aside (advisories flag what the documents recommend, not
//! what they require): any other failure is a false alarm. [`Matrix::compare`] checks the outcome against `expectations.toml`, which
//! names exactly the scenarios each fault must make fail, and checks that every scenario is
//! made to fail by some fault (or is listed, with its reason, as unkillable).

mod expectations;
mod labels;
mod table;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt as _;

use crate::error::CliError;
use crate::mock::{Fault, Variation};
use crate::profile::Profile;
use crate::report::{RunResult, Status};
use crate::runner::{RunBuilder, Suite};
use reachability_harness::negative::GenerationSettings;

pub use expectations::{EXPECTATIONS_PATH, Expectations, entry_text};
pub use labels::Labels;

/// How many suites run at once by default. A camara-v1 run spends about a second waiting
/// for its CIBA token (the mock answers one `authorization_pending`), so more suites than
/// cores keep the cores busy.
pub const DEFAULT_IN_FLIGHT: usize = 8;

/// The tag of a scenario that checks what a document recommends, not what it requires: its
/// failure is no false alarm.
pub const ADVISORY_TAG: &str = "advisory";

/// What one trial switches on in the mock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Switch {
    /// Nothing: the clean mock.
    Clean,
    /// One fault.
    Fault(Fault),
    /// One legal variation.
    Variation(Variation),
}

impl Switch {
    /// The name to start the embedded mock with, if any.
    fn name(self) -> Option<&'static str> {
        match self {
            Switch::Clean => None,
            Switch::Fault(fault) => Some(fault.name()),
            Switch::Variation(variation) => Some(variation.name()),
        }
    }
}

/// One run of the suite, against the clean mock, a faulty one or a varied one.
#[derive(Clone, Debug)]
pub struct Trial {
    /// The profile the mock served.
    pub profile: Profile,
    /// The fault switched on, if any.
    pub fault: Option<Fault>,
    /// The legal variation switched on, if any.
    pub variation: Option<Variation>,
    /// The labels of every scenario of the profile.
    pub labels: Labels,
    /// The labels of the scenarios that did not pass.
    pub failed: BTreeSet<String>,
    /// The labels of the scenarios that did not pass and are not `@advisory`.
    pub failed_required: BTreeSet<String>,
    /// For each scenario that did not pass: its label, failed step and reason.
    pub problems: Vec<String>,
}

impl Trial {
    fn from_run(switch: Switch, result: &RunResult) -> Trial {
        let labels = Labels::of(result);
        let failed = labels.not_passed(result);
        let failed_required =
            labels.not_passed_where(result, |s| !s.tags.iter().any(|t| t == ADVISORY_TAG));
        let (fault, variation) = match switch {
            Switch::Clean => (None, None),
            Switch::Fault(fault) => (Some(fault), None),
            Switch::Variation(variation) => (None, Some(variation)),
        };
        let problems = result
            .scenarios
            .iter()
            .filter(|s| s.status != Status::Passed)
            .map(|s| {
                format!(
                    "{} {} ({}): {}: {}",
                    s.status.name(),
                    s.label(),
                    s.name,
                    s.failed_step.as_deref().unwrap_or("-"),
                    s.reason.as_deref().unwrap_or("-")
                )
            })
            .collect();
        Trial {
            profile: result.profile,
            fault,
            variation,
            labels,
            failed,
            failed_required,
            problems,
        }
    }

    /// Whether the fault was caught (or, for the clean mock, whether something failed).
    pub fn caught(&self) -> bool {
        !self.failed.is_empty()
    }

    /// Whether no scenario but an `@advisory` one failed: what a legal variation must get.
    pub fn passed_required(&self) -> bool {
        self.failed_required.is_empty()
    }
}

/// Faults caught out of (fault, applicable profile) pairs tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Score {
    /// Pairs where at least one scenario failed.
    pub caught: usize,
    /// Pairs tried.
    pub total: usize,
}

impl Score {
    /// The score as a percentage (100 when nothing was tried).
    pub fn percent(self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            self.caught as f64 * 100.0 / self.total as f64
        }
    }
}

/// Everything the fault matrix found.
#[derive(Clone, Debug)]
pub struct Matrix {
    /// One trial per profile, against the clean mock.
    pub clean: Vec<Trial>,
    /// One trial per (fault, applicable profile), in [`Fault::ALL`] order.
    pub faulty: Vec<Trial>,
    /// One trial per (variation, applicable profile), in [`Variation::ALL`] order.
    pub varied: Vec<Trial>,
    /// The seed and count of the generated cases.
    pub settings: GenerationSettings,
    /// Wall time of the whole matrix.
    pub duration: Duration,
    /// How many suites ran at once.
    pub in_flight: usize,
}

impl Matrix {
    /// The mutation score: faults caught / faults × applicable profiles.
    pub fn score(&self) -> Score {
        Score {
            caught: self.faulty.iter().filter(|t| t.caught()).count(),
            total: self.faulty.len(),
        }
    }

    /// Legal variations passed out of (variation, applicable profile) pairs tried.
    pub fn variation_score(&self) -> Score {
        Score {
            caught: self.varied.iter().filter(|t| t.passed_required()).count(),
            total: self.varied.len(),
        }
    }

    /// Whether the clean mock passed everything, every fault was caught and every legal
    /// variation passed.
    pub fn passed(&self) -> bool {
        self.clean.iter().all(|t| !t.caught())
            && self.faulty.iter().all(Trial::caught)
            && self.varied.iter().all(Trial::passed_required)
    }

    /// For each profile tried, the scenarios no fault made fail.
    pub fn never_failed(&self) -> Vec<(Profile, String)> {
        let mut out = Vec::new();
        for clean in &self.clean {
            let failed: BTreeSet<&String> = self
                .faulty
                .iter()
                .filter(|t| t.profile == clean.profile)
                .flat_map(|t| &t.failed)
                .collect();
            out.extend(
                clean
                    .labels
                    .all()
                    .filter(|label| !failed.contains(&label.to_string()))
                    .map(|label| (clean.profile, label.to_owned())),
            );
        }
        out
    }

    /// Every difference between the matrix and `expectations`, each saying what to do; empty
    /// when the outcome is exactly the expected one.
    pub fn compare(&self, expectations: &Expectations) -> Vec<String> {
        let mut problems = Vec::new();
        for clean in &self.clean {
            problems.extend(clean.labels.duplicates().into_iter().map(|label| {
                format!(
                    "{}: several scenarios are labelled {label}; give the outline rows distinct titles",
                    clean.profile
                )
            }));
            problems.extend(
                clean
                    .problems
                    .iter()
                    .map(|p| format!("the clean mock does not pass in {}: {p}", clean.profile)),
            );
        }
        let mut replacements: BTreeMap<Fault, Vec<(Profile, Vec<String>)>> = BTreeMap::new();
        for trial in &self.faulty {
            let Some(fault) = trial.fault else { continue };
            if let Some(problem) = self.compare_trial(trial, fault, expectations) {
                problems.push(problem);
                replacements
                    .entry(fault)
                    .or_default()
                    .push((trial.profile, trial.labels.compact(&trial.failed)));
            }
        }
        problems.extend(self.false_alarms());
        problems.extend(self.compare_unkillable(expectations));
        if !replacements.is_empty() {
            let entries: Vec<String> = replacements
                .iter()
                .map(|(fault, by_profile)| entry_text(*fault, by_profile))
                .collect();
            problems.push(format!(
                "if the new outcome is right, write these entries in {EXPECTATIONS_PATH}:\n{}",
                entries.join("\n")
            ));
        }
        problems
    }

    /// One problem per legal variation that failed a scenario that is not `@advisory`.
    pub fn false_alarms(&self) -> Vec<String> {
        self.varied
            .iter()
            .filter(|t| !t.passed_required())
            .filter_map(|t| {
                let variation = t.variation?;
                Some(format!(
                    "false alarm: {variation} in {} is legal ({}) but failed [{}]: make those checks accept it, or tag them @advisory",
                    t.profile,
                    variation.clause(),
                    t.labels.compact(&t.failed_required).join(", ")
                ))
            })
            .collect()
    }

    fn compare_trial(
        &self,
        trial: &Trial,
        fault: Fault,
        expectations: &Expectations,
    ) -> Option<String> {
        let profile = trial.profile;
        let Some(written) = expectations.failing(fault, profile) else {
            return Some(format!(
                "{fault} in {profile}: {EXPECTATIONS_PATH} has no entry; every fault needs one per profile it applies to"
            ));
        };
        let mut expected = BTreeSet::new();
        for entry in written {
            let labels = trial.labels.expand(entry);
            if labels.is_empty() {
                return Some(format!(
                    "{fault} in {profile}: {EXPECTATIONS_PATH} names {entry:?}, which is no scenario of {profile}"
                ));
            }
            expected.extend(labels);
        }
        if expected == trial.failed {
            return None;
        }
        let missed: BTreeSet<String> = expected.difference(&trial.failed).cloned().collect();
        let extra: BTreeSet<String> = trial.failed.difference(&expected).cloned().collect();
        Some(format!(
            "{fault} in {profile}: expected to fail but passed: [{}]; failed but not expected: [{}]",
            trial.labels.compact(&missed).join(", "),
            trial.labels.compact(&extra).join(", ")
        ))
    }

    /// The scenarios no fault made fail and that are not listed as unkillable (with their
    /// reason) in `expectations`: vacuous checks, to be given a fault.
    pub fn vacuous(&self, expectations: &Expectations) -> Vec<(Profile, String)> {
        self.never_failed()
            .into_iter()
            .filter(|(profile, label)| {
                self.unkillable_reason(expectations, *profile, label)
                    .is_none()
            })
            .collect()
    }

    /// Why `label` of `profile` is listed as unkillable, if it is.
    pub fn unkillable_reason<'e>(
        &self,
        expectations: &'e Expectations,
        profile: Profile,
        label: &str,
    ) -> Option<&'e str> {
        let trial = self.clean_trial(profile)?;
        expectations
            .unkillable()
            .iter()
            .find(|(entry, _)| trial.labels.expand(entry).iter().any(|l| l == label))
            .map(|(_, reason)| reason.as_str())
    }

    fn compare_unkillable(&self, expectations: &Expectations) -> Vec<String> {
        let allowed = expectations.unkillable();
        let mut problems: Vec<String> = self
            .vacuous(expectations)
            .into_iter()
            .map(|(profile, label)| format!(
                "{label} ({profile}) is made to fail by no fault: add a fault that breaks what it checks, or list it under [unkillable] in {EXPECTATIONS_PATH} with the reason"
            ))
            .collect();
        let never: BTreeSet<String> = self.never_failed().into_iter().map(|(_, l)| l).collect();
        let all_profiles = Profile::all()
            .iter()
            .all(|p| self.clean_trial(*p).is_some());
        for entry in allowed.keys() {
            let expanded: Vec<String> = self
                .clean
                .iter()
                .flat_map(|t| t.labels.expand(entry))
                .collect();
            if expanded.is_empty() && all_profiles {
                problems.push(format!(
                    "[unkillable] {entry} in {EXPECTATIONS_PATH} is no scenario; remove it"
                ));
            }
            if let Some(killed) = expanded.iter().find(|l| !never.contains(*l)) {
                problems.push(format!(
                    "[unkillable] {entry} in {EXPECTATIONS_PATH}: {killed} is made to fail by a fault after all; remove it from the list"
                ));
            }
        }
        problems
    }

    /// The clean trial of `profile`, if that profile was tried.
    pub fn clean_trial(&self, profile: Profile) -> Option<&Trial> {
        self.clean.iter().find(|t| t.profile == profile)
    }

    /// The table (fault, profile, scenarios that caught it, caught or missed), the clean
    /// runs, the mutation score and any difference from `expectations`.
    pub fn render(&self, expectations: &Expectations) -> String {
        table::render(self, expectations, true)
    }

    /// [`Matrix::render`] without the line that says how long the run took and which seed
    /// it drew: what depends only on the suite, the mock and the expectations.
    pub fn render_stable(&self, expectations: &Expectations) -> String {
        table::render(self, expectations, false)
    }
}

/// Runs the fault matrix for `profiles` with `settings`: the clean mock, then every
/// applicable fault, then every applicable legal variation, each in its own mock, with at
/// most `in_flight` suites at once.
pub async fn run_matrix(
    profiles: &[Profile],
    in_flight: usize,
    settings: GenerationSettings,
) -> Result<Matrix, CliError> {
    let started = Instant::now();
    let suite = Suite::embedded()?;
    let mut plan: Vec<(Profile, Switch)> = profiles.iter().map(|p| (*p, Switch::Clean)).collect();
    for fault in Fault::ALL {
        plan.extend(
            profiles
                .iter()
                .filter(|p| fault.applies_to(**p))
                .map(|p| (*p, Switch::Fault(*fault))),
        );
    }
    for variation in Variation::ALL {
        plan.extend(
            profiles
                .iter()
                .filter(|p| variation.applies_to(**p))
                .map(|p| (*p, Switch::Variation(*variation))),
        );
    }
    let in_flight = in_flight.max(1);
    let suite = Arc::new(suite);
    let runtime = tokio::runtime::Handle::current();
    // cucumber silences the panic hook while a suite runs and then puts back the hook it
    // found; with several suites at once, the silent hook can be the one put back last, and
    // a later panic (a failing test's message) would print nothing. The caller's hook is
    // set aside here and put back when every suite has run.
    let caller_hook = std::panic::take_hook();
    // A suite run is one task that cannot move between threads, and it is CPU-bound on the
    // harness side: each runs on a thread of its own so that several use several cores.
    let results: Vec<Result<(usize, Trial), CliError>> =
        futures::stream::iter(plan.into_iter().enumerate())
            .map(|(i, (profile, switch))| {
                let suite = Arc::clone(&suite);
                let runtime = runtime.clone();
                let run = tokio::task::spawn_blocking(move || {
                    runtime.block_on(run_trial(&suite, profile, switch, settings))
                });
                async move {
                    let trial = run
                        .await
                        .map_err(|e| CliError::Usage(format!("a suite run stopped: {e}")))??;
                    Ok((i, trial))
                }
            })
            .buffer_unordered(in_flight)
            .collect()
            .await;
    std::panic::set_hook(caller_hook);
    let mut trials = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    trials.sort_by_key(|(i, _)| *i);
    let trials = trials.into_iter().map(|(_, trial)| trial);
    let (varied, trials): (Vec<Trial>, Vec<Trial>) = trials.partition(|t| t.variation.is_some());
    let (clean, faulty): (Vec<Trial>, Vec<Trial>) =
        trials.into_iter().partition(|t| t.fault.is_none());
    Ok(Matrix {
        clean,
        faulty,
        varied,
        settings,
        duration: started.elapsed(),
        in_flight,
    })
}

/// Runs the suite against a mock of `profile` with `switch` on (strict: a skip is a failure).
async fn run_trial(
    suite: &Suite,
    profile: Profile,
    switch: Switch,
    settings: GenerationSettings,
) -> Result<Trial, CliError> {
    let names: Vec<String> = switch.name().map(str::to_owned).into_iter().collect();
    let mock = crate::embedded::start_embedded_mock(profile, &names, 0, None).await?;
    let run = RunBuilder::new(mock.target.clone())
        .generation(settings)
        .strict(true)
        .record_exchanges(false)
        .build()?;
    let result = run.execute(suite).await;
    mock.server.shutdown().await;
    Ok(Trial::from_run(switch, &result))
}

/// The `selftest` command: runs the matrix for `profile` (default: both) with `settings`,
/// prints the tables, the mutation score and the variations passed, and says whether every
/// fault was caught, every legal variation passed and the clean mock passed.
pub async fn command(
    profile: Option<Profile>,
    settings: GenerationSettings,
) -> Result<bool, CliError> {
    let profiles = profile.map_or_else(|| Profile::all().to_vec(), |p| vec![p]);
    let expectations = Expectations::embedded()?;
    let matrix = run_matrix(&profiles, DEFAULT_IN_FLIGHT, settings).await?;
    print!("{}", matrix.render(&expectations));
    Ok(matrix.passed())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ScenarioResult;
    use reachability_harness::Api;

    fn scenario(id: &str, name: &str, failed: bool) -> ScenarioResult {
        ScenarioResult {
            feature: "f".into(),
            feature_source: "f.feature".into(),
            feature_line: 1,
            name: name.into(),
            id: Some(id.into()),
            sources: Vec::new(),
            advisory: None,
            tags: if id == "c_03" {
                vec![id.into(), ADVISORY_TAG.into()]
            } else {
                vec![id.into()]
            },
            line: 1,
            status: if failed {
                Status::Failed
            } else {
                Status::Passed
            },
            failed_step: failed.then(|| "Then the response status code is 200".into()),
            reason: failed.then(|| "expected status 200\n  actual: 401".into()),
            exchange: None,
            steps: Vec::new(),
            exchanges: Vec::new(),
            requests_sent: 0,
            duration: Duration::ZERO,
        }
    }

    /// A trial of camara-v1 where the scenarios in `failing` failed.
    fn trial(switch: Switch, failing: &[&str]) -> Trial {
        let scenarios = [
            ("a_01", "Single"),
            ("b_02", "Outline (x)"),
            ("b_02", "Outline (y)"),
            ("c_03", "Checks nothing"),
        ]
        .iter()
        .map(|(id, name)| {
            let label = match name.strip_prefix("Outline (") {
                Some(row) => format!("{id}[{}", row.replace(')', "]")),
                None => (*id).to_owned(),
            };
            scenario(id, name, failing.contains(&label.as_str()))
        })
        .collect();
        let result = RunResult {
            target: "t".into(),
            url: "u".into(),
            profile: Api::CamaraV1.current(),
            spec_source: "s".into(),
            plan_defects: Vec::new(),
            leftovers: Vec::new(),
            scenarios,
            duration: Duration::ZERO,
        };
        Trial::from_run(switch, &result)
    }

    fn matrix(clean_failing: &[&str]) -> Matrix {
        Matrix {
            clean: vec![trial(Switch::Clean, clean_failing)],
            faulty: vec![
                trial(Switch::Fault(Fault::NoAuthRequired), &["a_01", "b_02[x]"]),
                trial(Switch::Fault(Fault::NoScopeCheck), &["b_02[x]", "b_02[y]"]),
                trial(Switch::Fault(Fault::ExpiredTokenAccepted), &[]),
            ],
            varied: vec![
                trial(Switch::Variation(Variation::TimeOffset), &[]),
                trial(Switch::Variation(Variation::CibaNoSlowDown), &["c_03"]),
            ],
            settings: GenerationSettings {
                seed: 7,
                seed_from_env: true,
                cases: None,
                depth: reachability_harness::negative::Depth::Standard,
            },
            duration: Duration::from_millis(1500),
            in_flight: 2,
        }
    }

    const EXPECTED: &str = r#"
        [faults.no-auth-required]
        camara-v1 = ["a_01", "b_02[x]"]
        [faults.no-scope-check]
        camara-v1 = ["b_02"]
        [faults.expired-token-accepted]
        camara-v1 = []
        [unkillable]
        c_03 = "checks nothing the mock can get wrong"
    "#;

    fn compare(matrix: &Matrix, table: &str) -> Vec<String> {
        matrix.compare(&Expectations::parse(table).unwrap())
    }

    #[test]
    fn the_expected_outcome_matches_and_scores_what_was_caught() {
        let m = matrix(&[]);
        assert_eq!(compare(&m, EXPECTED), Vec::<String>::new());
        assert_eq!(
            m.score(),
            Score {
                caught: 2,
                total: 3
            }
        );
        assert!(!m.passed(), "a missed fault fails the self-test");
        assert_eq!(
            m.never_failed(),
            [(Api::CamaraV1.current(), "c_03".to_owned())]
        );
        assert!(
            m.vacuous(&Expectations::parse(EXPECTED).unwrap())
                .is_empty()
        );
    }

    #[test]
    fn differences_say_what_to_change() {
        let m = matrix(&[]);
        let problems = compare(
            &m,
            &EXPECTED.replace(r#"["b_02"]"#, r#"["b_02[x]", "a_01"]"#),
        );
        assert_eq!(
            problems,
            [
                "no-scope-check in camara-v1.1: expected to fail but passed: [a_01]; failed but not expected: [b_02[y]]".to_owned(),
                "if the new outcome is right, write these entries in crates/cli/src/selftest/expectations.toml:\n[faults.no-scope-check]\n\"camara-v1.1\" = [\"b_02\"]\n".to_owned(),
            ]
        );
        let missing = EXPECTED.replace(
            "[faults.no-auth-required]\n        camara-v1 = [\"a_01\", \"b_02[x]\"]",
            "",
        );
        assert!(compare(&m, &missing)[0].starts_with(
            "no-auth-required in camara-v1.1: crates/cli/src/selftest/expectations.toml has no entry"
        ));
        let unknown = EXPECTED.replace(r#"["b_02"]"#, r#"["z_99"]"#);
        assert!(
            compare(&m, &unknown)[0]
                .contains("names \"z_99\", which is no scenario of camara-v1.1")
        );
    }

    #[test]
    fn vacuous_scenarios_stale_exceptions_and_clean_failures_are_reported() {
        let m = matrix(&[]);
        let no_exception =
            EXPECTED.replace(r#"c_03 = "checks nothing the mock can get wrong""#, "");
        assert_eq!(
            compare(&m, &no_exception),
            [
                "c_03 (camara-v1.1) is made to fail by no fault: add a fault that breaks what it checks, or list it under [unkillable] in crates/cli/src/selftest/expectations.toml with the reason"
            ]
        );
        let stale = format!("{EXPECTED}\n        a_01 = \"wrongly listed\"\n");
        assert_eq!(
            compare(&m, &stale),
            [
                "[unkillable] a_01 in crates/cli/src/selftest/expectations.toml: a_01 is made to fail by a fault after all; remove it from the list"
            ]
        );
        let dirty = matrix(&["b_02[y]"]);
        assert_eq!(
            compare(&dirty, EXPECTED),
            [
                "the clean mock does not pass in camara-v1.1: failed b_02 (Outline (y)): Then the response status code is 200: expected status 200\n  actual: 401"
            ]
        );
    }

    #[test]
    fn a_variation_that_fails_a_required_scenario_is_a_false_alarm() {
        let mut m = matrix(&[]);
        assert!(
            m.false_alarms().is_empty(),
            "an advisory failure is no false alarm"
        );
        m.faulty.retain(Trial::caught);
        assert!(m.passed());
        m.varied.push(trial(
            Switch::Variation(Variation::TimeOffset),
            &["b_02[y]", "c_03"],
        ));
        assert_eq!(
            m.variation_score(),
            Score {
                caught: 2,
                total: 3
            }
        );
        assert!(!m.passed(), "a false alarm fails the self-test");
        let alarm = "false alarm: time-offset in camara-v1.1 is legal (RFC 3339 §5.6: time-offset is `Z` or ±hh:mm (OAS LastStatusTime: format date-time)) but failed [b_02[y]]: make those checks accept it, or tag them @advisory";
        assert_eq!(m.false_alarms(), [alarm]);
        assert!(
            compare(
                &m,
                &EXPECTED.replace(
                    "[faults.expired-token-accepted]\n        camara-v1 = []",
                    ""
                )
            )
            .contains(&alarm.to_owned())
        );
        assert!(
            m.render(&Expectations::parse(EXPECTED).unwrap())
                .contains("| time-offset | camara-v1.1 | RFC 3339 §5.6: time-offset is `Z` or ±hh:mm (OAS LastStatusTime: format date-time) | FALSE ALARM: b_02[y] |")
        );
    }

    #[test]
    fn the_table_shows_each_fault_and_the_score() {
        let m = matrix(&[]);
        let text = m.render(&Expectations::parse(EXPECTED).unwrap());
        assert_eq!(
            text,
            "| fault | profile | scenarios that caught it | result |\n\
             | --- | --- | --- | --- |\n\
             | no-auth-required | camara-v1.1 | a_01, b_02[x] | caught |\n\
             | no-scope-check | camara-v1.1 | b_02 | caught |\n\
             | expired-token-accepted | camara-v1.1 | - | MISSED |\n\
             \n\
             | variation | profile | legal by | result |\n\
             | --- | --- | --- | --- |\n\
             | time-offset | camara-v1.1 | RFC 3339 §5.6: time-offset is `Z` or ±hh:mm (OAS LastStatusTime: format date-time) | passed |\n\
             | ciba-no-slow-down | camara-v1.1 | OpenID CIBA Core 1.0 §11: the server MAY answer slow_down; it need not | passed (advisory failed: c_03) |\n\
             \n\
             clean mock, camara-v1.1: 4 of 4 scenarios passed\n\
             mutation score: 2/3 = 66.7% (faults caught / faults x applicable profiles)\n\
             variations passed: 2/2 = 100.0% (legal variations x applicable profiles with no required scenario failed)\n\
             6 suites (2 at a time) in 1.5 s; generated cases: RC_SEED=7 reproduces them\n\
             \n\
             scenarios no fault makes fail:\n  \
             c_03 (camara-v1.1): checks nothing the mock can get wrong\n"
        );
    }
}
