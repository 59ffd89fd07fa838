//! The layer every request passes through: API latency, and the `x-correlator` header
//! (checked on API requests, echoed on every answer).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use uuid::Uuid;

use super::app::App;
use super::errors::ApiError;
use super::faults::Fault;
use super::paths::is_oauth_path;
use super::variations::Variation;

/// The correlation header.
pub(crate) const X_CORRELATOR: &str = "x-correlator";

/// Delays API answers, refuses an `x-correlator` that breaks camara-v1's pattern on API
/// requests (400; orange-lab-v0's header has no pattern) and echoes a well-formed one on
/// the answer. The authorisation server is not an API:
/// it ignores malformed correlators and no fault applies to it.
pub(crate) async fn layer(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let api = !is_oauth_path(request.uri().path());
    if api && !app.latency.is_zero() {
        tokio::time::sleep(app.latency).await;
    }
    let faults = &app.faults;
    let received = request.headers().get(X_CORRELATOR).cloned();
    let absent = received.is_none();
    // The pattern is the profile's OAS's (v0.6.0 and so orange-lab-v0 declare a plain
    // string); the `correlator-pattern-imposed` fault imposes v1.0.0's on a profile without.
    let imposed = faults.has(Fault::CorrelatorPatternImposed);
    let well_formed = received.as_ref().is_none_or(|value| {
        let follows_profile = app.profile.correlator_pattern().is_none()
            || value
                .to_str()
                .is_ok_and(|text| app.profile.correlator_accepts(text));
        follows_profile && (!imposed || is_well_formed(value))
    });
    if api && !well_formed && !faults.has(Fault::InvalidCorrelatorAccepted) {
        let pattern = app
            .profile
            .correlator_pattern()
            .filter(|_| !imposed)
            .unwrap_or("^[a-zA-Z0-9-]{0,55}$");
        let error = ApiError::invalid_argument(format!(
            "The x-correlator header must match {pattern}, e.g. a UUID."
        ));
        return error.render(faults);
    }
    if api && absent && faults.has(Fault::CorrelatorRequired) {
        return ApiError::invalid_argument("The x-correlator header is missing.").render(faults);
    }
    let mut response = next.run(request).await;
    let echo = match received {
        Some(_) if api && faults.has(Fault::NoCorrelatorEcho) => None,
        Some(_)
            if api
                && faults.has(Fault::ErrorsWithoutCorrelator)
                && !response.status().is_success() =>
        {
            None
        }
        Some(_) if api && faults.has(Fault::WrongCorrelatorEcho) => {
            HeaderValue::from_str(&Uuid::new_v4().to_string()).ok()
        }
        Some(value) if well_formed || api => Some(value),
        _ => None,
    };
    let echo = echo.or_else(|| {
        (api && absent && faults.varies(Variation::CorrelatorWhenAbsent))
            .then(|| HeaderValue::from_str(&Uuid::new_v4().to_string()).ok())
            .flatten()
    });
    if let Some(value) = echo {
        response.headers_mut().insert(X_CORRELATOR, value);
    }
    response
}

/// `^[a-zA-Z0-9-]{0,55}$`.
fn is_well_formed(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    bytes.len() <= 55
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlator_pattern() {
        let ok = |v: &str| HeaderValue::from_bytes(v.as_bytes()).is_ok_and(|v| is_well_formed(&v));
        assert!(ok("") && ok("b4333c46-49c0-4f62-80d7-f0ef930f1c46") && ok(&"a".repeat(55)));
        assert!(!ok(&"a".repeat(56)));
        assert!(!ok("with space") && !ok("under_score") && !ok("é"));
    }
}
