//! Checks of the notifications a subscriptions implementation sends: CloudEvents 1.0 in
//! structured mode, the subscription's bearer token, the OAS schema of each event type,
//! the subscription id and device, subscribed or lifecycle types, retries and the end of
//! a subscription.
//!
//! References: CloudEvents 1.0 core §3.1 (required attributes), the HTTP protocol
//! binding §3.2 (structured content mode, `application/cloudevents+json`), and the
//! subscriptions OAS v0.8.0 (`CloudEvent` and its discriminator mapping).

mod events;

use serde_json::Value;

use crate::schema::SchemaSet;
use crate::sink::Notification;

pub use events::{Event, Events, LIFECYCLE_PREFIX, TYPE_PREFIX};

/// What a notification of one subscription must be.
#[derive(Clone, Copy, Debug)]
pub struct Expectation<'a> {
    /// The id the create operation answered.
    pub subscription_id: &'a str,
    /// The full event type subscribed to.
    pub subscribed_type: &'a str,
    /// The `device` object the request sent; `None` when the access token named the
    /// device (three-legged), where events must carry no device.
    pub device_sent: Option<&'a Value>,
}

/// Every way `notification` breaks the rules for `expected`; empty when it conforms.
pub fn problems(
    notification: &Notification,
    expected: &Expectation<'_>,
    schemas: &SchemaSet,
) -> Vec<String> {
    let mut problems = Vec::new();
    if !notification.authorized {
        problems.push(match notification.header("authorization") {
            None => "the notification carries no Authorization header: it must be `Bearer <sinkCredential.accessToken>`".to_owned(),
            Some(_) => "the notification's Authorization header is not `Bearer <sinkCredential.accessToken>` of this subscription".to_owned(),
        });
    }
    let content_type = notification.header("content-type").unwrap_or("(none)");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case("application/cloudevents+json") {
        let binary = notification
            .headers
            .iter()
            .any(|(name, _)| name.to_ascii_lowercase().starts_with("ce-"));
        problems.push(format!(
            "Content-Type is {content_type:?}, not application/cloudevents+json{}: CloudEvents HTTP binding §3.2 structured mode is required",
            if binary { " (ce-* headers: binary content mode)" } else { "" }
        ));
    }
    let Some(event) = notification.json().filter(Value::is_object) else {
        problems.push("the body is not a JSON object (a CloudEvent)".to_owned());
        return problems;
    };
    problems.extend(attribute_problems(&event));
    let event_type = event["type"].as_str().unwrap_or_default();
    if let Some(pointer) = events::schema_of(event_type)
        && let Err(error) = schemas.validate(&pointer, &event)
    {
        problems.push(format!("the event breaks {pointer}: {error}"));
    }
    if event_type != expected.subscribed_type && !event_type.starts_with(LIFECYCLE_PREFIX) {
        problems.push(format!(
            "type {event_type:?} was not subscribed to (subscribed: {:?}) and is not a lifecycle event",
            expected.subscribed_type
        ));
    }
    let data = &event["data"];
    match data["subscriptionId"].as_str() {
        Some(id) if id == expected.subscription_id => {}
        Some(id) => problems.push(format!(
            "data.subscriptionId is {id:?}, not the created subscription's id {:?}",
            expected.subscription_id
        )),
        None => problems.push("data.subscriptionId is missing".to_owned()),
    }
    problems.extend(device_problems(data.get("device"), expected.device_sent));
    problems
}

/// CloudEvents 1.0 §3.1: `id`, `source`, `specversion` "1.0", `type`, and (OAS) an RFC
/// 3339 `time`.
fn attribute_problems(event: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for name in ["id", "source", "type"] {
        if event[name].as_str().is_none_or(str::is_empty) {
            problems.push(format!(
                "the required attribute `{name}` is missing or empty"
            ));
        }
    }
    if event["specversion"] != "1.0" {
        problems.push(format!(
            "specversion is {}, not \"1.0\"",
            event.get("specversion").unwrap_or(&Value::Null)
        ));
    }
    match event["time"].as_str() {
        Some(time) if chrono::DateTime::parse_from_rfc3339(time).is_ok() => {}
        Some(time) => problems.push(format!("time {time:?} is not an RFC 3339 date-time")),
        None => problems.push("the attribute `time` is missing".to_owned()),
    }
    problems
}

/// `data.device` holds one identifier the request sent, or is absent when the token
/// named the device.
fn device_problems(device: Option<&Value>, sent: Option<&Value>) -> Vec<String> {
    let (Some(device), Some(sent)) = (device, sent) else {
        return match (device, sent) {
            (Some(device), None) => vec![format!(
                "data.device is {device}, but the device was named by the access token: it must be absent"
            )],
            _ => Vec::new(),
        };
    };
    let Some(members) = device.as_object().filter(|m| m.len() == 1) else {
        return vec![format!(
            "data.device is {device}: it must hold exactly one identifier"
        )];
    };
    let matches = members
        .iter()
        .all(|(key, value)| sent.get(key) == Some(value));
    if matches {
        Vec::new()
    } else {
        vec![format!(
            "data.device is {device}, which is not one of the identifiers sent ({sent})"
        )]
    }
}

#[cfg(test)]
mod tests;
