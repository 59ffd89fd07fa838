//! Response checks: status, headers, schema compliance and properties by JSONPath.

use serde_json::Value;

use super::vocabulary::Action;
use super::world::ReachabilityWorld;
use super::{StepResult, Verdict};
use crate::http::Exchange;
use crate::schema::SchemaError;
use crate::target_file::CreationMode;

/// The operation checks refer to when no operation was named (the status API's).
const OPERATION_ID: &str = "getReachabilityStatus";

/// How far ahead of the harness's clock a time "in the past" may be (the target's clock
/// may run slightly ahead).
const CLOCK_SKEW_SECONDS: i64 = 60;

/// Checks the property at `path` is an object with exactly one member, an identifier of the
/// request body's `device` with the value sent (CAMARA v1.1.0 `DeviceResponse`).
fn one_request_identifier(exchange: &Exchange, path: &str) -> StepResult {
    let sent: Option<Value> = exchange
        .request
        .body
        .as_deref()
        .and_then(|body| serde_json::from_slice::<Value>(body).ok())
        .and_then(|body| body.get("device").cloned());
    let Some(Value::Object(sent)) = sent else {
        return Err(Verdict::Errored(
            "the request carried no device object to compare with".into(),
        ));
    };
    let wanted = format!(
        "{path} to hold exactly one of the identifiers sent ({})",
        sent.keys().cloned().collect::<Vec<_>>().join(", ")
    );
    let found = properties(exchange, path)?;
    match found.as_slice() {
        [Value::Object(got)] if got.len() == 1 => {
            let (name, value) = got.iter().next().expect("one member");
            match sent.get(name) {
                Some(sent_value) if sent_value == value => Ok(()),
                _ => Err(Verdict::expected(wanted, Value::Object(got.clone()))),
            }
        }
        [] => Err(Verdict::expected(wanted, "absent")),
        [other] => Err(Verdict::expected(wanted, other)),
        many => Err(Verdict::expected(
            format!("{path} to select one value"),
            show_nodes(many),
        )),
    }
}

impl ReachabilityWorld {
    /// A creation answered in the other mode than the status check expects (202 for 201,
    /// or the reverse) skips the scenario when the target did not declare its mode: the
    /// plans allow an implementation to support one mode only.
    fn creation_mode_matches(&self, action: &Action, exchange: &Exchange) -> StepResult {
        let Action::StatusIs(expected) = action else {
            return Ok(());
        };
        let ctx = self.context()?;
        let modes = (
            CreationMode::of_status(*expected),
            CreationMode::of_status(exchange.status),
        );
        match modes {
            (Some(wanted), Some(got))
                if wanted != got
                    && self.operation.as_deref() == Some(super::CREATE)
                    && ctx.target.subscriptions.creation == CreationMode::Either =>
            {
                Err(Verdict::Skipped(format!(
                    "the target answered {} where this scenario expects {}; declare \
                     `subscriptions.creation = \"{}\"` in the target file so that the \
                     scenarios of the other mode do not apply",
                    got.describe(),
                    wanted.describe(),
                    got.name()
                )))
            }
            _ => Ok(()),
        }
    }
}

/// Too Many Requests: the target's rate limit, not an answer to the request.
const TOO_MANY_REQUESTS: u16 = 429;

/// A 429 the client's retries did not get past says the target's rate limit was hit, not
/// how it treats the request: the check could not be made (errored), unless it asks for 429.
fn rate_limited(action: &Action, exchange: &Exchange) -> StepResult {
    let asks_for_429 = match action {
        Action::StatusIs(code) => *code == TOO_MANY_REQUESTS,
        Action::StatusIsOneOf(codes) => codes.contains(&TOO_MANY_REQUESTS),
        _ => false,
    };
    if exchange.status != TOO_MANY_REQUESTS || asks_for_429 {
        return Ok(());
    }
    Err(Verdict::Errored(
        "the target answered 429 Too Many Requests (retried at most twice, and not when its \
         Retry-After asks for more than 5 s): its rate limit was hit, so this check could not \
         be made; set [http] requests_per_second in the target file to the rate the target \
         allows"
            .into(),
    ))
}

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
        rate_limited(action, exchange)?;
        self.creation_mode_matches(action, exchange)?;
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
                let operation = self.operation.as_deref().unwrap_or(OPERATION_ID);
                let pointer = ctx
                    .schemas
                    .response_pointer(operation, exchange.status)
                    .ok_or_else(|| {
                        Verdict::Failed(format!(
                            "the spec ({}) documents no response {} for {operation}",
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
            Action::PropertyOnlyIf { path, other, value } => {
                check_only_if(exchange, path, other, value.as_deref())
            }
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
                in_the_past,
            } => {
                let found = properties(exchange, path)?;
                let parsed = |s: &str| chrono::DateTime::parse_from_rfc3339(s).ok();
                match found.as_slice() {
                    [] if *only_if_present => Ok(()),
                    [] => Err(Verdict::expected(
                        format!("{path} to be an RFC 3339 date-time"),
                        "absent",
                    )),
                    [Value::String(s)]
                        if *in_the_past
                            && parsed(s).is_some_and(|t| {
                                t > exchange.started_at
                                    + chrono::Duration::seconds(CLOCK_SKEW_SECONDS)
                            }) =>
                    {
                        Err(Verdict::expected(
                            format!(
                                "{path} to be a time in the past (the request was sent at {}, \
                                 {CLOCK_SKEW_SECONDS} s of clock skew allowed)",
                                exchange.started_at.to_rfc3339()
                            ),
                            s,
                        ))
                    }
                    [Value::String(s)] if parsed(s).is_some() => Ok(()),
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
            Action::OneRequestIdentifier(path) => one_request_identifier(exchange, path),
            Action::EarlyPollAnswerAllowed => {
                let polls = &self.exchanges[self.exchanges.len().saturating_sub(2)..];
                check_early_poll_answer(polls)
            }
            Action::AllOf(checks) => checks.iter().try_for_each(|check| self.check(check)),
            Action::IfStatus { status, then } if exchange.status == *status => self.check(then),
            Action::IfStatus { .. } => Ok(()),
            Action::IfPresent { path, then } if !properties(exchange, path)?.is_empty() => {
                self.check(then)
            }
            Action::IfPresent { .. } => Ok(()),
            Action::PropertyIsNamed { path, name } => {
                let want = Value::String(self.named(name).to_owned());
                let got = one_property(exchange, path)?;
                if same_json(&got, &want) {
                    Ok(())
                } else {
                    Err(Verdict::expected(
                        format!("{path} = {want} ({name:?})"),
                        got,
                    ))
                }
            }
            Action::EchoesRequest(paths) => super::compound::echoes_request(exchange, paths),
            Action::NoResponseBody => super::compound::no_body(exchange),
            Action::EachItemSchemaAt(pointer) => {
                super::compound::each_item_complies(exchange, &ctx.schemas, pointer)
            }
            Action::AbsentInEveryItem(path) => {
                super::compound::absent_in_every_item(exchange, path)
            }
            Action::EmptyArray => super::compound::empty_array(exchange),
            other => Err(Verdict::Errored(format!("{other:?} is not a check"))),
        }
    }
}

/// The answers OpenID CIBA Core 1.0 §11 allows to a poll that came too soon.
const EARLY_POLL_ANSWERS: &str = "400 with error \"slow_down\" or \"authorization_pending\", or 200 with an access_token and token_type \"Bearer\" (RFC 6749 §5.1)";

/// Checks the answer to a CIBA poll that came sooner than the interval: a legal pause
/// (`slow_down`, `authorization_pending`) or the token once approved; anything else (a
/// 5xx, another error, a body that is no token response) fails.
fn check_early_poll_answer(polls: &[Exchange]) -> StepResult {
    // A request the user denied, or that expired, ends the flow (OpenID CIBA Core §11:
    // `access_denied`, `expired_token`): what follows says nothing about early polls.
    if let Some(error) = polls.iter().find_map(|poll| {
        let error = poll.json().ok()?.get("error")?.as_str()?.to_owned();
        matches!(error.as_str(), "access_denied" | "expired_token").then_some(error)
    }) {
        return Err(Verdict::Errored(format!(
            "could not test an early poll: the token endpoint answered {error:?}, which ends the CIBA request; have the test device's user approve it, or give the request a longer lifetime"
        )));
    }
    let Some(exchange) = polls.last() else {
        return Err(Verdict::Errored("no poll was sent".into()));
    };
    let body = exchange.json().ok();
    let member = |name: &str| {
        body.as_ref()
            .and_then(|b| b.get(name))
            .and_then(Value::as_str)
    };
    let allowed = match exchange.status {
        200 => {
            member("access_token").is_some_and(|t| !t.is_empty())
                && member("token_type").is_some_and(|t| t.eq_ignore_ascii_case("bearer"))
        }
        400 => matches!(member("error"), Some("slow_down" | "authorization_pending")),
        _ => false,
    };
    if allowed {
        return Ok(());
    }
    // The body is not quoted: a token response carries a secret.
    let got = match member("error") {
        Some(error) => format!("{} with error {error:?}", exchange.status),
        None if exchange.status == 200 => {
            "200 without a non-empty access_token and token_type \"Bearer\"".to_owned()
        }
        None => format!("{} without an OAuth error member", exchange.status),
    };
    Err(Verdict::expected(EARLY_POLL_ANSWERS, got))
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
pub(super) fn schema_verdict(
    error: SchemaError,
    describe: impl FnOnce(&SchemaError) -> String,
) -> Verdict {
    match error {
        SchemaError::Violations { .. } => Verdict::Failed(describe(&error)),
        other => Verdict::Errored(format!("the schema check cannot be made: {other}")),
    }
}

pub(super) fn json_body(exchange: &Exchange) -> Result<Value, Verdict> {
    exchange
        .json()
        .map_err(|e| Verdict::Failed(format!("the response body is {e}")))
}

/// Every node the JSONPath selects in the response body.
pub(super) fn properties(exchange: &Exchange, path: &str) -> Result<Vec<Value>, Verdict> {
    super::compound::select(&json_body(exchange)?, path)
}

/// The single node the JSONPath selects, or a failure saying it is absent or ambiguous.
pub(super) fn one_property(exchange: &Exchange, path: &str) -> Result<Value, Verdict> {
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

/// `path` is present only if `other` exists (with `value`, when given).
fn check_only_if(exchange: &Exchange, path: &str, other: &str, value: Option<&str>) -> StepResult {
    if properties(exchange, path)?.is_empty() {
        return Ok(());
    }
    let found = properties(exchange, other)?;
    let holds = match value {
        None => !found.is_empty(),
        Some(value) => found.iter().any(|v| v.as_str() == Some(value)),
    };
    if holds {
        return Ok(());
    }
    let condition = match value {
        None => format!("{other} exists"),
        Some(value) => format!("{other} is {value:?}"),
    };
    Err(Verdict::expected(
        format!("{path} only if {condition} ({path} is present)"),
        format!("{other} = {}", show_nodes(&found)),
    ))
}

pub(super) fn show_nodes(nodes: &[Value]) -> String {
    Value::Array(nodes.to_vec()).to_string()
}

/// JSON equality where numbers compare by value (400 equals 400.0).
pub(super) fn same_json(a: &Value, b: &Value) -> bool {
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
pub(super) mod tests {
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

    #[test]
    fn a_429_errors_a_check_unless_the_check_asks_for_it() {
        let limited = poll(429, serde_json::json!({"code": "TOO_MANY_REQUESTS"}));
        let Err(Verdict::Errored(why)) = rate_limited(&Action::StatusIs(400), &limited) else {
            panic!("a 429 must not fail a check");
        };
        assert!(why.contains("requests_per_second"), "{why}");
        let property = Action::PropertyPresent("$.code".into());
        assert!(matches!(
            rate_limited(&property, &limited),
            Err(Verdict::Errored(_))
        ));
        assert!(rate_limited(&Action::StatusIs(429), &limited).is_ok());
        assert!(rate_limited(&Action::StatusIsOneOf(vec![400, 429]), &limited).is_ok());
        let served = poll(400, serde_json::json!({}));
        assert!(rate_limited(&Action::StatusIs(200), &served).is_ok());
    }

    /// A token-endpoint answer with `status` and JSON `body`.
    pub(in crate::steps) fn poll(status: u16, body: Value) -> Exchange {
        answer("http://127.0.0.1:9/oauth/token", None, status, body)
    }

    /// An answer with `status` and JSON `body` to a POST to `url` carrying `sent`.
    pub(in crate::steps) fn answer(
        url: &str,
        sent: Option<&Value>,
        status: u16,
        body: Value,
    ) -> Exchange {
        Exchange {
            request: crate::http::Request {
                method: "POST".into(),
                url: url.into(),
                headers: Vec::new(),
                body: sent.map(|sent| sent.to_string().into_bytes()),
            },
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
            truncated: false,
            attempts: 1,
            started_at: chrono::Utc::now(),
            elapsed: std::time::Duration::ZERO,
            shared_from: None,
            redactor: crate::redact::Redactor::new(),
        }
    }

    #[test]
    fn a_property_only_exists_if_its_condition_holds() {
        let answer = poll(200, json!({"a": 1, "b": "on"}));
        assert_eq!(check_only_if(&answer, "$.a", "$.b", None), Ok(()));
        assert_eq!(check_only_if(&answer, "$.a", "$.b", Some("on")), Ok(()));
        assert_eq!(check_only_if(&answer, "$.zz", "$.nothing", None), Ok(()));
        assert_eq!(
            check_only_if(&answer, "$.a", "$.b", Some("off")),
            Err(Verdict::expected(
                "$.a only if $.b is \"off\" ($.a is present)",
                "$.b = [\"on\"]"
            ))
        );
        assert!(matches!(
            check_only_if(&answer, "$.a", "$.c", None),
            Err(Verdict::Failed(_))
        ));
    }

    #[test]
    fn an_early_poll_may_be_paused_or_served() {
        let first = poll(400, json!({"error": "authorization_pending"}));
        for legal in [
            poll(400, json!({"error": "slow_down"})),
            poll(400, json!({"error": "authorization_pending"})),
            poll(200, json!({"access_token": "t", "token_type": "bearer"})),
        ] {
            assert_eq!(check_early_poll_answer(&[first.clone(), legal]), Ok(()));
        }
        for illegal in [
            poll(500, json!({"error": "server_error"})),
            poll(400, json!({"error": "invalid_grant"})),
            poll(200, json!({"token_type": "Bearer"})),
        ] {
            let verdict = check_early_poll_answer(&[first.clone(), illegal]);
            assert!(matches!(verdict, Err(Verdict::Failed(_))), "{verdict:?}");
        }
    }

    #[test]
    fn a_denied_or_expired_request_cannot_test_an_early_poll() {
        for ending in ["access_denied", "expired_token"] {
            let polls = [
                poll(400, json!({"error": ending})),
                poll(400, json!({"error": "invalid_grant"})),
            ];
            let verdict = check_early_poll_answer(&polls);
            assert!(
                matches!(&verdict, Err(Verdict::Errored(why)) if why.contains(ending)),
                "{verdict:?}"
            );
        }
    }
}
