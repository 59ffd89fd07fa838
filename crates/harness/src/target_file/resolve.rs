//! Validation of a decoded target file: values, key combinations, URLs and secrets.

use std::time::Duration;

use reqwest::Url;
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::Value;

use super::file::{RawDevices, RawHttp, RawProvider, RawSubscriptions, RawTarget};
use super::{
    AuthSettings, CreationMode, Devices, EmbeddedMock, ProviderHooks, Secret, SubscriptionSettings,
    Target, TargetError, device_key,
};
use crate::DeviceRole;
use crate::http::HttpSettings;
use crate::negative::Depth;
use crate::phrasebook::Phrasebook;
use crate::profile::Profile;
use crate::sink::{SinkSettings, SinkTls};

/// CAMARA device identifier types, for `devices.unsupported_identifiers`.
const IDENTIFIERS: [&str; 4] = [
    "phoneNumber",
    "networkAccessIdentifier",
    "ipv4Address",
    "ipv6Address",
];

/// Validates a decoded target file of `origin`, reading secrets through `env`.
pub(super) struct Resolver<'a> {
    pub origin: &'a str,
    pub env: &'a dyn Fn(&str) -> Option<String>,
}

impl Resolver<'_> {
    /// Checks `raw` and builds the target.
    pub fn target(&self, raw: RawTarget) -> Result<Target, TargetError> {
        let profile = self.profile(&raw.profile)?;
        let http = self.http(&raw.http)?;
        if raw.embedded_mock {
            return self.embedded(raw, profile, http);
        }
        if raw.mock.is_some() {
            return Err(self.error(
                "mock",
                "only allowed with embedded_mock = true",
                "add embedded_mock = true or remove the [mock] table",
            ));
        }
        let (api_root, base_url) = match (raw.api_root, raw.base_url) {
            (Some(_), Some(_)) => {
                return Err(self.error(
                    "base_url",
                    "conflicts with api_root",
                    "keep only one of them",
                ));
            }
            (None, None) => {
                return Err(self.error(
                    "api_root",
                    "required key is missing",
                    "add api_root = \"https://host\" (or base_url = \"https://host/.../v1\")",
                ));
            }
            (root, base) => (
                root.map(|u| self.url("api_root", &u)).transpose()?,
                base.map(|u| self.url("base_url", &u)).transpose()?,
            ),
        };
        Ok(Target {
            origin: self.origin.to_owned(),
            profile,
            api_root: api_root.map(|u| u.trim_end_matches('/').to_owned()),
            base_url: base_url.map(|u| u.trim_end_matches('/').to_owned()),
            http,
            depth: self.depth(raw.run.depth.as_deref())?,
            auth: self.auth(raw.auth.unwrap_or_default())?,
            provider: self.provider(raw.provider.unwrap_or_default())?,
            devices: self.devices(raw.devices.unwrap_or_default())?,
            subscriptions: self.subscriptions(raw.subscriptions.unwrap_or_default())?,
            embedded_mock: None,
            phrasebook: Phrasebook::default(),
        })
    }

    /// A target that runs the embedded mock: everything but `[http]` and `[mock]` comes
    /// from the mock.
    fn embedded(
        &self,
        raw: RawTarget,
        profile: Profile,
        http: HttpSettings,
    ) -> Result<Target, TargetError> {
        let present = [
            ("api_root", raw.api_root.is_some()),
            ("base_url", raw.base_url.is_some()),
            ("auth", raw.auth.is_some()),
            ("provider", raw.provider.is_some()),
            ("devices", raw.devices.is_some()),
        ];
        if let Some((key, _)) = present.iter().find(|(_, present)| *present) {
            return Err(self.error(
                key,
                "not allowed with embedded_mock = true",
                "remove it: the embedded mock provides its own address, credentials and devices",
            ));
        }
        let mock = raw.mock.unwrap_or_default();
        Ok(Target {
            origin: self.origin.to_owned(),
            profile,
            api_root: None,
            base_url: None,
            http,
            depth: self.depth(raw.run.depth.as_deref())?,
            auth: AuthSettings::default(),
            provider: ProviderHooks::default(),
            devices: Devices::default(),
            subscriptions: self.subscriptions(raw.subscriptions.unwrap_or_default())?,
            embedded_mock: Some(EmbeddedMock {
                faults: mock.faults,
                latency_ms: mock.latency_ms,
            }),
            phrasebook: Phrasebook::default(),
        })
    }

    fn profile(&self, name: &str) -> Result<Profile, TargetError> {
        name.parse().map_err(|_| {
            let names: Vec<String> = Profile::all()
                .iter()
                .map(|p| format!("{:?}", p.name()))
                .collect();
            self.error(
                "profile",
                format!("unknown profile {name:?}"),
                format!("use one of: {}", names.join(", ")),
            )
        })
    }

    fn depth(&self, raw: Option<&str>) -> Result<Option<Depth>, TargetError> {
        raw.map(|text| {
            text.parse().map_err(|e: String| {
                self.error(
                    "run.depth",
                    e,
                    "quick sends one generated case per malformation class, standard (the default) adds a small random sample, deep sends the counts the steps write",
                )
            })
        })
        .transpose()
    }

    fn http(&self, raw: &RawHttp) -> Result<HttpSettings, TargetError> {
        let default = HttpSettings::default();
        let settings = HttpSettings {
            timeout_ms: raw.timeout_ms.unwrap_or(default.timeout_ms),
            concurrency: raw.concurrency.unwrap_or(default.concurrency),
            requests_per_second: raw
                .requests_per_second
                .unwrap_or(default.requests_per_second),
            insecure_tls: raw.insecure_tls.unwrap_or(default.insecure_tls),
        };
        if settings.timeout_ms == 0 {
            return Err(self.error(
                "http.timeout_ms",
                "must be greater than 0",
                "set the time allowed for one request in milliseconds, e.g. 10000",
            ));
        }
        if settings.concurrency == 0 {
            return Err(self.error(
                "http.concurrency",
                "must be at least 1",
                "set how many requests may be in flight at once, e.g. 8",
            ));
        }
        Ok(settings)
    }

    /// The value of the environment variable named by `key`, if the key is set.
    pub(super) fn secret(
        &self,
        key: &str,
        var: Option<String>,
        fix: &str,
    ) -> Result<Option<Secret>, TargetError> {
        let Some(var) = var else { return Ok(None) };
        match (self.env)(&var) {
            Some(value) if !value.is_empty() => Ok(Some(Secret::new(value))),
            Some(_) => Err(self.error(key, format!("environment variable {var} is empty"), fix)),
            None => Err(self.error(key, format!("environment variable {var} is not set"), fix)),
        }
    }

    /// The ready `Authorization` header of `authorization_env`: scheme and credentials.
    pub(super) fn authorization(&self, var: Option<String>) -> Result<Option<Secret>, TargetError> {
        let key = "auth.authorization_env";
        let fix = "export it with the whole Authorization header value for the token endpoint, \
                   e.g. \"Basic <base64 of id:secret>\"";
        let secret = self.secret(key, var.clone(), fix)?;
        match secret {
            Some(s) if !s.expose().trim().contains(' ') => Err(self.error(
                key,
                format!(
                    "environment variable {} does not hold a scheme and credentials",
                    var.unwrap_or_default()
                ),
                fix,
            )),
            other => Ok(other),
        }
    }

    fn provider(&self, raw: RawProvider) -> Result<ProviderHooks, TargetError> {
        let Some(header) = raw.network_error_header else {
            return Ok(ProviderHooks::default());
        };
        let parsed = header.split_once(':').and_then(|(name, value)| {
            let (name, value) = (name.trim(), value.trim());
            (HeaderName::from_bytes(name.as_bytes()).is_ok()
                && HeaderValue::from_str(value).is_ok())
            .then(|| (name.to_owned(), value.to_owned()))
        });
        match parsed {
            Some(pair) => Ok(ProviderHooks {
                network_error_header: Some(pair),
            }),
            None => Err(self.error(
                "provider.network_error_header",
                format!("{header:?} is not a \"Name: value\" header"),
                "write it like \"x-mock-simulate: network-error\"",
            )),
        }
    }

    fn subscriptions(&self, raw: RawSubscriptions) -> Result<SubscriptionSettings, TargetError> {
        let default = SubscriptionSettings::default();
        let bind = match raw.sink_bind {
            None => default.sink.bind,
            Some(text) => text.parse().map_err(|_| {
                self.error(
                    "subscriptions.sink_bind",
                    format!("{text:?} is not an address and port"),
                    "write it like \"127.0.0.1:0\" (0 picks a free port) or \"0.0.0.0:8443\"",
                )
            })?,
        };
        let public_url = raw
            .sink_url
            .map(|url| self.url("subscriptions.sink_url", &url))
            .transpose()?;
        let seconds = |key: &str,
                       value: Option<u64>,
                       default: Duration,
                       unit: fn(u64) -> Duration| {
            match value {
                None => Ok(default),
                Some(0) => Err(self.error(
                    key,
                    "must be greater than 0",
                    "a run waits this long at most; e.g. event_timeout_s = 10, quiet_window_ms = 1000",
                )),
                Some(n) => Ok(unit(n)),
            }
        };
        let tls = match (raw.sink_cert_file, raw.sink_key_file, raw.sink_plain_http) {
            (Some(_), Some(_), Some(true)) => {
                return Err(self.error(
                    "subscriptions.sink_plain_http",
                    "conflicts with sink_cert_file and sink_key_file",
                    "keep the certificate files for HTTPS, or sink_plain_http = true alone",
                ));
            }
            (Some(cert), Some(key), _) => SinkTls::Files {
                cert: cert.into(),
                key: key.into(),
            },
            (Some(_), None, _) | (None, Some(_), _) => {
                return Err(self.error(
                    "subscriptions.sink_cert_file",
                    "needs sink_key_file too (and the other way round)",
                    "give both PEM files, or neither for a self-signed certificate",
                ));
            }
            (None, None, Some(true)) => SinkTls::Plain,
            (None, None, _) => SinkTls::SelfSigned,
        };
        let creation = match raw.creation {
            None => default.creation,
            Some(text) => CreationMode::NAMES
                .iter()
                .find(|(name, _)| *name == text)
                .map(|(_, mode)| *mode)
                .ok_or_else(|| {
                    self.error(
                        "subscriptions.creation",
                        format!("{text:?} is not a creation mode"),
                        "write \"sync\" (201), \"async\" (202) or \"either\" (the default)",
                    )
                })?,
        };
        Ok(SubscriptionSettings {
            creation,
            sink: SinkSettings {
                bind,
                public_url,
                tls,
            },
            event_timeout: seconds(
                "subscriptions.event_timeout_s",
                raw.event_timeout_s,
                default.event_timeout,
                Duration::from_secs,
            )?,
            quiet_window: seconds(
                "subscriptions.quiet_window_ms",
                raw.quiet_window_ms,
                default.quiet_window,
                Duration::from_millis,
            )?,
            state_change_hook: raw.state_change_hook.map(|h| self.hook(h)).transpose()?,
            sweep: raw.sweep.unwrap_or_default(),
        })
    }

    fn devices(&self, raw: RawDevices) -> Result<Devices, TargetError> {
        let device = |role: DeviceRole, value: Option<Value>| match value {
            Some(v) if v.as_object().is_none_or(serde_json::Map::is_empty) => Err(self.error(
                device_key(role),
                "must be a non-empty table (a CAMARA device object)",
                format!(
                    "write it like {} = {{ phoneNumber = \"+33612345678\" }}",
                    role.key()
                ),
            )),
            other => Ok(other),
        };
        if let Some(bad) = raw
            .unsupported_identifiers
            .iter()
            .find(|id| !IDENTIFIERS.contains(&id.as_str()))
        {
            return Err(self.error(
                device_key(DeviceRole::Unsupported),
                format!("unknown device identifier type {bad:?}"),
                format!("use some of: {}", IDENTIFIERS.join(", ")),
            ));
        }
        Ok(Devices {
            data: device(DeviceRole::Data, raw.data)?,
            sms: device(DeviceRole::Sms, raw.sms)?,
            data_and_sms: device(DeviceRole::DataAndSms, raw.data_and_sms)?,
            not_connected: device(DeviceRole::NotConnected, raw.not_connected)?,
            not_applicable: device(DeviceRole::NotApplicable, raw.not_applicable)?,
            unknown: device(DeviceRole::Unknown, raw.unknown)?,
            mismatch: device(DeviceRole::Mismatch, raw.mismatch)?,
            unsupported_identifiers: raw.unsupported_identifiers,
        })
    }

    /// `value` if it is an absolute http(s) URL.
    pub(super) fn url(&self, key: &str, value: &str) -> Result<String, TargetError> {
        match Url::parse(value) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {
                Ok(value.to_owned())
            }
            _ => Err(self.error(
                key,
                format!("{value:?} is not an absolute http or https URL"),
                "write it like \"https://host/path\"",
            )),
        }
    }

    pub(super) fn error(
        &self,
        key: &str,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> TargetError {
        TargetError::new(self.origin, Some(key.to_owned()), problem, fix)
    }
}
