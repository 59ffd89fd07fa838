//! The control endpoint that changes a device's state at run time
//! (`POST /_mock/devices/state`): a test hook of the mock, not part of the API. The mock
//! listens on 127.0.0.1 only, so only a local process (the harness's provider hook) can
//! call it. Body: `{ "change": "gains data connectivity", "device": { "phoneNumber": ... } }`;
//! answer: 204, or 400 / 404 naming what was wrong.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::super::app::App;
use super::super::errors::ApiError;
use super::super::faults::FaultSet;
use super::super::identify::identify;
use super::super::validate::parse_request;
use super::states::Change;

/// `POST /_mock/devices/state`.
pub(crate) async fn change_state(State(app): State<Arc<App>>, body: Bytes) -> Response {
    serve(&app, &body).unwrap_or_else(|error| error.render(&FaultSet::default()))
}

fn serve(app: &App, body: &[u8]) -> Result<Response, ApiError> {
    let request: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::invalid_argument(format!(
            "The body must be JSON {{\"change\": ..., \"device\": {{...}}}}: {e}."
        ))
    })?;
    let words = request["change"].as_str().unwrap_or_default();
    let change = Change::parse(words).ok_or_else(|| {
        ApiError::invalid_argument(format!(
            "Unknown change {}: use one of {}.",
            request["change"],
            Change::names().join(", ")
        ))
    })?;
    let device_only = json!({ "device": request["device"] }).to_string();
    let query = parse_request(device_only.as_bytes(), &FaultSet::default())?.ok_or_else(|| {
        ApiError::invalid_argument("`device` is required: a CAMARA device object.")
    })?;
    let none = FaultSet::default();
    let identified =
        identify(app.profile, &app.devices, None, Some(&query), &none).map_err(|_| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                "The mock manages no such device: use one of the target file's [devices].",
            )
        })?;
    app.device_states.apply(identified.device, change);
    Ok(StatusCode::NO_CONTENT.into_response())
}
