//! Generated negative cases end to end, against mocks with a fault: a failing drawn case is
//! shrunk to the smallest failing input, and a failing exemplar (the hand-written example a
//! class sends as its one case) is reported as it was sent; both print the seed that
//! reproduces them.

use reachability_harness::Api;
use reachability_harness::negative::GenerationSettings;
use reachability_harness::report::{ScenarioResult, Status};
use reachability_harness::runner::{RunBuilder, Suite, TagFilter};

/// The one scenario `tag` of the orange-lab-v0 suite, against its mock with `fault`, with
/// generated cases drawn from `seed`.
async fn failing_scenario(fault: &str, tag: &str, seed: u64) -> ScenarioResult {
    let mock = reachability_conformance::embedded::start_embedded_mock(
        Api::OrangeLabV0.current(),
        &[fault.to_owned()],
        0,
        None,
    )
    .await
    .unwrap();
    let suite = Suite::embedded().unwrap();
    let run = RunBuilder::new(mock.target.clone())
        .tags(Some(tag.parse::<TagFilter>().unwrap()))
        .generation(GenerationSettings {
            seed,
            ..GenerationSettings::drawn()
        })
        .build()
        .unwrap();
    let result = run.execute(&suite).await;
    mock.server.shutdown().await;
    let [scenario] = &result.scenarios[..] else {
        panic!("one scenario selected: {:?}", result.scenarios);
    };
    assert_eq!(scenario.status, Status::Failed);
    assert_eq!(
        scenario.failed_step.as_deref(),
        Some("Then every response status code is 400")
    );
    scenario.clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_drawn_case_is_shrunk_and_reproducible() {
    let scenario = failing_scenario(
        "network-access-identifier-type-unchecked",
        "@reachability_v0_32_generated_wrong_json_types",
        5,
    )
    .await;
    let reason = scenario.reason.as_deref().unwrap_or_default();
    let lines: Vec<&str> = reason.lines().collect();
    // Cases cycle through the classes; the eighth is the first the faulty mock accepts.
    assert!(
        lines[0].starts_with("generated case 8 of ")
            && lines[0].ends_with(
                " (body of wrong JSON types: a network access identifier that is not a string) failed:"
            ),
        "{reason}"
    );
    assert_eq!(lines[1], "expected status 400", "{reason}");
    assert!(
        lines[3].starts_with(
            r#"smallest failing input: body {"device":{"networkAccessIdentifier":null}} (shrunk from body "#
        ),
        "{reason}"
    );
    assert_eq!(
        lines[4],
        "reproduce: RC_SEED=5 reachability-conformance run --depth standard --tags <this scenario's id> (same target)",
        "{reason}"
    );
    // The report shows the smallest failing exchange.
    let exchange = scenario.exchange.as_deref().unwrap_or_default();
    assert!(
        exchange.contains(r#"{"device":{"networkAccessIdentifier":null}}"#),
        "{exchange}"
    );
    // Every generated request is recorded: one per case, and the shrinking ones.
    assert!(
        scenario.exchanges.len() > 10,
        "{}",
        scenario.exchanges.len()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_exemplar_is_reported_as_sent() {
    let scenario = failing_scenario(
        "phone-length-unchecked",
        "@reachability_v0_30_generated_phone_numbers",
        5,
    )
    .await;
    let reason = scenario.reason.as_deref().unwrap_or_default();
    let lines: Vec<&str> = reason.lines().collect();
    // The first class ("without its '+'") is still refused; the second's exemplar, the
    // too-short number of `reachability_v0_10_malformed_phone_number`, is accepted.
    assert!(
        lines[0].starts_with("generated case 2 of ")
            && lines[0].ends_with(" (malformed phone number: fewer than 5 digits) failed:"),
        "{reason}"
    );
    assert_eq!(
        lines[1..3],
        ["expected status 400", "  actual: 500"],
        "{reason}"
    );
    assert_eq!(
        lines[3],
        r#"smallest failing input: body {"device":{"phoneNumber":"+3369"}} (a fixed input of its class, not shrunk)"#,
        "{reason}"
    );
    assert!(lines[4].starts_with("reproduce: RC_SEED=5 "), "{reason}");
}
