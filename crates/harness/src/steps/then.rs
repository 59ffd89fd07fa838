//! Response checks: status, headers, schema compliance and properties by JSONPath.

use serde_json::Value;
use serde_json_path::JsonPath;

use super::vocabulary::Action;
use super::world::ReachabilityWorld;
use super::{StepResult, Verdict};
use crate::http::Exchange;
use crate::schema::SchemaError;

/// The operation every check of this API refers to.
const OPERATION_ID: &str = "getReachabilityStatus";

impl ReachabilityWorld {
    /// Performs a check on the last response.
    pub(crate) fn check(&self, action: &Action) -> StepResult {
        let ctx = self.context()?;
        let exchange = self.exchanges.last().ok_or_else(|| {
            Verdict::Errored(
                "no request was sent before this check: add `When the request \"getReachabilityStatus\" is sent`"
                    .into(),
            )
        })?;
        match action {
            Action::StatusIs(code) if *code == exchange.status => Ok(()),
            Action::StatusIs(code) => {
                Err(Verdict::expected(format!("status {code}"), exchange.status))
            }
            Action::StatusIsOneOf(codes) if codes.contains(&exchange.status) => Ok(()),
            Action::StatusIsOneOf(codes) => Err(Verdict::expected(
                format!(
                    "status {}",
                    codes
                        .iter()
                        .map(u16::to_string)
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
                exchange.status,
            )),
            Action::HeaderIs { name, value } => check_header(exchange, name, value),
            Action::HeaderEchoes { response, request } => {
                let sent = header_of(&exchange.request.headers, request).ok_or_else(|| {
                    Verdict::Errored(format!(
                        "the request carried no {request:?} header to compare with"
                    ))
                })?;
                match exchange.header(response) {
                    Some(got) if got == sent => Ok(()),
                    Some(got) => Err(Verdict::expected(
                        format!(
                            "response header {response:?} to be {sent:?} (the request's {request:?})"
                        ),
                        format!("{got:?}"),
                    )),
                    None => Err(Verdict::expected(
                        format!(
                            "response header {response:?} to be {sent:?} (the request's {request:?})"
                        ),
                        "no such header",
                    )),
                }
            }
            Action::HeaderPresent(name) => match exchange.header(name) {
                Some(_) => Ok(()),
                None => Err(Verdict::expected(
                    format!("response header {name:?}"),
                    "no such header",
                )),
            },
            Action::SchemaAt(pointer) => {
                let body = json_body(exchange)?;
                ctx.schemas.validate(pointer, &body).map_err(|e| {
                    schema_verdict(e, |e| {
                        format!("the response body does not comply with {pointer}: {e}")
                    })
                })
            }
            Action::SchemaForStatus => {
                let pointer = ctx
                    .schemas
                    .response_pointer(OPERATION_ID, exchange.status)
                    .ok_or_else(|| {
                        Verdict::Failed(format!(
                            "the spec ({}) documents no response {} for {OPERATION_ID}",
                            ctx.schemas.source(),
                            exchange.status
                        ))
                    })?;
                let body = json_body(exchange)?;
                ctx.schemas.validate(&pointer, &body).map_err(|e| {
                    schema_verdict(e, |e| {
                        format!(
                            "the response body does not comply with the schema of a {} answer ({pointer}): {e}",
                            exchange.status
                        )
                    })
                })
            }
            Action::PropertyIs { path, value } => {
                let got = one_property(exchange, path)?;
                if same_json(&got, value) {
                    Ok(())
                } else {
                    Err(Verdict::expected(format!("{path} = {value}"), got))
                }
            }
            Action::PropertyIsOneOf { path, values } => {
                let got = one_property(exchange, path)?;
                match got.as_str() {
                    Some(s) if values.iter().any(|v| v == s) => Ok(()),
                    _ => Err(Verdict::expected(
                        format!("{path} to be one of {values:?}"),
                        got,
                    )),
                }
            }
            Action::PropertyIncludes { path, values } => {
                let (got, present) = array_membership(exchange, path, values)?;
                if present.iter().all(|p| *p) {
                    Ok(())
                } else {
                    Err(Verdict::expected(
                        format!("{path} to include {values:?}"),
                        got,
                    ))
                }
            }
            Action::PropertyExcludes { path, values } => {
                let (got, present) = array_membership(exchange, path, values)?;
                if present.iter().any(|p| *p) {
                    Err(Verdict::expected(
                        format!("{path} not to include any of {values:?}"),
                        got,
                    ))
                } else {
                    Ok(())
                }
            }
            Action::PropertyPresent(path) => one_property(exchange, path).map(drop),
            Action::PropertyAbsent(path) => match properties(exchange, path)?.as_slice() {
                [] => Ok(()),
                found => Err(Verdict::expected(
                    format!("{path} to be absent"),
                    show_nodes(found),
                )),
            },
            Action::PropertyFriendlyText(path) => {
                let got = one_property(exchange, path)?;
                match got.as_str() {
                    Some(text) if is_friendly(text) => Ok(()),
                    _ => Err(Verdict::expected(
                        format!("{path} to be a non-empty human-readable text"),
                        got,
                    )),
                }
            }
            Action::PropertyDateTime {
                path,
                only_if_present,
            } => {
                let found = properties(exchange, path)?;
                match found.as_slice() {
                    [] if *only_if_present => Ok(()),
                    [] => Err(Verdict::expected(
                        format!("{path} to be an RFC 3339 date-time"),
                        "absent",
                    )),
                    [Value::String(s)] if chrono::DateTime::parse_from_rfc3339(s).is_ok() => Ok(()),
                    [other] => Err(Verdict::expected(
                        format!("{path} to be an RFC 3339 date-time"),
                        other,
                    )),
                    many => Err(Verdict::expected(
                        format!("{path} to select one value"),
                        show_nodes(many),
                    )),
                }
            }
            other => Err(Verdict::Errored(format!("{other:?} is not a check"))),
        }
    }
}

/// Compares a response header; `Content-Type` compares the media type, ignoring parameters
/// such as `charset` unless the expected value has some.
fn check_header(exchange: &Exchange, name: &str, want: &str) -> StepResult {
    let got = exchange.header(name).ok_or_else(|| {
        Verdict::expected(
            format!("response header {name:?} = {want:?}"),
            "no such header",
        )
    })?;
    let matches = if name.eq_ignore_ascii_case("content-type") && !want.contains(';') {
        got.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .eq_ignore_ascii_case(want)
    } else {
        got == want
    };
    if matches {
        Ok(())
    } else {
        Err(Verdict::expected(
            format!("response header {name:?} = {want:?}"),
            format!("{got:?}"),
        ))
    }
}

fn header_of<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A schema check that did not pass: violations fail the scenario (`describe` says how);
/// a pointer that names no schema means the check could not be made.
fn schema_verdict(error: SchemaError, describe: impl FnOnce(&SchemaError) -> String) -> Verdict {
    match error {
        SchemaError::Violations { .. } => Verdict::Failed(describe(&error)),
        other => Verdict::Errored(format!("the schema check cannot be made: {other}")),
    }
}

fn json_body(exchange: &Exchange) -> Result<Value, Verdict> {
    exchange
        .json()
        .map_err(|e| Verdict::Failed(format!("the response body is {e}")))
}

/// Every node the JSONPath selects in the response body.
fn properties(exchange: &Exchange, path: &str) -> Result<Vec<Value>, Verdict> {
    let query = JsonPath::parse(path)
        .map_err(|e| Verdict::Errored(format!("{path:?} is not a JSONPath: {e}")))?;
    let body = json_body(exchange)?;
    Ok(query.query(&body).all().into_iter().cloned().collect())
}

/// The single node the JSONPath selects, or a failure saying it is absent or ambiguous.
fn one_property(exchange: &Exchange, path: &str) -> Result<Value, Verdict> {
    let mut found = properties(exchange, path)?;
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(Verdict::expected(
            format!("response property {path}"),
            "absent",
        )),
        _ => Err(Verdict::expected(
            format!("{path} to select one value"),
            show_nodes(&found),
        )),
    }
}

/// The array a JSONPath selects, and for each of `values` whether the array holds it.
fn array_membership(
    exchange: &Exchange,
    path: &str,
    values: &[String],
) -> Result<(Value, Vec<bool>), Verdict> {
    let got = one_property(exchange, path)?;
    let items = got
        .as_array()
        .ok_or_else(|| Verdict::expected(format!("{path} to be an array"), &got))?;
    let present = values
        .iter()
        .map(|v| items.iter().any(|i| i.as_str() == Some(v.as_str())))
        .collect();
    Ok((got, present))
}

fn show_nodes(nodes: &[Value]) -> String {
    Value::Array(nodes.to_vec()).to_string()
}

/// JSON equality where numbers compare by value (400 equals 400.0).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// A text a person can read: non-blank, with letters.
fn is_friendly(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty() && text.chars().any(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value() {
        assert!(same_json(&json!(400), &json!(400.0)));
        assert!(!same_json(&json!(400), &json!("400")));
    }

    #[test]
    fn friendly_text_needs_words() {
        assert!(is_friendly("The device cannot be identified."));
        assert!(!is_friendly("   "));
        assert!(!is_friendly("42"));
        // v1.0.0 and v0.6.0 set no maximum length (the 512 of later Commonalities is not theirs).
        assert!(is_friendly(&"a".repeat(513)));
    }
}
