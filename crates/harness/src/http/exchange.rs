//! A request and the response it got: helpers to read it, and redacted transcripts for
//! people (`render`) and for recording (`to_redacted_json`).

use std::fmt;
use std::fmt::Write as _;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};

use super::record::{RECORD_BODY_BYTES, RECORD_RUN_BYTES, RecordBudget};
use super::{MAX_BODY_BYTES, Request};
use crate::redact::Redactor;

/// Most body bytes shown by [`Exchange::render`].
pub const RENDER_BODY_BYTES: usize = 2048;

/// Deepest nesting of JSON the harness reads (`serde_json`'s own limit): deeper bodies
/// are reported as such, and no parser recurses further.
pub const MAX_JSON_DEPTH: usize = 127;

/// Most body characters quoted in a [`Exchange::json`] error.
const JSON_ERROR_EXCERPT: usize = 200;

/// A request and the response it got.
#[derive(Clone)]
pub struct Exchange {
    /// What was sent.
    pub request: Request,
    /// Response status code.
    pub status: u16,
    /// Response headers (names lower-case), in the order received.
    pub headers: Vec<(String, String)>,
    /// Response body, at most [`MAX_BODY_BYTES`].
    pub body: Vec<u8>,
    /// Whether the body was cut at [`MAX_BODY_BYTES`] (the rest was not read).
    pub truncated: bool,
    /// Attempts made, from 1: more when 429 answers were retried (see
    /// [`super::MAX_ATTEMPTS`]); this exchange is the last attempt.
    pub attempts: u32,
    /// When the request was sent.
    pub started_at: DateTime<Utc>,
    /// Time from sending to the last body byte read.
    pub elapsed: Duration,
    /// Masks secrets whenever this exchange is shown.
    pub redactor: Redactor,
    /// Set when this scenario did not send the request itself but used the exchange of the
    /// scenario named here, which sent the same request (see `steps::shared`).
    pub shared_from: Option<String>,
}

impl Exchange {
    /// The first response header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The response body as JSON, or a message naming what it is instead (redacted):
    /// empty, cut at [`MAX_BODY_BYTES`], compressed, not UTF-8, nested deeper than
    /// [`MAX_JSON_DEPTH`], or `not JSON: <excerpt>`.
    pub fn json(&self) -> Result<Value, String> {
        if self.truncated {
            return Err(format!(
                "not JSON: the body is longer than {MAX_BODY_BYTES} bytes, the most the harness reads, and was cut there; it starts: {}",
                self.quoted()
            ));
        }
        if self.body.is_empty() {
            return Err("not JSON: empty body".to_owned());
        }
        if let Some(encoding) = self.compression() {
            return Err(format!(
                "not JSON: {encoding}-compressed, which the harness does not decompress (its \
                 requests accept no compression); send the JSON uncompressed"
            ));
        }
        if let Err(e) = std::str::from_utf8(&self.body) {
            return Err(format!(
                "not JSON: not UTF-8 text (invalid byte at offset {}); it starts: {}",
                e.valid_up_to(),
                self.quoted()
            ));
        }
        serde_json::from_slice(&self.body).map_err(|e| {
            if is_too_deep(&e) {
                format!(
                    "JSON nested deeper than {MAX_JSON_DEPTH} levels, the most the harness reads"
                )
            } else {
                format!("not JSON: {}", self.quoted())
            }
        })
    }

    /// The compression of the body, from `content-encoding` or the gzip magic bytes.
    fn compression(&self) -> Option<String> {
        match self.header("content-encoding").map(str::trim) {
            Some(encoding) if !encoding.eq_ignore_ascii_case("identity") => {
                Some(self.redactor.redact(encoding))
            }
            _ => self
                .body
                .starts_with(&[0x1f, 0x8b])
                .then(|| "gzip".to_owned()),
        }
    }

    /// An excerpt of the body for messages, redacted.
    fn quoted(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let text = if self.truncated {
            self.redactor.redact_cut(&text)
        } else {
            self.redactor.redact(&text)
        };
        excerpt(&text, JSON_ERROR_EXCERPT)
    }

    /// A human-readable transcript: request line, headers and body, then status,
    /// headers and body (each body at most [`RENDER_BODY_BYTES`]), secrets masked.
    pub fn render(&self) -> String {
        let r = &self.redactor;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "> {} {}",
            self.request.method,
            r.redact(&self.request.url)
        );
        for (name, value) in &self.request.headers {
            let _ = writeln!(out, "> {name}: {}", r.header_value(name, value));
        }
        let request_body = self.request.body.as_deref().unwrap_or_default();
        out.push_str(&self.body_block('>', request_body, false));
        let reason = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .map(|reason| format!(" {reason}"))
            .unwrap_or_default();
        let attempts = if self.attempts > 1 {
            format!(", attempt {} after 429 answers", self.attempts)
        } else {
            String::new()
        };
        let shared = self
            .shared_from
            .as_ref()
            .map(|from| format!(", the shared exchange of scenario {from}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "\n< HTTP {}{reason} ({} ms{attempts}{shared})",
            self.status,
            self.elapsed.as_millis()
        );
        for (name, value) in &self.headers {
            let _ = writeln!(out, "< {name}: {}", r.header_value(name, value));
        }
        out.push_str(&self.body_block('<', &self.body, self.truncated));
        out
    }

    /// The exchange as JSON for recording, with timings and attempts; headers and bodies
    /// redacted (a body that is JSON is kept as JSON). Bodies are kept within `budget`
    /// (see [`RecordBudget`]); a body cut short says so in `body_cut`.
    pub fn to_redacted_json(&self, redactor: &Redactor, budget: &RecordBudget) -> Value {
        // Built member by member: the run records every exchange, and `json!` would pass
        // each header through serde's value serializer.
        let headers = |headers: &[(String, String)]| -> Value {
            Value::Array(
                headers
                    .iter()
                    .map(|(n, v)| {
                        Value::Array(vec![
                            Value::String(n.clone()),
                            Value::String(redactor.header_value(n, v)),
                        ])
                    })
                    .collect(),
            )
        };
        let mut request = Map::new();
        request.insert("method".into(), Value::String(self.request.method.clone()));
        request.insert(
            "url".into(),
            Value::String(redactor.redact(&self.request.url)),
        );
        request.insert("headers".into(), headers(&self.request.headers));
        request.insert("body".into(), Value::Null);
        if let Some(body) = &self.request.body {
            recorded_body(&mut request, body, false, redactor, budget);
        }
        let mut response = Map::new();
        response.insert("status".into(), Value::from(self.status));
        response.insert("headers".into(), headers(&self.headers));
        response.insert("body".into(), Value::Null);
        response.insert("truncated".into(), Value::Bool(self.truncated));
        recorded_body(&mut response, &self.body, self.truncated, redactor, budget);
        let mut recorded = Map::new();
        recorded.insert(
            "started_at".into(),
            Value::String(self.started_at.to_rfc3339_opts(SecondsFormat::Millis, true)),
        );
        recorded.insert(
            "elapsed_ms".into(),
            Value::from(u64::try_from(self.elapsed.as_millis()).unwrap_or(u64::MAX)),
        );
        recorded.insert("attempts".into(), Value::from(self.attempts));
        recorded.insert("request".into(), Value::Object(request));
        recorded.insert("response".into(), Value::Object(response));
        if let Some(from) = &self.shared_from {
            recorded.insert(
                "shared_from".into(),
                Value::String(format!(
                    "the shared exchange of scenario {}",
                    redactor.redact(from)
                )),
            );
        }
        Value::Object(recorded)
    }

    /// A `marker` line then the body excerpt, or nothing for an empty body.
    fn body_block(&self, marker: char, body: &[u8], truncated: bool) -> String {
        if body.is_empty() {
            return String::new();
        }
        let text = String::from_utf8_lossy(body);
        let text = if truncated {
            self.redactor.redact_cut(&text)
        } else {
            self.redactor.redact(&text)
        };
        let mut block = format!("{marker}\n{}\n", excerpt(&text, RENDER_BODY_BYTES));
        if truncated {
            let _ = writeln!(block, "[body cut at {MAX_BODY_BYTES} bytes by the harness]");
        }
        block
    }
}

/// A summary without headers or bodies, secrets masked.
impl fmt::Debug for Exchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Exchange")
            .field("method", &self.request.method)
            .field("url", &self.redactor.redact(&self.request.url))
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .field("truncated", &self.truncated)
            .field("attempts", &self.attempts)
            .field("elapsed", &self.elapsed)
            .finish_non_exhaustive()
    }
}

/// Sets `body` (and `body_cut` when it was cut) of a recorded `message`: what `budget`
/// grants of `bytes`, redacted, as JSON when it is whole JSON, else as text.
fn recorded_body(
    message: &mut Map<String, Value>,
    bytes: &[u8],
    truncated: bool,
    redactor: &Redactor,
    budget: &RecordBudget,
) {
    let kept = budget.take(bytes.len());
    let cut = kept < bytes.len();
    let text = String::from_utf8_lossy(&bytes[..kept]);
    let body = if cut || truncated {
        Value::String(redactor.redact_cut(&text))
    } else {
        let text = redactor.redact(&text);
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    message.insert("body".into(), body);
    if cut {
        message.insert("body_cut".into(), Value::String(format!(
            "kept {kept} of {} bytes: --record keeps at most {RECORD_BODY_BYTES} bytes of a body and {RECORD_RUN_BYTES} of a run",
            bytes.len()
        )));
    }
}

/// Whether `error` is serde_json's refusal of nesting deeper than [`MAX_JSON_DEPTH`].
fn is_too_deep(error: &serde_json::Error) -> bool {
    error.to_string().starts_with("recursion limit exceeded")
}

/// The first header called `name` (any case) in `headers`.
pub(super) fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// At most `max` bytes of `text` (cut at a character boundary), saying how much is left out.
fn excerpt(text: &str, max: usize) -> String {
    let kept = crate::text::floor_boundary(text, max);
    if kept.len() == text.len() {
        return text.to_owned();
    }
    format!("{kept}… ({} more bytes)", text.len() - kept.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_cuts_at_a_char_boundary() {
        assert_eq!(excerpt("abc", 3), "abc");
        assert_eq!(excerpt("abcdef", 3), "abc… (3 more bytes)");
        assert_eq!(excerpt("ééé", 3), "é… (4 more bytes)");
    }
}
