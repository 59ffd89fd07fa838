//! The proxy settings of the environment: the credentials in them, so they can be
//! masked, and the loopback hosts that are reached without them.

use std::net::IpAddr;

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

/// Whether `url` names this machine (`localhost`, a `*.localhost` name, `127.0.0.0/8`
/// or `::1`): a proxy elsewhere cannot reach it.
pub(super) fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    // An IPv6 host comes in brackets.
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return ip.is_loopback();
    }
    let name = host.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_recognised() {
        for url in [
            "http://127.0.0.1:9091/x",
            "http://127.8.9.10/",
            "http://[::1]:8080/",
            "http://localhost:1/",
            "http://LOCALHOST./",
            "http://api.localhost/",
        ] {
            assert!(is_loopback(&Url::parse(url).unwrap()), "{url}");
        }
        for url in [
            "http://10.0.0.1/",
            "http://[2001:db8::1]/",
            "https://api.orange.com/",
            "http://localhost.example.com/",
            "http://notlocalhost/",
        ] {
            assert!(!is_loopback(&Url::parse(url).unwrap()), "{url}");
        }
    }

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
