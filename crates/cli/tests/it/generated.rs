//! Generated negative cases end to end: against a mock that accepts too-short phone numbers,
//! the generated phone-number scenario fails on its first too-short case and shrinks it to
//! the smallest failing input, printing the seed that reproduces it.

use reachability_harness::Api;
use reachability_harness::report::Status;
use reachability_harness::runner::{RunBuilder, Suite, TagFilter};

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_generated_case_is_shrunk_and_reproducible() {
    let mock = reachability_conformance::embedded::start_embedded_mock(
        Api::OrangeLabV0.current(),
        &["phone-length-unchecked".to_owned()],
        0,
        None,
    )
    .await
    .unwrap();
    let suite = Suite::embedded().unwrap();
    let tags = "@reachability_v0_30_generated_phone_numbers"
        .parse::<TagFilter>()
        .unwrap();
    let run = RunBuilder::new(mock.target.clone())
        .tags(Some(tags))
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
    let reason = scenario.reason.as_deref().unwrap_or_default();
    let lines: Vec<&str> = reason.lines().collect();
    // Cases cycle through the classes; the first ("without its '+'") is still refused, the
    // second ("fewer than 5 digits") is the first the faulty mock accepts.
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
    assert!(
        lines[3].starts_with(r#"smallest failing input: body {"device":{"phoneNumber":"+1"}} ("#),
        "{reason}"
    );
    assert!(
        lines[4].starts_with("reproduce: RC_SEED=")
            && lines[4].ends_with(
                " reachability-conformance run --depth standard --tags <this scenario's id> (same target)"
            ),
        "{reason}"
    );
    // The report shows the smallest failing exchange.
    let exchange = scenario.exchange.as_deref().unwrap_or_default();
    assert!(
        exchange.contains(r#"{"device":{"phoneNumber":"+1"}}"#),
        "{exchange}"
    );
    // Every generated request is recorded: one per case, and the smallest failing one.
    assert!(scenario.exchanges.len() > 8, "{}", scenario.exchanges.len());
}
