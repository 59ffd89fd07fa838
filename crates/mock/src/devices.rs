//! The devices the mock manages, each with a fixed reachability state: the lab's (from the
//! contract data), or a vendor's devices file.

use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::Path;

pub use reachability_contract::devices::{Device, DeviceIpv4, DeviceState};
use serde::Deserialize;

use super::MockError;
use super::validate::normalize_phone;

/// A phone number that passed the E.164 check.
#[derive(Deserialize)]
#[serde(try_from = "String")]
struct PhoneNumber(String);

impl TryFrom<String> for PhoneNumber {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, String> {
        normalize_phone(&raw, &Default::default())
            .map(PhoneNumber)
            .map_err(|why| format!("phoneNumber {raw:?} {why}"))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawDevice {
    phone_number: toml::Spanned<PhoneNumber>,
    state: DeviceState,
    ipv4_address: Option<DeviceIpv4>,
    ipv6_address: Option<Ipv6Addr>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    device: Vec<RawDevice>,
}

/// The devices a mock manages, looked up by phone number, IPv4 identity or IPv6 prefix.
///
/// [`DeviceRegistry::lab`] holds the lab's devices (the Orange lab numbers of
/// `contracts/orange-lab-v0/profile.toml`). A vendor can replace it
/// with a TOML file: one `[[device]]` table per device, with `phoneNumber` (E.164, '+'
/// first), `state` (`data`, `sms`, `data-and-sms`, `not-connected` or `not-applicable`)
/// and optionally `ipv4Address` (`publicAddress` plus `publicPort` and/or
/// `privateAddress`) and `ipv6Address`. Unknown keys, bad states, bad numbers or
/// addresses, and identifiers used by two devices are rejected with the line at fault.
///
/// ```toml
/// [[device]]
/// phoneNumber = "+33600000001"
/// state = "data"
/// ipv4Address = { publicAddress = "203.0.113.31", publicPort = 50031 }
/// ipv6Address = "2001:db8:0:31::1"
///
/// [[device]]
/// phoneNumber = "+33600000004"
/// state = "not-connected"
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceRegistry {
    devices: Vec<Device>,
    by_phone: HashMap<String, usize>,
}

impl Default for DeviceRegistry {
    fn default() -> Self {
        Self::lab()
    }
}

impl DeviceRegistry {
    /// The lab's devices, read from the contract data ([`reachability_contract::devices::lab`]):
    /// every state is present.
    pub fn lab() -> Self {
        let mut registry = Self::empty();
        for device in reachability_contract::devices::lab() {
            // The contract's unit tests rule out a number listed twice.
            let _ = registry.insert(device.clone());
        }
        registry
    }

    fn empty() -> Self {
        Self {
            devices: Vec::new(),
            by_phone: HashMap::new(),
        }
    }

    /// Adds `device`, unless it shares an identifier with a device already there (`Err`
    /// names that one's phone number).
    fn insert(&mut self, device: Device) -> Result<(), String> {
        if let Some(other) = self.clashing_device(&device) {
            return Err(other.phone_number.clone());
        }
        self.by_phone
            .insert(device.phone_number.clone(), self.devices.len());
        self.devices.push(device);
        Ok(())
    }

    /// Reads a devices file (format in the type's documentation).
    pub fn from_toml_file(path: &Path) -> Result<Self, MockError> {
        let text = std::fs::read_to_string(path).map_err(|source| MockError::DevicesRead {
            path: path.to_owned(),
            source,
        })?;
        Self::from_toml_str(&text, &path.display().to_string())
    }

    /// Parses devices-file text; `origin` names it in error messages (e.g. the path).
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Self, MockError> {
        let invalid = |line: Option<usize>, message: String| MockError::Devices {
            origin: origin.to_owned(),
            line,
            message,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|span| line_of(text, span.start));
            invalid(line, e.message().trim().to_owned())
        })?;
        if raw.device.is_empty() {
            return Err(invalid(
                None,
                "no [[device]] table: add at least one device".into(),
            ));
        }
        let mut registry = Self::empty();
        for entry in raw.device {
            let line = line_of(text, entry.phone_number.span().start);
            let device = Device {
                phone_number: entry.phone_number.into_inner().0,
                state: entry.state,
                ipv4_address: entry.ipv4_address,
                ipv6_address: entry.ipv6_address,
            };
            let phone_number = device.phone_number.clone();
            registry.insert(device).map_err(|other| {
                invalid(
                    Some(line),
                    format!(
                        "device {phone_number} shares an identifier with device {other}: each identifier must name one device"
                    ),
                )
            })?;
        }
        Ok(registry)
    }

    /// The devices, in file order.
    pub fn devices(&self) -> &[Device] {
        &self.devices
    }

    /// The first device in the given state, if any.
    pub fn first_in_state(&self, state: DeviceState) -> Option<&Device> {
        self.devices.iter().find(|d| d.state == state)
    }

    /// The device with this (normalised) phone number.
    pub(crate) fn by_phone(&self, phone: &str) -> Option<&Device> {
        self.by_phone.get(phone).map(|&i| &self.devices[i])
    }

    /// The device whose IPv4 identity matches: same public address, and every other
    /// field both sides know is equal (at least one must be compared).
    pub(crate) fn by_ipv4(
        &self,
        public: Ipv4Addr,
        private: Option<Ipv4Addr>,
        port: Option<u16>,
    ) -> Option<&Device> {
        self.devices.iter().find(|d| {
            d.ipv4_address.as_ref().is_some_and(|ip| {
                let compared = [
                    compare(ip.private_address, private),
                    compare(ip.public_port, port),
                ];
                ip.public_address == public
                    && compared.iter().all(|c| c != &Some(false))
                    && compared.iter().any(|c| c == &Some(true))
            })
        })
    }

    /// The device whose IPv6 address shares the /64 prefix of `address`.
    pub(crate) fn by_ipv6(&self, address: Ipv6Addr) -> Option<&Device> {
        self.devices.iter().find(|d| {
            d.ipv6_address
                .is_some_and(|mine| same_prefix(mine, address))
        })
    }

    /// A schema-valid phone number no device has.
    pub fn unknown_phone_number(&self) -> String {
        (0..100_000u32)
            .map(|i| format!("+336999{:05}", 99_999 - i))
            .find(|n| self.by_phone(n).is_none())
            .unwrap_or_else(|| "+999999999999999".to_owned())
    }

    fn clashing_device(&self, new: &Device) -> Option<&Device> {
        self.by_phone(&new.phone_number)
            .or_else(|| {
                let ip = new.ipv4_address.as_ref()?;
                self.devices
                    .iter()
                    .find(|d| d.ipv4_address.as_ref() == Some(ip))
            })
            .or_else(|| self.by_ipv6(new.ipv6_address?))
    }
}

/// `Some(equal)` when both sides know the value, `None` otherwise.
fn compare<T: PartialEq>(mine: Option<T>, theirs: Option<T>) -> Option<bool> {
    Some(mine? == theirs?)
}

fn same_prefix(a: Ipv6Addr, b: Ipv6Addr) -> bool {
    a.to_bits() >> 64 == b.to_bits() >> 64
}

/// 1-based line number of byte offset `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(at)
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> String {
        DeviceRegistry::from_toml_str(text, "devices.toml")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn the_lab_registry_is_the_contracts_lab() {
        let lab = DeviceRegistry::lab();
        assert_eq!(lab.devices(), reachability_contract::devices::lab());
        for device in lab.devices() {
            assert_eq!(lab.by_phone(&device.phone_number), Some(device));
        }
        let unknown = crate::Api::CamaraV1
            .current()
            .testing_phone(reachability_contract::DeviceRole::Unknown);
        assert_eq!(Some(lab.unknown_phone_number().as_str()), unknown);
    }

    #[test]
    fn looks_up_by_ipv4_and_ipv6_prefix() {
        let lab = DeviceRegistry::lab();
        let public = Ipv4Addr::new(203, 0, 113, 31);
        let found = lab
            .by_ipv4(public, None, Some(50031))
            .map(|d| d.phone_number.as_str());
        assert_eq!(found, Some("+33699901031"));
        assert!(lab.by_ipv4(public, None, Some(1)).is_none());
        assert!(
            lab.by_ipv4(public, Some(Ipv4Addr::new(10, 0, 0, 1)), None)
                .is_none()
        );
        let private = Some(Ipv4Addr::new(10, 0, 0, 34));
        let found = lab.by_ipv4(Ipv4Addr::new(203, 0, 113, 34), private, Some(7));
        assert_eq!(found.map(|d| d.state), Some(DeviceState::NotConnected));
        let in_prefix: Ipv6Addr = "2001:db8:0:32:abcd::9".parse().unwrap();
        assert_eq!(
            lab.by_ipv6(in_prefix).map(|d| d.state),
            Some(DeviceState::Sms)
        );
        assert!(lab.by_ipv6("2001:db8:0:99::1".parse().unwrap()).is_none());
    }

    #[test]
    fn rejects_bad_files_with_the_line_at_fault() {
        assert_eq!(
            error_of("[[device]]\nphoneNumber = \"+33600000001\"\nstate = \"online\"\n"),
            "devices file devices.toml, line 3: unknown variant `online`, expected one of \
             `data`, `sms`, `data-and-sms`, `not-connected`, `not-applicable`; \
             fix it (format: see `DeviceRegistry` in the documentation)"
        );
        let bad_number = error_of("[[device]]\nphoneNumber = \"0600000001\"\nstate = \"sms\"\n");
        assert!(
            bad_number.contains("line 2: phoneNumber \"0600000001\" must start with '+'"),
            "{bad_number}"
        );
        let unknown_key =
            error_of("[[device]]\nphoneNumber = \"+33600000001\"\nstate = \"sms\"\ncolor = 1\n");
        assert!(
            unknown_key.contains("line 4: unknown field `color`"),
            "{unknown_key}"
        );
        let lone_ipv4 = error_of(
            "[[device]]\nphoneNumber = \"+33600000001\"\nstate = \"sms\"\nipv4Address = { publicAddress = \"1.2.3.4\" }\n",
        );
        assert!(
            lone_ipv4.contains("line 4: ipv4Address needs privateAddress or publicPort"),
            "{lone_ipv4}"
        );
        assert!(error_of("").contains("no [[device]] table"));
    }

    #[test]
    fn rejects_identifiers_shared_by_two_devices() {
        let text = "[[device]]\nphoneNumber = \"+33600000001\"\nstate = \"sms\"\nipv6Address = \"2001:db8::1\"\n\
                    [[device]]\nphoneNumber = \"+33600000002\"\nstate = \"data\"\nipv6Address = \"2001:db8::2\"\n";
        assert!(
            error_of(text).contains(
                "line 6: device +33600000002 shares an identifier with device +33600000001"
            )
        );
    }
}
