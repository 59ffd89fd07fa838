//! Reading one PEM block (RFC 7468): its label and its DER bytes.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The label (`PRIVATE KEY`, `RSA PRIVATE KEY`, ...) and DER bytes of the first PEM block
/// of `text`; explanatory text around it is ignored.
pub(super) fn decode(text: &str) -> Result<(String, Vec<u8>), String> {
    let not_pem = || "it is not a PEM file (no -----BEGIN ...----- line)".to_owned();
    let start = text.find("-----BEGIN ").ok_or_else(not_pem)?;
    let rest = &text[start + "-----BEGIN ".len()..];
    let (label, rest) = rest.split_once("-----").ok_or_else(not_pem)?;
    let end_line = format!("-----END {label}-----");
    let body = rest
        .split_once(&end_line)
        .map(|(body, _)| body)
        .ok_or_else(|| format!("its PEM block has no {end_line} line"))?;
    if body.contains(':') {
        return Err(
            "it is an encrypted PEM key; decrypt it first, e.g. `openssl pkcs8 -topk8 -nocrypt`"
                .to_owned(),
        );
    }
    let compact: String = body.split_whitespace().collect();
    let der = STANDARD
        .decode(compact)
        .map_err(|_| "its PEM block is not valid base64".to_owned())?;
    Ok((label.to_owned(), der))
}

/// A PEM block with `label` around `der`, in 64-character lines.
pub(super) fn encode(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_errors() {
        let text = format!("comment\n{}trailer", encode("PRIVATE KEY", b"\x01\x02\x03"));
        assert_eq!(decode(&text), Ok(("PRIVATE KEY".to_owned(), vec![1, 2, 3])));
        assert!(decode("hello").unwrap_err().contains("not a PEM file"));
        assert!(
            decode("-----BEGIN X-----\nAAAA\n")
                .unwrap_err()
                .contains("no -----END X----- line")
        );
        assert!(
            decode("-----BEGIN X-----\n!!\n-----END X-----")
                .unwrap_err()
                .contains("not valid base64")
        );
        let encrypted = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END RSA PRIVATE KEY-----";
        assert!(decode(encrypted).unwrap_err().contains("encrypted"));
    }
}
