//! `[subscriptions] state_change_hook`: how the harness asks the provider to change a
//! testing device's state (a command it runs, or an HTTP call), and its validation.

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::Method;
use reqwest::header::HeaderName;
use serde::Deserialize;

use super::resolve::Resolver;
use super::{Secret, TargetError};

/// The key, as messages name it.
pub const HOOK_KEY: &str = "subscriptions.state_change_hook";
/// How long a hook may take when `timeout_s` is not given.
pub const DEFAULT_HOOK_TIMEOUT: Duration = Duration::from_secs(10);

/// The `state_change_hook` inline table, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(super) struct RawHook {
    pub command: Option<Vec<String>>,
    pub url: Option<String>,
    pub method: Option<String>,
    #[serde(default)]
    pub headers_env: BTreeMap<String, String>,
    pub timeout_s: Option<u64>,
}

/// How the provider hook is called.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HookCall {
    /// A program and its arguments; `{change}` and `{device}` (the device object as JSON)
    /// are replaced in each argument, and `{"change": ..., "device": {...}}` is written
    /// to its standard input.
    Command(Vec<String>),
    /// An HTTP request with the JSON body `{"change": ..., "device": {...}}`.
    Http {
        /// Where it goes.
        url: String,
        /// Its method (POST unless the file says).
        method: String,
        /// Headers whose values come from the environment (secrets, masked in output).
        headers: Vec<(String, Secret)>,
    },
}

/// The provider hook that changes a testing device's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateChangeHook {
    /// What is called.
    pub call: HookCall,
    /// How long it may take before the step is errored.
    pub timeout: Duration,
}

impl StateChangeHook {
    /// The secrets of the hook (its headers' values), to register with the redactor.
    pub fn secrets(&self) -> Vec<&Secret> {
        match &self.call {
            HookCall::Command(_) => Vec::new(),
            HookCall::Http { headers, .. } => headers.iter().map(|(_, value)| value).collect(),
        }
    }
}

const FORMS: &str = "write state_change_hook = { command = [\"./hook.sh\", \"{change}\", \"{device}\"] } \
                     or { url = \"https://host/hook\" }";

impl Resolver<'_> {
    /// Validates the hook table.
    pub(super) fn hook(&self, raw: RawHook) -> Result<StateChangeHook, TargetError> {
        let key = |name: &str| format!("{HOOK_KEY}.{name}");
        let timeout = match raw.timeout_s {
            None => DEFAULT_HOOK_TIMEOUT,
            Some(0) => {
                return Err(self.error(
                    &key("timeout_s"),
                    "must be greater than 0",
                    "the hook may take this long at most; e.g. timeout_s = 10",
                ));
            }
            Some(seconds) => Duration::from_secs(seconds),
        };
        let call = match (raw.command, raw.url) {
            (Some(_), Some(_)) => {
                return Err(self.error(HOOK_KEY, "has both command and url", FORMS));
            }
            (None, None) => {
                return Err(self.error(HOOK_KEY, "has neither command nor url", FORMS));
            }
            (Some(command), None) => {
                let extra = [
                    ("method", raw.method.is_some()),
                    ("headers_env", !raw.headers_env.is_empty()),
                ];
                if let Some((name, _)) = extra.iter().find(|(_, given)| *given) {
                    return Err(self.error(
                        &key(name),
                        "only applies to a url hook",
                        "remove it, or call the hook by url",
                    ));
                }
                if command
                    .first()
                    .is_none_or(|program| program.trim().is_empty())
                {
                    return Err(self.error(
                        &key("command"),
                        "must name a program",
                        "write it like command = [\"./hook.sh\", \"{change}\", \"{device}\"]",
                    ));
                }
                HookCall::Command(command)
            }
            (None, Some(url)) => {
                let url = self.url(&key("url"), &url)?;
                let method = raw.method.unwrap_or_else(|| "POST".to_owned());
                if Method::from_bytes(method.as_bytes()).is_err() {
                    return Err(self.error(
                        &key("method"),
                        format!("{method:?} is not an HTTP method"),
                        "write it like method = \"POST\"",
                    ));
                }
                let mut headers = Vec::new();
                for (name, var) in raw.headers_env {
                    let header_key = key(&format!("headers_env.{name}"));
                    if HeaderName::from_bytes(name.as_bytes()).is_err() {
                        return Err(self.error(
                            &header_key,
                            format!("{name:?} is not a header name"),
                            "write it like headers_env = { Authorization = \"HOOK_AUTHORIZATION\" }",
                        ));
                    }
                    let fix = "export it with the header's value";
                    if let Some(value) = self.secret(&header_key, Some(var), fix)? {
                        headers.push((name, value));
                    }
                }
                HookCall::Http {
                    url,
                    method,
                    headers,
                }
            }
        };
        Ok(StateChangeHook { call, timeout })
    }
}
