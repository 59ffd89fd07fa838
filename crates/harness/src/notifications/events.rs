//! The events of one subscription: de-duplicated by (`source`, `id`), in arrival order.

use serde_json::Value;

use crate::sink::Notification;

/// What every event type of the API starts with.
pub const TYPE_PREFIX: &str = "org.camaraproject.device-reachability-status-subscriptions.v0.";
/// What lifecycle event types start with.
pub const LIFECYCLE_PREFIX: &str =
    "org.camaraproject.device-reachability-status-subscriptions.v0.subscription-";

/// The OAS schema of an event `type` (the `CloudEvent` discriminator mapping).
pub(crate) fn schema_of(event_type: &str) -> Option<String> {
    let name = match event_type.strip_prefix(TYPE_PREFIX)? {
        "reachability-data" => "EventReachabilityData",
        "reachability-sms" => "EventReachabilitySms",
        "reachability-disconnected" => "EventReachabilityDisconnected",
        "subscription-started" => "EventSubscriptionStarted",
        "subscription-updated" => "EventSubscriptionUpdated",
        "subscription-ended" => "EventSubscriptionEnded",
        _ => return Some("#/components/schemas/CloudEvent".to_owned()),
    };
    Some(format!("#/components/schemas/{name}"))
}

/// One distinct event and how often it was delivered.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// The CloudEvent (the first delivery's body).
    pub body: Value,
    /// Deliveries with the same `source` and `id` (1 without retries).
    pub deliveries: usize,
}

impl Event {
    /// The event's `type`.
    pub fn event_type(&self) -> &str {
        self.body["type"].as_str().unwrap_or_default()
    }

    /// `data.terminationReason` of a subscription-ended event.
    pub fn termination_reason(&self) -> Option<&str> {
        self.body["data"]["terminationReason"].as_str()
    }

    /// Whether this is the `subscription-ended` event.
    pub fn is_end(&self) -> bool {
        self.event_type() == format!("{TYPE_PREFIX}subscription-ended")
    }
}

/// The distinct events of a list of notifications.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Events(pub Vec<Event>);

impl Events {
    /// Groups `notifications` by (`source`, `id`): a retry (CloudEvents 1.0 §3.1.1: same
    /// source and id) counts as a delivery of the same event, not a new event. Bodies
    /// that are not JSON objects are left out (each is a failure of its own).
    pub fn of(notifications: &[Notification]) -> Events {
        let mut events: Vec<Event> = Vec::new();
        for body in notifications.iter().filter_map(Notification::json) {
            if !body.is_object() {
                continue;
            }
            let same = events
                .iter_mut()
                .find(|e| e.body["source"] == body["source"] && e.body["id"] == body["id"]);
            match same {
                Some(event) => event.deliveries += 1,
                None => events.push(Event {
                    body,
                    deliveries: 1,
                }),
            }
        }
        Events(events)
    }

    /// The events of `short_type` (e.g. `reachability-data`, `subscription-ended`).
    pub fn of_type(&self, short_type: &str) -> Vec<&Event> {
        let full = format!("{TYPE_PREFIX}{short_type}");
        self.0.iter().filter(|e| e.event_type() == full).collect()
    }

    /// The first `subscription-ended` event.
    pub fn end(&self) -> Option<&Event> {
        self.0.iter().find(|e| e.is_end())
    }

    /// Events that came after the first `subscription-ended`: none may.
    pub fn after_end(&self) -> Vec<&Event> {
        self.0.iter().skip_while(|e| !e.is_end()).skip(1).collect()
    }
}
