//! Host name resolution: the system resolver, except for names that can never resolve.

use std::error::Error;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Resolves names with the system resolver (`getaddrinfo`, as reqwest does by default),
/// but fails names under `.invalid` at once: RFC 6761 reserves that domain never to
/// resolve, so no DNS query for it ever leaves the machine.
#[derive(Debug, Default)]
pub(super) struct Resolver;

impl Resolve for Resolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            if is_invalid_domain(&host) {
                let message = format!(
                    "{host} is under .invalid, which never resolves (RFC 6761); no DNS query was sent"
                );
                return Err(Box::<dyn Error + Send + Sync>::from(message));
            }
            let addrs: Vec<_> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// Whether `host` is `invalid` or a name under it (any case, trailing dot or not).
fn is_invalid_domain(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "invalid" || host.ends_with(".invalid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_invalid_domain_is_refused() {
        assert!(is_invalid_domain("sandbox.invalid"));
        assert!(is_invalid_domain("A.B.INVALID."));
        assert!(is_invalid_domain("invalid"));
        assert!(!is_invalid_domain("invalid.example.com"));
        assert!(!is_invalid_domain("notinvalid"));
    }
}
