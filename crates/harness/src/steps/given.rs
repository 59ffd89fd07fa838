//! Request set-up steps: resource, headers, tokens, body and testing devices.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::vocabulary::{Action, TokenChoice};
use super::world::{Body, ReachabilityWorld, RunContext};
use super::{StepResult, Verdict, body_path};
use crate::DeviceRole;
use crate::oauth::TokenError;
use crate::target_file::device_key;

/// A bearer value no server can take for a token: characters outside RFC 6750's b64token.
const MALFORMED_BEARER: &str = "Bearer @@ not a token @@";
/// The scheme a valid token is sent under to break RFC 6750's `Bearer`.
const WRONG_SCHEME: &str = "Token";

impl ReachabilityWorld {
    /// The run's shared state (attached by the runner before any step).
    pub(crate) fn context(&self) -> Result<Arc<RunContext>, Verdict> {
        self.ctx
            .clone()
            .ok_or_else(|| Verdict::Errored("the scenario has no target attached".into()))
    }

    /// Performs a request set-up action.
    pub(crate) async fn set_up(&mut self, action: Action) -> StepResult {
        let ctx = self.context()?;
        match action {
            Action::Environment(name) => {
                if ctx.target.api_root.is_none() && ctx.target.base_url.is_none() {
                    return Err(Verdict::Errored(format!(
                        "the plan's environment variable {name:?} is the API root: give \
                         api_root (or base_url) in the target file"
                    )));
                }
            }
            Action::SetHeaderCompliant { name, pointer } => {
                let value = uuid::Uuid::new_v4().to_string();
                ctx.schemas
                    .validate(&pointer, &Value::String(value.clone()))
                    .map_err(|e| {
                        Verdict::Errored(format!(
                            "a UUID is the only {name} value the harness sends, and it does not \
                             comply with {pointer}: {e}"
                        ))
                    })?;
                self.set_header(&name, value);
            }
            Action::Resource(template) => {
                self.url = Some(resource_url(&ctx, &template)?);
            }
            Action::SetHeader { name, value } => self.set_header(&name, value),
            Action::SetHeaderUuid(name) => self.set_header(&name, uuid::Uuid::new_v4().to_string()),
            Action::RemoveHeader(name) => self.remove_header(&name),
            Action::SetToken(choice) => {
                let value = bearer(&ctx, choice).await?;
                self.set_header("Authorization", value);
                self.token = Some(choice);
            }
            Action::DefaultBody(pointer) => {
                let body = match &ctx.target.devices.data {
                    Some(device) => json!({ "device": device }),
                    None => json!({}),
                };
                ctx.schemas.validate(&pointer, &body).map_err(|e| {
                    Verdict::Errored(format!(
                        "the default request body does not comply with {pointer}: {e}; check [devices] data in the target file"
                    ))
                })?;
                self.body = Body::Json(body);
            }
            Action::ValidBody => {
                let device = match self.device.clone() {
                    Some(device) => device,
                    None => device_for(&ctx, DeviceRole::Data)?,
                };
                self.device = Some(device.clone());
                self.body = Body::Json(json!({ "device": device }));
            }
            Action::JsonBody(value) => self.body = Body::Json(value),
            Action::RawBody(text) => self.body = Body::Raw(text),
            Action::NoBody => self.body = Body::Absent,
            Action::SetBodyProperty { path, value } => {
                let path = device_path(&ctx, &path);
                self.edit_body(|body| body_path::set(body, &path, value))?
            }
            Action::RemoveBodyProperty(path) => {
                let path = device_path(&ctx, &path);
                self.edit_body(|body| body_path::remove(body, &path))?
            }
            Action::BreakBodyProperty { path, pointer } => {
                let bad = ctx.schemas.non_compliant_value(&pointer).map_err(|e| {
                    Verdict::Errored(format!("no value breaking {pointer} could be made: {e}"))
                })?;
                let path = device_path(&ctx, &path);
                self.edit_body(|body| body_path::set(body, &path, bad))?;
            }
            Action::BreakBody(pointer) => {
                self.body = Body::Json(ctx.schemas.non_compliant_value(&pointer).map_err(|e| {
                    Verdict::Errored(format!("no body breaking {pointer} could be made: {e}"))
                })?);
            }
            Action::UseDevice(role) => {
                let device = device_for(&ctx, role)?;
                self.device = Some(device.clone());
                let path = device_path(&ctx, "$.device");
                self.edit_body(|body| body_path::set(body, &path, device))?;
            }
            Action::Requires(role) => {
                device_for(&ctx, role)?;
            }
            Action::AnyDevice => {}
            other => {
                return Err(Verdict::Errored(format!("{other:?} is not a set-up step")));
            }
        }
        Ok(())
    }

    /// Applies `edit` to the JSON body, starting from `{}` when there is none yet.
    pub(crate) fn edit_body(
        &mut self,
        edit: impl FnOnce(&mut Value) -> Result<(), String>,
    ) -> StepResult {
        let mut body = match std::mem::take(&mut self.body) {
            Body::Json(value) => value,
            Body::Absent => Value::Object(Map::new()),
            Body::Raw(text) => {
                self.body = Body::Raw(text);
                return Err(Verdict::Errored(
                    "the request body is raw text; a property cannot be set in it".into(),
                ));
            }
        };
        let result = edit(&mut body).map_err(Verdict::Errored);
        self.body = Body::Json(body);
        result
    }
}

/// Where the subscriptions API puts the device of a request.
pub const SUBSCRIPTION_DEVICE: &str = "$.config.subscriptionDetail.device";

/// The body path of a request property: the official subscriptions plans write `$.device`
/// (the status API's place) for `$.config.subscriptionDetail.device`, a plan defect the
/// runner reports; the step runs with its fix.
fn device_path(ctx: &RunContext, path: &str) -> String {
    let relocated = path
        .strip_prefix("$.device")
        .filter(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['));
    match relocated {
        Some(rest) if ctx.target.profile.is_subscriptions() => {
            format!("{SUBSCRIPTION_DEVICE}{rest}")
        }
        _ => path.to_owned(),
    }
}

/// The URL for a resource template: `{api-root}` is the target's API root (a template
/// that is a path alone is under it); a target with
/// `base_url` serves its operation there instead. A template naming the operation path of
/// another version of the target profile's API (`/device-reachability-status/v1/retrieve`
/// for camara-v1.2-rc, served at `/vwip` until its release) names the profile's own path.
fn resource_url(ctx: &RunContext, template: &str) -> Result<String, Verdict> {
    // A path alone (the subscriptions plans: "/device-reachability-status-subscriptions/...")
    // is under the API root.
    let rooted;
    let template = match template.starts_with('/') {
        true => {
            rooted = format!("{{api-root}}{template}");
            rooted.as_str()
        }
        false => template,
    };
    let target = &ctx.target;
    let profile = target.profile;
    let sibling = profile
        .api()
        .profiles()
        .map(|p| p.operation_path())
        .find(|path| template.strip_prefix("{api-root}") == Some(*path));
    let template = match sibling {
        Some(_) => format!("{{api-root}}{}", profile.operation_path()),
        None => template.to_owned(),
    };
    if let Some(base) = &target.base_url {
        let operation = template.rsplit('/').next().unwrap_or_default();
        return Ok(format!("{}/{operation}", base.trim_end_matches('/')));
    }
    let root = target.api_root.as_deref().ok_or_else(|| {
        Verdict::Errored("the target file gives neither api_root nor base_url".into())
    })?;
    Ok(template.replace("{api-root}", root.trim_end_matches('/')))
}

/// The `Authorization` value for a token choice.
async fn bearer(ctx: &RunContext, choice: TokenChoice) -> Result<String, Verdict> {
    let kind = match (choice, super::prefetch::token_kind(choice)) {
        (_, Some(kind)) => kind,
        (TokenChoice::Malformed, None) => return Ok(MALFORMED_BEARER.to_owned()),
        (_, None) => return Ok(format!("Bearer {}", unissued_token())),
    };
    match ctx.tokens.token(kind).await {
        Ok(token) if choice == TokenChoice::WrongScheme => {
            Ok(format!("{WRONG_SCHEME} {}", token.expose()))
        }
        Ok(token) => Ok(format!("Bearer {}", token.expose())),
        Err(TokenError::NotConfigured { key }) => Err(Verdict::missing(key)),
        Err(e) => Err(Verdict::Errored(format!("no access token: {e}"))),
    }
}

/// A fresh, well-formed bearer token (RFC 6750 b64token: a JWT's three base64url parts)
/// that no server issued: its signature is random.
fn unissued_token() -> String {
    let random = || uuid::Uuid::new_v4().simple().to_string();
    format!(
        "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.{}.{}{}",
        random(),
        random(),
        random()
    )
}

/// The device object of a testing asset, or a skip naming the missing key.
pub(crate) fn device_for(ctx: &RunContext, role: DeviceRole) -> Result<Value, Verdict> {
    let devices = &ctx.target.devices;
    if role == DeviceRole::Unsupported {
        return unsupported_device(&devices.unsupported_identifiers);
    }
    devices
        .device(role)
        .cloned()
        .ok_or_else(|| Verdict::missing(device_key(role)))
}

/// A device made only of identifier types the target declares unsupported.
fn unsupported_device(types: &[String]) -> Result<Value, Verdict> {
    if types.is_empty() {
        return Err(Verdict::missing(device_key(DeviceRole::Unsupported)));
    }
    let mut device = Map::new();
    for kind in types {
        let sample = match kind.as_str() {
            "phoneNumber" => json!("+33612345678"),
            "networkAccessIdentifier" => json!("123456789@example.com"),
            "ipv4Address" => json!({ "publicAddress": "84.125.93.10", "publicPort": 59765 }),
            "ipv6Address" => json!("2001:db8:85a3:8d3:1319:8a2e:370:7344"),
            other => {
                return Err(Verdict::Errored(format!(
                    "{} names {other:?}; use phoneNumber, networkAccessIdentifier, ipv4Address or ipv6Address",
                    device_key(DeviceRole::Unsupported)
                )));
            }
        };
        device.insert(kind.clone(), sample);
    }
    Ok(Value::Object(device))
}
