//! The embedded subscriptions suite against the mock's subscriptions API, notifications
//! delivered over the network to the run's sink; and the clean-up of what a run created.

use std::time::Duration;

use reachability_harness::Api;
use reachability_harness::report::{RunResult, Status};
use reachability_harness::runner::{RunBuilder, Suite};
use reachability_harness::target_file::Target;
use reachability_mock::{Fault, MockOptions, MockServer, Variation};
use reachability_test_support::loopback::serve;

fn suite() -> Suite {
    Suite::embedded().expect("the embedded features parse")
}

async fn run_against_mock(faults: &[Fault], variations: &[Variation]) -> RunResult {
    run_suite_against_mock(&suite(), faults, variations, |_| {}).await
}

/// The mock and the target its printed file describes (a short event bound).
async fn mock_and_target(faults: &[Fault], variations: &[Variation]) -> (MockServer, Target) {
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
    (mock, target)
}

/// Runs `suite` against a subscriptions mock with `faults` and `variations`, its target
/// changed by `configure` first.
pub(crate) async fn run_suite_against_mock(
    suite: &Suite,
    faults: &[Fault],
    variations: &[Variation],
    configure: impl FnOnce(&mut Target),
) -> RunResult {
    let (_mock, mut target) = mock_and_target(faults, variations).await;
    configure(&mut target);
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

/// A scenario that needs the device's state to change.
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
    let result = run_suite_against_mock(&suite, &[], &[], |target| {
        target.subscriptions.state_change_hook = None;
    })
    .await;
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
        &[Variation::ChangeEventsDelayed],
    ] {
        let result = run_against_mock(&[], variations).await;
        let not_passed: Vec<_> = outcomes(&result)
            .into_iter()
            .filter(|(_, status, _)| *status != Status::Passed)
            .collect();
        assert!(not_passed.is_empty(), "{variations:?}: {not_passed:#?}");
        assert!(result.leftovers.is_empty(), "{:?}", result.leftovers);
        assert_eq!(result.scenarios.len(), 18);
    }
}

#[tokio::test]
async fn each_notification_fault_fails_a_scenario() {
    let faults = [
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
        Fault::PastExpiryAccepted,
        Fault::SubscriptionsNoAuthCheck,
        Fault::SubscriptionsScopeUnchecked,
        Fault::UnknownSubscription200,
        Fault::InitialEventAlways,
        Fault::NoReachabilityEvents,
        Fault::StaleChangeEvent,
    ];
    for fault in faults {
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

/// Runs the state-change scenario of [`STATE_CHANGE`] with the hook `hook` (TOML inline
/// table) and `env`; its one outcome.
async fn state_change_with_hook(hook: &str, env: &[(&str, &str)]) -> (Status, String, RunResult) {
    let dir = std::env::temp_dir().join(format!("rc-hook-{}-{}", std::process::id(), hook.len()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state-change.feature");
    std::fs::write(&file, STATE_CHANGE).unwrap();
    let suite = Suite::from_paths(&[file]).expect("the feature parses");
    let (mock, target) = mock_and_target(&[], &[]).await;
    let mut env: Vec<(String, String)> = env
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    env.extend(mock.secret_env());
    let lookup = |name: &str| env.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let text = mock
        .target_toml()
        .lines()
        .map(|line| {
            if line.starts_with("state_change_hook") {
                format!("state_change_hook = {hook}")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut hooked = Target::parse(&text, "hooked.toml", &lookup).unwrap_or_else(|e| panic!("{e}"));
    hooked.subscriptions.event_timeout = target.subscriptions.event_timeout;
    let result = RunBuilder::new(hooked)
        .build()
        .expect("a run")
        .execute(&suite)
        .await;
    std::fs::remove_dir_all(&dir).unwrap();
    let (_, status, reason) = outcomes(&result).remove(0);
    (status, reason, result)
}

#[tokio::test]
async fn a_hook_command_that_fails_or_hangs_makes_the_step_errored_with_what_it_said() {
    let (status, reason, result) = state_change_with_hook(
        r#"{ command = ["sh", "-c", "echo 'no such device: {change}' >&2; exit 3"] }"#,
        &[],
    )
    .await;
    assert_eq!(status, Status::Errored, "{reason}");
    assert!(
        reason.contains("subscriptions.state_change_hook")
            && reason.contains("exited with exit status: 3")
            && reason.contains("no such device: gains data connectivity"),
        "{reason}"
    );
    assert!(result.leftovers.is_empty(), "{:?}", result.leftovers);
    let (status, reason, _) =
        state_change_with_hook(r#"{ command = ["sleep", "30"], timeout_s = 1 }"#, &[]).await;
    assert_eq!(status, Status::Errored, "{reason}");
    assert!(
        reason.contains("did not finish within 1 s and was stopped"),
        "{reason}"
    );
}

#[tokio::test]
async fn a_hook_command_receives_the_change_and_the_device() {
    let dir = std::env::temp_dir().join(format!("rc-hook-args-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let seen = dir.join("seen.txt");
    let hook = format!(
        r#"{{ command = ["sh", "-c", "printf '%s|%s|' \"$0\" \"$1\" > {0}; cat >> {0}", "{{change}}", "{{device}}"] }}"#,
        seen.display()
    );
    let (status, reason, _) = state_change_with_hook(&hook, &[]).await;
    // The command changes nothing on the mock: no event comes, the scenario fails.
    assert_eq!(status, Status::Failed, "{reason}");
    let written = std::fs::read_to_string(&seen).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let (change, rest) = written.split_once('|').unwrap();
    let (device, stdin) = rest.split_once('|').unwrap();
    assert_eq!(change, "gains data connectivity");
    let device: serde_json::Value = serde_json::from_str(device).unwrap();
    assert!(device["phoneNumber"].is_string(), "{device}");
    let payload: serde_json::Value = serde_json::from_str(stdin).unwrap();
    assert_eq!(
        payload,
        serde_json::json!({ "change": "gains data connectivity", "device": device })
    );
}

#[tokio::test]
async fn an_http_hook_answering_an_error_makes_the_step_errored_with_its_body_masked() {
    // A hook that answers 500, echoing the secret header it received.
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(|headers: axum::http::HeaderMap| async move {
            let key = headers
                .get("x-hook-key")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none")
                .to_owned();
            (
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                format!("refused key {key}"),
            )
        }),
    );
    let url = format!("{}/hook", serve(app).await);
    let hook = format!(r#"{{ url = "{url}", headers_env = {{ X-Hook-Key = "HOOK_KEY" }} }}"#);
    let (status, reason, _) =
        state_change_with_hook(&hook, &[("HOOK_KEY", "hook-secret-4242")]).await;
    assert_eq!(status, Status::Errored, "{reason}");
    assert!(
        reason.contains(&format!("POST {url} answered 500: refused key [REDACTED]")),
        "{reason}"
    );
}
