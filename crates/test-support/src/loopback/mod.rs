//! Misbehaving servers on 127.0.0.1 (ephemeral ports) and target files pointing at them.

pub mod tls;

use std::future::Future;

use crate::lab;
use axum::Router;
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};

/// Serves `app` on a loopback port; returns its base URL.
pub async fn serve(app: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

/// Hands every connection to `reply`; returns the base URL.
pub async fn serve_raw<F, Fut>(reply: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(reply(stream));
        }
    });
    format!("http://{addr}")
}

/// A loopback URL nothing listens at.
pub async fn closed_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    drop(listener);
    format!("http://{addr}")
}

/// Reads one HTTP/1.1 request (head, then a `content-length` body) and returns its head
/// (names lower-cased); `None` when the connection ends first.
pub async fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await.unwrap_or(0) != 1 {
            return None;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let length = header(&head, "content-length")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).await.ok()?;
    Some(head)
}

/// The value of header `name` in a request head.
pub fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Response header lines echoing the request's `x-correlator`, if it sent one.
pub fn correlator_echo(head: &str) -> String {
    header(head, "x-correlator")
        .map(|c| format!("x-correlator: {c}\r\n"))
        .unwrap_or_default()
}

/// A camara-v1 target file for the API at `api_root`, every testing device configured
/// (the mock's lab numbers), with the given `[http]` and `[auth]` table bodies.
pub fn target_toml(api_root: &str, http: &str, auth: &str) -> String {
    format!(
        r#"profile = "camara-v1"
api_root = "{api_root}"

[http]
{http}

[auth]
{auth}

[devices]
data = {{ phoneNumber = "{data}" }}
sms = {{ phoneNumber = "{sms}" }}
data_and_sms = {{ phoneNumber = "{data_and_sms}" }}
not_connected = {{ phoneNumber = "{not_connected}" }}
not_applicable = {{ phoneNumber = "{not_applicable}" }}
unknown = {{ phoneNumber = "{unknown}" }}
mismatch = {{ phoneNumber = "{data}", ipv6Address = "2001:db8:85a3:8d3:1319:8a2e:370:7344" }}
unsupported_identifiers = ["networkAccessIdentifier"]
"#,
        data = lab::data(),
        sms = lab::sms(),
        data_and_sms = lab::data_and_sms(),
        not_connected = lab::not_connected(),
        not_applicable = lab::not_applicable(),
        unknown = lab::unknown(),
    )
}
