//! Reading requests within the mock's limits: header size, body size and body time,
//! and the answers to the connections served only to be refused.

use std::io;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use futures::StreamExt;
use serde_json::json;

use super::app::App;
use super::errors::{ApiError, json_response, no_store};
use super::paths::is_oauth_path;

/// Largest request body read, in bytes; larger ones are refused with a JSON error.
pub(crate) const MAX_BODY_BYTES: usize = 16 * 1024;

/// Largest request body drained (read and dropped) after [`MAX_BODY_BYTES`] so that the
/// refusal can be read and the connection kept; past it the connection is closed.
const MAX_DRAINED_BYTES: usize = 1024 * 1024;

/// Largest total size of the header fields (`name: value\r\n` each) answered normally;
/// larger ones get a JSON 431.
pub(crate) const MAX_HEADER_BYTES: usize = 16 * 1024;

/// Largest request head (request line and headers) the HTTP parser reads at all; past it
/// the parser answers a bare 431 and closes the connection (no request exists yet).
pub(crate) const HARD_MAX_HEADER_BYTES: usize = 64 * 1024;

/// Request extension marking a connection accepted past `max_connections`: its requests
/// are answered 503 and the connection closed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Overloaded;

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

/// Reads the body within the body timeout before any handler runs, then refuses what
/// the limits refuse: 408 for a body too slow, 503 on an overloaded connection, 431 for
/// headers too large. A body too large or broken is handed on as an unreadable body, so
/// the operation refuses it in its documented order (after the token and media type).
pub(crate) async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    let read = tokio::time::timeout(app.limits.body_timeout, read_capped(body)).await;
    let Ok(read) = read else {
        let message = format!(
            "The request body did not arrive within {} ms: send it at once.",
            app.limits.body_timeout.as_millis()
        );
        return closing(refusal(&app, &path, StatusCode::REQUEST_TIMEOUT, &message));
    };
    if parts.extensions.get::<Overloaded>().is_some() {
        let message = "The mock is serving as many connections as it allows: retry in a second.";
        let mut response = refusal(&app, &path, StatusCode::SERVICE_UNAVAILABLE, message);
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return closing(response);
    }
    let header_bytes = header_bytes(&parts.headers);
    if header_bytes > MAX_HEADER_BYTES {
        let message = format!(
            "The request headers take {header_bytes} bytes, more than the {MAX_HEADER_BYTES} allowed: send fewer or shorter headers."
        );
        let status = StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE;
        return closing(refusal(&app, &path, status, &message));
    }
    let drained = !matches!(read, BodyRead::Undrained);
    let body = match read {
        BodyRead::Complete(bytes) => Body::from(bytes),
        BodyRead::Refused | BodyRead::Undrained => unreadable_body(),
    };
    let response = next.run(Request::from_parts(parts, body)).await;
    if drained { response } else { closing(response) }
}

/// What reading a body gave.
enum BodyRead {
    /// The whole body, within [`MAX_BODY_BYTES`].
    Complete(Bytes),
    /// Too large but drained, or broken: the connection stays usable or is closing anyway.
    Refused,
    /// Larger than [`MAX_DRAINED_BYTES`]: left unread, the connection must close.
    Undrained,
}

/// Reads up to [`MAX_BODY_BYTES`], drains up to [`MAX_DRAINED_BYTES`].
async fn read_capped(body: Body) -> BodyRead {
    let mut stream = body.into_data_stream();
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            return BodyRead::Refused;
        };
        seen = seen.saturating_add(chunk.len());
        if seen > MAX_DRAINED_BYTES {
            return BodyRead::Undrained;
        }
        if seen <= MAX_BODY_BYTES {
            kept.extend_from_slice(&chunk);
        }
    }
    if seen > MAX_BODY_BYTES {
        BodyRead::Refused
    } else {
        BodyRead::Complete(Bytes::from(kept))
    }
}

/// A body whose reading fails, as [`read_body`] reports for a body too large.
fn unreadable_body() -> Body {
    let failure = io::Error::other("the request body was refused by the mock's limits");
    Body::from_stream(futures::stream::once(async move {
        Err::<Bytes, io::Error>(failure)
    }))
}

/// Wire size of the header fields: `name: value\r\n` for each.
fn header_bytes(headers: &HeaderMap) -> usize {
    headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum()
}

/// A JSON refusal in the error format of the endpoint at `path`: RFC 6749 §5.2 for the
/// authorisation server, `{status, code, message}` for the API and everything else.
pub(crate) fn refusal(app: &App, path: &str, status: StatusCode, message: &str) -> Response {
    if is_oauth_path(path) {
        let error = match status {
            StatusCode::SERVICE_UNAVAILABLE => "temporarily_unavailable",
            _ => "invalid_request",
        };
        let body = json!({ "error": error, "error_description": message });
        return no_store(json_response(status, &body));
    }
    let code = match status {
        StatusCode::SERVICE_UNAVAILABLE => "UNAVAILABLE",
        StatusCode::REQUEST_TIMEOUT => "REQUEST_TIMEOUT",
        _ => "REQUEST_HEADER_FIELDS_TOO_LARGE",
    };
    ApiError::new(status, code, message).render(&app.faults)
}

/// Marks an answer as the last on its connection.
fn closing(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn header_bytes_count_every_field_as_sent() {
        let mut headers = HeaderMap::new();
        headers.insert("ab", HeaderValue::from_static("xyz"));
        headers.append("ab", HeaderValue::from_static(""));
        assert_eq!(header_bytes(&headers), (2 + 3 + 4) + (2 + 4));
    }

    #[tokio::test]
    async fn bodies_are_kept_refused_or_left_by_size() {
        let kept = read_capped(Body::from(vec![b'x'; MAX_BODY_BYTES])).await;
        assert!(matches!(kept, BodyRead::Complete(b) if b.len() == MAX_BODY_BYTES));
        let refused = read_capped(Body::from(vec![b'x'; MAX_BODY_BYTES + 1])).await;
        assert!(matches!(refused, BodyRead::Refused));
        let left = read_capped(Body::from(vec![b'x'; MAX_DRAINED_BYTES + 1])).await;
        assert!(matches!(left, BodyRead::Undrained));
        assert_eq!(read_body(unreadable_body()).await, None);
    }
}
