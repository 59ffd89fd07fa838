//! The four operations: create, list, retrieve and delete.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{SecondsFormat, Utc};
use reachability_contract::oauth::{
    SUBSCRIPTION_DELETE_SCOPE, SUBSCRIPTION_READ_SCOPE, SUBSCRIPTION_SCOPES,
};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use uuid::Uuid;

use super::super::app::App;
use super::super::bearer::{Caller, authenticate, permission_denied};
use super::super::errors::ApiError;
use super::super::faults::Fault;
use super::super::identify::identify;
use super::super::paths::api_path;
use super::super::request::{MAX_BODY_BYTES, media_type_is, read_body};
use super::super::shape::api_json;
use super::super::variations::Variation;
use super::events::{Subject, reported_device};
use super::notifier::{Plan, Sink, lifecycle};
use super::request::{self, EventType};
use super::store::{Record, Status};
use reachability_contract::ErrorSituation;

/// `POST /subscriptions`.
pub(crate) async fn create(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    serve_create(&app, &headers, body)
        .await
        .unwrap_or_else(|error| error.render(&app.faults))
}

/// `GET /subscriptions`.
pub(crate) async fn list(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let answer = allowed(&app, &headers, SUBSCRIPTION_READ_SCOPE)
        .map(|()| api_json(StatusCode::OK, json!(app.subscriptions.list()), &app.faults));
    answer.unwrap_or_else(|error| error.render(&app.faults))
}

/// `GET /subscriptions/{subscriptionId}`.
pub(crate) async fn retrieve(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let answer = allowed(&app, &headers, SUBSCRIPTION_READ_SCOPE).and_then(|()| {
        let body = match app.subscriptions.get(&id) {
            Some(body) => body,
            None if app.faults.has(Fault::UnknownSubscription200) => {
                json!({ "id": id, "status": "DELETED" })
            }
            None => return Err(not_found(&id)),
        };
        Ok(api_json(StatusCode::OK, body, &app.faults))
    });
    answer.unwrap_or_else(|error| error.render(&app.faults))
}

/// `DELETE /subscriptions/{subscriptionId}`: 204, or 202 when asynchronous; the
/// subscription ends with SUBSCRIPTION_DELETED.
pub(crate) async fn delete(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let answer = allowed(&app, &headers, SUBSCRIPTION_DELETE_SCOPE).and_then(|()| {
        let signal = match app.subscriptions.remove(&id) {
            Some(signal) => signal,
            None if app.faults.has(Fault::UnknownSubscription200) => None,
            None => return Err(not_found(&id)),
        };
        if let Some(signal) = signal {
            let _ = signal.send(());
        }
        Ok(if app.faults.varies(Variation::SubscriptionsAsync) {
            api_json(StatusCode::ACCEPTED, json!({ "id": id }), &app.faults)
        } else {
            StatusCode::NO_CONTENT.into_response()
        })
    });
    answer.unwrap_or_else(|error| error.render(&app.faults))
}

/// 401 without a usable token, 403 without `scope`.
fn allowed(app: &App, headers: &HeaderMap, scope: &str) -> Result<(), ApiError> {
    let caller = caller(app, headers)?;
    if caller.scopes.iter().any(|s| s == scope)
        || app.faults.has(Fault::SubscriptionsScopeUnchecked)
    {
        Ok(())
    } else {
        Err(permission_denied(
            app.profile,
            &format!("The access token lacks the scope {scope}."),
        ))
    }
}

/// Who calls: 401 without a usable token (a caller with every scope of the API under
/// `subscriptions-no-auth-check` when there is no Authorization header).
fn caller(app: &App, headers: &HeaderMap) -> Result<Caller, ApiError> {
    if app.faults.has(Fault::SubscriptionsNoAuthCheck)
        && !headers.contains_key(header::AUTHORIZATION)
    {
        return Ok(Caller {
            device: None,
            scopes: SUBSCRIPTION_SCOPES.map(str::to_owned).to_vec(),
        });
    }
    authenticate(app, headers)
}

fn not_found(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        format!("There is no subscription {id:?}."),
    )
}

/// Checks in order: token (401), media type (415), body (400 for `types`), scope of each
/// type (403), several types (422), the rest of the body (400), the device (422).
async fn serve_create(
    app: &Arc<App>,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let faults = &app.faults;
    let caller = caller(app, headers)?;
    if !media_type_is(headers, "application/json") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "The request body must be sent as Content-Type: application/json.",
        ));
    }
    let bytes = read_body(body).await.ok_or_else(|| {
        ApiError::invalid_argument(format!(
            "The request body is unreadable or larger than {MAX_BODY_BYTES} bytes."
        ))
    })?;
    let raw: Value = serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::invalid_argument(format!("The request body is not valid JSON: {e}."))
    })?;
    let types = request::event_types(raw.get("types"))?;
    check_create_scopes(app, &caller, &types)?;
    if types.len() > 1 && !faults.has(Fault::MultieventAccepted) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "MULTIEVENT_SUBSCRIPTION_NOT_SUPPORTED",
            "A subscription may name one event type only: create one subscription per type.",
        ));
    }
    let new = request::parse(&bytes, faults)?;
    let identified = identify(
        app.profile,
        &app.devices,
        caller.device.as_deref(),
        new.device.as_ref(),
        faults,
    )
    .map_err(device_error)?;
    let id = Uuid::new_v4().to_string();
    let asynchronous = faults.varies(Variation::SubscriptionsAsync);
    let mut body = Value::Object(new.body);
    body["startsAt"] = json!(Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true));
    if let Some(expires) = new.expires {
        body["expiresAt"] = json!(expires.to_rfc3339_opts(SecondsFormat::Millis, true));
    }
    let status = if asynchronous {
        Status::ActivationRequested
    } else {
        Status::Active
    };
    let (delete, deleted) = oneshot::channel();
    let record = Record {
        body,
        status,
        delete: Some(delete),
    };
    let mut answer = record.render(&id);
    app.subscriptions.insert(id.clone(), record);
    let plan = Plan {
        event_type: types[0],
        subject: Subject {
            source: format!("{}{}/{id}", app.issuer, api_path(app)),
            subscription_id: id.clone(),
            device: reported_device(raw.pointer("/config/subscriptionDetail/device")),
        },
        sink: Sink {
            url: new.sink,
            token: new.access_token,
        },
        phone_number: identified.device.phone_number.clone(),
        state: app.device_states.current(identified.device),
        changes: app.device_states.listen(),
        initial_event: new.initial_event,
        max_events: new.max_events,
        expires: new.expires,
        asynchronous,
    };
    tokio::spawn(lifecycle(Arc::clone(app), plan, deleted));
    if asynchronous {
        return Ok(api_json(StatusCode::ACCEPTED, json!({ "id": id }), faults));
    }
    if faults.has(Fault::SinkCredentialEchoed)
        && let Some(credential) = raw.get("sinkCredential")
    {
        answer["sinkCredential"] = credential.clone();
    }
    Ok(api_json(StatusCode::CREATED, answer, faults))
}

/// 403 unless the token grants the create scope of every type: SUBSCRIPTION_MISMATCH
/// when it grants the create scope of another type, PERMISSION_DENIED when it grants none.
fn check_create_scopes(app: &App, caller: &Caller, types: &[EventType]) -> Result<(), ApiError> {
    if app.faults.has(Fault::SubscriptionsScopeUnchecked) {
        return Ok(());
    }
    let granted = |scope: &str| caller.scopes.iter().any(|s| s == scope);
    let Some(missing) = types.iter().find(|t| !granted(t.create_scope())) else {
        return Ok(());
    };
    let creates_other = [EventType::Data, EventType::Sms, EventType::Disconnected]
        .iter()
        .any(|t| granted(t.create_scope()));
    let reason = format!(
        "The access token lacks the scope {}.",
        missing.create_scope()
    );
    Err(if creates_other {
        ApiError::new(StatusCode::FORBIDDEN, "SUBSCRIPTION_MISMATCH", reason)
    } else {
        permission_denied(app.profile, &reason)
    })
}

/// The create operation's answer for a device problem: its 422 codes (it defines no
/// 404, so an unknown device is SERVICE_NOT_APPLICABLE).
fn device_error(problem: ErrorSituation) -> ApiError {
    let (code, message) = match problem {
        ErrorSituation::MissingIdentifier => (
            "MISSING_IDENTIFIER",
            "The device cannot be identified: send config.subscriptionDetail.device, or use an access token that identifies one.",
        ),
        ErrorSituation::UnsupportedIdentifier => (
            "UNSUPPORTED_IDENTIFIER",
            "The identifier provided is not supported: use phoneNumber, ipv4Address or ipv6Address.",
        ),
        ErrorSituation::UnnecessaryIdentifier => (
            "UNNECESSARY_IDENTIFIER",
            "The device is already identified by the access token: leave config.subscriptionDetail.device out.",
        ),
        ErrorSituation::Unauthenticated => {
            return ApiError::new(
                StatusCode::UNAUTHORIZED,
                "UNAUTHENTICATED",
                "The request is not authenticated: send a valid access token.",
            );
        }
        ErrorSituation::NotApplicable
        | ErrorSituation::NotFound
        | ErrorSituation::IdentifierMismatch
        | ErrorSituation::TokenContextMismatch => (
            "SERVICE_NOT_APPLICABLE",
            "The service is not available for the provided device.",
        ),
    };
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}
