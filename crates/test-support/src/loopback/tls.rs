//! An HTTPS loopback server with a self-signed certificate.

use std::io::{BufRead, BufReader, Write};
use std::sync::Arc;

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

/// An HTTPS server with the self-signed certificate answering `200 ok` (text) to each
/// request, one per connection; returns its base URL (`https://127.0.0.1:PORT`).
pub fn serve_self_signed() -> String {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from_pem_slice(CERT.as_bytes()).expect("certificate")],
            PrivateKeyDer::from_pem_slice(KEY.as_bytes()).expect("key"),
        )
        .expect("TLS configuration");
    let config = Arc::new(config);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let Ok(connection) = ServerConnection::new(config.clone()) else {
                continue;
            };
            // A failed handshake ends the read; the client reports it.
            let mut tls = BufReader::new(StreamOwned::new(connection, tcp));
            if read_request(&mut tls).is_some() {
                let _ = tls.get_mut().write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
                );
                let _ = tls.get_mut().flush();
            }
        }
    });
    format!("https://{addr}")
}

/// Reads a request head and its `content-length` body; `None` if the connection fails.
fn read_request(stream: &mut impl BufRead) -> Option<()> {
    let mut length = 0;
    loop {
        let mut line = String::new();
        if stream.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    stream.read_exact(&mut vec![0; length]).ok()
}
