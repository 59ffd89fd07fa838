//! TLS: a self-signed server is refused by default and accepted with `insecure_tls`.

use std::io::{BufRead, BufReader, Write};
use std::sync::Arc;

use reachability_conformance::http::{HttpClient, HttpError, HttpSettings, Request};
use reachability_conformance::redact::Redactor;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};

/// A throwaway self-signed certificate for 127.0.0.1 (test only).
const CERT: &str = "-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUR7JpDM/M28yJRf9JW2YLkfLdNacwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyNjE1NTAyMVoYDzIxMjYxMTAy
MTU1MDIxWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAR/r0pmSXxKyUlIrcoZfXFnVVNI5oXlG+j+7gNl9iU0IgNqEFdN1K7J
OqpGIzgOfb1JOcMWlmyhcsVUY8fqGdmBo28wbTAdBgNVHQ4EFgQUg+mJICJoUuIb
tiXHlXDgYqYmmFgwHwYDVR0jBBgwFoAUg+mJICJoUuIbtiXHlXDgYqYmmFgwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSAAwRQIhAJxdMNeAoWxhXR1YHcO//I31DNlW7QY9ACbj4uI/dumDAiA4
kSlkKX2ZU/JfMv2aiUGwGkiyCpXUwsnAa0sUwAmjtg==
-----END CERTIFICATE-----
";

/// The key of [`CERT`] (test only).
const KEY: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgtIk5c8+r6oPwWAxp
F+rL1j0WF/QW6ya6OeDrBItVhYuhRANCAAR/r0pmSXxKyUlIrcoZfXFnVVNI5oXl
G+j+7gNl9iU0IgNqEFdN1K7JOqpGIzgOfb1JOcMWlmyhcsVUY8fqGdmB
-----END PRIVATE KEY-----
";

/// An HTTPS server with the self-signed certificate answering `ok`; returns its URL.
fn serve_self_signed() -> String {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from_pem_slice(CERT.as_bytes()).unwrap()],
            PrivateKeyDer::from_pem_slice(KEY.as_bytes()).unwrap(),
        )
        .unwrap();
    let config = Arc::new(config);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let Ok(connection) = ServerConnection::new(config.clone()) else {
                continue;
            };
            let mut tls = BufReader::new(StreamOwned::new(connection, tcp));
            let mut line = String::new();
            // A failed handshake ends the read; the client reports it.
            while tls.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            let _ = tls
                .get_mut()
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
            let _ = tls.get_mut().flush();
        }
    });
    format!("https://{addr}/")
}

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
