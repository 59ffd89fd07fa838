//! The run's lock over the testing devices' state on the target.
//!
//! Scenarios run concurrently. Most of the subscriptions scenarios only add subscriptions, and
//! may run side by side: they hold the lock *shared*. A scenario that changes a device's state
//! (the provider hook) or that expects a device to have no subscription at all would be
//! disturbed by the others: it holds the lock *exclusively*, from its first hold on (the
//! runner reserves it before the scenario starts), so it never gives up a shared hold to
//! upgrade, which would let another exclusive scenario in between. A scenario keeps what it
//! holds until its world is dropped, and every wait for the lock is bounded.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};

use cucumber::gherkin;

use super::{PlanStep, SubscriptionStep};
use crate::steps::vocabulary::{self, Action};
use crate::steps::{ReachabilityWorld, Verdict};
use crate::target_file::SubscriptionSettings;

/// How many event timeouts a scenario waits at most for its hold: every scenario holding
/// the lock ends by itself (its waits are bounded), but several may each wait out an event
/// timeout one after the other; the bound only guards against a stuck run.
const WAIT_IN_EVENT_TIMEOUTS: u32 = 10;

/// How long a scenario waits at most for its hold of the lock.
pub(crate) fn lock_wait(settings: &SubscriptionSettings) -> Duration {
    settings.event_timeout * WAIT_IN_EVENT_TIMEOUTS
}

/// The run-wide lock over the testing devices' state.
#[derive(Debug, Default)]
pub(crate) struct DeviceStateLock(Arc<RwLock<()>>);

/// What one scenario holds of the [`DeviceStateLock`].
#[derive(Debug, Default)]
pub(crate) enum Hold {
    /// Nothing yet.
    #[default]
    Nothing,
    /// Nothing yet, but the scenario needs the devices alone: its first hold is exclusive.
    Reserved,
    /// Shared with the other scenarios that only add subscriptions (the guard is held for
    /// its `Drop`, never read).
    Shared(#[allow(dead_code)] OwnedRwLockReadGuard<()>),
    /// The scenario alone may use the devices' state (the guard is held for its `Drop`).
    Exclusive(#[allow(dead_code)] OwnedRwLockWriteGuard<()>),
}

impl DeviceStateLock {
    /// Holds the lock shared (a no-op when `hold` already holds it; exclusive when it is
    /// reserved), waiting at most `within`.
    pub(crate) async fn share(&self, hold: &mut Hold, within: Duration) -> Result<(), Verdict> {
        match hold {
            Hold::Nothing => {}
            Hold::Reserved => return self.exclusive(hold, within).await,
            Hold::Shared(_) | Hold::Exclusive(_) => return Ok(()),
        }
        let guard = tokio::time::timeout(within, Arc::clone(&self.0).read_owned())
            .await
            .map_err(|_| busy(within))?;
        *hold = Hold::Shared(guard);
        Ok(())
    }

    /// Holds the lock exclusively, giving up a shared hold first (so a scenario never waits
    /// for itself), waiting at most `within`.
    pub(crate) async fn exclusive(&self, hold: &mut Hold, within: Duration) -> Result<(), Verdict> {
        if matches!(hold, Hold::Exclusive(_)) {
            return Ok(());
        }
        *hold = Hold::Nothing;
        let guard = tokio::time::timeout(within, Arc::clone(&self.0).write_owned())
            .await
            .map_err(|_| busy(within))?;
        *hold = Hold::Exclusive(guard);
        Ok(())
    }
}

fn busy(within: Duration) -> Verdict {
    Verdict::Errored(format!(
        "the testing devices stayed in use by other scenarios for {} s; run this scenario alone \
         (`--tags`) or raise `subscriptions.event_timeout_s`",
        within.as_secs()
    ))
}

impl ReachabilityWorld {
    /// Before the scenario of `steps` starts: reserves the testing devices when one of its
    /// steps changes a device's state or needs a device without subscriptions, so that
    /// its first hold of the lock is exclusive.
    pub fn reserve_devices_if_needed(&mut self, steps: &[gherkin::Step]) {
        let Some(ctx) = &self.ctx else { return };
        if !ctx.target.profile.is_subscriptions() {
            return;
        }
        let alone = steps.iter().any(|step| {
            let understood = vocabulary::understand(
                &step.value,
                step.docstring.as_deref(),
                &ctx.target.phrasebook,
            );
            matches!(
                understood.action,
                Some(Ok(Action::Subscription(
                    SubscriptionStep::StateChange(_)
                        | SubscriptionStep::Plan(PlanStep::NoneForDevice)
                )))
            )
        });
        if alone {
            self.subscription.hold = Hold::Reserved;
        }
    }

    /// Holds the devices now (shared, or exclusively when reserved): before a step computes
    /// a time relative to now that the request must still honour when it goes out, since
    /// the send would otherwise wait for the lock after the time was taken.
    pub(crate) async fn hold_devices(&mut self) -> Result<(), Verdict> {
        let ctx = self
            .ctx
            .clone()
            .ok_or_else(|| Verdict::Errored("the scenario has no target attached".into()))?;
        let within = lock_wait(&ctx.target.subscriptions);
        ctx.subscriptions
            .devices
            .share(&mut self.subscription.hold, within)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHORT: Duration = Duration::from_millis(50);

    #[tokio::test]
    async fn shared_holds_coexist_and_exclude_an_exclusive_one() {
        let lock = DeviceStateLock::default();
        let (mut a, mut b, mut c) = (Hold::Nothing, Hold::Nothing, Hold::Nothing);
        lock.share(&mut a, SHORT).await.unwrap();
        lock.share(&mut b, SHORT).await.unwrap();
        assert!(matches!(
            lock.exclusive(&mut c, SHORT).await,
            Err(Verdict::Errored(_))
        ));
        drop(a);
        drop(b);
        lock.exclusive(&mut c, SHORT).await.unwrap();
        let mut d = Hold::Nothing;
        assert!(lock.share(&mut d, SHORT).await.is_err());
    }

    #[tokio::test]
    async fn a_reserved_hold_is_exclusive_from_the_first_share() {
        let lock = DeviceStateLock::default();
        let mut reserved = Hold::Reserved;
        lock.share(&mut reserved, SHORT).await.unwrap();
        assert!(matches!(reserved, Hold::Exclusive(_)));
        let mut other = Hold::Nothing;
        assert!(lock.share(&mut other, SHORT).await.is_err());
    }

    #[tokio::test]
    async fn a_scenario_upgrades_its_own_shared_hold() {
        let lock = DeviceStateLock::default();
        let mut hold = Hold::Nothing;
        lock.share(&mut hold, SHORT).await.unwrap();
        lock.exclusive(&mut hold, SHORT).await.unwrap();
        assert!(matches!(hold, Hold::Exclusive(_)));
        lock.share(&mut hold, SHORT).await.unwrap();
        assert!(
            matches!(hold, Hold::Exclusive(_)),
            "sharing keeps an exclusive hold"
        );
    }
}
