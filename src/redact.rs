//! Keeps secrets out of everything the harness prints or writes.
//!
//! Every secret value the harness learns (client secrets, Basic headers, bearer tokens,
//! CIBA request ids) is registered here; every text leaving the process passes through
//! [`Redactor::redact`].

use std::sync::{Arc, RwLock};

/// What a secret is replaced with.
pub const MASK: &str = "[REDACTED]";

/// Shortest value worth registering: shorter ones would mask ordinary words.
const MIN_SECRET_LEN: usize = 6;

/// A shared, growing set of secret values to mask in any output.
#[derive(Clone, Default)]
pub struct Redactor {
    secrets: Arc<RwLock<Vec<String>>>,
}

impl std::fmt::Debug for Redactor {
    // The secrets themselves must never be printed, not even in debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = self.secrets.read().map_or(0, |s| s.len());
        write!(f, "Redactor {{ {count} secrets }}")
    }
}

impl Redactor {
    /// An empty redactor.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a secret value; from now on it is masked wherever it appears.
    pub fn add(&self, secret: &str) {
        let secret = secret.trim();
        if secret.len() < MIN_SECRET_LEN {
            return;
        }
        let mut secrets = self.secrets.write().unwrap_or_else(|e| e.into_inner());
        if !secrets.iter().any(|s| s == secret) {
            secrets.push(secret.to_owned());
            // Longest first, so a secret containing another is masked whole.
            secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    /// Returns `text` with every registered secret replaced by [`MASK`].
    pub fn redact(&self, text: &str) -> String {
        let secrets = self.secrets.read().unwrap_or_else(|e| e.into_inner());
        let mut out = text.to_owned();
        for secret in secrets.iter() {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), MASK);
            }
        }
        out
    }

    /// The value to show for an HTTP header: credentials-bearing headers are always
    /// masked after their scheme word, whatever their value.
    pub fn header_value(&self, name: &str, value: &str) -> String {
        if is_credential_header(name) {
            match value.split_once(' ') {
                Some((scheme, _)) => format!("{scheme} {MASK}"),
                None if value.is_empty() => String::new(),
                None => MASK.to_owned(),
            }
        } else {
            self.redact(value)
        }
    }
}

/// Whether a header carries credentials and must never be shown.
pub fn is_credential_header(name: &str) -> bool {
    [
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
    ]
    .iter()
    .any(|h| name.eq_ignore_ascii_case(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_registered_secrets_longest_first() {
        let r = Redactor::new();
        r.add("abcdef");
        r.add("xxabcdefxx");
        r.add("short");
        assert_eq!(
            r.redact("a xxabcdefxx b abcdef c short"),
            "a [REDACTED] b [REDACTED] c short"
        );
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let r = Redactor::new();
        r.add("supersecret-value");
        assert_eq!(format!("{r:?}"), "Redactor { 1 secrets }");
    }

    #[test]
    fn credential_headers_keep_only_the_scheme() {
        let r = Redactor::new();
        assert_eq!(
            r.header_value("Authorization", "Bearer tok123456"),
            "Bearer [REDACTED]"
        );
        assert_eq!(r.header_value("authorization", "garbage"), "[REDACTED]");
        assert_eq!(r.header_value("x-correlator", "abc"), "abc");
    }
}
