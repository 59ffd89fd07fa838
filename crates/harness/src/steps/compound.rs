//! Response checks the official subscriptions plans write: the response compared with the
//! request, the absence of a body, and checks over a list of subscriptions (an array).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use serde_json::Value;
use serde_json_path::JsonPath;

use super::then::{json_body, properties, same_json, schema_verdict, show_nodes};
use super::{StepResult, Verdict};
use crate::http::Exchange;
use crate::schema::SchemaSet;

/// Checks each response property equals the request body's property at the same path.
pub(super) fn echoes_request(exchange: &Exchange, paths: &[String]) -> StepResult {
    let sent: Value = exchange
        .request
        .body
        .as_deref()
        .and_then(|body| serde_json::from_slice(body).ok())
        .ok_or_else(|| {
            Verdict::Errored("the request carried no JSON body to compare with".into())
        })?;
    for path in paths {
        let wanted = select(&sent, path)?;
        let [wanted] = wanted.as_slice() else {
            return Err(Verdict::Errored(format!(
                "the request body has no single {path} to compare with (it selects {})",
                show_nodes(&wanted)
            )));
        };
        match properties(exchange, path)?.as_slice() {
            [got] if same_json(got, wanted) => {}
            [got] => {
                return Err(Verdict::expected(
                    format!("{path} = {wanted} (the value sent)"),
                    got,
                ));
            }
            [] => {
                return Err(Verdict::expected(
                    format!("{path} = {wanted} (the value sent)"),
                    "absent",
                ));
            }
            found => {
                return Err(Verdict::expected(
                    format!("{path} = {wanted} (the value sent)"),
                    show_nodes(found),
                ));
            }
        }
    }
    Ok(())
}

/// Checks the response has no body.
pub(super) fn no_body(exchange: &Exchange) -> StepResult {
    if exchange.body.iter().all(u8::is_ascii_whitespace) {
        Ok(())
    } else {
        Err(Verdict::expected(
            "no response body",
            format!("{} bytes", exchange.body.len()),
        ))
    }
}

/// The response body as an array (a list of subscriptions).
fn items(exchange: &Exchange) -> Result<Vec<Value>, Verdict> {
    match json_body(exchange)? {
        Value::Array(items) => Ok(items),
        other => Err(Verdict::expected(
            "a JSON array",
            crate::text::floor_boundary(&other.to_string(), 120),
        )),
    }
}

/// Checks the body is an array whose every item complies with the schema at `pointer`.
pub(super) fn each_item_complies(
    exchange: &Exchange,
    schemas: &SchemaSet,
    pointer: &str,
) -> StepResult {
    for (i, item) in items(exchange)?.iter().enumerate() {
        schemas.validate(pointer, item).map_err(|e| {
            schema_verdict(e, |e| {
                format!("item {i} of the response array does not comply with {pointer}: {e}")
            })
        })?;
    }
    Ok(())
}

/// Checks no item of the response array has the property at `path`.
pub(super) fn absent_in_every_item(exchange: &Exchange, path: &str) -> StepResult {
    for (i, item) in items(exchange)?.iter().enumerate() {
        let found = select(item, path)?;
        if !found.is_empty() {
            return Err(Verdict::expected(
                format!("{path} to be absent from every item"),
                format!("item {i} has {}", show_nodes(&found)),
            ));
        }
    }
    Ok(())
}

/// Checks the body is an empty array.
pub(super) fn empty_array(exchange: &Exchange) -> StepResult {
    match items(exchange)?.as_slice() {
        [] => Ok(()),
        some => Err(Verdict::expected(
            "an empty array",
            format!("{} item(s)", some.len()),
        )),
    }
}

/// The ids of the response array's items.
pub(super) fn listed_ids(exchange: &Exchange) -> Result<Vec<String>, Verdict> {
    Ok(items(exchange)?
        .iter()
        .filter_map(|item| item["id"].as_str().map(str::to_owned))
        .collect())
}

/// Every node `path` selects in `value`.
pub(super) fn select(value: &Value, path: &str) -> Result<Vec<Value>, Verdict> {
    // The paths are the suite's: parsed once per process (runs of a process share them).
    static PARSED: LazyLock<Mutex<HashMap<String, Arc<JsonPath>>>> = LazyLock::new(Mutex::default);
    let known = PARSED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(path)
        .cloned();
    let query = match known {
        Some(query) => query,
        None => {
            let query = Arc::new(
                JsonPath::parse(path)
                    .map_err(|e| Verdict::Errored(format!("{path:?} is not a JSONPath: {e}")))?,
            );
            PARSED
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(path.to_owned(), Arc::clone(&query));
            query
        }
    };
    Ok(query.query(value).all().into_iter().cloned().collect())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// An answer with JSON `body` to a request with JSON `sent`.
    fn exchange(sent: Value, body: Value) -> Exchange {
        crate::steps::then::tests::answer(
            "http://127.0.0.1:9/subscriptions",
            Some(&sent),
            201,
            body,
        )
    }

    #[test]
    fn the_response_echoes_the_request_or_the_difference_is_shown() {
        let sent = json!({"types": ["a"], "protocol": "HTTP"});
        let paths = ["$.types".to_owned(), "$.protocol".to_owned()];
        assert_eq!(
            echoes_request(&exchange(sent.clone(), sent.clone()), &paths),
            Ok(())
        );
        let changed = json!({"types": ["b"], "protocol": "HTTP"});
        assert_eq!(
            echoes_request(&exchange(sent.clone(), changed), &paths),
            Err(Verdict::expected(
                "$.types = [\"a\"] (the value sent)",
                "[\"b\"]"
            ))
        );
        let missing = json!({"types": ["a"]});
        assert_eq!(
            echoes_request(&exchange(sent, missing), &paths),
            Err(Verdict::expected(
                "$.protocol = \"HTTP\" (the value sent)",
                "absent"
            ))
        );
    }

    #[test]
    fn list_checks_read_every_item_of_the_array() {
        let list = json!([{"id": "1"}, {"id": "2", "config": {"device": {}}}]);
        let answer = exchange(json!({}), list);
        assert_eq!(
            listed_ids(&answer),
            Ok(vec!["1".to_owned(), "2".to_owned()])
        );
        assert_eq!(absent_in_every_item(&answer, "$.sink"), Ok(()));
        assert_eq!(
            absent_in_every_item(&answer, "$.config.device"),
            Err(Verdict::expected(
                "$.config.device to be absent from every item",
                "item 1 has [{}]"
            ))
        );
        assert_eq!(
            empty_array(&answer),
            Err(Verdict::expected("an empty array", "2 item(s)"))
        );
        assert_eq!(empty_array(&exchange(json!({}), json!([]))), Ok(()));
        assert_eq!(
            empty_array(&exchange(json!({}), json!({"id": "1"}))),
            Err(Verdict::expected("a JSON array", "{\"id\":\"1\"}"))
        );
    }
}
