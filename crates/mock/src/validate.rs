//! Request validation: the body against `RequestReachabilityStatus` as the specification
//! defines it, loosened only by the faults switched on.
//!
//! One strictness the schema does not demand: unknown properties inside `device` are
//! rejected with 400 (a misspelled identifier such as `networkIdentifier` is more likely a
//! client's mistake than a wish); `Device` does not forbid them, so the
//! `unknown-device-property-ignored` variation ignores them instead.

use std::net::{Ipv4Addr, Ipv6Addr};

use reachability_contract::IdentifierKind;
use serde_json::{Map, Value, json};

use super::errors::ApiError;
use super::faults::{Fault, FaultSet};
use super::variations::Variation;

/// The identifiers a `device` object may hold, in the order they are tried.
const IDENTIFIERS: [&str; 4] = [
    "phoneNumber",
    "ipv4Address",
    "ipv6Address",
    "networkAccessIdentifier",
];

/// One device identifier of a request, checked against its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Identifier {
    /// A normalised E.164 number.
    Phone(String),
    /// A `DeviceIpv4Addr`; fields are `None` when absent (or, under a fault, unparsable).
    Ipv4 {
        public: Option<Ipv4Addr>,
        private: Option<Ipv4Addr>,
        port: Option<u16>,
    },
    /// An IPv6 address; `None` only under a fault, for an unparsable one.
    Ipv6(Option<Ipv6Addr>),
    /// A network access identifier (never supported by the mock).
    NetworkAccess,
}

impl Identifier {
    /// The identifier's name in the `Device` object.
    pub(crate) fn kind(&self) -> IdentifierKind {
        match self {
            Identifier::Phone(_) => IdentifierKind::PhoneNumber,
            Identifier::Ipv4 { .. } => IdentifierKind::Ipv4Address,
            Identifier::Ipv6(_) => IdentifierKind::Ipv6Address,
            Identifier::NetworkAccess => IdentifierKind::NetworkAccessIdentifier,
        }
    }

    /// The identifier as a `DeviceResponse` object holding it alone, as received (`None`
    /// for one the mock could not read, which it never resolves).
    pub(crate) fn device_response(&self) -> Option<Value> {
        Some(match self {
            Identifier::Phone(phone) => json!({ "phoneNumber": phone }),
            Identifier::Ipv4 {
                public,
                private,
                port,
            } => {
                let mut ipv4 = Map::new();
                ipv4.insert("publicAddress".into(), json!((*public)?.to_string()));
                if let Some(private) = private {
                    ipv4.insert("privateAddress".into(), json!(private.to_string()));
                }
                if let Some(port) = port {
                    ipv4.insert("publicPort".into(), json!(port));
                }
                json!({ "ipv4Address": ipv4 })
            }
            Identifier::Ipv6(address) => json!({ "ipv6Address": (*address)?.to_string() }),
            Identifier::NetworkAccess => return None,
        })
    }
}

/// The `device` of a request: its identifiers in [`IDENTIFIERS`] order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct DeviceQuery {
    pub identifiers: Vec<Identifier>,
}

/// Parses and checks a request body; `Ok(None)` when it names no device.
pub(crate) fn parse_request(
    body: &[u8],
    faults: &FaultSet,
) -> Result<Option<DeviceQuery>, ApiError> {
    if faults.has(Fault::EmptyBodyAccepted) && body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(_) if faults.has(Fault::InvalidJson500) => return Err(ApiError::plain_text_500()),
        Err(e) => return Err(invalid(format!("The request body is not valid JSON: {e}."))),
    };
    let no_properties = Map::new();
    let request = match &value {
        Value::Object(map) => map,
        _ if faults.has(Fault::NonObjectBodyAccepted) => &no_properties,
        other => {
            return Err(invalid(format!(
                "The request body must be a JSON object, not {}.",
                kind(other)
            )));
        }
    };
    match request.get("device") {
        None => Ok(None),
        Some(Value::Object(device)) => parse_device(device, faults),
        Some(other) => Err(invalid(format!(
            "device must be an object, not {}.",
            kind(other)
        ))),
    }
}

fn parse_device(
    device: &Map<String, Value>,
    faults: &FaultSet,
) -> Result<Option<DeviceQuery>, ApiError> {
    if device.is_empty() {
        return if faults.has(Fault::EmptyDeviceAccepted) {
            Ok(None)
        } else {
            Err(invalid(format!(
                "device must hold at least one identifier: {}.",
                IDENTIFIERS.join(", ")
            )))
        };
    }
    if !faults.varies(Variation::UnknownDevicePropertyIgnored)
        && let Some(unknown) = device.keys().find(|k| !IDENTIFIERS.contains(&k.as_str()))
    {
        return Err(invalid(format!(
            "device.{unknown} is not a device identifier: use {}.",
            IDENTIFIERS.join(", ")
        )));
    }
    let mut identifiers = Vec::new();
    for name in IDENTIFIERS {
        let Some(value) = device.get(name) else {
            continue;
        };
        identifiers.push(match name {
            "phoneNumber" => phone(value, faults)?,
            "ipv4Address" if faults.has(Fault::Ipv4Unchecked) => lenient_ipv4(value),
            "ipv4Address" => ipv4(value)?,
            "ipv6Address" => ipv6(value, faults)?,
            _ => match value {
                Value::String(_) => Identifier::NetworkAccess,
                _ if faults.has(Fault::NetworkAccessIdentifierTypeUnchecked) => {
                    Identifier::NetworkAccess
                }
                other => {
                    return Err(invalid(format!(
                        "device.{name} must be a string, not {}.",
                        kind(other)
                    )));
                }
            },
        });
    }
    Ok(Some(DeviceQuery { identifiers }))
}

fn phone(value: &Value, faults: &FaultSet) -> Result<Identifier, ApiError> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) if faults.has(Fault::PhoneNumberAsNumber) => format!("+{n}"),
        other => {
            return Err(invalid(format!(
                "device.phoneNumber must be a string, not {}.",
                kind(other)
            )));
        }
    };
    normalize_phone(&text, faults)
        .map(Identifier::Phone)
        .map_err(|why| invalid(format!("device.phoneNumber {text:?} {why}.")))
}

/// Checks an E.164 number (`^\+[1-9][0-9]{4,14}$`) as loosened by `faults`; returns it
/// with its '+' or says what is wrong with it.
pub(crate) fn normalize_phone(text: &str, faults: &FaultSet) -> Result<String, String> {
    let digits = match text.strip_prefix('+') {
        Some(digits) => digits,
        None if faults.has(Fault::PhoneWithoutPlus) => text,
        None => return Err("must start with '+' (E.164, e.g. \"+33612345678\")".into()),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("must hold only digits after the '+'".into());
    }
    if digits.starts_with('0') && !faults.has(Fault::PhoneLeadingZero) {
        return Err("must not start with 0 after the '+' (country codes start with 1-9)".into());
    }
    if !(5..=15).contains(&digits.len()) && !faults.has(Fault::PhoneLengthUnchecked) {
        return Err("must have 5 to 15 digits after the '+'".into());
    }
    Ok(format!("+{digits}"))
}

fn ipv4(value: &Value) -> Result<Identifier, ApiError> {
    const HINT: &str = "device.ipv4Address must be an object with publicAddress and publicPort and/or privateAddress";
    let Value::Object(fields) = value else {
        return Err(invalid(format!("{HINT}, not {}.", kind(value))));
    };
    if let Some(unknown) = fields
        .keys()
        .find(|k| !["publicAddress", "privateAddress", "publicPort"].contains(&k.as_str()))
    {
        return Err(invalid(format!(
            "device.ipv4Address.{unknown} is not allowed: {HINT}."
        )));
    }
    let address = |name: &str| -> Result<Option<Ipv4Addr>, ApiError> {
        fields
            .get(name)
            .map(|v| {
                v.as_str().and_then(|s| s.parse().ok()).ok_or_else(|| {
                    invalid(format!("device.ipv4Address.{name} must be a dotted-quad IPv4 address such as \"203.0.113.31\", not {v}."))
                })
            })
            .transpose()
    };
    let public = address("publicAddress")?;
    let private = address("privateAddress")?;
    let port = fields
        .get("publicPort")
        .map(|v| {
            v.as_u64()
                .and_then(|p| u16::try_from(p).ok())
                .ok_or_else(|| {
                    invalid(format!(
                        "device.ipv4Address.publicPort must be an integer from 0 to 65535, not {v}."
                    ))
                })
        })
        .transpose()?;
    if public.is_none() || (private.is_none() && port.is_none()) {
        return Err(invalid(format!("{HINT}.")));
    }
    Ok(Identifier::Ipv4 {
        public,
        private,
        port,
    })
}

/// Reads whatever it can of an `ipv4Address`, checking nothing.
fn lenient_ipv4(value: &Value) -> Identifier {
    let address = |name: &str| {
        value
            .get(name)
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok())
    };
    Identifier::Ipv4 {
        public: address("publicAddress"),
        private: address("privateAddress"),
        port: value
            .get("publicPort")
            .and_then(Value::as_u64)
            .and_then(|p| u16::try_from(p).ok()),
    }
}

fn ipv6(value: &Value, faults: &FaultSet) -> Result<Identifier, ApiError> {
    let parsed = value.as_str().and_then(|s| s.parse::<Ipv6Addr>().ok());
    if parsed.is_none() && !faults.has(Fault::Ipv6Unchecked) {
        return Err(invalid(format!(
            "device.ipv6Address must be an IPv6 address such as \"2001:db8::1\" (no prefix length), not {value}."
        )));
    }
    Ok(Identifier::Ipv6(parsed))
}

fn invalid(message: String) -> ApiError {
    ApiError::invalid_argument(message)
}

/// The JSON type of a value, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strict(body: &str) -> Result<Option<DeviceQuery>, String> {
        parse_request(body.as_bytes(), &FaultSet::default()).map_err(|e| e.message().to_owned())
    }

    #[test]
    fn phone_numbers_follow_the_e164_pattern() {
        let none = FaultSet::default();
        assert_eq!(
            normalize_phone("+33699901031", &none),
            Ok("+33699901031".into())
        );
        assert_eq!(normalize_phone("+12345", &none), Ok("+12345".into()));
        assert_eq!(
            normalize_phone("+123456789012345", &none),
            Ok("+123456789012345".into())
        );
        for bad in [
            "33699901031",
            "+1234",
            "+1234567890123456",
            "+0123456",
            "+33 6",
            "+",
            "",
            "+٣٣٦٩٩٩",
        ] {
            assert!(normalize_phone(bad, &none).is_err(), "{bad} accepted");
        }
        let lenient = FaultSet::new(&[
            Fault::PhoneWithoutPlus,
            Fault::PhoneLengthUnchecked,
            Fault::PhoneLeadingZero,
        ]);
        assert_eq!(normalize_phone("0336", &lenient), Ok("+0336".into()));
    }

    #[test]
    fn reads_identifiers_in_a_fixed_order() {
        let query = strict(
            r#"{"device": {"networkAccessIdentifier": "a@b", "ipv6Address": "2001:db8::1",
                "ipv4Address": {"publicAddress": "1.2.3.4", "publicPort": 0}, "phoneNumber": "+33699901031"}}"#,
        );
        let expected = vec![
            Identifier::Phone("+33699901031".into()),
            Identifier::Ipv4 {
                public: Some(Ipv4Addr::new(1, 2, 3, 4)),
                private: None,
                port: Some(0),
            },
            Identifier::Ipv6(Some("2001:db8::1".parse().unwrap())),
            Identifier::NetworkAccess,
        ];
        assert_eq!(
            query,
            Ok(Some(DeviceQuery {
                identifiers: expected
            }))
        );
        assert_eq!(strict(r#"{"other": 1}"#), Ok(None));
    }

    #[test]
    fn rejects_schema_violations_with_a_precise_message() {
        let cases = [
            (
                "{",
                "The request body is not valid JSON: EOF while parsing an object at line 1 column 1.",
            ),
            (
                "[]",
                "The request body must be a JSON object, not an array.",
            ),
            (r#"{"device": null}"#, "device must be an object, not null."),
            (
                r#"{"device": {}}"#,
                "device must hold at least one identifier: phoneNumber, ipv4Address, ipv6Address, networkAccessIdentifier.",
            ),
            (
                r#"{"device": {"networkIdentifier": 5}}"#,
                "device.networkIdentifier is not a device identifier: use phoneNumber, ipv4Address, ipv6Address, networkAccessIdentifier.",
            ),
            (
                r#"{"device": {"phoneNumber": 33699901031}}"#,
                "device.phoneNumber must be a string, not a number.",
            ),
            (
                r#"{"device": {"networkAccessIdentifier": 1}}"#,
                "device.networkAccessIdentifier must be a string, not a number.",
            ),
            (
                r#"{"device": {"ipv4Address": {"publicAddress": "1.2.3.4"}}}"#,
                "device.ipv4Address must be an object with publicAddress and publicPort and/or privateAddress.",
            ),
            (
                r#"{"device": {"ipv4Address": {"publicAddress": "1.2.3", "publicPort": 1}}}"#,
                "device.ipv4Address.publicAddress must be a dotted-quad IPv4 address such as \"203.0.113.31\", not \"1.2.3\".",
            ),
            (
                r#"{"device": {"ipv4Address": {"publicAddress": "1.2.3.4", "publicPort": 65536}}}"#,
                "device.ipv4Address.publicPort must be an integer from 0 to 65535, not 65536.",
            ),
            (
                r#"{"device": {"ipv4Address": {"publicAddress": "1.2.3.4", "publicPort": "80"}}}"#,
                "device.ipv4Address.publicPort must be an integer from 0 to 65535, not \"80\".",
            ),
            (
                r#"{"device": {"ipv6Address": "2001:db8::1/64"}}"#,
                "device.ipv6Address must be an IPv6 address such as \"2001:db8::1\" (no prefix length), not \"2001:db8::1/64\".",
            ),
        ];
        for (body, message) in cases {
            assert_eq!(strict(body), Err(message.to_owned()), "{body}");
        }
    }

    #[test]
    fn faults_loosen_exactly_their_check() {
        let parse = |body: &str, fault| parse_request(body.as_bytes(), &FaultSet::new(&[fault]));
        assert_eq!(
            parse(r#"{"device": {}}"#, Fault::EmptyDeviceAccepted).map_err(|_| ()),
            Ok(None)
        );
        assert_eq!(
            parse("5", Fault::NonObjectBodyAccepted).map_err(|_| ()),
            Ok(None)
        );
        let bad_ip = r#"{"device": {"ipv4Address": {"publicAddress": "x"}}}"#;
        let lenient = Identifier::Ipv4 {
            public: None,
            private: None,
            port: None,
        };
        assert_eq!(
            parse(bad_ip, Fault::Ipv4Unchecked).map_err(|_| ()),
            Ok(Some(DeviceQuery {
                identifiers: vec![lenient]
            }))
        );
        let as_number = parse(
            r#"{"device": {"phoneNumber": 33699901031}}"#,
            Fault::PhoneNumberAsNumber,
        );
        assert_eq!(
            as_number.map_err(|_| ()),
            Ok(Some(DeviceQuery {
                identifiers: vec![Identifier::Phone("+33699901031".into())]
            }))
        );
        assert!(
            parse("{", Fault::InvalidJson500)
                .unwrap_err()
                .is_plain_text()
        );
    }
}
