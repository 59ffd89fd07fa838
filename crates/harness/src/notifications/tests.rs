use std::time::SystemTime;

use serde_json::json;

use super::*;

const SUBSCRIPTION: &str = "sub-1";

fn data_type() -> String {
    format!("{TYPE_PREFIX}reachability-data")
}

fn event(kind: &str, id: &str) -> Value {
    json!({
        "id": id,
        "source": "https://api.example.com/subscriptions/sub-1",
        "specversion": "1.0",
        "type": format!("{TYPE_PREFIX}{kind}"),
        "time": "2026-11-30T04:00:00.000Z",
        "datacontenttype": "application/json",
        "data": { "subscriptionId": SUBSCRIPTION, "device": { "phoneNumber": "+33699901031" } },
    })
}

fn delivered(body: &Value) -> Notification {
    Notification {
        headers: vec![("content-type".into(), "application/cloudevents+json".into())],
        body: body.to_string(),
        arrived: SystemTime::now(),
        authorized: true,
    }
}

fn check(notification: &Notification, device_sent: Option<&Value>) -> Vec<String> {
    let subscribed = data_type();
    let expected = Expectation {
        subscription_id: SUBSCRIPTION,
        subscribed_type: &subscribed,
        device_sent,
    };
    problems(
        notification,
        &expected,
        &SchemaSet::builtin(crate::Api::CamaraSubscriptionsV0.current()),
    )
}

fn sent() -> Value {
    json!({ "phoneNumber": "+33699901031", "ipv6Address": "2001:db8::1" })
}

#[test]
fn a_conformant_notification_has_no_problem() {
    assert_eq!(
        check(&delivered(&event("reachability-data", "e1")), Some(&sent())),
        Vec::<String>::new()
    );
    let mut ended = event("subscription-ended", "e2");
    ended["data"]["terminationReason"] = json!("MAX_EVENTS_REACHED");
    assert_eq!(
        check(&delivered(&ended), Some(&sent())),
        Vec::<String>::new()
    );
}

#[test]
fn each_deviation_is_named() {
    let good = event("reachability-data", "e1");
    let mut unauthorized = delivered(&good);
    unauthorized.authorized = false;
    let mut binary = delivered(&good["data"]);
    binary.headers = vec![
        ("content-type".into(), "application/json".into()),
        ("ce-specversion".into(), "1.0".into()),
    ];
    let with = |pointer: &str, value: Value| {
        let mut body = good.clone();
        *body.pointer_mut(pointer).unwrap() = value;
        delivered(&body)
    };
    let without_id = {
        let mut body = good.clone();
        body["data"]
            .as_object_mut()
            .unwrap()
            .remove("subscriptionId");
        delivered(&body)
    };
    let cases = [
        (unauthorized, "Authorization"),
        (binary, "binary content mode"),
        (with("/specversion", json!("0.3")), "specversion"),
        (with("/time", json!("yesterday")), "RFC 3339"),
        (
            with("/type", json!(format!("{TYPE_PREFIX}reachability-sms"))),
            "not subscribed",
        ),
        (
            with("/data/subscriptionId", json!("other")),
            "not the created subscription's id",
        ),
        (without_id, "data.subscriptionId is missing"),
        (
            with("/data/device", json!({ "phoneNumber": "+33600000000" })),
            "not one of the identifiers sent",
        ),
        (with("/data/device", sent()), "exactly one identifier"),
    ];
    for (notification, expected) in cases {
        let problems = check(&notification, Some(&sent()));
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "{expected}: {problems:?}"
        );
    }
}

#[test]
fn a_device_named_by_the_token_must_not_be_reported() {
    let problems = check(&delivered(&event("reachability-data", "e1")), None);
    assert!(
        problems.iter().any(|p| p.contains("must be absent")),
        "{problems:?}"
    );
    let mut without = event("reachability-data", "e1");
    without["data"].as_object_mut().unwrap().remove("device");
    assert_eq!(check(&delivered(&without), None), Vec::<String>::new());
}

#[test]
fn the_schema_of_the_type_applies() {
    let mut ended = event("subscription-ended", "e2");
    ended["data"]["terminationReason"] = json!("BORED");
    let problems = check(&delivered(&ended), Some(&sent()));
    assert!(
        problems
            .iter()
            .any(|p| p.contains("EventSubscriptionEnded")),
        "{problems:?}"
    );
}

#[test]
fn retries_are_one_event_and_events_after_the_end_are_found() {
    let first = event("reachability-data", "e1");
    let mut ended = event("subscription-ended", "e2");
    ended["data"]["terminationReason"] = json!("SUBSCRIPTION_DELETED");
    let late = event("reachability-data", "e3");
    let received: Vec<Notification> = [&first, &first, &ended, &late]
        .into_iter()
        .map(delivered)
        .collect();
    let events = Events::of(&received);
    assert_eq!(events.0.len(), 3);
    assert_eq!(events.0[0].deliveries, 2);
    assert_eq!(events.of_type("reachability-data").len(), 2);
    assert_eq!(
        events.end().and_then(Event::termination_reason),
        Some("SUBSCRIPTION_DELETED")
    );
    let after: Vec<&Value> = events.after_end().iter().map(|e| &e.body).collect();
    assert_eq!(after, [&late]);
}
