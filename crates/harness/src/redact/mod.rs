//! Keeps secrets out of everything the harness prints or writes.
//!
//! Every secret value the harness learns (client secrets, Basic headers, bearer tokens,
//! client assertions, CIBA request ids, and every token or cookie a response carries) is
//! registered here; every text leaving the process passes through [`Redactor::redact`].
//! A secret is masked in every spelling listed in [`variants`], and a secret cut short is
//! masked as far as it goes. Limits: `docs/security.md`.

mod learn;
mod matcher;
#[cfg(test)]
mod properties;
mod variants;

use std::sync::{Arc, RwLock};

use matcher::Matcher;

/// What a secret is replaced with.
pub const MASK: &str = "[REDACTED]";

/// A shared, growing set of secret values to mask in any output.
#[derive(Clone, Default)]
pub struct Redactor {
    secrets: Arc<RwLock<Matcher>>,
}

impl std::fmt::Debug for Redactor {
    // The secrets themselves must never be printed, not even in debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = self.secrets.read().map_or(0, |s| s.secret_count());
        write!(f, "Redactor {{ {count} secrets }}")
    }
}

impl Redactor {
    /// An empty redactor.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a secret value in all its spellings; from now on it is masked wherever
    /// it appears. The parts of a `Basic` header value are registered too.
    pub fn add(&self, secret: &str) {
        self.add_all([secret]);
    }

    /// Registers several secrets at once, as [`Redactor::add`] does each.
    pub fn add_all<S: AsRef<str>>(&self, secrets: impl IntoIterator<Item = S>) {
        let mut all = Vec::new();
        for secret in secrets {
            let secret = secret.as_ref().trim();
            if !secret.is_empty() {
                all.push(secret.to_owned());
                all.extend(variants::basic_parts(secret));
            }
        }
        if all.is_empty() {
            return;
        }
        let mut secrets = self.secrets.write().unwrap_or_else(|e| e.into_inner());
        secrets.add_all(all.iter().map(String::as_str));
    }

    /// Returns `text` with every registered secret replaced by [`MASK`].
    pub fn redact(&self, text: &str) -> String {
        self.matcher().redact(text)
    }

    /// Like [`Redactor::redact`], for a text the harness cut short: a secret's beginning
    /// at its very end is masked too.
    pub fn redact_cut(&self, text: &str) -> String {
        let matcher = self.matcher();
        matcher.mask_cut_end(matcher.redact(text))
    }

    /// Registers every token and cookie a response carries (see [`learn`]), before
    /// anything about the response is shown.
    pub fn learn_response(&self, headers: &[(String, String)], body: &[u8]) {
        self.add_all(learn::secrets(headers, body));
    }

    /// The value to show for an HTTP header: credentials-bearing headers are always
    /// masked after their scheme word, cookies whole, whatever their value.
    pub fn header_value(&self, name: &str, value: &str) -> String {
        if is_cookie_header(name) {
            return MASK.to_owned();
        }
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

    /// The matcher, its automaton rebuilt first if secrets were registered since.
    fn matcher(&self) -> std::sync::RwLockReadGuard<'_, Matcher> {
        loop {
            let matcher = self.secrets.read().unwrap_or_else(|e| e.into_inner());
            if !matcher.is_stale() {
                return matcher;
            }
            drop(matcher);
            self.secrets
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .refresh();
        }
    }
}

/// Whether a header carries credentials and must never be shown.
pub fn is_credential_header(name: &str) -> bool {
    is_cookie_header(name)
        || ["authorization", "proxy-authorization"]
            .iter()
            .any(|h| name.eq_ignore_ascii_case(h))
}

/// Whether a header carries cookies, shown masked whole.
fn is_cookie_header(name: &str) -> bool {
    ["cookie", "set-cookie"]
        .iter()
        .any(|h| name.eq_ignore_ascii_case(h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    #[test]
    fn masks_registered_secrets_longest_first() {
        let r = Redactor::new();
        r.add("abcdef");
        r.add("xxabcdefxx");
        assert_eq!(
            r.redact("a xxabcdefxx b abcdef c abcde"),
            "a [REDACTED] b [REDACTED] c abcde"
        );
    }

    #[test]
    fn a_secret_learned_after_a_search_is_masked_by_the_next() {
        let r = Redactor::new();
        r.add("first-secret");
        assert_eq!(
            r.redact("first-secret second-secret"),
            "[REDACTED] second-secret"
        );
        r.learn_response(&[], br#"{"access_token":"second-secret"}"#);
        assert_eq!(
            r.redact("first-secret second-secret"),
            "[REDACTED] [REDACTED]"
        );
        // A clone shares the secrets, and the automaton rebuilt for them.
        r.clone().add("third-secret");
        assert_eq!(r.redact_cut("third-secret thir"), "[REDACTED] [REDACTED]");
    }

    #[test]
    fn short_secrets_are_masked_as_whole_words() {
        let r = Redactor::new();
        r.add("k9");
        assert_eq!(
            r.redact(r#"{"access_token":"k9"} Bearer k9 k99 ak9"#),
            r#"{"access_token":"[REDACTED]"} Bearer [REDACTED] k99 ak9"#
        );
    }

    #[test]
    fn echoed_spellings_are_masked() {
        let r = Redactor::new();
        r.add("CANARY+SECRET/=&%");
        for echo in [
            "client_secret=CANARY%2BSECRET%2F%3D%26%25&x=1",
            "client_secret=canary%2bsecret%2f%3d%26%25&x=1",
            r#"{"echo":"CANARY+SECRET\/=&%"}"#,
        ] {
            let shown = r.redact(echo);
            assert!(!shown.contains("CANARY"), "{shown}");
            assert!(!shown.to_lowercase().contains("canary"), "{shown}");
        }
    }

    #[test]
    fn the_parts_of_a_basic_header_are_secrets() {
        let r = Redactor::new();
        r.add(&format!("Basic {}", STANDARD.encode("client:the-secret")));
        assert_eq!(
            r.redact("echo client:the-secret and the-secret"),
            "echo [REDACTED] and [REDACTED]"
        );
    }

    #[test]
    fn a_secret_cut_at_the_end_is_masked_as_far_as_it_goes() {
        let r = Redactor::new();
        r.add("0123456789abcdefghijklmnopqrstuvwxyz");
        assert_eq!(r.redact_cut("token 01234567"), "token [REDACTED]");
        assert_eq!(
            r.redact("token 0123456789abcdefghij, more"),
            "token [REDACTED], more"
        );
        // Two or three characters are not a secret's beginning yet.
        assert_eq!(r.redact_cut("token 012"), "token 012");
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let r = Redactor::new();
        r.add("supersecret-value");
        assert_eq!(format!("{r:?}"), "Redactor { 1 secrets }");
    }

    #[test]
    fn credential_headers_keep_only_the_scheme_and_cookies_nothing() {
        let r = Redactor::new();
        assert_eq!(
            r.header_value("Authorization", "Bearer tok123456"),
            "Bearer [REDACTED]"
        );
        assert_eq!(r.header_value("authorization", "garbage"), "[REDACTED]");
        assert_eq!(
            r.header_value("Set-Cookie", "SESSION=abc; Path=/"),
            "[REDACTED]"
        );
        assert_eq!(r.header_value("cookie", "a=b"), "[REDACTED]");
        assert_eq!(r.header_value("x-correlator", "abc"), "abc");
    }
}
