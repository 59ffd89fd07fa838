//! Spacing of request starts to honour `requests_per_second`.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Hands out start times at least `1 s / rate` apart, in call order.
#[derive(Debug)]
pub(super) struct Pacer {
    interval: Option<Duration>,
    next: Mutex<Instant>,
}

impl Pacer {
    /// A pacer for `per_second` starts a second; 0 means no pacing.
    pub fn new(per_second: u32) -> Self {
        Self {
            interval: (per_second > 0).then(|| Duration::from_secs(1) / per_second),
            next: Mutex::new(Instant::now()),
        }
    }

    /// Waits for this caller's start slot.
    pub async fn wait(&self) {
        let Some(interval) = self.interval else {
            return;
        };
        let slot = {
            let mut next = self
                .next
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let slot = (*next).max(Instant::now());
            *next = slot + interval;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn slots_are_an_interval_apart() {
        let pacer = Pacer::new(20);
        let start = Instant::now();
        for _ in 0..5 {
            pacer.wait().await;
        }
        // Slots 0, 50, 100, 150, 200 ms: the fifth cannot start before 200 ms.
        assert!(start.elapsed() >= Duration::from_millis(200));
    }

    #[tokio::test]
    async fn zero_means_unpaced() {
        let pacer = Pacer::new(0);
        assert!(pacer.interval.is_none());
        pacer.wait().await;
    }
}
