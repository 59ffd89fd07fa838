//! Target files: what is tested, where, and with which credentials and testing assets.

pub mod auth;

use serde_json::Value;

use crate::http::HttpSettings;
use crate::profile::Profile;

/// A secret value (read from the environment). Never printed: `Debug` and `Display` mask it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

/// OAuth settings from the `[auth]` table, secrets resolved.
#[derive(Clone, Debug, Default)]
pub struct AuthSettings {}

/// Testing assets from the `[devices]` table: CAMARA device objects per known state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Devices {
    /// A device reachable by DATA only.
    pub data: Option<Value>,
    /// A device reachable by SMS only.
    pub sms: Option<Value>,
    /// A device reachable by DATA and SMS.
    pub data_and_sms: Option<Value>,
    /// A device that is not connected.
    pub not_connected: Option<Value>,
    /// A device for which the service is not applicable.
    pub not_applicable: Option<Value>,
    /// A schema-valid device the target does not manage.
    pub unknown: Option<Value>,
    /// Several identifiers, each of a different valid device.
    pub mismatch: Option<Value>,
    /// Device identifier types the target does not support.
    pub unsupported_identifiers: Vec<String>,
}

/// A parsed, validated target file.
#[derive(Clone, Debug)]
pub struct Target {}

/// A target file that cannot be used, with what to do about it.
#[derive(Debug)]
pub struct TargetError {}

impl Target {
    /// The profile of the API this target implements.
    pub fn profile(&self) -> Profile {
        unimplemented!()
    }

    /// HTTP settings of the run.
    pub fn http(&self) -> &HttpSettings {
        unimplemented!()
    }
}
