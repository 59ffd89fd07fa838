//! The orange-lab-v0 contract: `reachabilityStatus` answers and the lab's error codes.
//!
//! The Orange lab documentation gives the success body, 400 INVALID_ARGUMENT, the 500
//! for an unmanaged number, 401 and 403, and says every lab number is operational: a
//! device the service does not apply to is answered NOT_CONNECTED. The status and code of
//! each error situation are the profile's data (`[errors]` of its `profile.toml`: the lab
//! page, then device-reachability-status v0.6.0); 422 DEVICE_NOT_APPLICABLE only answers
//! the lab number refused by the `orange-lab-number-refused` fault.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::devices::DeviceState;
use super::errors::ApiError;
use super::faults::{Fault, FaultSet};
use super::v1;
use crate::Profile;
use reachability_contract::ErrorSituation;

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

/// The Orange error answer for `problem`: the status and code its profile's contract names
/// ([`ApiError::of_contract`]; the lab page, then v0.6.0), as the `orange-unmanaged-404`
/// fault changes them, with the lab's message.
pub(crate) fn error(profile: Profile, problem: ErrorSituation, faults: &FaultSet) -> ApiError {
    let message = match problem {
        ErrorSituation::MissingIdentifier => {
            "The device cannot be identified: send device.phoneNumber."
        }
        ErrorSituation::UnsupportedIdentifier => {
            "None of the provided device identifiers is supported: only phoneNumber is operational."
        }
        ErrorSituation::IdentifierMismatch => "Provided device identifiers are not consistent.",
        ErrorSituation::NotApplicable => "The service is not available for the provided device.",
        ErrorSituation::NotFound if faults.has(Fault::OrangeUnmanaged404) => {
            return ApiError::new(
                StatusCode::NOT_FOUND,
                "DEVICE_NOT_FOUND",
                "Some identifier cannot be matched to a device.",
            );
        }
        ErrorSituation::NotFound => "Internal Server Error, status code 500",
        ErrorSituation::UnnecessaryIdentifier | ErrorSituation::TokenContextMismatch => {
            "device is not consistent with access token."
        }
        ErrorSituation::Unauthenticated => "Authorization failed: no valid access token.",
    };
    ApiError::of_contract(profile, problem, message)
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
