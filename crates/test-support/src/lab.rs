//! The lab numbers the tests address, read from the contract data: the testing devices of
//! the current camara-v1 profile (`[testing_devices]` of its `profile.toml`), which the
//! mock's built-in registry serves.

use std::sync::OnceLock;

use reachability_contract::{Api, DeviceRole};

fn phone(role: DeviceRole) -> &'static str {
    Api::CamaraV1
        .current()
        .testing_phone(role)
        .unwrap_or_else(|| panic!("camara-v1 names no {} testing device", role.key()))
}

/// Reachable by DATA only.
pub fn data() -> &'static str {
    phone(DeviceRole::Data)
}

/// Reachable by SMS only.
pub fn sms() -> &'static str {
    phone(DeviceRole::Sms)
}

/// Reachable by DATA and SMS.
pub fn data_and_sms() -> &'static str {
    phone(DeviceRole::DataAndSms)
}

/// Known but not connected.
pub fn not_connected() -> &'static str {
    phone(DeviceRole::NotConnected)
}

/// Known, but the service does not apply to it.
pub fn not_applicable() -> &'static str {
    phone(DeviceRole::NotApplicable)
}

/// A number no lab device has.
pub fn unknown() -> &'static str {
    phone(DeviceRole::Unknown)
}

/// The IPv6 address of the [`sms`] device.
pub fn sms_ipv6() -> &'static str {
    static IPV6: OnceLock<String> = OnceLock::new();
    IPV6.get_or_init(|| {
        reachability_contract::devices::lab_device(sms())
            .and_then(|device| device.ipv6_address)
            .map(|ip| ip.to_string())
            .expect("the lab's SMS device has an IPv6 address")
    })
}
