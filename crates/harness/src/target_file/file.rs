//! The raw serde model of a target file, and TOML decoding with errors that name the
//! key, the line and the column.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::error::TargetError;

/// A target file as written, before validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(super) struct RawTarget {
    pub profile: String,
    pub api_root: Option<String>,
    pub base_url: Option<String>,
    #[serde(default)]
    pub embedded_mock: bool,
    pub mock: Option<RawMock>,
    #[serde(default)]
    pub http: RawHttp,
    #[serde(default)]
    pub run: RawRun,
    pub auth: Option<RawAuth>,
    pub provider: Option<RawProvider>,
    pub devices: Option<RawDevices>,
    pub subscriptions: Option<RawSubscriptions>,
    /// Aliases: the user's sentence patterns and the known sentences they stand for.
    #[serde(default)]
    pub vocabulary: BTreeMap<String, toml::Spanned<String>>,
    /// Values of the `{placeholders}` of CAMARA's templates.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

/// The `[mock]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(super) struct RawMock {
    #[serde(default)]
    pub faults: Vec<String>,
    #[serde(default)]
    pub latency_ms: u64,
}

/// The `[http]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(super) struct RawHttp {
    pub timeout_ms: Option<u64>,
    pub concurrency: Option<usize>,
    pub requests_per_second: Option<u32>,
    pub insecure_tls: Option<bool>,
}

/// The `[run]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(super) struct RawRun {
    pub depth: Option<String>,
}

/// The `[auth]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(super) struct RawAuth {
    pub token_url: Option<String>,
    pub client_id: Option<String>,
    pub client_secret_env: Option<String>,
    pub authorization_env: Option<String>,
    pub access_token_env: Option<String>,
    pub scope: Option<String>,
    pub revocation_url: Option<String>,
    pub expired_token_env: Option<String>,
    pub no_scope_scope: Option<String>,
    pub ciba_url: Option<String>,
    pub device_login_hint: Option<String>,
    pub client_auth: Option<String>,
    pub private_key_file: Option<String>,
    pub private_key_env: Option<String>,
    pub key_id: Option<String>,
    pub algorithm: Option<String>,
    pub assertion_audience: Option<String>,
    pub assertion_lifetime_s: Option<u64>,
    pub openid_configuration_url: Option<String>,
}

/// The `[provider]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(super) struct RawProvider {
    pub network_error_header: Option<String>,
}

/// The `[subscriptions]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(super) struct RawSubscriptions {
    pub sink_bind: Option<String>,
    pub sink_url: Option<String>,
    pub sink_cert_file: Option<String>,
    pub sink_key_file: Option<String>,
    pub sink_plain_http: Option<bool>,
    pub event_timeout_s: Option<u64>,
    pub quiet_window_ms: Option<u64>,
    pub state_change_hook: Option<super::hook::RawHook>,
    pub sweep: Option<bool>,
    pub creation: Option<String>,
}

/// The `[devices]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub(super) struct RawDevices {
    pub data: Option<Value>,
    pub sms: Option<Value>,
    pub data_and_sms: Option<Value>,
    pub not_connected: Option<Value>,
    pub not_applicable: Option<Value>,
    pub unknown: Option<Value>,
    pub mismatch: Option<Value>,
    #[serde(default)]
    pub unsupported_identifiers: Vec<String>,
}

/// Decodes the TOML `text` of the target file `origin`.
pub(super) fn decode(text: &str, origin: &str) -> Result<RawTarget, TargetError> {
    let deserializer = toml::Deserializer::parse(text).map_err(|e| {
        TargetError::new(
            origin,
            Some(position(text, e.span())),
            format!("invalid TOML: {}", e.message()),
            "fix the TOML syntax",
        )
    })?;
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let Explained { key, problem, fix } = explain(&path, inner.message());
        let at = match (key, inner.span()) {
            // A missing key has no place of its own: name it alone.
            (Some(key), _) if problem == MISSING => key,
            (Some(key), Some(span)) => format!("{key} ({})", position(text, Some(span))),
            (Some(key), None) => key,
            (None, span) => position(text, span),
        };
        TargetError::new(origin, Some(at), problem, fix)
    })
}

/// What is wrong with a required key that is absent.
const MISSING: &str = "required key is missing";

/// A serde error in target-file words.
#[derive(Debug, PartialEq)]
struct Explained {
    /// The dotted key it is about; `None` for the whole file.
    key: Option<String>,
    problem: String,
    fix: String,
}

/// Turns a serde error message at `path` (`.` for the top level) into target-file words.
fn explain(path: &str, message: &str) -> Explained {
    let parent = (path != ".").then(|| path.to_owned());
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let expected = rest.split_once(", expected ").map_or("", |(_, e)| e);
        let allowed = expected
            .trim_start_matches("one of ")
            .replace(" or ", ", ")
            .replace('`', "");
        return Explained {
            key: parent,
            problem: "unknown key".to_owned(),
            fix: format!("use one of: {allowed}"),
        };
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.trim_end_matches('`');
        return Explained {
            key: Some(parent.map_or(name.to_owned(), |p| format!("{p}.{name}"))),
            problem: MISSING.to_owned(),
            fix: "add it".to_owned(),
        };
    }
    let problem = ["invalid type: ", "invalid value: "]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix)?.rsplit_once(", expected "))
        .map_or_else(
            || message.to_owned(),
            |(found, expected)| {
                let found = found.replace(" as i128", "");
                format!("expected {}, found {found}", plain_type(expected))
            },
        );
    Explained {
        key: parent,
        problem,
        fix: "fix the value".to_owned(),
    }
}

/// A plain-words name for serde's expected types.
fn plain_type(expected: &str) -> &str {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a non-negative integer",
        other => other,
    }
}

/// `line L, column C` (1-based, columns in characters) of a byte offset in `text`.
fn position(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    let offset = span.map_or(0, |s| s.start).min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    format!("line {line}, column {column}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_in_characters() {
        let text = "a = 1\nbé = x\n";
        assert_eq!(position(text, Some(0..1)), "line 1, column 1");
        assert_eq!(position(text, Some(12..13)), "line 2, column 6");
        assert_eq!(position(text, None), "line 1, column 1");
        assert_eq!(position(text, Some(999..999)), "line 3, column 1");
    }

    #[test]
    fn explains_serde_messages() {
        assert_eq!(
            explain(
                "http.timeout",
                "unknown field `timeout`, expected one of `timeout_ms`, `concurrency`"
            ),
            Explained {
                key: Some("http.timeout".into()),
                problem: "unknown key".into(),
                fix: "use one of: timeout_ms, concurrency".into()
            }
        );
        assert_eq!(
            explain("x.y", "unknown field `y`, expected `a` or `b`").fix,
            "use one of: a, b"
        );
        assert_eq!(
            explain(".", "missing field `profile`"),
            Explained {
                key: Some("profile".into()),
                problem: MISSING.into(),
                fix: "add it".into()
            }
        );
        assert_eq!(
            explain("auth", "missing field `x`").key.as_deref(),
            Some("auth.x")
        );
        assert_eq!(
            explain(
                "http.timeout_ms",
                "invalid type: string \"3\", expected u64"
            )
            .problem,
            "expected a non-negative integer, found string \"3\""
        );
        let other = explain(".", "something else");
        assert_eq!(
            (other.key, other.problem.as_str()),
            (None, "something else")
        );
    }
}
