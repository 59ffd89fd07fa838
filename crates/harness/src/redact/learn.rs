//! The secrets a response carries: every token-like field of its body (JSON, even when
//! it does not parse or is cut short, or a form) and every cookie it sets. They are
//! registered before anything about the response is shown, whatever asked for it.

use std::sync::LazyLock;

use regex::Regex;

use super::variants::form_decoded;

/// Fields whose value is a credential, in token, CIBA and device-flow answers.
const FIELDS: &str =
    "access_token|refresh_token|id_token|auth_req_id|device_code|client_secret|token";

/// A JSON member holding a credential: a string (to its closing quote, or to the end of a
/// body cut short) or a bare value such as a number.
static JSON_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#""(?:{FIELDS})"\s*:\s*(?:"((?:[^"\\]|\\.)*)"?|([^\s,}}\]"]+))"#
    ))
    .expect("the pattern is valid")
});

/// A form field holding a credential.
static FORM_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?:^|[&?])(?:{FIELDS})=([^&\s]+)")).expect("the pattern is valid")
});

/// The credentials in `body` and the cookie values of `headers`.
pub(super) fn secrets(headers: &[(String, String)], body: &[u8]) -> Vec<String> {
    let mut found: Vec<String> = headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, value)| cookie_value(value))
        .collect();
    let text = String::from_utf8_lossy(body);
    for captures in JSON_FIELD.captures_iter(&text) {
        if let Some(raw) = captures.get(1) {
            let raw = raw.as_str();
            found.push(raw.to_owned());
            // The value itself, once its JSON escapes are undone.
            if let Ok(value) = serde_json::from_str::<String>(&format!("\"{raw}\"")) {
                found.push(value);
            }
        }
        // A bare value (a number, say) is a credential too, unless it is a JSON literal.
        found.extend(
            captures
                .get(2)
                .map(|bare| bare.as_str())
                .filter(|bare| !["null", "true", "false"].contains(bare))
                .map(str::to_owned),
        );
    }
    for captures in FORM_FIELD.captures_iter(&text) {
        if let Some(raw) = captures.get(1) {
            found.push(raw.as_str().to_owned());
            found.push(form_decoded(raw.as_str()));
        }
    }
    found
}

/// The value of the cookie a `Set-Cookie` header sets.
fn cookie_value(header: &str) -> Option<String> {
    let pair = header.split(';').next()?;
    let (_, value) = pair.split_once('=')?;
    Some(value.trim().trim_matches('"').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(body: &str) -> Vec<String> {
        secrets(&[], body.as_bytes())
    }

    #[test]
    fn tokens_are_found_in_json_even_when_it_does_not_parse() {
        assert_eq!(
            found(r#"{"access_token": "a\/b", "expires_in": 3600, "refresh_token":"r1",}"#),
            vec!["a\\/b", "a/b", "r1", "r1"]
        );
        assert_eq!(found(r#"{"access_token":12345}"#), vec!["12345"]);
        assert!(found(r#"{"access_token":null,"token":true}"#).is_empty());
        assert_eq!(found(r#"{"auth_req_id":"cut-sh"#), vec!["cut-sh", "cut-sh"]);
    }

    #[test]
    fn tokens_are_found_in_forms_and_cookies() {
        assert_eq!(
            found("access_token=a%2Bb&token_type=Bearer"),
            vec!["a%2Bb", "a+b"]
        );
        let headers = [("set-cookie".to_owned(), "SESSION=xyz; Path=/".to_owned())];
        assert_eq!(secrets(&headers, b""), vec!["xyz"]);
    }
}
