//! The embedded subscriptions suite against the mock's subscriptions API, notifications
//! delivered over the network to the run's sink; and the clean-up of what a run created.

use std::time::Duration;

use reachability_harness::Api;
use reachability_harness::report::{RunResult, Status};
use reachability_harness::runner::{RunBuilder, Suite};
use reachability_harness::target_file::Target;
use reachability_mock::{Fault, MockOptions, MockServer, Variation};

fn suite() -> Suite {
    Suite::embedded().expect("the embedded features parse")
}

async fn run_against_mock(faults: &[Fault], variations: &[Variation]) -> RunResult {
    run_suite_against_mock(&suite(), faults, variations, |_| {}).await
}

/// Runs `suite` against a subscriptions mock with `faults` and `variations`, its target
/// changed by `tweak` first.
pub(crate) async fn run_suite_against_mock(
    suite: &Suite,
    faults: &[Fault],
    variations: &[Variation],
    tweak: impl FnOnce(&mut Target),
) -> RunResult {
    let mock = MockServer::start(MockOptions {
        profile: Api::CamaraSubscriptionsV0.current(),
        faults: faults.to_vec(),
        variations: variations.to_vec(),
        ..MockOptions::default()
    })
    .await
    .expect("the mock starts");
    let env: Vec<(String, String)> = mock.secret_env();
    let lookup = |name: &str| env.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let mut target =
        Target::parse(&mock.target_toml(), "mock.toml", &lookup).unwrap_or_else(|e| panic!("{e}"));
    // The mock sends at once: a short bound keeps the faulty runs short.
    target.subscriptions.event_timeout = Duration::from_secs(3);
    tweak(&mut target);
    let run = RunBuilder::new(target).build().expect("a run");
    run.execute(suite).await
}

pub(crate) fn outcomes(result: &RunResult) -> Vec<(String, Status, String)> {
    result
        .scenarios
        .iter()
        .map(|s| {
            (
                s.label().to_owned(),
                s.status,
                s.reason.clone().unwrap_or_default(),
            )
        })
        .collect()
}

/// A scenario that needs the device's state to change, which no hook can cause yet.
const STATE_CHANGE: &str = r#"@camara-subscriptions-v0.8
Feature: state change
  Background:
    Given the resource "{api-root}/device-reachability-status-subscriptions/v0.8/subscriptions" set as base-url
    And the header "Content-Type" is set to "application/json"
    And the header "Authorization" is set to a valid access token

  @state_change
  Scenario: A device gaining data connectivity is notified
    Given the request body is a subscription request for "reachability-data" events of the testing device not_connected
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 201 or 202
    When the device gains data connectivity
    Then a "reachability-data" notification is received
"#;

#[tokio::test]
async fn a_state_change_without_a_hook_is_skipped_naming_the_key_and_cleaned_up() {
    let dir = std::env::temp_dir().join(format!("rc-state-change-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state-change.feature");
    std::fs::write(&file, STATE_CHANGE).unwrap();
    let suite = Suite::from_paths(&[file]).expect("the feature parses");
    let result = run_suite_against_mock(&suite, &[], &[], |_| {}).await;
    std::fs::remove_dir_all(&dir).unwrap();
    let outcomes = outcomes(&result);
    assert_eq!(outcomes.len(), 1, "{outcomes:#?}");
    let (_, status, reason) = &outcomes[0];
    assert_eq!(*status, Status::Skipped, "{reason}");
    assert!(
        reason.contains("subscriptions.state_change_hook"),
        "{reason}"
    );
    // The subscription created before the skip was deleted at the end of the run.
    assert!(result.leftovers.is_empty(), "{:?}", result.leftovers);
}

#[tokio::test]
async fn the_clean_mock_passes_every_scenario_with_every_variation() {
    for variations in [
        &[][..],
        &[Variation::SubscriptionsAsync],
        &[
            Variation::NotificationsRetried,
            Variation::SubscriptionStartedEvent,
        ],
    ] {
        let result = run_against_mock(&[], variations).await;
        let not_passed: Vec<_> = outcomes(&result)
            .into_iter()
            .filter(|(_, status, _)| *status != Status::Passed)
            .collect();
        assert!(not_passed.is_empty(), "{variations:?}: {not_passed:#?}");
        assert!(result.leftovers.is_empty(), "{:?}", result.leftovers);
        assert!(result.scenarios.len() >= 15, "{}", result.scenarios.len());
    }
}

#[tokio::test]
async fn each_notification_fault_fails_a_scenario() {
    for fault in [
        Fault::SinkCredentialMissing,
        Fault::SinkCredentialWrong,
        Fault::BinaryModeEvents,
        Fault::WrongEventType,
        Fault::SubscriptionIdMissing,
        Fault::SinkCredentialEchoed,
        Fault::NoSubscriptionEnded,
        Fault::EventsAfterDelete,
        Fault::InvalidProtocolWrongCode,
        Fault::InvalidCredentialWrongCode,
        Fault::InvalidTokenWrongCode,
        Fault::InvalidSinkWrongCode,
        Fault::MultieventAccepted,
    ] {
        let result = run_against_mock(&[fault], &[]).await;
        assert!(
            result.count(Status::Failed) >= 1,
            "{fault}: {:#?}",
            outcomes(&result)
        );
        assert_eq!(
            result.count(Status::Errored),
            0,
            "{fault}: {:#?}",
            outcomes(&result)
        );
    }
}
