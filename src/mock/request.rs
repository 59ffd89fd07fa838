//! Reading requests: the body cap and media types.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, header};

/// Largest request body read, in bytes; larger ones are refused with a JSON error.
pub(crate) const MAX_BODY_BYTES: usize = 16 * 1024;

/// The whole body, or `None` when it is larger than [`MAX_BODY_BYTES`] or unreadable.
pub(crate) async fn read_body(body: Body) -> Option<Bytes> {
    axum::body::to_bytes(body, MAX_BODY_BYTES).await.ok()
}

/// Whether `Content-Type` names the media type `expected` (parameters such as
/// `charset` allowed, case ignored).
pub(crate) fn media_type_is(headers: &HeaderMap, expected: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case(expected))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn media_type_ignores_parameters_and_case() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
            media_type_is(&headers, "application/json")
        };
        assert!(with("application/json"));
        assert!(with("Application/JSON; charset=utf-8"));
        assert!(!with("text/plain"));
        assert!(!with("application/jsonx"));
        assert!(!media_type_is(&HeaderMap::new(), "application/json"));
    }
}
