//! How an API answer is written: its JSON body and headers, as shaped by the legal
//! variations switched on (member order, extra members, `Content-Type` parameters, extra
//! headers).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use uuid::Uuid;

use super::faults::FaultSet;
use super::variations::Variation;

/// The API answer `status` with `body`, shaped by the variations of `switches`.
pub(crate) fn api_json(status: StatusCode, mut body: Value, switches: &FaultSet) -> Response {
    if switches.varies(Variation::ExtraResponseMembers)
        && let Some(members) = body.as_object_mut()
    {
        members.insert(
            "extension".into(),
            json!({ "note": "a member the schema does not declare" }),
        );
    }
    let text = if switches.varies(Variation::FieldOrderReversed) {
        reversed(&body)
    } else {
        body.to_string()
    };
    let content_type = if switches.varies(Variation::ContentTypeCharset) {
        "application/json; charset=utf-8"
    } else {
        "application/json"
    };
    let mut response = (status, [(header::CONTENT_TYPE, content_type)], text).into_response();
    if switches.varies(Variation::ExtraResponseHeaders) {
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Ok(id) = HeaderValue::from_str(&Uuid::new_v4().to_string()) {
            headers.insert("x-request-id", id);
        }
    }
    response
}

/// `value` as JSON text with the members of its top-level object in reverse order (the
/// default writer sorts them by name).
fn reversed(value: &Value) -> String {
    let Some(members) = value.as_object() else {
        return value.to_string();
    };
    let parts: Vec<String> = members
        .iter()
        .rev()
        .map(|(name, value)| format!("{}:{value}", Value::String(name.clone())))
        .collect();
    format!("{{{}}}", parts.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn answer(variations: &[Variation]) -> (Option<String>, String, bool) {
        let switches = FaultSet::with_variations(&[], variations);
        let response = api_json(StatusCode::OK, json!({"a": 1, "b": [true]}), &switches);
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let request_id = response.headers().contains_key("x-request-id");
        let bytes = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        (
            content_type,
            String::from_utf8(bytes.to_vec()).unwrap(),
            request_id,
        )
    }

    #[tokio::test]
    async fn the_default_answer_is_plain_json() {
        let (content_type, body, request_id) = answer(&[]).await;
        assert_eq!(content_type.as_deref(), Some("application/json"));
        assert_eq!(body, r#"{"a":1,"b":[true]}"#);
        assert!(!request_id);
    }

    #[tokio::test]
    async fn variations_reorder_extend_and_label_the_answer() {
        let (_, body, _) = answer(&[Variation::FieldOrderReversed]).await;
        assert_eq!(body, r#"{"b":[true],"a":1}"#);
        let (_, body, _) = answer(&[Variation::ExtraResponseMembers]).await;
        let parsed: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed["a"], 1);
        assert!(parsed["extension"].is_object());
        let (content_type, _, request_id) = answer(&[
            Variation::ContentTypeCharset,
            Variation::ExtraResponseHeaders,
        ])
        .await;
        assert_eq!(
            content_type.as_deref(),
            Some("application/json; charset=utf-8")
        );
        assert!(request_id);
    }
}
