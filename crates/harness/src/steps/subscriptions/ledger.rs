//! The ledger of the subscriptions a run created, so that each one is deleted at the end
//! of the run, whatever happened to its scenario.

use std::sync::Mutex;

/// One subscription the run created and has not deleted yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The subscription's id.
    pub id: String,
    /// Its URL (`.../subscriptions/{id}`), where DELETE goes.
    pub url: String,
}

/// The subscriptions a run created and still owns.
#[derive(Debug, Default)]
pub struct Ledger {
    entries: Mutex<Vec<Entry>>,
}

impl Ledger {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records a created subscription.
    pub fn record(&self, id: &str, url: &str) {
        let mut entries = self.lock();
        if !entries.iter().any(|e| e.id == id) {
            entries.push(Entry {
                id: id.to_owned(),
                url: url.to_owned(),
            });
        }
    }

    /// Forgets a subscription that is gone (deleted, or refused as unknown).
    pub fn forget(&self, id: &str) {
        self.lock().retain(|e| e.id != id);
    }

    /// The subscriptions still owned, in creation order.
    pub fn entries(&self) -> Vec<Entry> {
        self.lock().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_once_and_forgets() {
        let ledger = Ledger::default();
        ledger.record("a", "http://h/subscriptions/a");
        ledger.record("b", "http://h/subscriptions/b");
        ledger.record("a", "http://h/subscriptions/a");
        ledger.forget("b");
        assert_eq!(
            ledger.entries(),
            [Entry {
                id: "a".into(),
                url: "http://h/subscriptions/a".into()
            }]
        );
    }
}
