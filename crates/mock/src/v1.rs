//! The camara-v1 contract: `reachable` + `connectivity` answers and CAMARA v1 error codes.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::devices::DeviceState;
use super::errors::ApiError;
use super::faults::{Fault, FaultSet};
use super::variations::Variation;
use crate::Profile;
use reachability_contract::ErrorSituation;

/// The `ReachabilityStatusResponse` for a device in `state`; `device` is the identifier
/// that named it, for the versions whose answer carries it.
pub(crate) fn body(
    state: DeviceState,
    last_status_time: &str,
    device: Option<Value>,
    faults: &FaultSet,
) -> Value {
    let connectivity: &[&str] = match state {
        DeviceState::Data => &["DATA"],
        DeviceState::Sms => &["SMS"],
        DeviceState::DataAndSms if faults.has(Fault::DataAndSmsMissingSms) => &["DATA"],
        DeviceState::DataAndSms if faults.varies(Variation::ConnectivityReversed) => {
            &["SMS", "DATA"]
        }
        DeviceState::DataAndSms => &["DATA", "SMS"],
        DeviceState::NotConnected | DeviceState::NotApplicable => &[],
    };
    let reachable = !connectivity.is_empty();
    let mut body = Map::new();
    if let Some(device) = device {
        body.insert("device".into(), device);
    }
    if !faults.has(Fault::ReachableMissing) {
        let value = if faults.has(Fault::ReachableAsString) {
            json!(reachable.to_string())
        } else {
            json!(reachable)
        };
        body.insert("reachable".into(), value);
    }
    if reachable || faults.has(Fault::ConnectivityWhenUnreachable) {
        let lower = faults.has(Fault::LowercaseConnectivity);
        let values: Vec<String> = connectivity
            .iter()
            .map(|c| {
                if lower {
                    c.to_lowercase()
                } else {
                    (*c).to_owned()
                }
            })
            .collect();
        body.insert("connectivity".into(), json!(values));
    }
    if !faults.varies(Variation::LastStatusTimeAbsent) && !faults.has(Fault::LastStatusTimeMissing)
    {
        body.insert("lastStatusTime".into(), json!(last_status_time));
    }
    Value::Object(body)
}

/// The v1 error answer for `problem`: the status and code its profile's contract names
/// ([`ApiError::of_contract`]), as the error-code faults change them, with v1's message.
pub(crate) fn error(profile: Profile, problem: ErrorSituation, faults: &FaultSet) -> ApiError {
    let message = match problem {
        ErrorSituation::MissingIdentifier => {
            "The device cannot be identified: send device, or use an access token that identifies one."
        }
        ErrorSituation::UnsupportedIdentifier => {
            "The identifier provided is not supported: use phoneNumber, ipv4Address or ipv6Address."
        }
        ErrorSituation::IdentifierMismatch => {
            "Provided identifiers are not consistent: they name different devices."
        }
        ErrorSituation::NotApplicable => "The service is not available for the provided device.",
        ErrorSituation::NotFound => NOT_FOUND_MESSAGE,
        ErrorSituation::UnnecessaryIdentifier | ErrorSituation::TokenContextMismatch => {
            "The device is already identified by the access token: do not send device."
        }
        ErrorSituation::Unauthenticated => {
            "The request is not authenticated: send a valid access token."
        }
    };
    match problem {
        ErrorSituation::NotApplicable if faults.has(Fault::NotApplicable404) => {
            ApiError::of_contract(profile, ErrorSituation::NotFound, NOT_FOUND_MESSAGE)
        }
        // The code v1.0.0 had, which the pick-one versions' contracts no longer list.
        ErrorSituation::IdentifierMismatch if faults.has(Fault::IdentifierMismatch422) => {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "IDENTIFIER_MISMATCH",
                message,
            )
        }
        ErrorSituation::NotFound if faults.has(Fault::NotFoundWrongCode) => {
            ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", message)
        }
        _ => ApiError::of_contract(profile, problem, message),
    }
}

/// v1's message for an identifier no device has.
const NOT_FOUND_MESSAGE: &str =
    "The device identifier is not associated with a device managed by this provider.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_every_state() {
        let none = FaultSet::default();
        let t = "2024-02-20T10:41:38.657Z";
        assert_eq!(
            body(DeviceState::Data, t, None, &none),
            json!({"reachable": true, "connectivity": ["DATA"], "lastStatusTime": t})
        );
        assert_eq!(
            body(DeviceState::Sms, t, None, &none),
            json!({"reachable": true, "connectivity": ["SMS"], "lastStatusTime": t})
        );
        assert_eq!(
            body(DeviceState::DataAndSms, t, None, &none),
            json!({"reachable": true, "connectivity": ["DATA", "SMS"], "lastStatusTime": t})
        );
        assert_eq!(
            body(DeviceState::NotConnected, t, None, &none),
            json!({"reachable": false, "lastStatusTime": t})
        );
    }
}
