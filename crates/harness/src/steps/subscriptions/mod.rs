//! Steps of the subscriptions profile: subscription requests that carry a sink of the
//! run's own [`Sink`] and a random sink credential, the ledger of created subscriptions,
//! and the notification checks (see [`crate::notifications`]).
//!
//! Its sentences form their own table ([`patterns`]), appended to the vocabulary.

mod cleanup;
mod exclusive;
mod given_subscription;
mod hook;
mod ledger;
mod perform;
mod plan_notifications;
mod plan_sentences;
mod plan_steps;
mod sentences;
mod sweep;

use serde_json::Value;
use tokio::sync::OnceCell;

use crate::DeviceRole;
use crate::sink::{Registration, Sink};
use exclusive::{DeviceStateLock, Hold};

pub use cleanup::{clean_up, clean_up_within};
pub(crate) use exclusive::lock_wait;
pub use ledger::{Entry, Ledger};
pub(crate) use perform::operation;
pub(crate) use plan_sentences::patterns as plan_patterns;
pub use plan_steps::CREATE;
pub use plan_steps::PlanStep;
pub(crate) use sentences::patterns;
pub use sweep::{Sweep, sweep};

/// The operations of the subscriptions API, by `operationId`: method, and whether the
/// URL names one subscription (`/subscriptions/{subscriptionId}`).
pub(crate) const OPERATIONS: [(&str, &str, bool); 4] = [
    ("createDeviceReachabilityStatusSubscription", "POST", false),
    (
        "retrieveDeviceReachabilityStatusSubscriptionList",
        "GET",
        false,
    ),
    ("retrieveDeviceReachabilityStatusSubscription", "GET", true),
    ("deleteDeviceReachabilityStatusSubscription", "DELETE", true),
];

/// Whether `operation` is an operation of the subscriptions API on one subscription
/// (`/subscriptions/{subscriptionId}`).
pub fn is_item_operation(operation: &str) -> bool {
    perform::operation(operation).is_some_and(|(_, item)| item)
}

/// A subscriptions step, understood.
#[derive(Clone, Debug, PartialEq)]
pub enum SubscriptionStep {
    /// Makes the body a subscription request for events of `kind` (e.g.
    /// `reachability-data`) about the testing device that plays `device`,
    /// with a sink and credential of the run's sink.
    RequestFor {
        /// The short event type.
        kind: String,
        /// The role of the testing device.
        device: DeviceRole,
    },
    /// Names a subscription id no subscription has (for 404 checks).
    UnknownId,
    /// Waits (bounded) until the created subscription is ACTIVE (async creation).
    BecomesActive,
    /// Waits (bounded) for a notification of this short type; every notification must
    /// conform.
    Receives(String),
    /// Waits (bounded) for `subscription-ended` with this termination reason.
    Ends(String),
    /// Waits for the quiet window: nothing may come after `subscription-ended`.
    NothingAfterEnd,
    /// Waits for the quiet window: no reachability event may come.
    NoReachabilityEvent,
    /// A change of the device's state that only a provider hook can cause: one of
    /// `gains data connectivity`, `gains sms connectivity`, `loses all connectivity`,
    /// `loses data connectivity`, `loses sms connectivity`.
    StateChange(String),
    /// Sets a body property to a time `seconds` from when the step runs (a signed offset:
    /// negative is in the past).
    TimeFromNow {
        /// The body property (`$.config.subscriptionExpireTime`).
        path: String,
        /// Seconds from now.
        seconds: i64,
    },
    /// A step of CAMARA's official plans (see [`PlanStep`]).
    Plan(PlanStep),
}

impl SubscriptionStep {
    /// Whether the step checks what the implementation did (a notification, a state
    /// reached, a list): a scenario with one checks something.
    pub fn is_check(&self) -> bool {
        match self {
            SubscriptionStep::BecomesActive
            | SubscriptionStep::Receives(_)
            | SubscriptionStep::Ends(_)
            | SubscriptionStep::NothingAfterEnd
            | SubscriptionStep::NoReachabilityEvent => true,
            SubscriptionStep::Plan(step) => step.is_check(),
            _ => false,
        }
    }

    /// Whether the step names the subscription an operation on one subscription works on.
    pub fn names_subscription(&self) -> bool {
        matches!(
            self,
            SubscriptionStep::UnknownId
                | SubscriptionStep::Plan(PlanStep::PathId(_) | PlanStep::Unknown(_))
        )
    }

    /// Whether the step shapes the request (or the subscription a Given prepares) rather
    /// than needing an answer (see [`crate::steps::Action::shapes_request`]).
    pub fn shapes_request(&self) -> bool {
        match self {
            SubscriptionStep::RequestFor { .. }
            | SubscriptionStep::UnknownId
            | SubscriptionStep::TimeFromNow { .. } => true,
            SubscriptionStep::Plan(step) => step.shapes_request(),
            _ => false,
        }
    }
}

/// What a run shares for subscriptions: its sink (started on first use) and its ledger.
#[derive(Debug, Default)]
pub struct SubscriptionRun {
    sink: OnceCell<Result<Sink, String>>,
    /// The subscriptions the run created and has not deleted.
    pub ledger: Ledger,
    /// Shared by the scenarios that add subscriptions, exclusive for those that change a
    /// device's state or need a device without subscriptions.
    pub(crate) devices: DeviceStateLock,
}

/// The subscription a scenario works with.
#[derive(Debug, Default)]
pub(crate) struct Current {
    /// The sink path and token of its notifications.
    pub registration: Option<Registration>,
    /// The full event type subscribed to.
    pub subscribed_type: String,
    /// The device object sent (`None`: named by the token).
    pub device_sent: Option<Value>,
    /// The id the create operation answered, or one a step chose.
    pub id: Option<String>,
    /// What the scenario holds of the run's [`DeviceStateLock`].
    pub hold: Hold,
    /// When the scenario's last change of the device's state began: the events awaited
    /// after it are those that arrived since.
    pub changed_at: Option<std::time::SystemTime>,
    /// The subscription a Given prepared, not created yet: the name of its id and the
    /// request.
    pub creation: Option<(String, Value)>,
    /// Values the scenario named (`"id"`: the id of the subscription a Given created).
    pub names: std::collections::HashMap<String, String>,
    /// The ids of the subscriptions the scenario created, in order.
    pub created: Vec<String>,
}
