//! The subscriptions API of the mock: the four operations, their error codes and scopes,
//! and the CloudEvents delivered to a sink (a small recording server in this file).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use chrono::{SecondsFormat, Utc};
use reachability_contract::oauth::{
    SUBSCRIPTION_DATA_CREATE_SCOPE, SUBSCRIPTION_DELETE_SCOPE, SUBSCRIPTION_READ_SCOPE,
    SUBSCRIPTION_SCOPES, SUBSCRIPTION_SMS_CREATE_SCOPE,
};
use reachability_mock::{Api, Fault, MockOptions, Variation};
use serde_json::{Value, json};
use tokio::sync::Notify;

use reachability_test_support::mock_client::{Answer, CORRELATOR, Mock, lab, send};

const TYPE_PREFIX: &str = "org.camaraproject.device-reachability-status-subscriptions.v0.";
const SINK_TOKEN: &str = "sink-token-0123456789";
/// Upper bound on waiting for notifications: reached only when a test fails.
const WAIT_BOUND: Duration = Duration::from_secs(10);

/// One notification as received: headers and body.
#[derive(Clone, Debug)]
struct Received {
    headers: HeaderMap,
    body: String,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

#[derive(Default)]
struct Recorded {
    received: Mutex<Vec<Received>>,
    arrived: Notify,
}

/// A sink on 127.0.0.1 that answers 204 and records every POST.
struct TestSink {
    url: String,
    recorded: Arc<Recorded>,
}

impl TestSink {
    async fn start() -> TestSink {
        async fn record(
            State(recorded): State<Arc<Recorded>>,
            headers: HeaderMap,
            body: String,
        ) -> StatusCode {
            recorded
                .received
                .lock()
                .unwrap()
                .push(Received { headers, body });
            recorded.arrived.notify_waiters();
            StatusCode::NO_CONTENT
        }
        let recorded = Arc::new(Recorded::default());
        let app = Router::new()
            .route("/sink", post(record))
            .with_state(Arc::clone(&recorded));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/sink", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        TestSink { url, recorded }
    }

    /// Waits until `count` notifications arrived (bounded) and returns them all.
    async fn wait_for(&self, count: usize) -> Vec<Received> {
        let wait = async {
            loop {
                let arrived = self.recorded.arrived.notified();
                {
                    let received = self.recorded.received.lock().unwrap();
                    if received.len() >= count {
                        return received.clone();
                    }
                }
                arrived.await;
            }
        };
        tokio::time::timeout(WAIT_BOUND, wait)
            .await
            .unwrap_or_else(|_| panic!("{count} notifications did not arrive: {:?}", self.all()))
    }

    fn all(&self) -> Vec<Received> {
        self.recorded.received.lock().unwrap().clone()
    }
}

async fn mock(faults: &[Fault], variations: &[Variation]) -> Mock {
    Mock::with(MockOptions {
        profile: Api::CamaraSubscriptionsV0.current(),
        faults: faults.to_vec(),
        variations: variations.to_vec(),
        ..MockOptions::default()
    })
    .await
}

fn subscription_body(sink: &str, kind: &str, phone: &str, config: Value) -> Value {
    let mut config = config;
    config["subscriptionDetail"] = json!({ "device": { "phoneNumber": phone } });
    json!({
        "protocol": "HTTP",
        "sink": sink,
        "sinkCredential": {
            "credentialType": "ACCESSTOKEN",
            "accessToken": SINK_TOKEN,
            "accessTokenExpiresUtc": (Utc::now() + chrono::Duration::hours(1))
                .to_rfc3339_opts(SecondsFormat::Millis, true),
            "accessTokenType": "bearer",
        },
        "types": [format!("{TYPE_PREFIX}{kind}")],
        "config": config,
    })
}

/// The subscriptions operations of the mock, as a client sends them.
trait SubscriptionsClient {
    fn collection(&self) -> String;
    async fn all_scopes(&self) -> String;
    async fn create(&self, token: &str, body: &Value) -> Answer;
    async fn get_subscription(&self, token: &str, id: &str) -> Answer;
    async fn delete_subscription(&self, token: &str, id: &str) -> Answer;
}

impl SubscriptionsClient for Mock {
    fn collection(&self) -> String {
        self.url(Api::CamaraSubscriptionsV0.current().operation_path())
    }

    async fn all_scopes(&self) -> String {
        self.token(Some(&SUBSCRIPTION_SCOPES.join(" "))).await
    }

    async fn create(&self, token: &str, body: &Value) -> Answer {
        send(
            self.http
                .post(self.collection())
                .bearer_auth(token)
                .header("x-correlator", CORRELATOR)
                .json(body),
        )
        .await
    }

    async fn get_subscription(&self, token: &str, id: &str) -> Answer {
        send(
            self.http
                .get(format!("{}/{id}", self.collection()))
                .bearer_auth(token)
                .header("x-correlator", CORRELATOR),
        )
        .await
    }

    async fn delete_subscription(&self, token: &str, id: &str) -> Answer {
        send(
            self.http
                .delete(format!("{}/{id}", self.collection()))
                .bearer_auth(token)
                .header("x-correlator", CORRELATOR),
        )
        .await
    }
}

/// Asserts a structured-mode notification for `subscription` of `kind` with the sink
/// token, and returns its body.
fn assert_event(received: &Received, kind: &str, subscription: &str) -> Value {
    assert_eq!(
        received.header("content-type"),
        Some("application/cloudevents+json")
    );
    assert_eq!(
        received.header("authorization"),
        Some(format!("Bearer {SINK_TOKEN}").as_str())
    );
    let event = received.json();
    assert_eq!(event["specversion"], "1.0");
    assert_eq!(event["type"], format!("{TYPE_PREFIX}{kind}"), "{event}");
    assert_eq!(event["data"]["subscriptionId"], subscription, "{event}");
    assert!(event["id"].as_str().is_some_and(|id| !id.is_empty()));
    assert!(event["source"].as_str().is_some_and(|s| !s.is_empty()));
    let time = event["time"].as_str().unwrap_or_default();
    assert!(chrono::DateTime::parse_from_rfc3339(time).is_ok(), "{time}");
    event
}

#[tokio::test]
async fn initial_event_and_max_events_end_the_subscription() {
    let sink = TestSink::start().await;
    let mock = mock(&[], &[]).await;
    let token = mock.all_scopes().await;
    let body = subscription_body(
        &sink.url,
        "reachability-data",
        lab::data(),
        json!({ "initialEvent": true, "subscriptionMaxEvents": 1 }),
    );
    let created = mock.create(&token, &body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.header("x-correlator"), Some(CORRELATOR));
    let subscription = created.json();
    let id = subscription["id"].as_str().expect("an id").to_owned();
    assert_eq!(subscription["status"], "ACTIVE");
    assert_eq!(subscription["sink"], sink.url.as_str());
    assert!(
        subscription.get("sinkCredential").is_none(),
        "{subscription}"
    );

    let received = sink.wait_for(2).await;
    let event = assert_event(&received[0], "reachability-data", &id);
    assert_eq!(
        event["data"]["device"],
        json!({ "phoneNumber": lab::data() })
    );
    let ended = assert_event(&received[1], "subscription-ended", &id);
    assert_eq!(ended["data"]["terminationReason"], "MAX_EVENTS_REACHED");
    assert_ne!(event["id"], ended["id"]);
    let after = mock.get_subscription(&token, &id).await;
    assert_eq!(after.json()["status"], "EXPIRED", "{}", after.text);
}

#[tokio::test]
async fn no_initial_event_when_the_state_does_not_match_and_delete_ends_it() {
    let sink = TestSink::start().await;
    let mock = mock(&[], &[]).await;
    let token = mock.all_scopes().await;
    let body = subscription_body(
        &sink.url,
        "reachability-data",
        lab::not_connected(),
        json!({ "initialEvent": true }),
    );
    let created = mock.create(&token, &body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let listed = send(mock.http.get(mock.collection()).bearer_auth(&token)).await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.json().as_array().map(Vec::len), Some(1));

    let deleted = mock.delete_subscription(&token, &id).await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    let received = sink.wait_for(1).await;
    let ended = assert_event(&received[0], "subscription-ended", &id);
    assert_eq!(ended["data"]["terminationReason"], "SUBSCRIPTION_DELETED");
    mock.get_subscription(&token, &id)
        .await
        .assert_error(404, "NOT_FOUND");
    mock.delete_subscription(&token, &id)
        .await
        .assert_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn expiry_ends_the_subscription() {
    let sink = TestSink::start().await;
    let mock = mock(&[], &[]).await;
    let token = mock.all_scopes().await;
    let expiry = (Utc::now() + chrono::Duration::milliseconds(400))
        .to_rfc3339_opts(SecondsFormat::Millis, true);
    let body = subscription_body(
        &sink.url,
        "reachability-sms",
        lab::data(),
        json!({ "subscriptionExpireTime": expiry }),
    );
    let created = mock.create(&token, &body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.json()["expiresAt"], expiry.as_str());
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let received = sink.wait_for(1).await;
    let ended = assert_event(&received[0], "subscription-ended", &id);
    assert_eq!(ended["data"]["terminationReason"], "SUBSCRIPTION_EXPIRED");
}

#[tokio::test]
async fn create_errors_have_the_codes_the_oas_lists() {
    let mock = mock(&[], &[]).await;
    let token = mock.all_scopes().await;
    let sink = "https://sink.example.com/notify";
    let later = (Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let config = json!({ "subscriptionExpireTime": later });
    let valid = subscription_body(sink, "reachability-data", lab::data(), config);
    let with = |pointer: &str, value: Value| {
        let mut body = valid.clone();
        *body.pointer_mut(pointer).expect("a member of the body") = value;
        body
    };
    let cases = [
        (with("/protocol", json!("MQTT3")), 400, "INVALID_PROTOCOL"),
        (with("/protocol", json!("SMTP")), 400, "INVALID_ARGUMENT"),
        (with("/sink", json!("azerty")), 400, "INVALID_SINK"),
        (
            with("/sinkCredential/credentialType", json!("PLAIN")),
            400,
            "INVALID_CREDENTIAL",
        ),
        (
            with("/sinkCredential/accessTokenType", json!("mac")),
            400,
            "INVALID_TOKEN",
        ),
        (with("/types", json!(["nope"])), 400, "INVALID_ARGUMENT"),
        (
            with(
                "/config/subscriptionExpireTime",
                json!("2020-01-01T00:00:00Z"),
            ),
            400,
            "INVALID_ARGUMENT",
        ),
        (
            with(
                "/types",
                json!([
                    format!("{TYPE_PREFIX}reachability-data"),
                    format!("{TYPE_PREFIX}reachability-sms")
                ]),
            ),
            422,
            "MULTIEVENT_SUBSCRIPTION_NOT_SUPPORTED",
        ),
        (
            with(
                "/config/subscriptionDetail/device",
                json!({ "phoneNumber": lab::unknown() }),
            ),
            422,
            "SERVICE_NOT_APPLICABLE",
        ),
        (
            with("/config/subscriptionDetail", json!({})),
            422,
            "MISSING_IDENTIFIER",
        ),
        (
            with(
                "/config/subscriptionDetail/device",
                json!({ "networkAccessIdentifier": "x@example.com" }),
            ),
            422,
            "UNSUPPORTED_IDENTIFIER",
        ),
    ];
    for (body, status, code) in cases {
        mock.create(&token, &body).await.assert_error(status, code);
    }
}

#[tokio::test]
async fn scopes_are_checked_per_operation_and_event_type() {
    let mock = mock(&[], &[]).await;
    let body = subscription_body(
        "https://sink.example.com/notify",
        "reachability-data",
        lab::data(),
        json!({}),
    );
    let sms_only = mock.token(Some(SUBSCRIPTION_SMS_CREATE_SCOPE)).await;
    mock.create(&sms_only, &body)
        .await
        .assert_error(403, "SUBSCRIPTION_MISMATCH");
    let read_only = mock.token(Some(SUBSCRIPTION_READ_SCOPE)).await;
    mock.create(&read_only, &body)
        .await
        .assert_error(403, "PERMISSION_DENIED");
    mock.delete_subscription(&read_only, "any")
        .await
        .assert_error(403, "PERMISSION_DENIED");
    let data_create = mock.token(Some(SUBSCRIPTION_DATA_CREATE_SCOPE)).await;
    assert_eq!(mock.create(&data_create, &body).await.status, 201);
    mock.get_subscription(&data_create, "any")
        .await
        .assert_error(403, "PERMISSION_DENIED");
    let deleter = mock.token(Some(SUBSCRIPTION_DELETE_SCOPE)).await;
    mock.delete_subscription(&deleter, "unknown-id")
        .await
        .assert_error(404, "NOT_FOUND");
    assert_error_status(&send(mock.http.get(mock.collection())).await, 401);
}

#[tokio::test]
async fn asynchronous_creation_turns_active_and_deletion_is_accepted() {
    let mock = mock(&[], &[Variation::SubscriptionsAsync]).await;
    let token = mock.all_scopes().await;
    let body = subscription_body(
        "https://sink.example.com/notify",
        "reachability-data",
        lab::data(),
        json!({}),
    );
    let created = mock.create(&token, &body).await;
    assert_eq!(created.status, 202, "{}", created.text);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(created.json(), json!({ "id": id }));
    let first = mock.get_subscription(&token, &id).await.json();
    assert_eq!(first["status"], "ACTIVATION_REQUESTED");
    let active = async {
        loop {
            if mock.get_subscription(&token, &id).await.json()["status"] == "ACTIVE" {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(WAIT_BOUND, active)
        .await
        .expect("the subscription turns ACTIVE");
    let deleted = mock.delete_subscription(&token, &id).await;
    assert_eq!(deleted.status, 202);
    assert_eq!(deleted.json(), json!({ "id": id }));
}

/// Whether what the sink received shows a fault.
type Shows = fn(&[Received]) -> bool;

#[tokio::test]
async fn notification_faults_change_what_the_sink_receives() {
    let config = json!({ "initialEvent": true, "subscriptionMaxEvents": 1 });
    let cases: [(Fault, Shows); 6] = [
        (Fault::SinkCredentialMissing, |r| {
            r[0].header("authorization").is_none()
        }),
        (Fault::SinkCredentialWrong, |r| {
            r[0].header("authorization") != Some(&format!("Bearer {SINK_TOKEN}"))
                && r[0].header("authorization").is_some()
        }),
        (Fault::BinaryModeEvents, |r| {
            r[0].header("ce-specversion") == Some("1.0")
                && r[0].header("content-type") == Some("application/json")
        }),
        (Fault::WrongEventType, |r| {
            r[0].json()["type"] == format!("{TYPE_PREFIX}reachability-sms")
        }),
        (Fault::SubscriptionIdMissing, |r| {
            r[0].json()["data"].get("subscriptionId").is_none()
        }),
        (Fault::NoSubscriptionEnded, |r| r.len() == 1),
    ];
    for (fault, shows) in cases {
        let sink = TestSink::start().await;
        let mock = mock(&[fault], &[]).await;
        let token = mock.all_scopes().await;
        let body = subscription_body(&sink.url, "reachability-data", lab::data(), config.clone());
        assert_eq!(mock.create(&token, &body).await.status, 201, "{fault}");
        let received = sink.wait_for(1).await;
        // Whatever else comes is sent at once after the first event.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let received = if sink.all().len() > received.len() {
            sink.all()
        } else {
            received
        };
        assert!(shows(&received), "{fault}: {received:?}");
    }
}

#[tokio::test]
async fn echoed_credential_and_events_after_delete_faults() {
    let sink = TestSink::start().await;
    let mock = mock(
        &[Fault::SinkCredentialEchoed, Fault::EventsAfterDelete],
        &[],
    )
    .await;
    let token = mock.all_scopes().await;
    let body = subscription_body(&sink.url, "reachability-data", lab::data(), json!({}));
    let created = mock.create(&token, &body).await;
    assert_eq!(
        created.json()["sinkCredential"]["accessToken"],
        SINK_TOKEN,
        "{}",
        created.text
    );
    let id = created.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(mock.delete_subscription(&token, &id).await.status, 204);
    let received = sink.wait_for(2).await;
    assert_event(&received[0], "subscription-ended", &id);
    assert_event(&received[1], "reachability-data", &id);
}

#[tokio::test]
async fn retried_notifications_keep_their_id() {
    let sink = TestSink::start().await;
    let mock = mock(&[], &[Variation::NotificationsRetried]).await;
    let token = mock.all_scopes().await;
    let body = subscription_body(
        &sink.url,
        "reachability-data",
        lab::data(),
        json!({ "initialEvent": true, "subscriptionMaxEvents": 1 }),
    );
    assert_eq!(mock.create(&token, &body).await.status, 201);
    let received = sink.wait_for(4).await;
    assert_eq!(received[0].json(), received[1].json());
    assert_eq!(received[2].json(), received[3].json());
    assert_ne!(received[0].json()["id"], received[2].json()["id"]);
}

#[tokio::test]
async fn error_code_faults_answer_invalid_argument() {
    let sink = "https://sink.example.com/notify";
    let valid = subscription_body(sink, "reachability-data", lab::data(), json!({}));
    let with = |pointer: &str, value: Value| {
        let mut body = valid.clone();
        *body.pointer_mut(pointer).unwrap() = value;
        body
    };
    let cases = [
        (
            Fault::InvalidProtocolWrongCode,
            with("/protocol", json!("MQTT5")),
        ),
        (
            Fault::InvalidCredentialWrongCode,
            with("/sinkCredential/credentialType", json!("REFRESHTOKEN")),
        ),
        (
            Fault::InvalidTokenWrongCode,
            with("/sinkCredential/accessTokenType", json!("mac")),
        ),
        (Fault::InvalidSinkWrongCode, with("/sink", json!("azerty"))),
    ];
    for (fault, body) in cases {
        let mock = mock(&[fault], &[]).await;
        let token = mock.all_scopes().await;
        mock.create(&token, &body)
            .await
            .assert_error(400, "INVALID_ARGUMENT");
    }
    let mock = mock(&[Fault::MultieventAccepted], &[]).await;
    let token = mock.all_scopes().await;
    let body = with(
        "/types",
        json!([
            format!("{TYPE_PREFIX}reachability-data"),
            format!("{TYPE_PREFIX}reachability-sms")
        ]),
    );
    assert_eq!(mock.create(&token, &body).await.status, 201);
}

/// Asserts `answer` is an error of `status`, in its line and in its body.
fn assert_error_status(answer: &Answer, status: u16) {
    assert_eq!(answer.status, status, "{}", answer.text);
    assert_eq!(answer.json()["status"], status, "{}", answer.text);
}

/// Asks the mock's control endpoint to apply `change` to the device with `phone`.
async fn change_state(mock: &Mock, change: &str, phone: &str) -> Answer {
    let body = json!({ "change": change, "device": { "phoneNumber": phone } });
    let request = mock.http.post(mock.url("/_mock/devices/state"));
    send(request.header("x-correlator", CORRELATOR).json(&body)).await
}

#[tokio::test]
async fn the_control_endpoint_names_a_bad_change_or_an_unknown_device() {
    let mock = mock(&[], &[]).await;
    let bad = change_state(&mock, "goes to the moon", lab::data()).await;
    bad.assert_error(400, "INVALID_ARGUMENT");
    assert_eq!(
        bad.json()["message"],
        "Unknown change \"goes to the moon\": use one of gains data connectivity, gains sms \
         connectivity, loses all connectivity, loses data connectivity, loses sms connectivity."
    );
    change_state(&mock, "gains data connectivity", lab::unknown())
        .await
        .assert_error(404, "NOT_FOUND");
    assert_eq!(
        change_state(&mock, "loses sms connectivity", lab::data())
            .await
            .status,
        204
    );
}

#[tokio::test]
async fn a_state_change_sends_the_event_of_the_new_state_to_that_devices_subscriptions() {
    let sink = TestSink::start().await;
    let other_sink = TestSink::start().await;
    let mock = mock(&[], &[]).await;
    let token = mock.all_scopes().await;
    let create =
        |sink: &str, kind: &str, phone: &str| subscription_body(sink, kind, phone, json!({}));
    let data = mock
        .create(
            &token,
            &create(&sink.url, "reachability-data", lab::not_connected()),
        )
        .await;
    let id = data.json()["id"].as_str().unwrap().to_owned();
    // Another type of the same device, and the same type of another device: no event.
    for body in [
        create(&other_sink.url, "reachability-sms", lab::not_connected()),
        create(&other_sink.url, "reachability-data", lab::data()),
    ] {
        assert_eq!(mock.create(&token, &body).await.status, 201);
    }
    assert_eq!(
        change_state(&mock, "gains data connectivity", lab::not_connected())
            .await
            .status,
        204
    );
    let received = sink.wait_for(1).await;
    assert_event(&received[0], "reachability-data", &id);
    // Losing all connectivity gives nothing to a reachability-data subscription.
    assert_eq!(
        change_state(&mock, "loses all connectivity", lab::not_connected())
            .await
            .status,
        204
    );
    let deleted = mock.delete_subscription(&token, &id).await;
    assert_eq!(deleted.status, 204);
    let received = sink.wait_for(2).await;
    assert_eq!(received.len(), 2, "{received:?}");
    assert_event(&received[1], "subscription-ended", &id);
    assert!(other_sink.all().is_empty(), "{:?}", other_sink.all());
}

#[tokio::test]
async fn a_subscription_created_after_a_change_starts_from_the_new_state() {
    let sink = TestSink::start().await;
    let mock = mock(&[], &[]).await;
    let token = mock.all_scopes().await;
    assert_eq!(
        change_state(&mock, "gains sms connectivity", lab::not_connected())
            .await
            .status,
        204
    );
    let body = subscription_body(
        &sink.url,
        "reachability-sms",
        lab::not_connected(),
        json!({ "initialEvent": true, "subscriptionMaxEvents": 1 }),
    );
    let created = mock.create(&token, &body).await;
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let received = sink.wait_for(2).await;
    assert_event(&received[0], "reachability-sms", &id);
    let ended = assert_event(&received[1], "subscription-ended", &id);
    assert_eq!(ended["data"]["terminationReason"], "MAX_EVENTS_REACHED");
}

#[tokio::test]
async fn state_change_faults_send_nothing_or_the_previous_state() {
    for fault in [Fault::NoReachabilityEvents, Fault::StaleChangeEvent] {
        let sink = TestSink::start().await;
        let mock = mock(&[fault], &[]).await;
        let token = mock.all_scopes().await;
        let body = subscription_body(
            &sink.url,
            "reachability-data",
            lab::not_connected(),
            json!({}),
        );
        let id = mock.create(&token, &body).await.json()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            change_state(&mock, "gains data connectivity", lab::not_connected())
                .await
                .status,
            204
        );
        // The deletion's subscription-ended is the first (and only) event.
        assert_eq!(mock.delete_subscription(&token, &id).await.status, 204);
        let received = sink.wait_for(1).await;
        assert_event(&received[0], "subscription-ended", &id);
        assert_eq!(received.len(), 1, "{fault}: {received:?}");
    }
}

#[tokio::test]
async fn the_unkillable_scenarios_faults_change_what_they_check() {
    let mock = mock(
        &[
            Fault::PastExpiryAccepted,
            Fault::SubscriptionsNoAuthCheck,
            Fault::SubscriptionsScopeUnchecked,
            Fault::UnknownSubscription200,
        ],
        &[],
    )
    .await;
    let sink = "https://sink.example.com/notify";
    let past = json!({ "subscriptionExpireTime": "2020-01-01T00:00:00Z" });
    let body = subscription_body(sink, "reachability-data", lab::data(), past);
    // No Authorization header: served with every scope, past expiry accepted.
    let created = send(mock.http.post(mock.collection()).json(&body)).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let no_scope = mock.token(Some("openid")).await;
    let body = subscription_body(sink, "reachability-sms", lab::data(), json!({}));
    assert_eq!(mock.create(&no_scope, &body).await.status, 201);
    let unknown = "00000000-0000-0000-0000-000000000000";
    assert_eq!(mock.get_subscription(&no_scope, unknown).await.status, 200);
    assert_eq!(
        mock.delete_subscription(&no_scope, unknown).await.status,
        204
    );
}

#[tokio::test]
async fn initial_event_always_sends_one_whatever_the_state() {
    let sink = TestSink::start().await;
    let mock = mock(&[Fault::InitialEventAlways], &[]).await;
    let token = mock.all_scopes().await;
    let body = subscription_body(
        &sink.url,
        "reachability-data",
        lab::not_connected(),
        json!({ "initialEvent": true }),
    );
    let id = mock.create(&token, &body).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let received = sink.wait_for(1).await;
    assert_event(&received[0], "reachability-data", &id);
}
