//! Checking a `SubscriptionRequest`: each mistake gets the code the OAS names for it
//! (INVALID_ARGUMENT, INVALID_PROTOCOL, INVALID_CREDENTIAL, INVALID_TOKEN, INVALID_SINK),
//! except where a fault switches the code.

use std::net::IpAddr;

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use reachability_contract::oauth::{
    SUBSCRIPTION_DATA_CREATE_SCOPE, SUBSCRIPTION_DISCONNECTED_CREATE_SCOPE,
    SUBSCRIPTION_SMS_CREATE_SCOPE,
};
use serde_json::{Map, Value};

use super::super::devices::DeviceState;
use super::super::errors::ApiError;
use super::super::faults::{Fault, FaultSet};
use super::super::validate::{DeviceQuery, parse_request};

/// The prefix of every event type of the API.
pub(crate) const TYPE_PREFIX: &str =
    "org.camaraproject.device-reachability-status-subscriptions.v0.";

/// A subscribable event type (`SubscriptionEventType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EventType {
    /// `reachability-data`: connected for data (with or without SMS).
    Data,
    /// `reachability-sms`: connected for SMS only.
    Sms,
    /// `reachability-disconnected`: not connected.
    Disconnected,
}

impl EventType {
    const ALL: [EventType; 3] = [EventType::Data, EventType::Sms, EventType::Disconnected];

    /// The short name (`reachability-data`, ...).
    pub(crate) fn short_name(self) -> &'static str {
        match self {
            EventType::Data => "reachability-data",
            EventType::Sms => "reachability-sms",
            EventType::Disconnected => "reachability-disconnected",
        }
    }

    /// The full CloudEvents `type`.
    pub(crate) fn type_name(self) -> String {
        format!("{TYPE_PREFIX}{}", self.short_name())
    }

    /// The scope that allows creating a subscription to this type.
    pub(crate) fn create_scope(self) -> &'static str {
        match self {
            EventType::Data => SUBSCRIPTION_DATA_CREATE_SCOPE,
            EventType::Sms => SUBSCRIPTION_SMS_CREATE_SCOPE,
            EventType::Disconnected => SUBSCRIPTION_DISCONNECTED_CREATE_SCOPE,
        }
    }

    /// Whether a device in `state` is in the situation this type reports.
    pub(crate) fn matches(self, state: DeviceState) -> bool {
        match self {
            EventType::Data => matches!(state, DeviceState::Data | DeviceState::DataAndSms),
            EventType::Sms => state == DeviceState::Sms,
            EventType::Disconnected => state == DeviceState::NotConnected,
        }
    }

    /// Another type than this one (what the `wrong-event-type` fault sends).
    pub(crate) fn other(self) -> EventType {
        match self {
            EventType::Data => EventType::Sms,
            EventType::Sms | EventType::Disconnected => EventType::Data,
        }
    }

    fn parse(name: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.type_name() == name)
    }
}

/// A checked `SubscriptionRequest`.
#[derive(Debug)]
pub(crate) struct NewSubscription {
    /// Where notifications go.
    pub sink: String,
    /// The bearer token notifications must carry, if a sinkCredential was given.
    pub access_token: Option<String>,
    /// The device of `config.subscriptionDetail`, if any.
    pub device: Option<DeviceQuery>,
    /// `config.subscriptionExpireTime`.
    pub expires: Option<DateTime<Utc>>,
    /// `config.subscriptionMaxEvents`.
    pub max_events: Option<u64>,
    /// `config.initialEvent`.
    pub initial_event: bool,
    /// The request without its `sinkCredential`: the start of the `Subscription` body.
    pub body: Map<String, Value>,
}

/// Parses and checks a create request body.
pub(crate) fn parse(bytes: &[u8], faults: &FaultSet) -> Result<NewSubscription, ApiError> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| invalid(format!("The request body is not valid JSON: {e}.")))?;
    let Value::Object(mut body) = value else {
        return Err(invalid("The request body must be a JSON object."));
    };
    event_types(body.get("types"))?;
    protocol(body.get("protocol"), faults)?;
    let sink = sink(body.get("sink"), faults)?;
    let access_token = match body.remove("sinkCredential") {
        None => None,
        Some(credential) => Some(sink_credential(&credential, faults)?),
    };
    let config = match body.get("config") {
        Some(Value::Object(config)) => config,
        _ => return Err(invalid("`config` is required and must be an object.")),
    };
    let detail = match config.get("subscriptionDetail") {
        Some(detail @ Value::Object(_)) => detail,
        _ => {
            return Err(invalid(
                "`config.subscriptionDetail` is required and must be an object.",
            ));
        }
    };
    let device = parse_request(detail.to_string().as_bytes(), faults)?;
    let expires = match config.get("subscriptionExpireTime") {
        None => None,
        Some(Value::String(text)) => {
            let time = DateTime::parse_from_rfc3339(text).map_err(|_| {
                invalid("`config.subscriptionExpireTime` must be an RFC 3339 date-time.")
            })?;
            if time <= Utc::now() && !faults.has(Fault::PastExpiryAccepted) {
                return Err(invalid(
                    "`config.subscriptionExpireTime` is in the past: give a future time.",
                ));
            }
            Some(time.with_timezone(&Utc))
        }
        Some(_) => return Err(invalid("`config.subscriptionExpireTime` must be a string.")),
    };
    let max_events =
        match config.get("subscriptionMaxEvents") {
            None => None,
            Some(value) => Some(value.as_u64().filter(|n| *n >= 1).ok_or_else(|| {
                invalid("`config.subscriptionMaxEvents` must be an integer >= 1.")
            })?),
        };
    let initial_event = match config.get("initialEvent") {
        None => false,
        Some(Value::Bool(flag)) => *flag,
        Some(_) => return Err(invalid("`config.initialEvent` must be a boolean.")),
    };
    Ok(NewSubscription {
        sink,
        access_token,
        device,
        expires,
        max_events,
        initial_event,
        body,
    })
}

/// The asked event types, as far as the schema goes (non-empty, known names); several
/// are refused later, once the scopes are checked.
pub(crate) fn event_types(types: Option<&Value>) -> Result<Vec<EventType>, ApiError> {
    let Some(Value::Array(items)) = types else {
        return Err(invalid(
            "`types` is required: an array with one event type.",
        ));
    };
    if items.is_empty() {
        return Err(invalid("`types` must name one event type."));
    }
    items
        .iter()
        .map(|item| {
            item.as_str().and_then(EventType::parse).ok_or_else(|| {
                invalid(format!(
                    "`types` holds {item}, which is not a subscribable event type: use {TYPE_PREFIX}reachability-data, -sms or -disconnected."
                ))
            })
        })
        .collect()
}

fn protocol(protocol: Option<&Value>, faults: &FaultSet) -> Result<(), ApiError> {
    const PROTOCOLS: [&str; 6] = ["HTTP", "MQTT3", "MQTT5", "AMQP", "NATS", "KAFKA"];
    match protocol.and_then(Value::as_str) {
        Some("HTTP") => Ok(()),
        Some(other) if PROTOCOLS.contains(&other) => Err(coded(
            "INVALID_PROTOCOL",
            faults.has(Fault::InvalidProtocolWrongCode),
            format!("Protocol {other} is not supported: only HTTP is."),
        )),
        _ => Err(invalid(
            "`protocol` is required and must be one of HTTP, MQTT3, MQTT5, AMQP, NATS, KAFKA.",
        )),
    }
}

/// The sink URL: `https://` with a host, or `http://` to a loopback address.
fn sink(sink: Option<&Value>, faults: &FaultSet) -> Result<String, ApiError> {
    let Some(Value::String(text)) = sink else {
        return Err(invalid("`sink` is required and must be a URL string."));
    };
    let usable = reqwest::Url::parse(text).is_ok_and(|url| match url.scheme() {
        "https" => url.host_str().is_some_and(|h| !h.is_empty()),
        "http" => url.host_str().is_some_and(is_loopback),
        _ => false,
    });
    if usable {
        Ok(text.clone())
    } else {
        Err(coded(
            "INVALID_SINK",
            faults.has(Fault::InvalidSinkWrongCode),
            format!("The sink {text:?} is not a usable https:// URL."),
        ))
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The access token of an ACCESSTOKEN credential.
fn sink_credential(credential: &Value, faults: &FaultSet) -> Result<String, ApiError> {
    let Value::Object(credential) = credential else {
        return Err(invalid("`sinkCredential` must be an object."));
    };
    match credential.get("credentialType").and_then(Value::as_str) {
        Some("ACCESSTOKEN") => {}
        Some(other @ ("PLAIN" | "REFRESHTOKEN")) => {
            return Err(coded(
                "INVALID_CREDENTIAL",
                faults.has(Fault::InvalidCredentialWrongCode),
                format!("credentialType {other} is not supported: use ACCESSTOKEN."),
            ));
        }
        _ => {
            return Err(invalid(
                "`sinkCredential.credentialType` is required: PLAIN, ACCESSTOKEN or REFRESHTOKEN.",
            ));
        }
    }
    if credential.get("accessTokenType").and_then(Value::as_str) != Some("bearer") {
        return Err(coded(
            "INVALID_TOKEN",
            faults.has(Fault::InvalidTokenWrongCode),
            "`sinkCredential.accessTokenType` must be \"bearer\".",
        ));
    }
    let token = credential
        .get("accessToken")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty());
    let expiry = credential
        .get("accessTokenExpiresUtc")
        .and_then(Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok());
    match (token, expiry) {
        (Some(token), Some(expiry)) if expiry > Utc::now() => Ok(token.to_owned()),
        _ => Err(coded(
            "INVALID_TOKEN",
            faults.has(Fault::InvalidTokenWrongCode),
            "The sink access token is missing or expired: give `accessToken` and a future `accessTokenExpiresUtc`.",
        )),
    }
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::invalid_argument(message)
}

/// A 400 with `code`, or INVALID_ARGUMENT when the fault that confuses them is on.
fn coded(code: &'static str, as_invalid_argument: bool, message: impl Into<String>) -> ApiError {
    if as_invalid_argument {
        invalid(message)
    } else {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }
}
