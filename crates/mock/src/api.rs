//! The `getReachabilityStatus` operation: authorisation, media type, body, device, answer.

use crate::Api;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::{FixedOffset, SecondsFormat, Utc};
use serde_json::Value;

use super::app::App;
use super::bearer::authorize;
use super::devices::DeviceState;
use super::errors::ApiError;
use super::faults::{Fault, FaultSet};
use super::identify::identify;
use super::request::{MAX_BODY_BYTES, media_type_is, read_body};
use super::shape::api_json;
use super::validate::parse_request;
use super::variations::Variation;
use super::{NETWORK_ERROR_HEADER, orange, v1};
use crate::profile::Profile;
use reachability_contract::ErrorSituation;

/// `POST {operation path}`.
pub(crate) async fn retrieve(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match serve(&app, &headers, body).await {
        Ok(answer) => success(answer, &app.faults),
        Err(error) => error.render(&app.faults),
    }
}

async fn serve(app: &App, headers: &HeaderMap, body: Body) -> Result<Value, ApiError> {
    let faults = &app.faults;
    let caller = authorize(app, headers)?;
    if !media_type_is(headers, "application/json")
        && !faults.has(Fault::UnsupportedMediaTypeAccepted)
    {
        return Err(unsupported_media_type());
    }
    let bytes = read_body(body).await.ok_or_else(|| {
        ApiError::invalid_argument(format!(
            "The request body is unreadable or larger than {MAX_BODY_BYTES} bytes."
        ))
    })?;
    let query = parse_request(&bytes, faults)?;
    let (state, named_by) = match identify(
        app.profile,
        &app.devices,
        caller.device.as_deref(),
        query.as_ref(),
        faults,
    ) {
        Ok(found) => (found.device.state, found.named_by),
        Err(ErrorSituation::NotFound) if faults.has(Fault::UnknownDevice200) => {
            (DeviceState::NotConnected, None)
        }
        Err(problem) => return Err(problem_error(app.profile, problem, faults)),
    };
    if network_error_requested(headers) {
        return Err(network_error(faults));
    }
    let state = reported_state(state, faults);
    let time = last_status_time(faults);
    Ok(match app.profile.api() {
        Api::CamaraV1 | Api::CamaraSubscriptionsV0 => {
            let device = named_by
                .filter(|_| app.profile.device_in_response() && !faults.has(Fault::DeviceNotNamed))
                .and_then(|id| id.device_response());
            v1::body(state, &time, device, faults)
        }
        Api::OrangeLabV0 => orange::body(state, &time, faults),
    })
}

fn success(answer: Value, faults: &FaultSet) -> Response {
    let mut response = api_json(StatusCode::OK, answer, faults);
    if faults.has(Fault::TextPlainSuccess) {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    }
    response
}

/// The profile's answer for `problem`, or the 400 of a fault that confuses a
/// well-formed request with a malformed one.
pub(crate) fn problem_error(
    profile: Profile,
    problem: ErrorSituation,
    faults: &FaultSet,
) -> ApiError {
    let error = match profile.api() {
        Api::CamaraV1 | Api::CamaraSubscriptionsV0 => v1::error(profile, problem, faults),
        Api::OrangeLabV0 => orange::error(profile, problem, faults),
    };
    let as_bad_request = match problem {
        ErrorSituation::MissingIdentifier => faults.has(Fault::MissingIdentifier400),
        ErrorSituation::UnsupportedIdentifier => faults.has(Fault::UnsupportedIdentifier400),
        _ => false,
    };
    if as_bad_request {
        ApiError::invalid_argument(error.message())
    } else {
        error
    }
}

/// Whether the request carries the provider test hook [`NETWORK_ERROR_HEADER`].
fn network_error_requested(headers: &HeaderMap) -> bool {
    let (name, value) = NETWORK_ERROR_HEADER;
    headers
        .get_all(name)
        .iter()
        .any(|v| v.as_bytes().eq_ignore_ascii_case(value.as_bytes()))
}

/// 415 for a body that is not JSON.
pub(crate) fn unsupported_media_type() -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UNSUPPORTED_MEDIA_TYPE",
        "The request body must be sent as Content-Type: application/json.",
    )
}

/// 503 UNAVAILABLE for the provider's network error hook (500 INTERNAL under its fault).
pub(crate) fn network_error(faults: &FaultSet) -> ApiError {
    if faults.has(Fault::NetworkError500) {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "Unknown server error.",
        )
    } else {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "UNAVAILABLE",
            "A temporary network error prevents retrieving the reachability status: try again later.",
        )
    }
}

/// The state the answer reports, as distorted by the semantic faults.
fn reported_state(state: DeviceState, faults: &FaultSet) -> DeviceState {
    match state {
        DeviceState::Sms if faults.has(Fault::SmsReportedAsData) => DeviceState::Data,
        DeviceState::Data if faults.has(Fault::DataReportedUnreachable) => {
            DeviceState::NotConnected
        }
        DeviceState::NotConnected if faults.has(Fault::UnreachableReportedReachable) => {
            DeviceState::Data
        }
        state => state,
    }
}

/// Now, as RFC 3339 UTC with milliseconds (`2024-02-20T10:41:38.657Z`), or as the
/// time variations write it.
fn last_status_time(faults: &FaultSet) -> String {
    let now = Utc::now();
    let precision = if faults.varies(Variation::TimeWholeSeconds) {
        SecondsFormat::Secs
    } else {
        SecondsFormat::Millis
    };
    if faults.has(Fault::NonRfc3339Time) {
        now.format("%Y-%m-%d %H:%M:%S").to_string()
    } else if faults.varies(Variation::TimeOffset) {
        FixedOffset::east_opt(2 * 3600).map_or_else(
            || now.to_rfc3339_opts(precision, true),
            |offset| now.with_timezone(&offset).to_rfc3339_opts(precision, true),
        )
    } else {
        now.to_rfc3339_opts(precision, true)
    }
}
