//! The steps the official subscriptions plans need, against the mock: a request shaped
//! after its `When ... is sent` (sent at the first step that needs its answer, and a step
//! that shapes it too late errored), a subscription a Given creates, the creation mode.

use reachability_harness::report::{RunResult, Status};
use reachability_harness::runner::Suite;
use reachability_harness::target_file::{CreationMode, Target};
use reachability_mock::Variation;

use crate::subscriptions_suite::{outcomes, run_suite_against_mock};

const BACKGROUND: &str = r##"@camara-subscriptions-v0.8
Feature: plan steps
  Background:
    Given the resource "/device-reachability-status-subscriptions/v0.8/subscriptions"
    And the header "Authorization" is set to a valid access token
    And the request body is compliant with the OAS schema at "#/components/schemas/SubscriptionRequest"
"##;

/// Runs `scenarios` (after the common Background) against the mock.
async fn run(
    name: &str,
    scenarios: &str,
    variations: &[Variation],
    tweak: impl FnOnce(&mut Target),
) -> RunResult {
    let dir = std::env::temp_dir().join(format!("rc-plan-steps-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.feature"));
    std::fs::write(&file, format!("{BACKGROUND}{scenarios}")).unwrap();
    let suite = Suite::from_paths(&[file]).expect("the feature parses");
    let result = run_suite_against_mock(&suite, &[], variations, tweak).await;
    std::fs::remove_dir_all(&dir).unwrap();
    result
}

#[tokio::test]
async fn a_property_set_after_the_when_is_in_the_request() {
    let result = run(
        "deferred",
        r#"
  @deferred_01
  Scenario: shaped after the When
    When the request "createDeviceReachabilityStatusSubscription" is sent
    And request property "$.protocol" is equal to "MQTT3"
    Then the response status code is 400
    And the response property "$.code" is "INVALID_PROTOCOL"
"#,
        &[],
        |_| {},
    )
    .await;
    assert_eq!(
        outcomes(&result),
        [("deferred_01".to_owned(), Status::Passed, String::new())]
    );
    let sent = result.scenarios[0].exchanges[0]["request"]["body"].to_string();
    assert!(sent.contains("MQTT3"), "{sent}");
}

#[tokio::test]
async fn a_change_after_the_request_went_out_is_errored_naming_the_operation() {
    let result = run(
        "too-late",
        r#"
  @late_01
  Scenario: shaped after a check
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 201
    And request property "$.protocol" is equal to "MQTT3"
"#,
        &[],
        |_| {},
    )
    .await;
    let (_, status, reason) = &outcomes(&result)[0];
    assert_eq!(*status, Status::Errored, "{reason}");
    assert!(
        reason.contains(
            "this step changes the request of \"createDeviceReachabilityStatusSubscription\" \
             after it was sent (an earlier step needed its answer): move it before that step"
        ),
        "{reason}"
    );
    assert!(result.leftovers.is_empty(), "{:?}", result.leftovers);
}

#[tokio::test]
async fn a_subscription_a_given_creates_is_named_retrieved_and_cleaned_up() {
    let result = run(
        "given",
        r#"
  @given_01
  Scenario: retrieve what a Given created
    Given a valid subscription for a device exists with "subscriptionId" equal to "id"
    When the request "retrieveDeviceReachabilityStatusSubscription" is sent
    And the path parameter "subscriptionId" is set to "id"
    Then the response status code is 200
    And the response property "$.id" is equal to "id"
    And the response property "$.status" is "ACTIVE"

  @given_02
  Scenario: the path names a value no Given named
    When the request "retrieveDeviceReachabilityStatusSubscription" is sent
    And the path parameter "subscriptionId" is set to "other"
    Then the response status code is 200
"#,
        &[Variation::SubscriptionsAsync],
        |_| {},
    )
    .await;
    let outcomes = outcomes(&result);
    assert_eq!(
        outcomes[0],
        ("given_01".to_owned(), Status::Passed, String::new())
    );
    // Created asynchronously (202), then awaited until activated before the When.
    let statuses: Vec<u64> = result.scenarios[0]
        .exchanges
        .iter()
        .filter_map(|e| e["response"]["status"].as_u64())
        .collect();
    assert_eq!(statuses.first(), Some(&202), "{statuses:?}");
    let (_, status, reason) = &outcomes[1];
    assert_eq!(*status, Status::Errored, "{reason}");
    assert!(reason.contains("no value is named \"other\""), "{reason}");
    assert!(result.leftovers.is_empty(), "{:?}", result.leftovers);
}

const SYNC_CREATION: &str = r#"
  @creation_01
  Scenario: expects a synchronous creation
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 201
"#;

#[tokio::test]
async fn with_either_mode_a_202_where_201_is_expected_is_skipped_naming_the_key() {
    let result = run(
        "either",
        SYNC_CREATION,
        &[Variation::SubscriptionsAsync],
        |t| t.subscriptions.creation = CreationMode::Either,
    )
    .await;
    let (_, status, reason) = &outcomes(&result)[0];
    assert_eq!(*status, Status::Skipped, "{reason}");
    assert_eq!(
        reason,
        "the target answered an asynchronous creation (202) where this scenario expects a \
         synchronous creation (201); declare `subscriptions.creation = \"async\"` in the \
         target file so that the scenarios of the other mode do not apply"
    );
}

#[tokio::test]
async fn a_declared_mode_leaves_the_other_modes_scenarios_out() {
    let result = run(
        "declared",
        SYNC_CREATION,
        &[Variation::SubscriptionsAsync],
        |t| t.subscriptions.creation = CreationMode::Async,
    )
    .await;
    assert!(result.scenarios.is_empty(), "{:?}", outcomes(&result));
}

#[test]
fn the_creation_mode_is_read_from_the_target_file_and_a_bad_one_is_named() {
    let text = |mode: &str| {
        format!(
            "profile = \"camara-subscriptions-v0.8\"\napi_root = \"https://a.test\"\n\
             [auth]\naccess_token_env = \"T\"\n[subscriptions]\ncreation = \"{mode}\"\n"
        )
    };
    let parse = |mode: &str| Target::parse(&text(mode), "t.toml", &|_| Some("x".into()));
    assert_eq!(
        parse("async").unwrap().subscriptions.creation,
        CreationMode::Async
    );
    let error = parse("maybe").unwrap_err().to_string();
    assert!(
        error.contains("subscriptions.creation")
            && error.contains("\"maybe\" is not a creation mode")
            && error.contains("\"sync\" (201), \"async\" (202) or \"either\""),
        "{error}"
    );
}
