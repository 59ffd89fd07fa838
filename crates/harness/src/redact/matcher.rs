//! Finds the registered secrets in a text, in one pass, and masks them.
//!
//! Each spelling of a secret is searched by its first [`PATTERN_BYTES`] bytes (ASCII case
//! ignored, so `%2b` is `%2B`); a match is masked as far as the text goes on agreeing with
//! the spelling, so a secret cut short anywhere is masked up to the cut. Spellings
//! shorter than [`SHORT_BYTES`] are masked only as whole words, so a two-letter token
//! does not eat every word containing those letters.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};

use super::{MASK, variants};
use crate::text::floor_boundary;

/// Bytes of a spelling the automaton searches for; the rest is compared on a match.
const PATTERN_BYTES: usize = 16;
/// Spellings shorter than this are masked only where no letter or digit touches them.
const SHORT_BYTES: usize = 6;
/// Fewest bytes of a secret's beginning masked at the end of a text cut short.
const MIN_CUT_BYTES: usize = 4;
/// Most bytes of a secret (and of each spelling) kept: beyond, a matched spelling is
/// masked on to the end of the token it starts (see [`is_token_end`]).
const MAX_SECRET_BYTES: usize = 8 * 1024;

/// One spelling of a secret.
struct Variant {
    text: String,
    /// Whether the secret went on beyond `text` (it was longer than [`MAX_SECRET_BYTES`]).
    open_ended: bool,
}

/// The registered secrets and the automaton that finds them.
#[derive(Default)]
pub(super) struct Matcher {
    /// The secrets registered (at most [`MAX_SECRET_BYTES`] of each).
    secrets: HashSet<String>,
    variants: Vec<Variant>,
    /// Distinct search patterns, and the spellings each one starts.
    patterns: Vec<String>,
    groups: Vec<Vec<usize>>,
    automaton: Option<AhoCorasick>,
    /// Whether secrets were registered since the automaton was built: it is rebuilt before
    /// the next search (a run learns several tokens between two searches).
    stale: bool,
}

impl Matcher {
    /// How many secrets are registered.
    pub fn secret_count(&self) -> usize {
        self.secrets.len()
    }

    /// Registers each of `secrets` in all its spellings; the automaton is rebuilt once,
    /// before the next search (a build costs more than many searches).
    pub fn add_all<'a>(&mut self, secrets: impl IntoIterator<Item = &'a str>) {
        let added = secrets
            .into_iter()
            .fold(false, |added, secret| self.insert(secret) | added);
        self.stale |= added;
    }

    /// Whether the automaton misses secrets registered since it was built.
    pub fn is_stale(&self) -> bool {
        self.stale
    }

    /// Builds the automaton if secrets were registered since it was built.
    pub fn refresh(&mut self) {
        if self.stale {
            self.automaton = Self::automaton(&self.patterns);
            self.stale = false;
        }
    }

    /// Records the spellings of `secret`; false when it was registered already.
    fn insert(&mut self, secret: &str) -> bool {
        let kept = floor_boundary(secret, MAX_SECRET_BYTES);
        let open_ended = kept.len() < secret.len();
        if !self.secrets.insert(kept.to_owned()) {
            return false;
        }
        for spelling in variants::of(kept) {
            let text = floor_boundary(&spelling, MAX_SECRET_BYTES);
            let variant = Variant {
                text: text.to_owned(),
                open_ended: open_ended || text.len() < spelling.len(),
            };
            let pattern = floor_boundary(&variant.text, PATTERN_BYTES);
            let pattern = if pattern.is_empty() {
                &variant.text
            } else {
                pattern
            };
            let index = match self.patterns.iter().position(|p| p == pattern) {
                Some(index) => index,
                None => {
                    self.patterns.push(pattern.to_owned());
                    self.groups.push(Vec::new());
                    self.patterns.len() - 1
                }
            };
            self.groups[index].push(self.variants.len());
            self.variants.push(variant);
        }
        true
    }

    /// The automaton of every pattern: a contiguous NFA, which builds several times faster
    /// than a DFA and searches these few short patterns about as fast.
    fn automaton(patterns: &[String]) -> Option<AhoCorasick> {
        if patterns.is_empty() {
            return None;
        }
        // Patterns are plain strings of bounded size: building cannot fail.
        AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(patterns)
            .ok()
    }

    /// `text` with every registered secret replaced by [`MASK`]. A stale automaton (see
    /// [`Matcher::refresh`]) is not trusted: one of every secret is built for this search.
    pub fn redact(&self, text: &str) -> String {
        let fresh;
        let automaton = if self.stale {
            fresh = Self::automaton(&self.patterns);
            fresh.as_ref()
        } else {
            self.automaton.as_ref()
        };
        let Some(automaton) = automaton else {
            return text.to_owned();
        };
        let mut out = String::with_capacity(text.len());
        let (mut copied, mut from) = (0, 0);
        while from < text.len() {
            let Some(found) = automaton.find(Input::new(text).span(from..text.len())) else {
                break;
            };
            let start = found.start();
            match self.masked_end(text, start, found.pattern().as_usize()) {
                Some(end) => {
                    out.push_str(&text[copied..start]);
                    out.push_str(MASK);
                    (copied, from) = (end, end);
                }
                None => from = ceil_boundary(text, start + 1),
            }
        }
        out.push_str(&text[copied..]);
        out
    }

    /// `text` (already redacted) with a secret's beginning at its end masked too.
    pub fn mask_cut_end(&self, mut text: String) -> String {
        for variant in &self.variants {
            let longest = floor_boundary(&variant.text, PATTERN_BYTES)
                .len()
                .min(variant.text.len().saturating_sub(1));
            for cut in (MIN_CUT_BYTES..=longest).rev() {
                let Some(start) = text.len().checked_sub(cut) else {
                    continue;
                };
                if text.is_char_boundary(start)
                    && variant.text.is_char_boundary(cut)
                    && text[start..].eq_ignore_ascii_case(&variant.text[..cut])
                {
                    text.truncate(start);
                    text.push_str(MASK);
                    return text;
                }
            }
        }
        text
    }

    /// Where the mask of a match of pattern `pattern` at `start` ends, or `None` when no
    /// spelling it starts really is there.
    fn masked_end(&self, text: &str, start: usize, pattern: usize) -> Option<usize> {
        let rest = &text[start..];
        self.groups[pattern]
            .iter()
            .filter_map(|&v| {
                let variant = &self.variants[v];
                let agreed = floor_boundary(rest, common_prefix(rest, &variant.text)).len();
                let whole = agreed == variant.text.len();
                if variant.text.len() < SHORT_BYTES {
                    let touching = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                    let before = text[..start].chars().next_back();
                    let after = rest[agreed..].chars().next();
                    return (whole && !touching(before) && !touching(after))
                        .then_some(start + agreed);
                }
                if whole && variant.open_ended {
                    let more = rest[agreed..]
                        .find(is_token_end)
                        .unwrap_or(rest.len() - agreed);
                    return Some(start + agreed + more);
                }
                Some(start + agreed)
            })
            .max()
    }
}

/// Whether `c` ends a token that went on beyond what the harness kept of it.
fn is_token_end(c: char) -> bool {
    c.is_whitespace() || c.is_control() || "\"'&<>,;()[]{}".contains(c)
}

/// Bytes `a` and `b` agree on from their start, ASCII case ignored.
fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes()
        .zip(b.bytes())
        .take_while(|(x, y)| x.eq_ignore_ascii_case(y))
        .count()
}

/// The first character boundary of `text` at or after `at`.
fn ceil_boundary(text: &str, at: usize) -> usize {
    (at..text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_longer_than_kept_is_masked_to_the_end_of_its_token() {
        let mut m = Matcher::default();
        let token = "t".repeat(MAX_SECRET_BYTES * 2);
        m.add_all([token.as_str()]);
        assert_eq!(
            m.redact(&format!(r#"{{"access_token":"{token}","x":1}}"#)),
            r#"{"access_token":"[REDACTED]","x":1}"#
        );
    }

    #[test]
    fn a_stale_matcher_still_masks_every_secret() {
        let mut m = Matcher::default();
        m.add_all(["first-secret"]);
        m.refresh();
        m.add_all(["second-secret"]);
        assert!(m.is_stale());
        assert_eq!(
            m.redact("first-secret second-secret"),
            "[REDACTED] [REDACTED]"
        );
        m.refresh();
        assert!(!m.is_stale());
        assert_eq!(m.redact("second-secret"), "[REDACTED]");
    }

    #[test]
    fn a_secret_diverging_after_its_pattern_is_masked_where_it_agrees() {
        let mut m = Matcher::default();
        m.add_all(["0123456789abcdefghijklmnop"]);
        assert_eq!(m.redact("<0123456789abcdefghiXYZ"), "<[REDACTED]XYZ");
        // Fewer bytes than the pattern are not searched for (see `mask_cut_end`).
        assert_eq!(m.redact("<0123456789abcdeX"), "<0123456789abcdeX");
    }
}
