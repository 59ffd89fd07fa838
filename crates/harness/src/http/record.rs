//! How much of the exchanges' bodies a run keeps for `--record`: at most
//! [`RECORD_BODY_BYTES`] of each body and [`RECORD_RUN_BYTES`] of all bodies of a run, so a
//! target sending huge bodies cannot fill memory or the disk.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Most bytes of one body recorded.
pub const RECORD_BODY_BYTES: usize = 16 * 1024;
/// Most body bytes recorded for a whole run.
pub const RECORD_RUN_BYTES: usize = 1024 * 1024;

/// What a run may still record (shared by clones).
#[derive(Clone, Debug, Default)]
pub struct RecordBudget {
    used: Arc<AtomicUsize>,
}

impl RecordBudget {
    /// A full budget of [`RECORD_RUN_BYTES`].
    pub fn new() -> Self {
        Self::default()
    }

    /// How many of the first `wanted` bytes of a body may be recorded (at most
    /// [`RECORD_BODY_BYTES`], and what the run has left); they are taken from the budget.
    pub fn take(&self, wanted: usize) -> usize {
        let wanted = wanted.min(RECORD_BODY_BYTES);
        let mut granted = 0;
        let _ = self
            .used
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                granted = wanted.min(RECORD_RUN_BYTES.saturating_sub(used));
                Some(used + granted)
            });
        granted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_capped_each_and_together() {
        let budget = RecordBudget::new();
        assert_eq!(budget.take(10), 10);
        assert_eq!(budget.take(usize::MAX), RECORD_BODY_BYTES);
        let mut total = 10 + RECORD_BODY_BYTES;
        while total < RECORD_RUN_BYTES {
            total += budget.take(RECORD_BODY_BYTES);
        }
        assert_eq!(total, RECORD_RUN_BYTES);
        assert_eq!(budget.take(1), 0);
        assert_eq!(budget.clone().take(1), 0);
    }
}
