//! The orange-lab-v0 contract: `reachabilityStatus` answers and the lab's error codes.
//!
//! The Orange lab documentation gives the success body, 400 INVALID_ARGUMENT, the 500
//! for an unmanaged number, 401 and 403, and says every lab number is operational: a
//! device the service does not apply to is answered NOT_CONNECTED. Where it is silent
//! (other identifiers, no device, a device-bound token) the codes of
//! device-reachability-status v0.6.0 are used: 422 UNSUPPORTED_DEVICE_IDENTIFIERS,
//! 422 UNIDENTIFIABLE_DEVICE, 403 INVALID_TOKEN_CONTEXT; 422 DEVICE_NOT_APPLICABLE only
//! answers the lab number refused by the `orange-lab-number-refused` fault.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::devices::DeviceState;
use super::errors::ApiError;
use super::faults::{Fault, FaultSet};
use super::identify::Problem;
use super::v1;

/// The Orange answer for a device in `state` (DATA and SMS together is CONNECTED_DATA; a
/// device the service does not apply to is NOT_CONNECTED, since the lab serves every number).
pub(crate) fn body(state: DeviceState, last_status_time: &str, faults: &FaultSet) -> Value {
    if faults.has(Fault::OrangeV1Body) {
        return v1::body(state, last_status_time, None, faults);
    }
    let status = match state {
        DeviceState::Data => "CONNECTED_DATA",
        DeviceState::DataAndSms if faults.has(Fault::OrangeDataAndSmsAsSms) => "CONNECTED_SMS",
        DeviceState::DataAndSms => "CONNECTED_DATA",
        DeviceState::Sms => "CONNECTED_SMS",
        DeviceState::NotConnected | DeviceState::NotApplicable => "NOT_CONNECTED",
    };
    let status = if faults.has(Fault::OrangeLowercaseStatus) {
        status.to_lowercase()
    } else {
        status.to_owned()
    };
    json!({ "reachabilityStatus": status, "lastStatusTime": last_status_time })
}

/// The Orange error answer for `problem`.
pub(crate) fn error(problem: Problem, faults: &FaultSet) -> ApiError {
    let unprocessable =
        |code, message: &str| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message);
    match problem {
        Problem::MissingIdentifier => unprocessable(
            "UNIDENTIFIABLE_DEVICE",
            "The device cannot be identified: send device.phoneNumber.",
        ),
        Problem::UnsupportedIdentifier => unprocessable(
            "UNSUPPORTED_DEVICE_IDENTIFIERS",
            "None of the provided device identifiers is supported: only phoneNumber is operational.",
        ),
        Problem::IdentifierMismatch => unprocessable(
            "DEVICE_IDENTIFIERS_MISMATCH",
            "Provided device identifiers are not consistent.",
        ),
        Problem::NotApplicable => unprocessable(
            "DEVICE_NOT_APPLICABLE",
            "The service is not available for the provided device.",
        ),
        Problem::NotFound if faults.has(Fault::OrangeUnmanaged404) => ApiError::new(
            StatusCode::NOT_FOUND,
            "DEVICE_NOT_FOUND",
            "Some identifier cannot be matched to a device.",
        ),
        Problem::NotFound => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_SERVER_ERROR",
            "Internal Server Error, status code 500",
        ),
        Problem::UnnecessaryIdentifier | Problem::TokenContextMismatch => ApiError::new(
            StatusCode::FORBIDDEN,
            "INVALID_TOKEN_CONTEXT",
            "device is not consistent with access token.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_states_to_the_orange_enum() {
        let none = FaultSet::default();
        let status = |s| body(s, "t", &none)["reachabilityStatus"].clone();
        assert_eq!(status(DeviceState::Data), "CONNECTED_DATA");
        assert_eq!(status(DeviceState::DataAndSms), "CONNECTED_DATA");
        assert_eq!(status(DeviceState::Sms), "CONNECTED_SMS");
        assert_eq!(status(DeviceState::NotConnected), "NOT_CONNECTED");
    }
}
