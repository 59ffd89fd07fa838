//! Target files: what is tested, where, and with which credentials and testing assets.
//!
//! A target file is TOML. Secrets are never written in it: `*_env` keys name the
//! environment variables that hold them. See [`Target::parse`] for the rules.

mod auth_method;
mod auth_resolve;
mod error;
mod file;
mod hook;
mod resolve;
mod secret;

use std::path::Path;
use std::sync::LazyLock;
use std::time::Duration;

use serde_json::Value;

use crate::DeviceRole;
use crate::http::HttpSettings;
use crate::negative::Depth;
use crate::phrasebook::Phrasebook;
use crate::profile::Profile;
use crate::sink::SinkSettings;

pub use auth_method::{
    AssertionSettings, ClientAuth, DEFAULT_ASSERTION_LIFETIME, MAX_ASSERTION_LIFETIME,
};
pub use error::TargetError;
pub use hook::{DEFAULT_HOOK_TIMEOUT, HOOK_KEY, HookCall, StateChangeHook};
pub use secret::Secret;

/// OAuth settings from the `[auth]` table, secrets resolved from the environment.
#[derive(Clone, Debug, Default)]
pub struct AuthSettings {
    /// OAuth token endpoint (client credentials and CIBA polling); when unset, read from
    /// the OpenID configuration.
    pub token_url: Option<String>,
    /// OAuth client id.
    pub client_id: Option<String>,
    /// How the client authenticates (`auth.client_auth`).
    pub client_auth: ClientAuth,
    /// Client secret (from `client_secret_env`), for the `client_secret_*` methods.
    pub client_secret: Option<Secret>,
    /// Client assertion settings, for `private_key_jwt`.
    pub assertion: Option<AssertionSettings>,
    /// OpenID discovery document, for the endpoints the file does not give.
    pub openid_configuration_url: Option<String>,
    /// A ready `Authorization` header value for the token endpoint (from `authorization_env`).
    pub authorization: Option<Secret>,
    /// A ready bearer token (from `access_token_env`), used instead of a token flow.
    pub access_token: Option<Secret>,
    /// Scope asked for API tokens; none sent when absent.
    pub scope: Option<String>,
    /// RFC 7009 revocation endpoint, to make a revoked token (or from discovery).
    pub revocation_url: Option<String>,
    /// An expired access token (from `expired_token_env`).
    pub expired_token: Option<Secret>,
    /// A scope that yields a token without the API scope.
    pub no_scope_scope: Option<String>,
    /// CIBA backchannel authentication endpoint, to get a device-bound token (or from
    /// discovery).
    pub ciba_url: Option<String>,
    /// CIBA `login_hint` of the test device, e.g. `tel:+33612345678`.
    pub device_login_hint: Option<String>,
}

/// Test hooks a provider offers, from the `[provider]` table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProviderHooks {
    /// A header (name, value) that makes the target answer 503, to test network errors.
    pub network_error_header: Option<(String, String)>,
}

/// How a subscriptions run receives and waits for notifications, from the
/// `[subscriptions]` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionSettings {
    /// Where the notification sink listens and the URL the implementation calls.
    pub sink: SinkSettings,
    /// How long to wait for an expected notification (`event_timeout_s`).
    pub event_timeout: Duration,
    /// How long no notification must arrive to conclude that no more will
    /// (`quiet_window_ms`).
    pub quiet_window: Duration,
    /// The provider hook that changes a testing device's state (`state_change_hook`).
    pub state_change_hook: Option<StateChangeHook>,
    /// Whether a run first deletes the leftovers of earlier runs (`sweep`).
    pub sweep: bool,
    /// How the implementation creates subscriptions (`creation`, an implementation
    /// indication of the official plans).
    pub creation: CreationMode,
}

impl Default for SubscriptionSettings {
    /// A sink on a free port of 127.0.0.1, 10 s per expected event, a 1 s quiet window,
    /// either creation mode.
    fn default() -> Self {
        Self {
            sink: SinkSettings::default(),
            event_timeout: Duration::from_secs(10),
            quiet_window: Duration::from_secs(1),
            state_change_hook: None,
            sweep: false,
            creation: CreationMode::Either,
        }
    }
}

/// How an implementation creates subscriptions: the official plans have a synchronous
/// (201) and an asynchronous (202) creation scenario, and "some implementations may only
/// support" one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreationMode {
    /// 201 with the subscription (`"sync"`): the asynchronous scenarios do not apply.
    Sync,
    /// 202 with its id, ACTIVE later (`"async"`): the synchronous scenarios do not apply.
    Async,
    /// Either (`"either"`, the default): every scenario runs; a creation answered the
    /// other way than a scenario expects skips it, naming the key to set.
    Either,
}

impl CreationMode {
    /// The modes, as the target file writes them.
    pub const NAMES: [(&'static str, CreationMode); 3] = [
        ("sync", CreationMode::Sync),
        ("async", CreationMode::Async),
        ("either", CreationMode::Either),
    ];

    /// The mode of a creation answered with `status` (201 or 202).
    pub fn of_status(status: u16) -> Option<CreationMode> {
        match status {
            201 => Some(CreationMode::Sync),
            202 => Some(CreationMode::Async),
            _ => None,
        }
    }

    /// The mode in words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            CreationMode::Sync => "a synchronous creation (201)",
            CreationMode::Async => "an asynchronous creation (202)",
            CreationMode::Either => "either creation mode",
        }
    }

    /// The value of `subscriptions.creation` for this mode.
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, mode)| *mode == self)
            .map_or("either", |(name, _)| name)
    }
}

/// The target file's name of the testing asset that plays `role` (`devices.data_and_sms`),
/// as skips and the testing assets a scenario needs name it.
pub fn device_key(role: DeviceRole) -> &'static str {
    static KEYS: LazyLock<[String; DeviceRole::ALL.len()]> =
        LazyLock::new(|| DeviceRole::ALL.map(|role| format!("devices.{}", role.key())));
    // `DeviceRole::ALL` lists every role at its declaration index.
    &KEYS[role as usize]
}

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

impl Devices {
    /// The device object that plays `role`, if configured (`None` for
    /// [`DeviceRole::Unsupported`], which is a list of identifier types).
    pub fn device(&self, role: DeviceRole) -> Option<&Value> {
        match role {
            DeviceRole::Data => self.data.as_ref(),
            DeviceRole::Sms => self.sms.as_ref(),
            DeviceRole::DataAndSms => self.data_and_sms.as_ref(),
            DeviceRole::NotConnected => self.not_connected.as_ref(),
            DeviceRole::NotApplicable => self.not_applicable.as_ref(),
            DeviceRole::Unknown => self.unknown.as_ref(),
            DeviceRole::Mismatch => self.mismatch.as_ref(),
            DeviceRole::Unsupported => None,
        }
    }

    /// Whether the target file gives what `role` needs.
    pub fn has(&self, role: DeviceRole) -> bool {
        match role {
            DeviceRole::Unsupported => !self.unsupported_identifiers.is_empty(),
            device => self.device(device).is_some(),
        }
    }
}

/// Settings of the embedded mock, from the `[mock]` table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbeddedMock {
    /// Names of the mock's fault switches to turn on (checked by the mock).
    pub faults: Vec<String>,
    /// Extra latency of every mock answer, in milliseconds.
    pub latency_ms: u64,
}

/// A parsed, validated target file.
#[derive(Clone, Debug)]
pub struct Target {
    /// Where the target came from: a file path or a description.
    pub origin: String,
    /// The API generation the target implements.
    pub profile: Profile,
    /// API root; the operation URL is this plus the profile's operation path.
    pub api_root: Option<String>,
    /// Base URL of the API version; the operation URL is this plus `/retrieve`.
    pub base_url: Option<String>,
    /// HTTP behaviour of the run.
    pub http: HttpSettings,
    /// How deep generated scenarios go (`[run] depth`), unless the command line says.
    pub depth: Option<Depth>,
    /// OAuth settings (empty for the embedded mock, which provides its own).
    pub auth: AuthSettings,
    /// Provider test hooks.
    pub provider: ProviderHooks,
    /// Testing assets (empty for the embedded mock, which provides its own).
    pub devices: Devices,
    /// The notification sink and waiting bounds (subscriptions profile).
    pub subscriptions: SubscriptionSettings,
    /// Set when the run tests the embedded mock instead of a remote target.
    pub embedded_mock: Option<EmbeddedMock>,
    /// The user's aliases and template parameters (`[vocabulary]`, `[params]`, and what the
    /// command line adds).
    pub phrasebook: Phrasebook,
}

impl Target {
    /// Reads and validates the target file at `path`; `*_env` keys are looked up in the
    /// process environment.
    pub fn load(path: &Path) -> Result<Target, TargetError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            TargetError::new(
                &origin,
                None,
                format!("cannot read the file ({e})"),
                "check the path and the file's permissions",
            )
        })?;
        Self::parse(&text, &origin, &|name| std::env::var(name).ok())
    }

    /// Validates the TOML `text` of a target file called `origin` (used in errors);
    /// `env` looks up the environment variables named by `*_env` keys (an empty value
    /// counts as unset). A relative `auth.private_key_file` is read from the folder of
    /// `origin` (the current folder when `origin` is not a path).
    pub fn parse(
        text: &str,
        origin: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Target, TargetError> {
        let mut raw = file::decode(text, origin)?;
        let phrasebook = Phrasebook::from_target_tables(
            std::mem::take(&mut raw.vocabulary),
            std::mem::take(&mut raw.params),
            text,
            origin,
        )
        .map_err(|e| {
            TargetError::new(
                origin,
                e.line.map(|line| format!("vocabulary (line {line})")),
                e.problem,
                e.fix,
            )
        })?;
        let target = resolve::Resolver { origin, env }.target(raw)?;
        Ok(Target {
            phrasebook,
            ..target
        })
    }

    /// URL of the `retrieve` operation; `None` only for the embedded mock, whose
    /// address is known once it runs.
    pub fn operation_url(&self) -> Option<String> {
        match (&self.base_url, &self.api_root) {
            (Some(base), _) => Some(format!("{base}/retrieve")),
            (None, Some(root)) => Some(format!("{root}{}", self.profile.operation_path())),
            (None, None) => None,
        }
    }

    /// Every secret resolved from the environment, to register with the run's redactor.
    pub fn secrets(&self) -> Vec<&Secret> {
        let auth = &self.auth;
        [
            &auth.client_secret,
            &auth.authorization,
            &auth.access_token,
            &auth.expired_token,
        ]
        .into_iter()
        .flatten()
        .chain(
            self.subscriptions
                .state_change_hook
                .iter()
                .flat_map(StateChangeHook::secrets),
        )
        .collect()
    }

    /// The profile of the API this target implements.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// HTTP settings of the run.
    pub fn http(&self) -> &HttpSettings {
        &self.http
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_is_configured_by_its_device_or_by_the_unsupported_types() {
        let mut devices = Devices {
            data: Some(serde_json::json!({"phoneNumber": "+33699901031"})),
            ..Devices::default()
        };
        let configured = |d: &Devices| -> Vec<DeviceRole> {
            DeviceRole::ALL.into_iter().filter(|r| d.has(*r)).collect()
        };
        assert_eq!(configured(&devices), [DeviceRole::Data]);
        assert_eq!(
            devices.device(DeviceRole::Data),
            Some(&serde_json::json!({"phoneNumber": "+33699901031"}))
        );
        devices.unsupported_identifiers = vec!["ipv4Address".to_owned()];
        assert_eq!(
            configured(&devices),
            [DeviceRole::Data, DeviceRole::Unsupported]
        );
        assert_eq!(devices.device(DeviceRole::Unsupported), None);
    }
}
