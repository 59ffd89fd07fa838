//! TLS: a self-signed server is refused by default and accepted with `insecure_tls`.

use reachability_test_support::loopback::tls;

use reachability_harness::http::{HttpClient, HttpError, HttpSettings, Request};
use reachability_harness::redact::Redactor;
use tls::serve_self_signed;

fn get(url: &str) -> Request {
    Request {
        method: "GET".into(),
        url: url.into(),
        ..Request::default()
    }
}

#[tokio::test]
async fn self_signed_is_refused_by_default() {
    let url = serve_self_signed();
    let http = HttpClient::new(&HttpSettings::default(), Redactor::new()).unwrap();
    let err = http.send(get(&url)).await.unwrap_err();
    assert!(matches!(err, HttpError::Tls { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("set `insecure_tls = true` in the [http] table")
    );
}

#[tokio::test]
async fn self_signed_is_accepted_when_opted_in() {
    let url = serve_self_signed();
    let settings = HttpSettings {
        insecure_tls: true,
        ..HttpSettings::default()
    };
    let http = HttpClient::new(&settings, Redactor::new()).unwrap();
    let exchange = http.send(get(&url)).await.unwrap();
    assert_eq!(
        (exchange.status, exchange.body.as_slice()),
        (200, &b"ok"[..])
    );
}
