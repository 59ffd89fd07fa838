//! A request and the response it got: helpers to read it, and redacted transcripts for
//! people (`render`) and for recording (`to_redacted_json`).

use std::fmt;
use std::fmt::Write as _;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::{MAX_BODY_BYTES, Request};
use crate::redact::Redactor;

/// Most body bytes shown by [`Exchange::render`].
pub const RENDER_BODY_BYTES: usize = 2048;

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
}

impl Exchange {
    /// The first response header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The response body as JSON, or `not JSON: <excerpt>` (redacted); a body cut at
    /// [`MAX_BODY_BYTES`] is never read as JSON, and the message says it was cut.
    pub fn json(&self) -> Result<Value, String> {
        let quoted = || {
            let text = self.redactor.redact(&String::from_utf8_lossy(&self.body));
            excerpt(&text, JSON_ERROR_EXCERPT)
        };
        if self.truncated {
            return Err(format!(
                "not JSON: the body is longer than {MAX_BODY_BYTES} bytes, the most the harness reads, and was cut there; it starts: {}",
                quoted()
            ));
        }
        serde_json::from_slice(&self.body).map_err(|_| {
            if self.body.is_empty() {
                "not JSON: empty body".to_owned()
            } else {
                format!("not JSON: {}", quoted())
            }
        })
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
        let _ = writeln!(
            out,
            "\n< HTTP {}{reason} ({} ms{attempts})",
            self.status,
            self.elapsed.as_millis()
        );
        for (name, value) in &self.headers {
            let _ = writeln!(out, "< {name}: {}", r.header_value(name, value));
        }
        out.push_str(&self.body_block('<', &self.body, self.truncated));
        out
    }

    /// The exchange as JSON for recording, with timings and attempts; headers and bodies redacted
    /// (a body that is JSON is kept as JSON).
    pub fn to_redacted_json(&self, redactor: &Redactor) -> Value {
        let headers = |headers: &[(String, String)]| -> Vec<[String; 2]> {
            headers
                .iter()
                .map(|(n, v)| [n.clone(), redactor.header_value(n, v)])
                .collect()
        };
        let body = |bytes: &[u8]| -> Value {
            let text = redactor.redact(&String::from_utf8_lossy(bytes));
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        json!({
            "started_at": self.started_at.to_rfc3339_opts(SecondsFormat::Millis, true),
            "elapsed_ms": u64::try_from(self.elapsed.as_millis()).unwrap_or(u64::MAX),
            "attempts": self.attempts,
            "request": {
                "method": self.request.method,
                "url": redactor.redact(&self.request.url),
                "headers": headers(&self.request.headers),
                "body": self.request.body.as_deref().map(body),
            },
            "response": {
                "status": self.status,
                "headers": headers(&self.headers),
                "body": body(&self.body),
                "truncated": self.truncated,
            },
        })
    }

    /// A `marker` line then the body excerpt, or nothing for an empty body.
    fn body_block(&self, marker: char, body: &[u8], truncated: bool) -> String {
        if body.is_empty() {
            return String::new();
        }
        let text = self.redactor.redact(&String::from_utf8_lossy(body));
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

/// The first header called `name` (any case) in `headers`.
pub(super) fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// At most `max` bytes of `text` (cut at a character boundary), saying how much is left out.
fn excerpt(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let cut = (0..=max)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    format!("{}… ({} more bytes)", &text[..cut], text.len() - cut)
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
