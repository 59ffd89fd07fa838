//! `application/x-www-form-urlencoded` encoding, as the harness sends forms.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Bytes a form name or value keeps as they are: letters, digits and `-._*`.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'*');

/// Form-encodes one name or value: a space becomes `+`, other bytes outside [`FORM`]
/// become `%XX` (upper-case hex).
pub fn encode(text: &str) -> String {
    text.split(' ')
        .map(|part| utf8_percent_encode(part, FORM).to_string())
        .collect::<Vec<_>>()
        .join("+")
}

/// `params` serialized as a form body.
pub fn serialize(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding() {
        assert_eq!(
            serialize(&[
                ("scope".into(), "a:b c".into()),
                ("x".into(), "é&=+*-._~".into())
            ]),
            "scope=a%3Ab+c&x=%C3%A9%26%3D%2B*-._%7E"
        );
    }
}
