//! The subscriptions a mock holds (one store per mock: its single API consumer sees them
//! all), and the signal that ends each one's lifecycle task.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde_json::{Value, json};
use tokio::sync::oneshot;

/// Where a subscription stands (OAS `Subscription.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    /// Created asynchronously, not yet active.
    ActivationRequested,
    /// Delivering events.
    Active,
    /// Ended by its expiry time or its maximum number of events.
    Expired,
}

impl Status {
    fn name(self) -> &'static str {
        match self {
            Status::ActivationRequested => "ACTIVATION_REQUESTED",
            Status::Active => "ACTIVE",
            Status::Expired => "EXPIRED",
        }
    }
}

/// One subscription as created.
#[derive(Debug)]
pub(crate) struct Record {
    /// The `Subscription` body without `id` and `status` (never a `sinkCredential`).
    pub body: Value,
    /// Current status.
    pub status: Status,
    /// Ends the lifecycle task with SUBSCRIPTION_DELETED.
    pub delete: Option<oneshot::Sender<()>>,
}

impl Record {
    /// The `Subscription` answer: the stored body with `id` and `status`.
    pub(crate) fn render(&self, id: &str) -> Value {
        let mut body = self.body.clone();
        body["id"] = json!(id);
        body["status"] = json!(self.status.name());
        body
    }
}

/// Every subscription of one mock, by id.
#[derive(Debug, Default)]
pub(crate) struct SubscriptionStore {
    records: Mutex<BTreeMap<String, Record>>,
}

impl SubscriptionStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Record>> {
        self.records
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Stores a new subscription.
    pub(crate) fn insert(&self, id: String, record: Record) {
        self.lock().insert(id, record);
    }

    /// The `Subscription` body of `id`.
    pub(crate) fn get(&self, id: &str) -> Option<Value> {
        self.lock().get(id).map(|record| record.render(id))
    }

    /// Every `Subscription` body, by id.
    pub(crate) fn list(&self) -> Vec<Value> {
        self.lock().iter().map(|(id, r)| r.render(id)).collect()
    }

    /// Removes `id`, giving back its deletion signal; `None` if there is no such
    /// subscription.
    pub(crate) fn remove(&self, id: &str) -> Option<Option<oneshot::Sender<()>>> {
        self.lock().remove(id).map(|r| r.delete)
    }

    /// Sets the status of `id`, if it still exists.
    pub(crate) fn set_status(&self, id: &str, status: Status) {
        if let Some(record) = self.lock().get_mut(id) {
            record.status = status;
        }
    }
}
