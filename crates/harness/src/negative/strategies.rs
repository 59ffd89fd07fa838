//! The malformation classes of each kind of generated input, as proptest strategies.
//!
//! Every class breaks the request in one way only, so that a target which wrongly accepts
//! that one thing is caught by every case of the class. Values are proposals: the caller
//! keeps only those the schema rejects.

use std::net::Ipv4Addr;

use proptest::prelude::{Just, Strategy, any, prop_oneof};
use proptest::strategy::SBoxedStrategy;
use proptest::string::string_regex;
use serde_json::{Value, json};

use super::GeneratedKind;
use crate::Profile;

/// One generated input: a whole request body, or an `x-correlator` header value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Input {
    /// The request body, sent as JSON.
    Body(Value),
    /// The request body, sent as this raw text (e.g. empty).
    RawBody(String),
    /// The `x-correlator` header, sent with an otherwise valid request.
    Correlator(String),
}

/// A named way of breaking the request.
pub(crate) struct Class {
    /// How the input is broken, e.g. "without its '+'".
    pub name: String,
    /// The inputs of this class.
    pub strategy: SBoxedStrategy<Input>,
    /// The input of this class that a hand-written example scenario of the embedded suites
    /// sends (the same request), if one does: a batch sends it as the class's one case, so
    /// that the two scenarios share one exchange (`steps::shared`).
    pub exemplar: Option<Input>,
}

impl Class {
    /// This class, whose case for "one per class" is `exemplar`.
    fn with_exemplar(mut self, exemplar: Input) -> Class {
        self.exemplar = Some(exemplar);
        self
    }
}

/// The pattern strict servers give `x-correlator` (CAMARA v1.0.0's): the unusual but legal
/// correlators of a profile whose header has no pattern break it.
const STRICT_CORRELATOR_PATTERN: &str = "^[a-zA-Z0-9-]{0,55}$";

/// The classes of `kind` for `profile`, in the order a batch cycles through them (none for
/// the request requirements, whose classes come from the target's schema). Malformed
/// correlators break the profile's own pattern (from its OAS); an error says why a
/// profile has none to break.
pub(crate) fn classes(kind: GeneratedKind, profile: Profile) -> Result<Vec<Class>, String> {
    Ok(match kind {
        GeneratedKind::RequestRequirements => Vec::new(),
        GeneratedKind::PhoneNumber => {
            let pattern = profile.phone_pattern().ok_or_else(|| {
                format!("the {profile} OAS gives PhoneNumber no pattern, so no number is malformed")
            })?;
            phone_number_classes(pattern)?
        }
        GeneratedKind::DeviceObject => device_object_classes(),
        GeneratedKind::JsonTypes => json_type_classes(),
        GeneratedKind::Correlator => {
            let pattern = profile.correlator_pattern().ok_or_else(|| {
                format!(
                    "the {profile} OAS gives x-correlator no pattern, so no correlator is \
                     malformed: use `unusual but legal x-correlator` with this profile"
                )
            })?;
            correlator_classes(pattern)?
        }
        GeneratedKind::UnusualCorrelator => correlator_classes(STRICT_CORRELATOR_PATTERN)?,
    })
}

/// A class of `strategy`'s inputs.
pub(crate) fn class(
    name: &str,
    strategy: impl Strategy<Value = Input> + Send + Sync + 'static,
) -> Class {
    Class {
        name: name.to_owned(),
        strategy: strategy.sboxed(),
        exemplar: None,
    }
}

/// Strings matching `pattern`.
fn matching(pattern: &'static str) -> SBoxedStrategy<String> {
    // The patterns are constants of this file, each exercised by the unit tests.
    string_regex(pattern)
        .unwrap_or_else(|e| panic!("generator pattern {pattern:?} does not compile: {e}"))
        .sboxed()
}

/// `{"device": device}`.
fn with_device(
    device: impl Strategy<Value = Value> + Send + Sync + 'static,
) -> SBoxedStrategy<Input> {
    device
        .prop_map(|device| Input::Body(json!({ "device": device })))
        .sboxed()
}

/// The body `{"device": device}`, as an input.
fn body(device: Value) -> Input {
    Input::Body(json!({ "device": device }))
}

/// `{"device": {name: value}}`.
fn with_identifier(
    name: &'static str,
    value: impl Strategy<Value = Value> + Send + Sync + 'static,
) -> SBoxedStrategy<Input> {
    with_device(value.prop_map(move |value| json!({ name: value })))
}

fn text(pattern: &'static str) -> SBoxedStrategy<Value> {
    matching(pattern).prop_map(Value::String).sboxed()
}

fn valid_phone_number() -> SBoxedStrategy<Value> {
    text(r"\+[1-9][0-9]{4,14}")
}

fn valid_ipv4() -> SBoxedStrategy<Value> {
    any::<[u8; 4]>()
        .prop_map(|octets| json!(Ipv4Addr::from(octets).to_string()))
        .sboxed()
}

fn malformed_ipv4() -> SBoxedStrategy<Value> {
    prop_oneof![
        text(r"(25[6-9]|2[6-9][0-9]|[3-9][0-9]{2})(\.[0-9]{1,3}){3}"),
        text(r"[1-9][0-9]{0,2}(\.[0-9]{1,3}){2}"),
        text(r"[1-9][0-9]{0,2}(\.[0-9]{1,3}){4}"),
        text(r"[1-9][0-9]{0,2}(\.[0-9]{1,3}){3}/[0-9]{1,2}"),
        text(r"[a-z]{1,8}\.[a-z]{1,8}"),
    ]
    .sboxed()
}

fn malformed_ipv6() -> SBoxedStrategy<Value> {
    prop_oneof![
        text(r"[0-9a-f]{1,4}::[0-9a-f]{1,4}::[0-9a-f]{1,4}"),
        text(r"[0-9a-f]{1,4}(:[0-9a-f]{1,4}){8,9}"),
        text(r"[0-9a-f]{5,6}::[0-9a-f]{1,4}"),
        text(r"[0-9a-f]{1,4}::[g-z][0-9a-z]{0,3}"),
        text(r"[0-9a-f]{1,4}:[0-9a-f]{1,4}::[0-9a-f]{1,4}/[0-9]{1,3}"),
    ]
    .sboxed()
}

/// JSON values of every kind but `allowed` (a string, a number, an object...).
fn other_than(allowed: &[&str]) -> SBoxedStrategy<Value> {
    let kinds: Vec<(&str, SBoxedStrategy<Value>)> = vec![
        ("null", Just(Value::Null).sboxed()),
        ("boolean", any::<bool>().prop_map(Value::Bool).sboxed()),
        ("number", any::<i32>().prop_map(|n| json!(n)).sboxed()),
        ("string", text("[a-z0-9+.]{0,12}")),
        ("array", Just(json!([])).sboxed()),
        ("object", Just(json!({})).sboxed()),
    ];
    let options: Vec<SBoxedStrategy<Value>> = kinds
        .into_iter()
        .filter(|(kind, _)| !allowed.contains(kind))
        .map(|(_, strategy)| strategy)
        .collect();
    proptest::strategy::Union::new(options).sboxed()
}

/// The ways of breaking a phone-number pattern of the shape `^\+[1-9][0-9]{min,max}$` (E.164,
/// every version's shape), with the digit counts read from the profile's own pattern.
fn phone_number_classes(pattern: &str) -> Result<Vec<Class>, String> {
    let (min, max) = pattern
        .strip_prefix(r"^\+[1-9][0-9]{")
        .and_then(|rest| rest.strip_suffix("}$"))
        .and_then(|counts| counts.split_once(','))
        .and_then(|(min, max)| Some((min.parse::<usize>().ok()?, max.parse::<usize>().ok()?)))
        .filter(|(min, max)| min <= max)
        .ok_or_else(|| {
            format!(
                "the phoneNumber pattern {pattern:?} is not of the shape ^\\+[1-9][0-9]{{min,max}}$ \
                 the generator breaks; report it as a harness limitation"
            )
        })?;
    let digits = format!("[0-9]{{{min},{max}}}");
    [
        (
            "without its '+'".to_owned(),
            format!("[1-9]{digits}"),
            Some("33699901031"),
        ),
        (
            format!("fewer than {} digits", min + 1),
            format!(r"\+[1-9][0-9]{{0,{}}}", min.saturating_sub(1)),
            Some("+3369"),
        ),
        (
            format!("more than {} digits", max + 1),
            format!(r"\+[1-9][0-9]{{{},{}}}", max + 1, max + 6),
            Some("+3369990103112345678"),
        ),
        (
            "a leading zero".to_owned(),
            format!(r"\+0{digits}"),
            Some("+03699901031"),
        ),
        (
            "a character that is not a digit".to_owned(),
            r"\+[1-9][0-9]{1,6}[a-zA-Z .()/#*_٣-][0-9]{1,6}".to_owned(),
            Some("+33699A01031"),
        ),
        (
            "a second '+'".to_owned(),
            format!(r"\+[1-9]?\+[0-9]{{{min},{}}}", max.saturating_sub(1)),
            Some("++33699901031"),
        ),
        (
            "white space around it".to_owned(),
            format!(r"[ \t]\+[1-9]{digits}|\+[1-9]{digits}[ \t\n]"),
            // A cell of a Gherkin table is trimmed: no example scenario can send one.
            None,
        ),
        ("no digits at all".to_owned(), r"\+?".to_owned(), Some("")),
    ]
    .into_iter()
    .map(|(name, regex, example)| phone_class(&name, &regex, example))
    .collect()
}

/// The phone numbers matching `regex`, whose exemplar is `example` when the regex matches
/// it (the example scenarios' numbers fit the usual E.164 digit counts, not every pattern's).
fn phone_class(name: &str, regex: &str, example: Option<&str>) -> Result<Class, String> {
    let numbers = generated(regex)?;
    let whole = regex::Regex::new(&format!("^(?:{regex})$"))
        .map_err(|e| format!("generator pattern {regex:?} does not compile: {e}"))?;
    let mut class = class(
        name,
        with_identifier("phoneNumber", numbers.prop_map(Value::String)),
    );
    class.exemplar = example
        .filter(|example| whole.is_match(example))
        .map(|example| Input::Body(json!({ "device": { "phoneNumber": example } })));
    Ok(class)
}

/// Strings matching `regex`, built from the contract (an error names a pattern that
/// cannot be generated from).
fn generated(regex: &str) -> Result<SBoxedStrategy<String>, String> {
    Ok(string_regex(regex)
        .map_err(|e| format!("generator pattern {regex:?} does not compile: {e}"))?
        .sboxed())
}

fn device_object_classes() -> Vec<Class> {
    let ipv4 = |address: Value, extra: (&str, Value)| {
        let mut object = json!({ "publicAddress": address });
        object[extra.0] = extra.1;
        json!({ "ipv4Address": object })
    };
    let port = any::<u16>().prop_map(|p| json!(p));
    let bad_port = prop_oneof![65_536i64..=10_000_000, -10_000_000i64..=-1].prop_map(|p| json!(p));
    vec![
        class("no identifier", Just(Input::Body(json!({ "device": {} })))),
        class(
            "an IPv4 address that is not one",
            with_device(
                (malformed_ipv4(), port.clone())
                    .prop_map(move |(address, port)| ipv4(address, ("publicPort", port))),
            ),
        )
        .with_exemplar(body(json!(
            { "ipv4Address": { "publicAddress": "256.1.1.1", "publicPort": 80 } }
        ))),
        class(
            "an IPv4 address without port or private address",
            with_identifier(
                "ipv4Address",
                valid_ipv4().prop_map(|address| json!({ "publicAddress": address })),
            ),
        )
        .with_exemplar(body(json!(
            { "ipv4Address": { "publicAddress": "84.125.93.10" } }
        ))),
        class(
            "an IPv4 port out of range",
            with_device(
                (valid_ipv4(), bad_port)
                    .prop_map(move |(address, port)| ipv4(address, ("publicPort", port))),
            ),
        )
        .with_exemplar(body(json!(
            { "ipv4Address": { "publicAddress": "84.125.93.10", "publicPort": 70000 } }
        ))),
        class(
            "a malformed private IPv4 address",
            with_device(
                (valid_ipv4(), malformed_ipv4())
                    .prop_map(move |(address, private)| ipv4(address, ("privateAddress", private))),
            ),
        ),
        class(
            "a malformed IPv6 address",
            with_identifier("ipv6Address", malformed_ipv6()),
        )
        .with_exemplar(body(json!({ "ipv6Address": "2001:db8::85a3::7344" }))),
        class(
            "a valid phone number next to a malformed IPv6 address",
            with_device(
                (valid_phone_number(), malformed_ipv6())
                    .prop_map(|(phone, ipv6)| json!({ "phoneNumber": phone, "ipv6Address": ipv6 })),
            ),
        ),
    ]
}

fn json_type_classes() -> Vec<Class> {
    let body_array = valid_phone_number().prop_map(|p| json!([{ "device": { "phoneNumber": p } }]));
    let fractional_port = (0u16..u16::MAX).prop_map(|p| json!(f64::from(p) + 0.5));
    let port_of = |port: SBoxedStrategy<Value>| {
        with_identifier(
            "ipv4Address",
            (valid_ipv4(), port).prop_map(
                |(address, port)| json!({ "publicAddress": address, "publicPort": port }),
            ),
        )
    };
    vec![
        class(
            "a body that is not an object",
            prop_oneof![other_than(&["object"]), body_array].prop_map(Input::Body),
        )
        .with_exemplar(Input::Body(json!(
            [{ "device": { "phoneNumber": "+33699901031" } }]
        ))),
        class(
            "a device that is not an object",
            with_device(other_than(&["object"])),
        )
        .with_exemplar(body(json!("+33699901031"))),
        class(
            "a phone number sent as a JSON number",
            with_identifier(
                "phoneNumber",
                (10_000u64..=999_999_999_999_999).prop_map(|n| json!(n)),
            ),
        )
        .with_exemplar(body(json!({ "phoneNumber": 33_699_901_031u64 }))),
        class(
            "a phone number that is neither a string nor a number",
            with_identifier("phoneNumber", other_than(&["string", "number"])),
        ),
        class(
            "an IPv4 address that is not an object",
            with_identifier(
                "ipv4Address",
                prop_oneof![valid_ipv4(), other_than(&["object"])],
            ),
        ),
        class(
            "a port that is not an integer",
            port_of(prop_oneof![fractional_port, other_than(&["number"])].sboxed()),
        )
        .with_exemplar(body(json!(
            { "ipv4Address": { "publicAddress": "84.125.93.10", "publicPort": "80" } }
        ))),
        class(
            "an IPv6 address that is not a string",
            with_identifier("ipv6Address", other_than(&["string"])),
        ),
        class(
            "a network access identifier that is not a string",
            with_identifier("networkAccessIdentifier", other_than(&["string"])),
        ),
    ]
}

/// The ways of breaking a correlator pattern of the shape `^[SET]{min,max}$` (both CAMARA
/// versions' shape): too long, a printable character outside the set, a space inside.
fn correlator_classes(pattern: &str) -> Result<Vec<Class>, String> {
    let unsupported = || {
        format!(
            "the x-correlator pattern {pattern:?} is not of the shape ^[SET]{{min,max}}$ the \
             generator breaks; report it as a harness limitation"
        )
    };
    let inner = pattern
        .strip_prefix("^[")
        .and_then(|rest| rest.strip_suffix('$'))
        .ok_or_else(unsupported)?;
    let (set, length) = inner.rsplit_once("]{").ok_or_else(unsupported)?;
    let max: usize = length
        .strip_suffix('}')
        .and_then(|l| l.rsplit(',').next())
        .and_then(|max| max.parse().ok())
        .ok_or_else(unsupported)?;
    let member = regex::Regex::new(&format!("^[{set}]$")).map_err(|_| unsupported())?;
    let outside: String = (b'!'..=b'~')
        .map(char::from)
        .filter(|c| !member.is_match(&c.to_string()))
        .map(|c| match c {
            '\\' | ']' | '[' | '^' | '-' | '&' | '~' => format!("\\{c}"),
            _ => c.to_string(),
        })
        .collect();
    let correlator = |regex: String| -> Result<SBoxedStrategy<Input>, String> {
        Ok(generated(&regex)?.prop_map(Input::Correlator).sboxed())
    };
    let mut classes = vec![class(
        &format!("more than {max} characters"),
        correlator(format!("[{set}]{{{},{}}}", max + 1, max + 25))?,
    )];
    if !outside.is_empty() {
        classes.push(class(
            &format!("a character other than those of [{set}]"),
            correlator(format!("[{set}]{{0,20}}[{outside}][{set}]{{0,20}}"))?,
        ));
    }
    if !member.is_match(" ") {
        classes.push(class(
            "a space inside",
            correlator(format!("[{set}]{{1,20}} [{set}]{{1,20}}"))?,
        ));
    }
    Ok(classes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Api;
    use crate::Profile;
    use crate::schema::{SchemaSet, X_CORRELATOR_POINTER};
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    #[test]
    fn malformed_phone_numbers_take_their_digit_counts_from_the_pattern() {
        let names = |pattern: &str| -> Vec<String> {
            let classes = phone_number_classes(pattern).unwrap();
            classes.into_iter().map(|c| c.name).take(3).collect()
        };
        assert_eq!(
            names(r"^\+[1-9][0-9]{4,14}$"),
            [
                "without its '+'",
                "fewer than 5 digits",
                "more than 15 digits"
            ]
        );
        assert_eq!(
            names(r"^\+[1-9][0-9]{6,9}$"),
            [
                "without its '+'",
                "fewer than 7 digits",
                "more than 10 digits"
            ]
        );
        assert!(
            phone_number_classes("^[0-9]+$")
                .err()
                .is_some_and(|e| e.contains("is not of the shape"))
        );
    }

    #[test]
    fn malformed_correlators_break_each_versions_own_pattern() {
        let names = |name: &str| -> Vec<String> {
            let profile = name.parse().unwrap();
            let classes = classes(GeneratedKind::Correlator, profile).unwrap();
            classes.into_iter().map(|c| c.name).collect()
        };
        assert_eq!(
            names("camara-v1.0"),
            [
                "more than 55 characters",
                "a character other than those of [a-zA-Z0-9-]",
                "a space inside"
            ]
        );
        assert_eq!(
            names("camara-v1.1"),
            [
                "more than 256 characters",
                "a character other than those of [a-zA-Z0-9-_:;.\\/<>{}]",
                "a space inside"
            ]
        );
        let orange = Api::OrangeLabV0.current();
        assert!(
            classes(GeneratedKind::Correlator, orange)
                .err()
                .is_some_and(|e| e.contains("gives x-correlator no pattern"))
        );
    }

    /// Every draw of every class breaks the schema of each profile it is meant for (so no
    /// draw is wasted), or, for legal unusual correlators, complies with orange-lab-v0's
    /// plain-string header; and is of its kind: a header for x-correlators, a body otherwise.
    #[test]
    fn every_class_draws_only_inputs_of_its_kind() {
        let mut runner = TestRunner::deterministic();
        for kind in GeneratedKind::ALL {
            if kind == GeneratedKind::RequestRequirements {
                continue;
            }
            let profiles: Vec<Profile> = match kind {
                GeneratedKind::Correlator => Api::CamaraV1.profiles().collect(),
                GeneratedKind::UnusualCorrelator => vec![Api::OrangeLabV0.current()],
                _ => Profile::all().to_vec(),
            };
            for (class, profile) in profiles
                .iter()
                .flat_map(|p| classes(kind, *p).unwrap().into_iter().map(move |c| (c, *p)))
            {
                let profiles = [profile];
                for _ in 0..200 {
                    let input = class
                        .strategy
                        .new_tree(&mut runner)
                        .unwrap_or_else(|e| panic!("{}: {e}", class.name))
                        .current();
                    for profile in &profiles {
                        let schemas = SchemaSet::builtin(*profile);
                        let checked = match &input {
                            Input::RawBody(_) => panic!("{} drew a raw body", class.name),
                            Input::Body(body) => {
                                assert!(!matches!(
                                    kind,
                                    GeneratedKind::Correlator | GeneratedKind::UnusualCorrelator
                                ));
                                schemas.validate(
                                    "#/components/schemas/RequestReachabilityStatus",
                                    body,
                                )
                            }
                            Input::Correlator(value) => {
                                assert!(matches!(
                                    kind,
                                    GeneratedKind::Correlator | GeneratedKind::UnusualCorrelator
                                ));
                                schemas.validate(X_CORRELATOR_POINTER, &json!(value))
                            }
                        };
                        assert_eq!(
                            checked.is_err(),
                            kind.breaks_schema(),
                            "{} drew {input:?} ({profile})",
                            class.name
                        );
                    }
                }
            }
        }
    }
}
