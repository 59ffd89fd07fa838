//! CIBA `login_hint`s as CAMARA writes them, resolved to a device of the mock:
//! `tel:+<E.164 number>`, `ipport:<IPv4>:<port>` or `ipport:[<IPv6>]:<port>` (a bare IPv6
//! address too), and `operatortoken:<token>`, where the mock's operator token of a
//! device is `mock-` followed by the digits of its phone number.

use std::net::{Ipv6Addr, SocketAddr};

use super::devices::{Device, DeviceRegistry};
use super::errors::OAuthError;
use super::faults::FaultSet;
use super::validate::normalize_phone;

/// The operator token the mock gives a device: `mock-` and its number's digits.
pub(crate) fn operator_token(phone_number: &str) -> String {
    let digits: String = phone_number.chars().filter(char::is_ascii_digit).collect();
    format!("mock-{digits}")
}

/// The device `hint` names: `invalid_request` when the hint is malformed,
/// `unknown_user_id` when no device matches.
pub(crate) fn resolve<'a>(
    devices: &'a DeviceRegistry,
    hint: &str,
) -> Result<&'a Device, OAuthError> {
    let formats = "use tel:+<E.164 number>, ipport:<address>:<port> or operatortoken:<token>";
    let (scheme, value) = hint.split_once(':').ok_or_else(|| {
        OAuthError::invalid_request(format!("login_hint {hint:?} has no scheme: {formats}"))
    })?;
    let found = match scheme {
        "tel" => {
            let phone = normalize_phone(value, &FaultSet::default()).map_err(|why| {
                OAuthError::invalid_request(format!("the login_hint number {why}"))
            })?;
            devices.by_phone(&phone)
        }
        "ipport" => by_ip_port(devices, value)?,
        "operatortoken" => devices
            .devices()
            .iter()
            .find(|d| operator_token(&d.phone_number) == value),
        other => {
            return Err(OAuthError::invalid_request(format!(
                "login_hint scheme {other:?} is not supported: {formats}"
            )));
        }
    };
    found.ok_or_else(|| {
        OAuthError::bad_request(
            "unknown_user_id",
            "no device of this mock matches the login_hint",
        )
    })
}

/// The device with this `<IPv4>:<port>`, `[<IPv6>]:<port>` or bare IPv6 address.
fn by_ip_port<'a>(
    devices: &'a DeviceRegistry,
    value: &str,
) -> Result<Option<&'a Device>, OAuthError> {
    if let Ok(address) = value.parse::<SocketAddr>() {
        return Ok(match address {
            SocketAddr::V4(v4) => devices.by_ipv4(*v4.ip(), None, Some(v4.port())),
            SocketAddr::V6(v6) => devices.by_ipv6(*v6.ip()),
        });
    }
    if let Ok(address) = value.parse::<Ipv6Addr>() {
        return Ok(devices.by_ipv6(address));
    }
    Err(OAuthError::invalid_request(format!(
        "the ipport login_hint {value:?} is not <IPv4>:<port>, [<IPv6>]:<port> or an IPv6 address"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_each_format() {
        let lab = DeviceRegistry::lab();
        let phone = |hint: &str| resolve(&lab, hint).map(|d| d.phone_number.clone());
        assert_eq!(phone("tel:+33699901031"), Ok("+33699901031".into()));
        assert_eq!(
            phone("operatortoken:mock-33699901032"),
            Ok("+33699901032".into())
        );
        assert_eq!(operator_token("+33 699901032"), "mock-33699901032");
        let sms_ipv6 = lab.devices().iter().find_map(|d| d.ipv6_address).unwrap();
        let by_v6 = resolve(&lab, &format!("ipport:[{sms_ipv6}]:443")).unwrap();
        assert_eq!(by_v6.ipv6_address, Some(sms_ipv6));
        let device = lab
            .devices()
            .iter()
            .find(|d| {
                d.ipv4_address
                    .as_ref()
                    .is_some_and(|ip| ip.public_port.is_some())
            })
            .unwrap();
        let ip = device.ipv4_address.as_ref().unwrap();
        let hint = format!("ipport:{}:{}", ip.public_address, ip.public_port.unwrap());
        assert_eq!(phone(&hint), Ok(device.phone_number.clone()));
        for bad in ["33699901031", "tel:33699901031", "ipport:nope", "mail:a@b"] {
            assert!(resolve(&lab, bad).is_err(), "{bad}");
        }
        assert!(resolve(&lab, "operatortoken:mock-1").is_err());
    }
}
