//! Credentials in the proxy settings of the environment, so they can be masked.

use reqwest::Url;

/// The environment variables reqwest takes proxies from (curl's names).
const PROXY_VARIABLES: [&str; 6] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
];

/// The credentials (`user:password` and the password alone) in the proxy URLs that
/// `env` gives, as written in the URL.
pub(super) fn proxy_credentials(env: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    PROXY_VARIABLES
        .iter()
        .filter_map(|name| env(name))
        .filter_map(|value| {
            // A proxy given without a scheme is an HTTP proxy.
            Url::parse(&value)
                .ok()
                .filter(Url::has_host)
                .or_else(|| Url::parse(&format!("http://{value}")).ok())
        })
        .filter_map(|url| {
            let password = url.password().filter(|p| !p.is_empty())?;
            Some([
                format!("{}:{password}", url.username()),
                password.to_owned(),
            ])
        })
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_passwords_in_proxy_urls() {
        let env = |name: &str| match name {
            "HTTPS_PROXY" => Some("http://ci:s3cret-pw@proxy.example:3128".to_owned()),
            "http_proxy" => Some("bob:hunter22@proxy.example:8080".to_owned()),
            "ALL_PROXY" => Some("http://proxy.example:3128".to_owned()),
            _ => None,
        };
        assert_eq!(
            proxy_credentials(&env),
            ["ci:s3cret-pw", "s3cret-pw", "bob:hunter22", "hunter22"]
        );
    }
}
