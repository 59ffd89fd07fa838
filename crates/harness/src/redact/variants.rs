//! Every spelling of a secret that may reach an output: as the harness sends it (raw,
//! form-encoded, in a Basic header) and as a server may echo it (percent-encoded,
//! JSON-escaped, HTML-escaped, inside base64 or base64url text).

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use crate::form;

/// Shortest run of base64 characters kept as a variant: shorter runs would mask
/// ordinary words.
const MIN_BASE64_RUN: usize = 8;

/// The spellings of `secret` (itself first, no duplicates).
pub(super) fn of(secret: &str) -> Vec<String> {
    let mut out = vec![secret.to_owned()];
    let mut push = |variant: String| {
        if !variant.is_empty() && !out.contains(&variant) {
            out.push(variant);
        }
    };
    push(form::encode(secret));
    push(utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string());
    let json = json_escaped(secret);
    push(json.replace('/', "\\/"));
    push(json);
    push(html_escaped(secret));
    for alignment in 0..3 {
        for run in base64_runs(secret.as_bytes(), alignment) {
            push(run);
        }
    }
    out
}

/// The parts of an `Authorization: Basic` value that are secrets on their own: the
/// decoded `id:secret` pair and the secret (form-decoded too, as RFC 6749 §2.3.1 encodes
/// it). Nothing for another scheme or undecodable credentials.
pub(super) fn basic_parts(value: &str) -> Vec<String> {
    let Some((scheme, credentials)) = value.trim().split_once(' ') else {
        return Vec::new();
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Vec::new();
    }
    let Some(pair) = STANDARD
        .decode(credentials.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
    else {
        return Vec::new();
    };
    let mut parts = vec![pair.clone()];
    if let Some((_, secret)) = pair.split_once(':') {
        parts.push(secret.to_owned());
        let decoded = form_decoded(secret);
        if decoded != secret {
            parts.push(decoded);
        }
    }
    parts
}

/// `text` form-decoded (`+` is a space); undecodable bytes kept as they are.
pub(super) fn form_decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// `text` as it appears inside a JSON string, without the quotes.
fn json_escaped(text: &str) -> String {
    let quoted = serde_json::Value::String(text.to_owned()).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

/// `text` as the HTML report and JUnit XML escape it.
fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The base64 and base64url characters that encode `bytes` whatever surrounds them, when
/// they start `alignment` bytes (0 to 2) into a 3-byte group of a longer encoded text.
fn base64_runs(bytes: &[u8], alignment: usize) -> Vec<String> {
    let mut padded = vec![0u8; alignment];
    padded.extend_from_slice(bytes);
    // Characters mixing bits of the unknown neighbours are left out at both ends.
    let first = (alignment * 8).div_ceil(6);
    let last = (padded.len() * 8) / 6;
    if last < first + MIN_BASE64_RUN {
        return Vec::new();
    }
    let mut runs = Vec::new();
    for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
        let encoded = engine.encode(&padded);
        runs.push(encoded[first..last].to_owned());
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_cover_what_the_harness_sends_and_servers_echo() {
        let variants = of("CANARY+SECRET/=&%\"<é");
        for expected in [
            "CANARY+SECRET/=&%\"<é",
            "CANARY%2BSECRET%2F%3D%26%25%22%3C%C3%A9",
            "CANARY+SECRET\\/=&%\\\"<é",
            "CANARY+SECRET/=&amp;%&quot;&lt;é",
        ] {
            assert!(variants.iter().any(|v| v == expected), "{expected}");
        }
    }

    #[test]
    fn base64_runs_are_found_inside_longer_encodings() {
        let secret = b"the-canary-secret";
        for prefix in ["", "x", "xy", "id:", "a longer prefix:"] {
            let mut whole = prefix.as_bytes().to_vec();
            whole.extend_from_slice(secret);
            whole.extend_from_slice(b"!tail");
            let standard = STANDARD.encode(&whole);
            let url = URL_SAFE_NO_PAD.encode(&whole);
            let runs = base64_runs(secret, prefix.len() % 3);
            assert!(
                runs.iter().any(|r| standard.contains(r.as_str())),
                "{prefix}"
            );
            assert!(runs.iter().any(|r| url.contains(r.as_str())), "{prefix}");
        }
        assert!(base64_runs(b"short", 0).is_empty());
    }

    #[test]
    fn a_basic_header_yields_its_pair_and_secret() {
        let header = format!("Basic {}", STANDARD.encode("client:s%2Bcret"));
        assert_eq!(
            basic_parts(&header),
            vec!["client:s%2Bcret", "s%2Bcret", "s+cret"]
        );
        assert!(basic_parts("Bearer abc").is_empty());
        assert!(basic_parts("Basic !!!").is_empty());
    }
}
