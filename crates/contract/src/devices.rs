//! The devices a profile's data names: the testing devices a target of the profile is tested
//! with (`[testing_devices]` of `profile.toml`: role → `Device` object) and the lab's devices
//! (`[[lab_devices]]`: the Orange lab's numbers, each with its reachability state), which the
//! mock serves.

use std::collections::BTreeMap;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::Profile;

/// The reachability state of a device: what the API answers for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeviceState {
    /// Reachable by DATA only.
    Data,
    /// Reachable by SMS only.
    Sms,
    /// Reachable by DATA and SMS.
    DataAndSms,
    /// Known but not connected to the network.
    NotConnected,
    /// Known, but the service is not offered for it (e.g. a subscription type it excludes).
    NotApplicable,
}

impl DeviceState {
    /// Every state, in the order the target file lists them.
    pub const ALL: [DeviceState; 5] = [
        DeviceState::Data,
        DeviceState::Sms,
        DeviceState::DataAndSms,
        DeviceState::NotConnected,
        DeviceState::NotApplicable,
    ];

    /// The name used in devices files (`state = "..."`).
    pub fn name(self) -> &'static str {
        match self {
            DeviceState::Data => "data",
            DeviceState::Sms => "sms",
            DeviceState::DataAndSms => "data-and-sms",
            DeviceState::NotConnected => "not-connected",
            DeviceState::NotApplicable => "not-applicable",
        }
    }
}

impl fmt::Display for DeviceState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a device is seen over IPv4: its public address plus its public port and/or its
/// private address (the CAMARA `DeviceIpv4Addr` object).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "RawIpv4")]
pub struct DeviceIpv4 {
    /// Public (observed) address.
    pub public_address: Ipv4Addr,
    /// Private (local) address, when known.
    pub private_address: Option<Ipv4Addr>,
    /// Public (observed) port, when known.
    pub public_port: Option<u16>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawIpv4 {
    public_address: Ipv4Addr,
    private_address: Option<Ipv4Addr>,
    public_port: Option<u16>,
}

impl TryFrom<RawIpv4> for DeviceIpv4 {
    type Error = String;

    fn try_from(raw: RawIpv4) -> Result<Self, String> {
        if raw.private_address.is_none() && raw.public_port.is_none() {
            return Err(
                "ipv4Address needs privateAddress or publicPort besides publicAddress".into(),
            );
        }
        Ok(Self {
            public_address: raw.public_address,
            private_address: raw.private_address,
            public_port: raw.public_port,
        })
    }
}

/// One device with a fixed reachability state (a lab device, or one of a devices file).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Device {
    /// E.164 phone number with its leading '+'.
    pub phone_number: String,
    /// What the API answers for it.
    pub state: DeviceState,
    /// IPv4 identity, if the device can be found by IPv4.
    pub ipv4_address: Option<DeviceIpv4>,
    /// IPv6 address; any address of the same /64 prefix identifies the device.
    pub ipv6_address: Option<Ipv6Addr>,
}

/// The part a device plays in a scenario: a key of the target file's `[devices]`. Every role
/// but [`DeviceRole::Unsupported`] is played by one `Device` object (a profile's
/// `[testing_devices]` names one for each, [`TestingDevices`]); `Unsupported` is a list of
/// the identifier types the target does not support.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeviceRole {
    /// Reachable by DATA only.
    Data,
    /// Reachable by SMS only.
    Sms,
    /// Reachable by DATA and SMS.
    DataAndSms,
    /// Not connected.
    NotConnected,
    /// The service does not apply to it.
    NotApplicable,
    /// Schema-valid, but no device of the target has it.
    Unknown,
    /// Identifiers of two different devices.
    Mismatch,
    /// Only identifier types the target does not support.
    Unsupported,
}

impl DeviceRole {
    /// Every role, in declaration (and target file) order: `ALL[role as usize] == role`.
    pub const ALL: [DeviceRole; 8] = [
        DeviceRole::Data,
        DeviceRole::Sms,
        DeviceRole::DataAndSms,
        DeviceRole::NotConnected,
        DeviceRole::NotApplicable,
        DeviceRole::Unknown,
        DeviceRole::Mismatch,
        DeviceRole::Unsupported,
    ];

    /// Its key in the target file's `[devices]` (`data_and_sms`, `unsupported_identifiers`).
    pub fn key(self) -> &'static str {
        match self {
            DeviceRole::Data => "data",
            DeviceRole::Sms => "sms",
            DeviceRole::DataAndSms => "data_and_sms",
            DeviceRole::NotConnected => "not_connected",
            DeviceRole::NotApplicable => "not_applicable",
            DeviceRole::Unknown => "unknown",
            DeviceRole::Mismatch => "mismatch",
            DeviceRole::Unsupported => "unsupported_identifiers",
        }
    }

    /// The role whose [`key`](Self::key) is `key`, if any.
    pub fn from_key(key: &str) -> Option<DeviceRole> {
        Self::ALL.into_iter().find(|role| role.key() == key)
    }

    /// Whether one `Device` object plays it (every role but `Unsupported`).
    pub fn is_device(self) -> bool {
        self != DeviceRole::Unsupported
    }

    /// The state of the device playing it, for the roles of one known device.
    pub fn state(self) -> Option<DeviceState> {
        match self {
            DeviceRole::Data => Some(DeviceState::Data),
            DeviceRole::Sms => Some(DeviceState::Sms),
            DeviceRole::DataAndSms => Some(DeviceState::DataAndSms),
            DeviceRole::NotConnected => Some(DeviceState::NotConnected),
            DeviceRole::NotApplicable => Some(DeviceState::NotApplicable),
            DeviceRole::Unknown | DeviceRole::Mismatch | DeviceRole::Unsupported => None,
        }
    }
}

/// A profile's `[testing_devices]`: for each role a device plays, the `Device` object that
/// plays it, in role order (read by [`deserialize_testing_devices`]).
pub type TestingDevices = BTreeMap<DeviceRole, Map<String, Value>>;

/// Reads a profile's `[testing_devices]`, refusing a key that is no role a device plays.
pub(crate) fn deserialize_testing_devices<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<TestingDevices, D::Error> {
    let table = BTreeMap::<TestingKey, Map<String, Value>>::deserialize(deserializer)?;
    Ok(table
        .into_iter()
        .map(|(key, device)| (key.0, device))
        .collect())
}

/// A key of `[testing_devices]`: the role of one `Device` object.
#[derive(PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
struct TestingKey(DeviceRole);

impl TryFrom<String> for TestingKey {
    type Error = String;

    fn try_from(key: String) -> Result<Self, String> {
        match DeviceRole::from_key(&key) {
            Some(role) if role.is_device() => Ok(TestingKey(role)),
            Some(_) => Err(format!(
                "`{key}` is no testing device: the target file's devices.{key} lists the \
                 identifier types a target does not support, which a profile cannot know; \
                 remove it from [testing_devices]"
            )),
            None => {
                let roles: Vec<String> = DeviceRole::ALL
                    .into_iter()
                    .filter(|role| role.is_device())
                    .map(|role| format!("`{}`", role.key()))
                    .collect();
                Err(format!(
                    "unknown testing device role `{key}`, expected one of {}",
                    roles.join(", ")
                ))
            }
        }
    }
}

/// The lab: the devices of every profile's `[[lab_devices]]` (the Orange lab's numbers), in
/// file order. The mock serves them for every profile.
pub fn lab() -> &'static [Device] {
    static LAB: OnceLock<Vec<Device>> = OnceLock::new();
    LAB.get_or_init(|| {
        Profile::all()
            .iter()
            .flat_map(|p| p.lab_devices().iter().cloned())
            .collect()
    })
}

/// The lab device with this phone number.
pub fn lab_device(phone_number: &str) -> Option<&'static Device> {
    lab().iter().find(|d| d.phone_number == phone_number)
}

/// Checks what a profile's data says of devices against its phone-number `pattern` (from
/// its OAS): every phone number of its testing and lab devices must match it, and no two
/// lab devices may share a number; `Err` names the first number at fault.
pub(crate) fn check(
    testing: &TestingDevices,
    lab: &[Device],
    pattern: Option<&regex::Regex>,
) -> Result<(), String> {
    let testing_numbers = testing.iter().filter_map(|(role, device)| {
        let number = device.get("phoneNumber")?;
        Some((format!("testing_devices.{}", role.key()), number))
    });
    for (place, number) in testing_numbers {
        let Some(number) = number.as_str() else {
            return Err(format!("{place}.phoneNumber must be a string"));
        };
        if pattern.is_some_and(|p| !p.is_match(number)) {
            return Err(format!(
                "{place}.phoneNumber {number:?} breaks the OAS PhoneNumber pattern"
            ));
        }
    }
    for (i, device) in lab.iter().enumerate() {
        let number = &device.phone_number;
        if pattern.is_some_and(|p| !p.is_match(number)) {
            return Err(format!(
                "lab_devices: {number:?} breaks the OAS PhoneNumber pattern"
            ));
        }
        if lab[..i].iter().any(|d| &d.phone_number == number) {
            return Err(format!("lab_devices: {number:?} is listed twice"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone_of(device: &Map<String, Value>) -> Option<&str> {
        device.get("phoneNumber").and_then(Value::as_str)
    }

    #[test]
    fn every_role_is_listed_in_declaration_order_and_found_by_its_key() {
        for (i, role) in DeviceRole::ALL.into_iter().enumerate() {
            assert_eq!(role as usize, i, "{role:?}");
            assert_eq!(DeviceRole::from_key(role.key()), Some(role));
        }
        assert_eq!(
            DeviceRole::from_key("unsupported_identifiers"),
            Some(DeviceRole::Unsupported)
        );
        assert!(!DeviceRole::Unsupported.is_device());
        assert_eq!(DeviceRole::Unsupported.state(), None);
        assert_eq!(DeviceRole::from_key("devices.data"), None);
    }

    #[test]
    fn the_lab_holds_every_state() {
        for state in DeviceState::ALL {
            assert!(lab().iter().any(|d| d.state == state), "{state} missing");
        }
    }

    #[test]
    fn every_testing_device_plays_its_role_in_the_lab() {
        for profile in Profile::all() {
            let testing = profile.testing_devices();
            assert!(
                testing.contains_key(&DeviceRole::Data),
                "{profile}: no data"
            );
            for (role, device) in testing {
                let at = format!("{profile} testing_devices.{}", role.key());
                let phone = phone_of(device).unwrap_or_else(|| panic!("{at}: no phoneNumber"));
                let found = lab_device(phone);
                match role.state() {
                    Some(state) => {
                        assert_eq!(found.map(|d| d.state), Some(state), "{at}");
                        assert_eq!(device.len(), 1, "{at}: a phone number only");
                    }
                    None if *role == DeviceRole::Unknown => assert!(found.is_none(), "{at}"),
                    None => {
                        let other = device
                            .get("ipv6Address")
                            .and_then(Value::as_str)
                            .and_then(|ip| ip.parse::<Ipv6Addr>().ok())
                            .and_then(|ip| lab().iter().find(|d| d.ipv6_address == Some(ip)));
                        assert!(
                            found.is_some() && other.is_some() && found != other,
                            "{at}: two different lab devices"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn numbers_breaking_the_phone_pattern_or_listed_twice_are_refused() {
        let pattern = regex::Regex::new(r"^\+[1-9][0-9]{4,14}$").unwrap();
        let device = |phone: &str| Device {
            phone_number: phone.into(),
            state: DeviceState::Sms,
            ipv4_address: None,
            ipv6_address: None,
        };
        let mut testing = TestingDevices::new();
        testing.insert(
            DeviceRole::Sms,
            serde_json::from_value(serde_json::json!({"phoneNumber": "0612"})).unwrap(),
        );
        assert_eq!(
            check(&testing, &[], Some(&pattern)),
            Err(
                "testing_devices.sms.phoneNumber \"0612\" breaks the OAS PhoneNumber pattern"
                    .into()
            )
        );
        let twice = [device("+3312345"), device("+3312345")];
        assert_eq!(
            check(&TestingDevices::new(), &twice, Some(&pattern)),
            Err("lab_devices: \"+3312345\" is listed twice".into())
        );
        assert_eq!(
            check(&TestingDevices::new(), &[device("33")], Some(&pattern)),
            Err("lab_devices: \"33\" breaks the OAS PhoneNumber pattern".into())
        );
        assert_eq!(check(&testing, &twice[..1], None), Ok(()));
    }
}
