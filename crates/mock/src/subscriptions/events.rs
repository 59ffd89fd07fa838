//! The CloudEvents 1.0 the network sends: reachability events and lifecycle events.

use chrono::{SecondsFormat, Utc};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::super::faults::{Fault, FaultSet};
use super::request::{EventType, TYPE_PREFIX};

/// Why a subscription ended (`TerminationReason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Termination {
    /// `subscriptionMaxEvents` events were sent.
    MaxEventsReached,
    /// `subscriptionExpireTime` was reached.
    Expired,
    /// The subscriber deleted it.
    Deleted,
}

impl Termination {
    fn name(self) -> &'static str {
        match self {
            Termination::MaxEventsReached => "MAX_EVENTS_REACHED",
            Termination::Expired => "SUBSCRIPTION_EXPIRED",
            Termination::Deleted => "SUBSCRIPTION_DELETED",
        }
    }
}

/// What every event of one subscription shares.
#[derive(Clone, Debug)]
pub(crate) struct Subject {
    /// The CloudEvents `source`: the subscription's URL.
    pub source: String,
    /// The subscription's id.
    pub subscription_id: String,
    /// The one device identifier to report (`DeviceResponse`), absent when the token
    /// named the device.
    pub device: Option<Value>,
}

/// A reachability event of `event_type` (another type under `wrong-event-type`; no
/// `subscriptionId` under `subscription-id-missing`).
pub(crate) fn reachability(subject: &Subject, event_type: EventType, faults: &FaultSet) -> Value {
    let sent_type = if faults.has(Fault::WrongEventType) {
        event_type.other()
    } else {
        event_type
    };
    let mut data = data(subject);
    if faults.has(Fault::SubscriptionIdMissing) {
        data.remove("subscriptionId");
    }
    cloud_event(subject, &sent_type.type_name(), data)
}

/// The `subscription-ended` event for `reason`.
pub(crate) fn ended(subject: &Subject, reason: Termination) -> Value {
    let mut data = data(subject);
    data.insert("terminationReason".into(), json!(reason.name()));
    cloud_event(subject, &format!("{TYPE_PREFIX}subscription-ended"), data)
}

/// The `subscription-started` event (SUBSCRIPTION_CREATED).
pub(crate) fn started(subject: &Subject) -> Value {
    let mut data = data(subject);
    data.insert("initiationReason".into(), json!("SUBSCRIPTION_CREATED"));
    cloud_event(subject, &format!("{TYPE_PREFIX}subscription-started"), data)
}

fn data(subject: &Subject) -> Map<String, Value> {
    let mut data = Map::new();
    if let Some(device) = &subject.device {
        data.insert("device".into(), device.clone());
    }
    data.insert("subscriptionId".into(), json!(subject.subscription_id));
    data
}

fn cloud_event(subject: &Subject, event_type: &str, data: Map<String, Value>) -> Value {
    json!({
        "id": Uuid::new_v4().to_string(),
        "source": subject.source,
        "specversion": "1.0",
        "type": event_type,
        "time": Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
        "datacontenttype": "application/json",
        "data": data,
    })
}

/// The one identifier of `device` (a request's `Device`) an event reports: the first of
/// phoneNumber, networkAccessIdentifier, ipv4Address, ipv6Address.
pub(crate) fn reported_device(device: Option<&Value>) -> Option<Value> {
    let device = device?.as_object()?;
    [
        "phoneNumber",
        "networkAccessIdentifier",
        "ipv4Address",
        "ipv6Address",
    ]
    .into_iter()
    .find_map(|key| device.get(key).map(|value| json!({ key: value })))
}
