//! The built-in schemas of both profiles: loading, validation, pointers, generated values.

use reachability_harness::Api;
use reachability_harness::Profile;
use reachability_harness::schema::{SchemaError, SchemaSet, X_CORRELATOR_POINTER};
use serde_json::{Value, json};

const OPERATION: &str = "getReachabilityStatus";
const RESPONSE: &str = "#/components/schemas/ReachabilityStatusResponse";
const REQUEST: &str = "#/components/schemas/RequestReachabilityStatus";

/// camara-v1.0's schemas, which these tests were written for (v1.1.0's differences are
/// checked where they matter).
fn camara() -> SchemaSet {
    SchemaSet::builtin("camara-v1.0".parse().unwrap())
}

fn orange() -> SchemaSet {
    SchemaSet::builtin(Api::OrangeLabV0.current())
}

/// The embedded document of a profile, as the contract crate embeds it.
fn document(profile: Profile) -> Value {
    serde_yaml_ng::from_str(reachability_contract::documents::builtin(profile)).unwrap()
}

/// The violations reported for `instance`, or a panic if it complies.
fn violations(set: &SchemaSet, pointer: &str, instance: Value) -> Vec<String> {
    match set.validate(pointer, &instance) {
        Err(SchemaError::Violations { violations, .. }) => violations,
        other => panic!("expected violations of {pointer} by {instance}, got {other:?}"),
    }
}

fn error_body(pointer: &str) -> String {
    format!("#/components/responses/{pointer}/content/application~1json/schema")
}

#[test]
fn both_builtins_load_and_name_their_source() {
    for profile in Profile::status_profiles() {
        let set = SchemaSet::builtin(profile);
        assert_eq!(set.source(), format!("built-in {} schemas", profile.name()));
    }
}

#[test]
fn every_example_in_the_builtins_complies_with_its_schema() {
    for profile in Profile::status_profiles() {
        let set = SchemaSet::builtin(profile);
        let doc = document(profile);
        let examples = doc
            .pointer("/paths/~1retrieve/post/responses/200/content/application~1json/examples")
            .and_then(Value::as_object)
            .unwrap();
        assert!(examples.len() >= 3, "{profile}");
        for (name, example) in examples {
            set.validate(RESPONSE, &example["value"])
                .unwrap_or_else(|e| panic!("{profile} example {name}: {e}"));
        }
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for (name, schema) in schemas {
            if let Some(example) = schema.get("example") {
                set.validate(&format!("#/components/schemas/{name}"), example)
                    .unwrap_or_else(|e| panic!("{profile} {name} example: {e}"));
            }
        }
    }
}

#[test]
fn valid_requests_comply() {
    let requests = [
        json!({}),
        json!({"device": {"phoneNumber": "+33699901064"}}),
        json!({"device": {"networkAccessIdentifier": "123456789@example.com"}}),
        json!({"device": {"ipv4Address": {"publicAddress": "84.125.93.10", "publicPort": 59765}}}),
        json!({"device": {"ipv4Address": {"publicAddress": "84.125.93.10", "privateAddress": "10.0.0.1"}}}),
        json!({"device": {"ipv6Address": "2001:db8:85a3:8d3:1319:8a2e:370:7344"}}),
    ];
    for set in [camara(), orange()] {
        for request in &requests {
            set.validate(REQUEST, request)
                .unwrap_or_else(|e| panic!("{request}: {e}"));
        }
    }
}

#[test]
fn camara_response_violations_are_precise() {
    assert_eq!(
        violations(
            &camara(),
            RESPONSE,
            json!({"reachable": "true", "connectivity": ["DATA", "VOICE"], "lastStatusTime": "2024-02-20 10:41"})
        ),
        vec![
            r#"/connectivity/1: "VOICE" is not one of "DATA" or "SMS""#,
            r#"/lastStatusTime: "2024-02-20 10:41" is not a "date-time""#,
            r#"/reachable: "true" is not of type "boolean""#,
        ]
    );
    assert_eq!(
        violations(&camara(), RESPONSE, json!({"connectivity": ["SMS"]})),
        vec![r#"(root): "reachable" is a required property"#]
    );
}

#[test]
fn orange_response_needs_a_documented_status_and_a_time() {
    assert_eq!(
        violations(
            &orange(),
            RESPONSE,
            json!({"reachabilityStatus": "CONNECTED"})
        ),
        vec![
            r#"(root): "lastStatusTime" is a required property"#,
            r#"/reachabilityStatus: "CONNECTED" is not one of "CONNECTED_DATA", "CONNECTED_SMS" or "NOT_CONNECTED""#,
        ]
    );
    // A camara-v1 answer is not an orange-lab-v0 answer.
    assert_eq!(
        violations(
            &orange(),
            RESPONSE,
            json!({"reachable": true, "lastStatusTime": "2024-02-20T10:41:38.657Z"})
        ),
        vec![r#"(root): "reachabilityStatus" is a required property"#]
    );
}

#[test]
fn request_violations_are_precise() {
    for set in [camara(), orange()] {
        assert_eq!(
            violations(&set, REQUEST, json!({"device": {}})),
            vec!["/device: {} has less than 1 property"]
        );
        assert_eq!(
            violations(
                &set,
                REQUEST,
                json!({"device": {
                    "phoneNumber": "33699901064",
                    "ipv4Address": {"publicAddress": "84.125.93.256", "publicPort": 70000},
                    "ipv6Address": "2001:db8::85a3::7344"
                }})
            ),
            vec![
                r#"/device/ipv4Address/publicAddress: "84.125.93.256" is not a "ipv4""#,
                "/device/ipv4Address/publicPort: 70000 is greater than the maximum of 65535",
                r#"/device/ipv6Address: "2001:db8::85a3::7344" is not a "ipv6""#,
                r#"/device/phoneNumber: "33699901064" does not match "^\+[1-9][0-9]{4,14}$""#,
            ]
        );
        assert_eq!(
            violations(
                &set,
                "#/components/schemas/DeviceIpv4Addr",
                json!({"publicAddress": "84.125.93.10"})
            ),
            vec![
                r#"(root): {"publicAddress":"84.125.93.10"} is not valid under any of the schemas listed in the 'anyOf' keyword (option 1: "privateAddress" is a required property; option 2: "publicPort" is a required property)"#
            ]
        );
    }
}

#[test]
fn violations_display_lists_each_one() {
    let error = camara()
        .validate(RESPONSE, &json!({"reachable": 1, "connectivity": "DATA"}))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the value does not comply with the schema at \"#/components/schemas/ReachabilityStatusResponse\" \
         (built-in camara-v1.0 schemas), 2 violations:\n  \
         - /connectivity: \"DATA\" is not of type \"array\"\n  \
         - /reachable: 1 is not of type \"boolean\""
    );
}

/// Each documented error status, with the codes its body may carry.
fn documented_errors(profile: Profile) -> Vec<(u16, Vec<&'static str>)> {
    let mut errors = vec![(400, vec!["INVALID_ARGUMENT"])];
    match profile.api() {
        // The versions' codes as the contract reads them from each OAS's enums: the schemas
        // compiled from the same document must accept exactly those.
        Api::CamaraV1 => {
            errors = [400, 401, 403, 404, 422, 429, 503]
                .into_iter()
                .map(|status| {
                    let codes = profile.error_codes(status).iter().map(String::as_str);
                    (status, codes.collect())
                })
                .collect()
        }
        Api::OrangeLabV0 => errors.extend([
            (401, vec!["UNAUTHENTICATED", "AUTHENTICATION_REQUIRED"]),
            (403, vec!["PERMISSION_DENIED", "INVALID_TOKEN_CONTEXT"]),
            (404, vec!["NOT_FOUND", "DEVICE_NOT_FOUND"]),
            (406, vec!["NOT_ACCEPTABLE"]),
            (415, vec!["UNSUPPORTED_MEDIA_TYPE"]),
            (
                422,
                vec![
                    "DEVICE_IDENTIFIERS_MISMATCH",
                    "DEVICE_NOT_APPLICABLE",
                    "UNABLE_TO_PROVIDE_REACHABILITY_STATUS",
                    "UNSUPPORTED_DEVICE_IDENTIFIERS",
                    "UNIDENTIFIABLE_DEVICE",
                ],
            ),
            (429, vec!["QUOTA_EXCEEDED", "TOO_MANY_REQUESTS"]),
            (500, vec!["INTERNAL_SERVER_ERROR", "INTERNAL"]),
            (501, vec!["NOT_IMPLEMENTED"]),
            (502, vec!["BAD_GATEWAY"]),
            (503, vec!["UNAVAILABLE"]),
            (504, vec!["TIMEOUT"]),
        ]),
        Api::CamaraSubscriptionsV0 => unreachable!("{profile} is not a status profile"),
    }
    errors
}

#[test]
fn response_pointer_covers_every_documented_status() {
    for profile in Profile::status_profiles() {
        let set = SchemaSet::builtin(profile);
        assert_eq!(
            set.response_pointer(OPERATION, 200).as_deref(),
            Some(RESPONSE),
            "{profile}"
        );
        let documented: Vec<u16> = documented_errors(profile).iter().map(|e| e.0).collect();
        for status in 100..600 {
            let expected = documented
                .contains(&status)
                .then(|| error_body(&format!("Generic{status}")));
            if status != 200 {
                assert_eq!(
                    set.response_pointer(OPERATION, status),
                    expected,
                    "{profile} {status}"
                );
            }
        }
        assert_eq!(set.response_pointer("getRoamingStatus", 200), None);
    }
}

#[test]
fn error_bodies_pin_status_and_allowed_codes() {
    for profile in Profile::status_profiles() {
        let set = SchemaSet::builtin(profile);
        for (status, codes) in documented_errors(profile) {
            let pointer = set.response_pointer(OPERATION, status).unwrap();
            for code in &codes {
                let body = json!({"status": status, "code": code, "message": "details"});
                set.validate(&pointer, &body)
                    .unwrap_or_else(|e| panic!("{profile} {status} {code}: {e}"));
            }
            let wrong_status = json!({"status": 299, "code": codes[0], "message": "m"});
            assert_eq!(
                violations(&set, &pointer, wrong_status),
                vec![format!("/status: 299 is not one of {status}")],
            );
        }
    }
    assert_eq!(
        violations(
            &camara(),
            &error_body("Generic401"),
            json!({"status": 401, "code": "PERMISSION_DENIED"})
        ),
        vec![
            r#"(root): "message" is a required property"#,
            r#"/code: "PERMISSION_DENIED" is not one of "UNAUTHENTICATED" or "AUTHENTICATION_REQUIRED""#,
        ]
    );
    // The Orange lab answers 500 INTERNAL_SERVER_ERROR for a number it does not manage;
    // camara-v1 documents no 500 at all.
    let unmanaged =
        json!({"status": 500, "code": "INTERNAL_SERVER_ERROR", "message": "Internal Server Error"});
    orange()
        .validate(&error_body("Generic500"), &unmanaged)
        .unwrap();
}

#[test]
fn pointers_are_accepted_with_or_without_hash() {
    let set = camara();
    let bad = json!("33699901064");
    let forms = [
        "#/components/schemas/PhoneNumber",
        "/components/schemas/PhoneNumber",
        "  #/components/schemas/PhoneNumber ",
    ];
    for form in forms {
        let error = set.validate(form, &bad).unwrap_err();
        assert!(
            matches!(&error, SchemaError::Violations { pointer, .. } if pointer == "#/components/schemas/PhoneNumber"),
            "{form}: {error:?}"
        );
    }
    let escaped = "/components/responses/Generic400/content/application~1json/schema";
    set.validate(
        escaped,
        &json!({"status": 400, "code": "INVALID_ARGUMENT", "message": "m"}),
    )
    .unwrap();
    assert_eq!(
        set.validate("components/schemas/PhoneNumber", &bad)
            .unwrap_err()
            .to_string(),
        "\"components/schemas/PhoneNumber\" is not a schema pointer: write it as \
         \"#/components/schemas/Name\" or \"/components/schemas/Name\""
    );
}

#[test]
fn unknown_pointers_name_the_pointer_and_what_exists() {
    let error = camara()
        .validate("#/components/schemas/PhoneNumbr", &json!("+33699901064"))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "no schema at \"#/components/schemas/PhoneNumbr\" in built-in camara-v1.0 schemas: \
         \"#/components/schemas\" has no \"PhoneNumbr\" (did you mean \
         \"#/components/schemas/PhoneNumber\"?); it has: ConnectivityType, Device, \
         DeviceIpv4Addr, DeviceIpv6Address, ErrorInfo, LastStatusTime, NetworkAccessIdentifier, \
         PhoneNumber, Port, ReachabilityStatusResponse, RequestReachabilityStatus, \
         SingleIpv4Addr; fix the pointer in the feature file or use the spec that \
         defines it"
    );
    // A camara-v1 name asked of the orange-lab-v0 set: no close name, the list says what exists.
    let error = orange()
        .non_compliant_value("/components/schemas/ConnectivityType")
        .unwrap_err();
    assert!(
        matches!(&error, SchemaError::UnknownPointer(unknown)
            if unknown.suggestion.is_none()
                && unknown.available.contains(&"ReachabilityStatus".to_owned())),
        "{error:?}"
    );
}

#[test]
fn pointers_to_non_schemas_say_which_pointer_to_use() {
    let set = camara();
    assert_eq!(
        set.validate("#/components/responses/Generic400", &json!({}))
            .unwrap_err()
            .to_string(),
        "\"#/components/responses/Generic400\" in built-in camara-v1.0 schemas is not a schema: it \
         is a response or request body; use \
         \"#/components/responses/Generic400/content/application~1json/schema\""
    );
    assert_eq!(
        set.validate("#/openapi", &json!({}))
            .unwrap_err()
            .to_string(),
        "\"#/openapi\" in built-in camara-v1.0 schemas is not a schema: it is \"3.0.3\"; point at \
         a schema object"
    );
}

#[test]
fn x_correlator_pattern_is_enforced_in_camara_v1_only() {
    // orange-lab-v0 follows v0.6.0, whose x-correlator is a plain string: any value complies.
    for long_or_odd in [
        "a".repeat(56),
        "abc_def".to_owned(),
        "with space".to_owned(),
    ] {
        orange()
            .validate(X_CORRELATOR_POINTER, &json!(long_or_odd))
            .unwrap();
    }
    assert!(orange().validate(X_CORRELATOR_POINTER, &json!(42)).is_err());
    let set = camara();
    set.validate(
        X_CORRELATOR_POINTER,
        &json!("b4333c46-49c0-4f62-80d7-f0ef930f1c46"),
    )
    .unwrap();
    // v1.1.0 names the schema and widens it.
    SchemaSet::builtin("camara-v1.1".parse().unwrap())
        .validate(
            "#/components/schemas/XCorrelator",
            &json!("a_b:c;d.e/f<g>{h}"),
        )
        .unwrap();
    assert_eq!(
        violations(&set, X_CORRELATOR_POINTER, json!("a".repeat(56))),
        vec![format!(
            r#"(root): "{}" does not match "^[a-zA-Z0-9-]{{0,55}}$""#,
            "a".repeat(56)
        )]
    );
    assert_eq!(
        violations(&set, X_CORRELATOR_POINTER, json!("abc_def")),
        vec![r#"(root): "abc_def" does not match "^[a-zA-Z0-9-]{0,55}$""#]
    );
}

#[test]
fn non_compliant_device_identifiers_break_the_schema_meaningfully() {
    let cases = [
        // A phone number without its '+': a pattern violation.
        (
            "/components/schemas/PhoneNumber",
            json!("123456789"),
            r#"(root): "123456789" does not match "^\+[1-9][0-9]{4,14}$""#,
        ),
        // An unconstrained string: a value of the wrong type.
        (
            "/components/schemas/NetworkAccessIdentifier",
            json!(123456789),
            r#"(root): 123456789 is not of type "string""#,
        ),
        // An object that needs its public address: an invalid one.
        (
            "/components/schemas/DeviceIpv4Addr",
            json!({"publicAddress": "203.0.113.256", "publicPort": 59765}),
            r#"/publicAddress: "203.0.113.256" is not a "ipv4""#,
        ),
        (
            "/components/schemas/DeviceIpv6Address",
            json!("2001:db8::85a3::7344"),
            r#"(root): "2001:db8::85a3::7344" is not a "ipv6""#,
        ),
        (
            "/components/schemas/SingleIpv4Addr",
            json!("203.0.113.256"),
            r#"(root): "203.0.113.256" is not a "ipv4""#,
        ),
        (
            "/components/schemas/Port",
            json!(65536),
            "(root): 65536 is greater than the maximum of 65535",
        ),
        (
            "#/components/schemas/Device",
            json!({}),
            "(root): {} has less than 1 property",
        ),
        (
            "#/components/schemas/RequestReachabilityStatus",
            json!({"device": {}}),
            "/device: {} has less than 1 property",
        ),
        (
            "#/components/schemas/LastStatusTime",
            json!("2024-02-20 10:41:38"),
            r#"(root): "2024-02-20 10:41:38" is not a "date-time""#,
        ),
    ];
    for set in [camara(), orange()] {
        for (pointer, expected, violation) in &cases {
            let value = set.non_compliant_value(pointer).unwrap();
            assert_eq!(&value, expected, "{} {pointer}", set.source());
            assert_eq!(
                violations(&set, pointer, value),
                vec![violation.to_string()]
            );
        }
    }
}

#[test]
fn non_compliant_responses_break_the_first_required_property() {
    assert_eq!(
        camara().non_compliant_value(RESPONSE).unwrap(),
        json!({"reachable": "true"})
    );
    assert_eq!(
        camara()
            .non_compliant_value("#/components/schemas/ConnectivityType")
            .unwrap(),
        json!("NOT_A_DOCUMENTED_VALUE")
    );
    assert_eq!(
        orange()
            .non_compliant_value("#/components/schemas/ReachabilityStatus")
            .unwrap(),
        json!("NOT_A_DOCUMENTED_VALUE")
    );
}
