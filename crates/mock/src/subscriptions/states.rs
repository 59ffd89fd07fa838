//! Device states changed at run time, through the mock's control endpoint
//! (`POST /_mock/devices/state`, not part of the API): what the harness's provider hook
//! calls to make a device gain or lose connectivity. Each change is announced to the
//! lifecycle task of every subscription, which sends the matching reachability event.

use std::collections::HashMap;
use std::sync::Mutex;

use tokio::sync::broadcast;

use super::super::devices::{Device, DeviceState};

/// How many announcements a slow lifecycle task may fall behind before it misses some.
const ANNOUNCEMENT_BACKLOG: usize = 64;

/// A change of a device's connectivity, as the provider hook names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    /// The device becomes reachable for data.
    GainsData,
    /// The device becomes reachable for SMS.
    GainsSms,
    /// The device loses every connectivity.
    LosesAll,
    /// The device loses data (keeping SMS if it had it).
    LosesData,
    /// The device loses SMS (keeping data if it had it).
    LosesSms,
}

impl Change {
    /// Every change, with the words the hook sends.
    const ALL: [(Change, &'static str); 5] = [
        (Change::GainsData, "gains data connectivity"),
        (Change::GainsSms, "gains sms connectivity"),
        (Change::LosesAll, "loses all connectivity"),
        (Change::LosesData, "loses data connectivity"),
        (Change::LosesSms, "loses sms connectivity"),
    ];

    /// The change named `words`, if any.
    pub(crate) fn parse(words: &str) -> Option<Change> {
        Self::ALL
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(words.trim()))
            .map(|(change, _)| *change)
    }

    /// The names a hook may send, for error messages.
    pub(crate) fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|(_, name)| *name).collect()
    }

    /// The state of a device in `state` after this change.
    pub(crate) fn apply(self, state: DeviceState) -> DeviceState {
        use DeviceState::{Data, DataAndSms, NotApplicable, NotConnected, Sms};
        match (self, state) {
            (_, NotApplicable) => NotApplicable,
            (Change::GainsData, Sms | DataAndSms) => DataAndSms,
            (Change::GainsData, Data | NotConnected) => Data,
            (Change::GainsSms, Data | DataAndSms) => DataAndSms,
            (Change::GainsSms, Sms | NotConnected) => Sms,
            (Change::LosesAll, _) => NotConnected,
            (Change::LosesData, Sms | DataAndSms) => Sms,
            (Change::LosesData, Data | NotConnected) => NotConnected,
            (Change::LosesSms, Data | DataAndSms) => Data,
            (Change::LosesSms, Sms | NotConnected) => NotConnected,
        }
    }
}

/// One change, as announced to the subscriptions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Changed {
    /// The phone number of the device that changed.
    pub phone_number: String,
    /// Its state before the change.
    pub before: DeviceState,
    /// Its state after the change.
    pub after: DeviceState,
}

/// The states changed at run time (by phone number) and the channel that announces changes.
#[derive(Debug)]
pub(crate) struct DeviceStates {
    changed: Mutex<HashMap<String, DeviceState>>,
    announcements: broadcast::Sender<Changed>,
}

impl Default for DeviceStates {
    fn default() -> Self {
        Self {
            changed: Mutex::default(),
            announcements: broadcast::channel(ANNOUNCEMENT_BACKLOG).0,
        }
    }
}

impl DeviceStates {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, DeviceState>> {
        self.changed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The current state of `device`: as last changed, else as configured.
    pub(crate) fn current(&self, device: &Device) -> DeviceState {
        self.lock()
            .get(&device.phone_number)
            .copied()
            .unwrap_or(device.state)
    }

    /// Applies `change` to `device` and announces it (even when the state stays the same:
    /// the network reports what the hook says happened).
    pub(crate) fn apply(&self, device: &Device, change: Change) -> Changed {
        let changed = {
            let mut states = self.lock();
            let before = states
                .get(&device.phone_number)
                .copied()
                .unwrap_or(device.state);
            let after = change.apply(before);
            states.insert(device.phone_number.clone(), after);
            Changed {
                phone_number: device.phone_number.clone(),
                before,
                after,
            }
        };
        // No receiver (no subscription) is no error.
        let _ = self.announcements.send(changed.clone());
        changed
    }

    /// A receiver of the changes announced from now on.
    pub(crate) fn listen(&self) -> broadcast::Receiver<Changed> {
        self.announcements.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DeviceState::{Data, DataAndSms, NotApplicable, NotConnected, Sms};

    fn device(state: DeviceState) -> Device {
        Device {
            phone_number: "+33699901031".into(),
            state,
            ipv4_address: None,
            ipv6_address: None,
        }
    }

    #[test]
    fn changes_move_between_states() {
        let cases = [
            (Change::GainsData, Sms, DataAndSms),
            (Change::GainsData, NotConnected, Data),
            (Change::GainsSms, NotConnected, Sms),
            (Change::GainsSms, Data, DataAndSms),
            (Change::LosesAll, DataAndSms, NotConnected),
            (Change::LosesData, DataAndSms, Sms),
            (Change::LosesData, Data, NotConnected),
            (Change::LosesSms, DataAndSms, Data),
            (Change::LosesSms, Sms, NotConnected),
            (Change::GainsData, NotApplicable, NotApplicable),
        ];
        for (change, before, after) in cases {
            assert_eq!(change.apply(before), after, "{change:?} from {before:?}");
        }
    }

    #[test]
    fn names_parse_back_and_nothing_else_does() {
        for name in Change::names() {
            assert!(Change::parse(name).is_some(), "{name}");
        }
        assert_eq!(
            Change::parse(" Gains SMS connectivity "),
            Some(Change::GainsSms)
        );
        assert_eq!(Change::parse("gains wifi"), None);
    }

    #[tokio::test]
    async fn a_change_is_kept_and_announced() {
        let states = DeviceStates::default();
        let mut listener = states.listen();
        let sms = device(Sms);
        assert_eq!(states.current(&sms), Sms);
        states.apply(&sms, Change::GainsData);
        assert_eq!(states.current(&sms), DataAndSms);
        assert_eq!(
            listener.recv().await.unwrap(),
            Changed {
                phone_number: sms.phone_number.clone(),
                before: Sms,
                after: DataAndSms
            }
        );
    }
}
