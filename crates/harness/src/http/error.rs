//! Why a request got no usable response, in words that say what to do.

use std::fmt;

use crate::redact::Redactor;

/// Why a request got no usable response. URLs and details are already redacted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpError {
    /// The client could not be built from the settings.
    Setup {
        /// What went wrong.
        detail: String,
    },
    /// The request itself is malformed (bad method, URL or header).
    InvalidRequest {
        /// The URL as given.
        url: String,
        /// What is malformed.
        detail: String,
    },
    /// Nothing listens at the address.
    Refused {
        /// The URL.
        url: String,
    },
    /// The host name could not be resolved.
    Dns {
        /// The URL.
        url: String,
        /// The resolver's message.
        detail: String,
    },
    /// The TLS handshake failed (untrusted certificate, not TLS, ...).
    Tls {
        /// The URL.
        url: String,
        /// The TLS library's message.
        detail: String,
        /// Whether certificates were already accepted unverified (`insecure_tls`).
        insecure_tls: bool,
    },
    /// An HTTPS request could not be sent: the system's root certificates, which verify
    /// the server, could not be loaded.
    NoRootCertificates {
        /// The URL.
        url: String,
        /// Why the roots could not be loaded.
        detail: String,
    },
    /// No complete response within the time allowed.
    Timeout {
        /// The URL.
        url: String,
        /// The time allowed, in milliseconds.
        after_ms: u64,
    },
    /// The connection closed before the whole response body arrived.
    BodyInterrupted {
        /// The URL.
        url: String,
        /// What the connection reported.
        detail: String,
    },
    /// The target answered with a redirect, which the harness never follows (it would
    /// carry credentials to wherever the redirect points).
    Redirected {
        /// The URL.
        url: String,
        /// The 3xx status.
        status: u16,
        /// Where the redirect points.
        location: String,
    },
    /// Not sent: an earlier request of the run to the same origin failed at the
    /// transport level (see [`HttpError::ends_origin`]).
    NotSent {
        /// The URL.
        url: String,
        /// The origin (scheme, host, port) that failed.
        origin: String,
        /// The first failure.
        first: Box<HttpError>,
    },
    /// Any other transport failure.
    Other {
        /// The URL.
        url: String,
        /// What was reported.
        detail: String,
    },
}

impl HttpError {
    /// Whether this failure means the origin cannot be reached in this run (refused,
    /// unresolvable, TLS failure, timeout): later requests to it are then not sent.
    pub fn ends_origin(&self) -> bool {
        matches!(
            self,
            HttpError::Refused { .. }
                | HttpError::Dns { .. }
                | HttpError::Tls { .. }
                | HttpError::NoRootCertificates { .. }
                | HttpError::Timeout { .. }
        )
    }

    /// Classifies a `reqwest` failure of a request to `url`.
    /// `insecure_tls` tells whether certificates were accepted unverified.
    pub(super) fn from_reqwest(
        url: &str,
        error: &reqwest::Error,
        redactor: &Redactor,
        insecure_tls: bool,
    ) -> Self {
        let url = redactor.redact(url);
        let detail = redactor.redact(&root_cause(error));
        if error.is_dns() {
            return HttpError::Dns { url, detail };
        }
        if has_source::<rustls::Error>(error) {
            return HttpError::Tls {
                url,
                detail,
                insecure_tls,
            };
        }
        if io_kind(error) == Some(std::io::ErrorKind::ConnectionRefused) {
            return HttpError::Refused { url };
        }
        if error.is_body() || error.is_decode() {
            return HttpError::BodyInterrupted { url, detail };
        }
        HttpError::Other { url, detail }
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::Setup { detail } => write!(
                f,
                "cannot set up the HTTP client: {detail}; check the [http] table of the target file"
            ),
            HttpError::InvalidRequest { url, detail } => write!(
                f,
                "{url}: cannot send the request: {detail}; check the URLs and values in the target file"
            ),
            HttpError::Refused { url } => write!(
                f,
                "{url}: connection refused; check that the target is running and that its URL in the target file is right"
            ),
            HttpError::Dns { url, detail } => write!(
                f,
                "{url}: DNS lookup failed ({detail}); check the host name in the target file and the network"
            ),
            HttpError::Tls {
                url,
                detail,
                insecure_tls: false,
            } => write!(
                f,
                "{url}: TLS handshake failed ({detail}); if the server uses a self-signed certificate, set `insecure_tls = true` in the [http] table of the target file"
            ),
            HttpError::Tls {
                url,
                detail,
                insecure_tls: true,
            } => write!(
                f,
                "{url}: TLS handshake failed ({detail}) although certificates are not verified (`insecure_tls = true`); check that the server speaks TLS on this port and offers a protocol version and cipher suite the harness supports (TLS 1.2 or 1.3)"
            ),
            HttpError::NoRootCertificates { url, detail } => write!(
                f,
                "{url}: the system's root certificates, which verify the server, could not be loaded ({detail}), so nothing was sent; install them (Debian: the ca-certificates package) or set SSL_CERT_FILE to a CA bundle"
            ),
            HttpError::Timeout { url, after_ms } => write!(
                f,
                "{url}: no complete response after {after_ms} ms; check that the target is responsive, or raise `timeout_ms` in the [http] table of the target file"
            ),
            HttpError::BodyInterrupted { url, detail } => write!(
                f,
                "{url}: connection closed before the whole response body arrived ({detail}); check the target's logs"
            ),
            HttpError::Redirected {
                url,
                status,
                location,
            } => write!(
                f,
                "{url}: answered HTTP {status}, a redirect to {location}, which the harness does not follow (it would carry the credentials there); put the final URL in the target file"
            ),
            HttpError::NotSent { origin, first, .. } => {
                write!(f, "not sent: {origin} already failed: {first}")
            }
            HttpError::Other { url, detail } => write!(
                f,
                "{url}: request failed ({detail}); check the target and the network"
            ),
        }
    }
}

impl std::error::Error for HttpError {}

/// The error and its causes, outermost first. Looks inside I/O errors too: their
/// `source()` skips the error they wrap (e.g. a `rustls::Error`).
fn causes(error: &reqwest::Error) -> Vec<&(dyn std::error::Error + 'static)> {
    let mut chain: Vec<&(dyn std::error::Error + 'static)> = Vec::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        chain.push(e);
        current = match e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(wrapped) => Some(wrapped),
            None => e.source(),
        };
    }
    chain
}

/// The innermost message of an error chain (reqwest's outer ones only repeat the URL).
fn root_cause(error: &reqwest::Error) -> String {
    causes(error)
        .last()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// Whether an error of type `E` is in the chain.
fn has_source<E: std::error::Error + 'static>(error: &reqwest::Error) -> bool {
    causes(error).iter().any(|e| e.is::<E>())
}

/// The kind of the first I/O error in the chain.
fn io_kind(error: &reqwest::Error) -> Option<std::io::ErrorKind> {
    causes(error)
        .iter()
        .find_map(|e| e.downcast_ref::<std::io::Error>())
        .map(std::io::Error::kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_names_the_url_and_what_to_do() {
        let url = "http://h/x".to_owned();
        let d = "why".to_owned();
        let cases = [
            HttpError::Dns {
                url: url.clone(),
                detail: d.clone(),
            },
            HttpError::Tls {
                url: url.clone(),
                detail: d.clone(),
                insecure_tls: false,
            },
            HttpError::Tls {
                url: url.clone(),
                detail: d.clone(),
                insecure_tls: true,
            },
            HttpError::Refused { url: url.clone() },
            HttpError::Timeout {
                url: url.clone(),
                after_ms: 5,
            },
            HttpError::BodyInterrupted {
                url: url.clone(),
                detail: d.clone(),
            },
            HttpError::Other {
                url: url.clone(),
                detail: d.clone(),
            },
            HttpError::InvalidRequest {
                url: url.clone(),
                detail: d.clone(),
            },
            HttpError::Redirected {
                url: url.clone(),
                status: 302,
                location: "http://elsewhere/".to_owned(),
            },
        ];
        for e in cases {
            let text = e.to_string();
            assert!(text.starts_with("http://h/x: "), "{text}");
            assert!(text.contains("; "), "{text}");
        }
        assert_eq!(
            HttpError::Dns { url, detail: d }.to_string(),
            "http://h/x: DNS lookup failed (why); check the host name in the target file and the network"
        );
    }

    #[test]
    fn not_sent_quotes_the_first_failure() {
        let first = HttpError::Refused {
            url: "http://h:1/a".to_owned(),
        };
        let not_sent = HttpError::NotSent {
            url: "http://h:1/b".to_owned(),
            origin: "http://h:1".to_owned(),
            first: Box::new(first.clone()),
        };
        assert_eq!(
            not_sent.to_string(),
            format!("not sent: http://h:1 already failed: {first}")
        );
        assert!(first.ends_origin());
        assert!(!not_sent.ends_origin());
    }
}
