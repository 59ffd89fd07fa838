//! Property tests of the redaction layer: random secrets, sent through every spelling the
//! harness produces or a server may echo, then through every way text leaves the process
//! (as is, escaped for the console and Markdown, escaped for HTML), never survive; and
//! no input makes it panic.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use proptest::prelude::*;

use super::{MASK, Redactor};
use crate::form;
use crate::text::html;
use crate::text::printable;

/// Every spelling of `secret` in a text (before, the secret's spelling, after), and the
/// spelling that must not survive in it.
fn spellings(secret: &str) -> Vec<(String, String)> {
    let json = serde_json::Value::String(secret.to_owned()).to_string();
    let json = json[1..json.len() - 1].to_owned();
    vec![
        (secret.to_owned(), secret.to_owned()),
        (form::encode(secret), form::encode(secret)),
        (
            utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string(),
            utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string(),
        ),
        (json.clone(), json.clone()),
        (json.replace('/', "\\/"), json.replace('/', "\\/")),
    ]
}

/// The ways a text leaves the process, after redaction.
fn outputs(text: &str) -> Vec<String> {
    vec![text.to_owned(), printable(text), html(text)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn no_spelling_of_a_secret_survives_any_output(
        secret in "[!-~é€]{6,40}",
        before in "[a-z ]{0,12}",
        after in "[a-z ]{0,12}",
    ) {
        let redactor = Redactor::new();
        redactor.add(&secret);
        for (spelling, forbidden) in spellings(&secret) {
            let text = format!("{before} {spelling} {after}");
            let redacted = redactor.redact(&text);
            for (shown, forbidden) in outputs(&redacted).into_iter().zip(outputs(&forbidden)) {
                prop_assert!(!shown.contains(&forbidden), "{shown:?} holds {forbidden:?}");
            }
        }
    }

    #[test]
    fn a_secret_inside_base64_does_not_survive(
        secret in "[!-~]{12,40}",
        before in "[a-z:]{0,5}",
        after in "[a-z]{0,5}",
    ) {
        let redactor = Redactor::new();
        redactor.add(&secret);
        let whole = format!("{before}{secret}{after}");
        for encoded in [STANDARD.encode(&whole), URL_SAFE_NO_PAD.encode(&whole)] {
            let redacted = redactor.redact(&encoded);
            prop_assert!(redacted.contains(MASK), "{encoded} not masked");
            // What is left is the neighbours' encoding: two characters at most at each
            // end mix a secret's bits with theirs, and `=` pads.
            let left: usize = redacted.split(MASK).map(str::len).sum();
            let neighbours = (before.len() + after.len()).div_ceil(3) * 4;
            prop_assert!(left <= neighbours + 6, "{redacted}");
        }
    }

    #[test]
    fn the_parts_of_a_basic_header_do_not_survive(
        id in "[a-z]{1,10}",
        secret in "[!-~]{6,30}",
    ) {
        let redactor = Redactor::new();
        let pair = format!("{}:{}", form::encode(&id), form::encode(&secret));
        redactor.add(&format!("Basic {}", STANDARD.encode(&pair)));
        let echoed = redactor.redact(&format!("pair {pair} secret {secret} end"));
        prop_assert!(!echoed.contains(&pair) && !echoed.contains(&secret), "{echoed}");
    }

    #[test]
    fn a_secret_cut_at_the_end_does_not_survive(
        secret in "[!-~]{8,40}",
        cut in 4usize..40,
        before in "[a-z ]{0,12}",
    ) {
        let redactor = Redactor::new();
        redactor.add(&secret);
        let kept = &secret[..cut.min(secret.len() - 1)];
        let shown = redactor.redact_cut(&format!("{before}{kept}"));
        prop_assert!(!shown.ends_with(kept), "{shown:?}");
    }

    #[test]
    fn short_secrets_are_masked_as_words(secret in "[A-Za-z0-9]{1,5}") {
        let redactor = Redactor::new();
        redactor.add(&secret);
        let shown = redactor.redact(&format!("Bearer {secret}, \"{secret}\""));
        prop_assert_eq!(shown, "Bearer [REDACTED], \"[REDACTED]\"");
    }

    #[test]
    fn no_input_makes_redaction_panic(
        secrets in proptest::collection::vec(any::<String>(), 0..4),
        text in any::<String>(),
        body in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let redactor = Redactor::new();
        for secret in &secrets {
            redactor.add(secret);
        }
        redactor.learn_response(&[("set-cookie".to_owned(), text.clone())], &body);
        let _ = redactor.redact(&text);
        let _ = redactor.redact_cut(&text);
        let _ = redactor.header_value("set-cookie", &text);
    }
}
