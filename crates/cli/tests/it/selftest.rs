//! The fault matrix: against the mock with each fault switch on, in each profile the fault
//! applies to, the suite fails exactly the scenarios written in
//! `crates/cli/src/selftest/expectations.toml`; the clean mock passes everything; every
//! scenario is made to fail by some fault; every fault is caught; and against the mock with
//! each legal variation on, no scenario fails (an `@advisory` one aside). The same matrix
//! gives the page `docs/generated/selftest.md`, which must be up to date.

use reachability_conformance::docs;
use reachability_conformance::selftest::{DEFAULT_IN_FLIGHT, Expectations, Score, run_matrix};
use reachability_harness::Profile;
use reachability_harness::negative::GenerationSettings;
use reachability_mock::{Fault, Variation};

#[tokio::test(flavor = "multi_thread")]
async fn every_fault_fails_exactly_the_expected_scenarios() {
    let expectations = Expectations::embedded().unwrap_or_else(|e| panic!("{e}"));
    // The default depth, as `selftest` runs it.
    let settings = GenerationSettings::drawn();
    let matrix = run_matrix(Profile::all(), DEFAULT_IN_FLIGHT, settings)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let pairs: usize = Fault::ALL
        .iter()
        .map(|f| Profile::all().iter().filter(|p| f.applies_to(**p)).count())
        .sum();
    assert_eq!(matrix.faulty.len(), pairs, "every applicable pair is tried");
    assert_eq!(matrix.clean.len(), Profile::all().iter().copied().len());
    let variation_pairs: usize = Variation::ALL
        .iter()
        .map(|v| Profile::all().iter().filter(|p| v.applies_to(**p)).count())
        .sum();
    assert_eq!(
        matrix.varied.len(),
        variation_pairs,
        "every applicable variation is tried"
    );

    let differences = matrix.compare(&expectations);
    assert!(
        differences.is_empty(),
        "the fault matrix differs from its expectations (seed: {}):\n{}",
        matrix.settings.reproduce(),
        differences.join("\n")
    );
    assert_eq!(
        matrix.vacuous(&expectations),
        Vec::<(Profile, String)>::new(),
        "scenarios no fault makes fail"
    );
    assert_eq!(
        matrix.score(),
        Score {
            caught: pairs,
            total: pairs
        },
        "every fault is caught"
    );
    assert_eq!(matrix.false_alarms(), Vec::<String>::new());
    assert_eq!(
        matrix.variation_score(),
        Score {
            caught: variation_pairs,
            total: variation_pairs
        },
        "every legal variation passes"
    );
    assert!(matrix.passed());

    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").is_file())
        .expect("a Cargo.lock above the crate");
    let page = docs::selftest_page(&matrix, &expectations);
    let problems = docs::check(&root.join(docs::DEFAULT_DIR), &[page]);
    assert!(
        problems.is_empty(),
        "the self-test's page is out of date (run `{}` to regenerate it):\n{}",
        docs::REGENERATE,
        problems.join("\n")
    );
}
