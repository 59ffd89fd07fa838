//! The sweep of an earlier run's leftovers (`[subscriptions] sweep`): subscriptions whose
//! sink starts with this run's lasting sink URL are deleted, others' are not.

use reachability_harness::Api;
use reachability_harness::runner::RunBuilder;
use reachability_harness::target_file::Target;
use reachability_test_support::lab;
use reachability_test_support::mock_client::{Mock, send};
use serde_json::{Value, json};

/// The sink URL base of the earlier run the sweep must recognise.
const EARLIER_RUN: &str = "https://earlier-run.example.com/hooks";

/// Creates a subscription whose sink is `sink`; its id.
async fn subscribe(mock: &Mock, token: &str, sink: &str) -> String {
    let body = json!({
        "protocol": "HTTP",
        "sink": sink,
        "types": ["org.camaraproject.device-reachability-status-subscriptions.v0.reachability-data"],
        "config": { "subscriptionDetail": { "device": { "phoneNumber": lab::data() } } },
    });
    let answer = send(mock.api().bearer_auth(token).body(body.to_string())).await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    answer.json()["id"].as_str().unwrap().to_owned()
}

/// The ids the mock holds.
async fn held(mock: &Mock, token: &str) -> Vec<String> {
    let path = mock.server.profile().operation_path();
    let answer = send(mock.http.get(mock.url(path)).bearer_auth(token)).await;
    let list: Vec<Value> = serde_json::from_str(&answer.text).unwrap();
    let mut ids: Vec<String> = list
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

fn target(mock: &Mock, public_url: Option<&str>) -> Target {
    let env = mock.server.secret_env();
    let lookup = |name: &str| env.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let mut target = Target::parse(&mock.server.target_toml(), "mock.toml", &lookup)
        .unwrap_or_else(|e| panic!("{e}"));
    target.subscriptions.sink.public_url = public_url.map(str::to_owned);
    target.subscriptions.sweep = true;
    target
}

#[tokio::test]
async fn a_sweep_deletes_the_leftovers_of_its_own_sink_url_only() {
    let mock = Mock::start(Api::CamaraSubscriptionsV0.current(), &[]).await;
    let scopes = reachability_contract::oauth::SUBSCRIPTION_SCOPES.join(" ");
    let token = mock.token(Some(&scopes)).await;
    let leftovers = [
        subscribe(&mock, &token, &format!("{EARLIER_RUN}/notifications/a1")).await,
        subscribe(&mock, &token, &format!("{EARLIER_RUN}/notifications/b2")).await,
    ];
    let others = subscribe(
        &mock,
        &token,
        "https://someone-else.example.com/notifications/c3",
    )
    .await;
    let run = RunBuilder::new(target(&mock, Some(EARLIER_RUN)))
        .build()
        .expect("a run");
    let sweep = run.sweep().await;
    assert_eq!(
        sweep.recognised_by.as_deref(),
        Some("https://earlier-run.example.com/hooks/notifications/")
    );
    let mut deleted = sweep.deleted.clone();
    deleted.sort();
    let mut expected = leftovers.to_vec();
    expected.sort();
    assert_eq!(deleted, expected);
    assert_eq!((sweep.others, sweep.problems.len()), (1, 0), "{sweep:?}");
    assert_eq!(held(&mock, &token).await, [others]);
}

#[tokio::test]
async fn a_sink_on_a_port_picked_at_start_recognises_nothing_and_deletes_nothing() {
    let mock = Mock::start(Api::CamaraSubscriptionsV0.current(), &[]).await;
    let scopes = reachability_contract::oauth::SUBSCRIPTION_SCOPES.join(" ");
    let token = mock.token(Some(&scopes)).await;
    let id = subscribe(&mock, &token, &format!("{EARLIER_RUN}/notifications/a1")).await;
    let run = RunBuilder::new(target(&mock, None)).build().expect("a run");
    let sweep = run.sweep().await;
    assert_eq!(sweep.recognised_by, None);
    assert!(sweep.deleted.is_empty(), "{sweep:?}");
    assert_eq!(held(&mock, &token).await, [id]);
}
