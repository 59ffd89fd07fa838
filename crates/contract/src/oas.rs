//! What a contract's OpenAPI document says that the mock and the generated negative cases
//! follow: the `x-correlator` and phone-number patterns, whether the answer requires
//! `lastStatusTime` or carries `device`, and the error codes of each status.

use std::collections::BTreeMap;

use serde_json::Value;

/// The facts read from one OpenAPI document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OasFacts {
    /// The `pattern` of the `x-correlator` header, if it has one.
    pub correlator_pattern: Option<String>,
    /// The `pattern` of `PhoneNumber`.
    pub phone_pattern: Option<String>,
    /// Whether `ReachabilityStatusResponse` requires `lastStatusTime`.
    pub last_status_time_required: bool,
    /// Whether `ReachabilityStatusResponse` declares a `device` property.
    pub device_in_response: bool,
    /// For each error status of the operation, the `code` values its answer may carry.
    pub error_codes: BTreeMap<u16, Vec<String>>,
}

/// Reads the facts of `root`, an OpenAPI document; `Err` says what it lacks. A document
/// without `ReachabilityStatusResponse` (another API family) has no answer facts.
pub fn facts(root: &Value) -> Result<OasFacts, String> {
    let schemas = root
        .pointer("/components/schemas")
        .ok_or("it has no components/schemas")?;
    let response = schemas.get("ReachabilityStatusResponse");
    let required = response
        .and_then(|r| r.get("required"))
        .and_then(Value::as_array)
        .is_some_and(|names| names.iter().any(|n| n == "lastStatusTime"));
    let correlator = root
        .pointer("/components/headers/x-correlator/schema")
        .map(|schema| resolve(root, schema));
    let phone = schemas.get("PhoneNumber");
    Ok(OasFacts {
        correlator_pattern: correlator.and_then(pattern),
        phone_pattern: phone.and_then(pattern),
        last_status_time_required: required,
        device_in_response: response.is_some_and(|r| r.pointer("/properties/device").is_some()),
        error_codes: error_codes(root),
    })
}

fn pattern(schema: &Value) -> Option<String> {
    schema
        .get("pattern")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// `value`, or the value its local `$ref` names.
fn resolve<'a>(root: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix('#')
            .and_then(|pointer| root.pointer(pointer))
            .map_or(value, |target| resolve(root, target)),
        None => value,
    }
}

/// The `code` enum of each error answer of every operation (`allOf` parts included).
fn error_codes(root: &Value) -> BTreeMap<u16, Vec<String>> {
    let mut out: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    let operations = root
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values());
    for operation in operations {
        let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
            continue;
        };
        for (status, response) in responses {
            let Ok(status) = status.parse::<u16>() else {
                continue;
            };
            if status < 400 {
                continue;
            }
            let schema = resolve(root, response)
                .pointer("/content/application~1json/schema")
                .map(|s| resolve(root, s));
            let codes = out.entry(status).or_default();
            for code in schema.into_iter().flat_map(|s| code_enum(root, s)) {
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
        }
    }
    out
}

fn code_enum(root: &Value, schema: &Value) -> Vec<String> {
    let own = schema
        .pointer("/properties/code/enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned);
    let parts = schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|part| code_enum(root, resolve(root, part)));
    own.chain(parts).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn another_familys_document_has_no_answer_facts_and_a_bare_one_is_refused() {
        let other = json!({
            "components": {"schemas": {"PhoneNumber": {"type": "string", "pattern": "^\\+1$"}}},
            "paths": {"/x": {"post": {"responses": {"400": {"content": {"application/json": {
                "schema": {"properties": {"code": {"enum": ["INVALID_ARGUMENT"]}}}
            }}}}}}}
        });
        let found = facts(&other).unwrap();
        assert!(!found.last_status_time_required && !found.device_in_response);
        assert_eq!(found.phone_pattern.as_deref(), Some("^\\+1$"));
        assert_eq!(found.error_codes[&400], ["INVALID_ARGUMENT"]);
        assert_eq!(
            facts(&json!({"openapi": "3.0.3"})),
            Err("it has no components/schemas".to_owned())
        );
    }
}
