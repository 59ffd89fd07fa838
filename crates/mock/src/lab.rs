//! The Orange lab's test numbers the embedded registry ([`DeviceRegistry::lab`]) holds, one
//! per device state, for clients and tests that address the lab devices.

#[cfg(doc)]
use crate::DeviceRegistry;

/// Reachable by DATA only.
pub const DATA: &str = "+33699901031";
/// Reachable by SMS only.
pub const SMS: &str = "+33699901032";
/// Reachable by DATA and SMS.
pub const DATA_AND_SMS: &str = "+33699901033";
/// Known but not connected.
pub const NOT_CONNECTED: &str = "+33699901034";
/// Known, but the service does not apply to it.
pub const NOT_APPLICABLE: &str = "+33699901035";
/// A number no lab device has.
pub const UNKNOWN: &str = "+33699999999";
/// The IPv6 address of the [`SMS`] device.
pub const SMS_IPV6: &str = "2001:db8:0:32::1";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DeviceRegistry, DeviceState};

    #[test]
    fn the_numbers_are_the_registrys() {
        let lab = DeviceRegistry::lab();
        for (number, state) in [
            (DATA, DeviceState::Data),
            (SMS, DeviceState::Sms),
            (DATA_AND_SMS, DeviceState::DataAndSms),
            (NOT_CONNECTED, DeviceState::NotConnected),
            (NOT_APPLICABLE, DeviceState::NotApplicable),
        ] {
            assert_eq!(
                lab.by_phone(number).map(|d| d.state),
                Some(state),
                "{number}"
            );
        }
        assert_eq!(lab.unknown_phone_number(), UNKNOWN);
        assert!(lab.by_phone(UNKNOWN).is_none());
    }
}
