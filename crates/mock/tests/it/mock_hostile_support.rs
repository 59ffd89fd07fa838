//! Raw HTTP/1 over TCP for the hostile-client tests: bytes written as given, answers
//! read as they come, and what the mock's answers must always look like.

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The longest any test waits for the mock to answer or to close: generous, only
/// reached when something is wrong.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// One HTTP answer as received.
#[derive(Debug, Clone)]
pub struct RawAnswer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawAnswer {
    /// A header's value (first of that name, case ignored).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, if it is.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// What a connection gave before the mock closed it.
#[derive(Debug)]
pub struct Closed {
    /// Every byte received (until an orderly close or a reset).
    pub bytes: Vec<u8>,
}

impl Closed {
    /// The answers received, in order.
    pub fn answers(&self) -> Vec<RawAnswer> {
        parse_answers(&self.bytes).unwrap_or_else(|e| panic!("{e}: {:?}", self.printable()))
    }

    /// The bytes received, readable.
    pub fn printable(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// A TCP connection to the mock.
pub async fn connect(addr: SocketAddr) -> TcpStream {
    TcpStream::connect(addr)
        .await
        .expect("a TCP connection to the mock")
}

/// Writes `request`, closes the writing side, and reads until the mock closes.
pub async fn exchange(addr: SocketAddr, request: &[u8]) -> Closed {
    let mut stream = connect(addr).await;
    // The mock may close before reading everything (a parse error): not a failure.
    let _ = stream.write_all(request).await;
    let _ = stream.shutdown().await;
    read_until_closed(&mut stream).await
}

/// Reads until the mock closes the connection; panics past [`PATIENCE`].
pub async fn read_until_closed(stream: &mut (impl AsyncRead + Unpin)) -> Closed {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        let read = tokio::time::timeout(PATIENCE, stream.read(&mut buffer))
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "the mock neither answered nor closed within {PATIENCE:?}; received {:?}",
                    String::from_utf8_lossy(&bytes)
                )
            });
        match read {
            Ok(0) | Err(_) => return Closed { bytes },
            Ok(n) => bytes.extend_from_slice(&buffer[..n]),
        }
    }
}

/// Splits received bytes into answers (each with a `content-length`).
pub fn parse_answers(mut bytes: &[u8]) -> Result<Vec<RawAnswer>, String> {
    let mut answers = Vec::new();
    while !bytes.is_empty() {
        let mut fields = [httparse::EMPTY_HEADER; 64];
        let mut response = httparse::Response::new(&mut fields);
        let head = match response.parse(bytes) {
            Ok(httparse::Status::Complete(head)) => head,
            Ok(httparse::Status::Partial) => return Err("a truncated answer head".into()),
            Err(e) => return Err(format!("an unparsable answer head ({e})")),
        };
        let headers: Vec<(String, String)> = response
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_ascii_lowercase(),
                    String::from_utf8_lossy(h.value).into_owned(),
                )
            })
            .collect();
        let length: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .ok_or("an answer without content-length")?;
        let end = head + length;
        if bytes.len() < end {
            return Err("a truncated answer body".into());
        }
        answers.push(RawAnswer {
            status: response.code.ok_or("no status")?,
            headers,
            body: bytes[head..end].to_vec(),
        });
        bytes = &bytes[end..];
    }
    Ok(answers)
}

/// Writes `head`, then `filler` one byte every 100 ms until the mock closes the
/// connection; returns what the mock sent.
pub async fn trickle(addr: SocketAddr, head: Vec<u8>, filler: u8) -> Closed {
    let (mut reader, mut writer) = connect(addr).await.into_split();
    let writing = tokio::spawn(async move {
        if writer.write_all(&head).await.is_err() {
            return;
        }
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if writer.write_all(&[filler]).await.is_err() {
                return;
            }
        }
    });
    let closed = read_until_closed(&mut reader).await;
    writing.abort();
    closed
}

/// A complete request: `method path`, `headers` as given, then `body` with its length.
pub fn request(method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut bytes = format!("{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\n").into_bytes();
    for (name, value) in headers {
        bytes.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    bytes.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
    bytes.extend_from_slice(body);
    bytes
}

/// A mock started with chosen limits, a plain HTTP client and an API token.
pub struct Target {
    pub server: reachability_mock::MockServer,
    pub http: reqwest::Client,
    pub token: String,
}

pub use reachability_test_support::lab;

impl Target {
    /// A mock of `profile` with `limits`, and a token fetched with [`Target::http`].
    pub async fn start(
        profile: reachability_mock::Profile,
        limits: reachability_mock::MockLimits,
    ) -> Target {
        let mut target = Target::bare(profile, limits).await;
        let answer = target
            .http
            .post(target.url("/oauth/token"))
            .header("authorization", target.basic())
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .expect("a token answer");
        let body: Value = answer.json().await.expect("a JSON token answer");
        target.token = body["access_token"]
            .as_str()
            .expect("an access token")
            .to_owned();
        target
    }

    /// A mock of `profile` with `limits`, no connection opened to it and no token.
    pub async fn bare(
        profile: reachability_mock::Profile,
        limits: reachability_mock::MockLimits,
    ) -> Target {
        use reachability_mock::{MockOptions, MockServer};
        let _ = rustls::crypto::ring::default_provider().install_default();
        let options = MockOptions {
            profile,
            ..MockOptions::default()
        };
        let server = MockServer::start_with_limits(options, limits)
            .await
            .expect("the mock starts");
        let http = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("an HTTP client");
        Target {
            server,
            http,
            token: String::new(),
        }
    }

    /// `Authorization` value authenticating the mock's main client.
    pub fn basic(&self) -> String {
        self.server.clients()[0]
            .basic_authorization()
            .expect("the first mock client is secret-based")
    }

    /// A raw client-credentials token request, closing its connection.
    pub fn raw_token_request(&self) -> Vec<u8> {
        self.raw_token(&[("connection", "close")])
    }

    /// A raw client-credentials token request, keeping its connection open.
    pub fn raw_token_request_kept_alive(&self) -> Vec<u8> {
        self.raw_token(&[])
    }

    fn raw_token(&self, extra: &[(&str, &str)]) -> Vec<u8> {
        let basic = self.basic();
        let mut headers = vec![
            ("authorization", basic.as_str()),
            ("content-type", "application/x-www-form-urlencoded"),
        ];
        headers.extend_from_slice(extra);
        request(
            "POST",
            "/oauth/token",
            &headers,
            b"grant_type=client_credentials",
        )
    }

    /// The mock's address.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// The API operation's path.
    pub fn api_path(&self) -> &'static str {
        self.server.profile().operation_path()
    }

    /// Absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.api_root())
    }

    /// A well-formed API request for the DATA device, with `correlator`.
    pub fn good_request(
        &self,
        http: &reqwest::Client,
        correlator: &str,
    ) -> reqwest::RequestBuilder {
        http.post(self.url(self.api_path()))
            .bearer_auth(&self.token)
            .header("content-type", "application/json")
            .header("x-correlator", correlator)
            .body(format!(
                r#"{{"device": {{"phoneNumber": "{}"}}}}"#,
                lab::data()
            ))
    }

    /// Sends a well-formed request with `http` and says what is wrong with the answer,
    /// if anything.
    pub async fn check_good(&self, http: &reqwest::Client, correlator: &str) -> Result<(), String> {
        let answer = self
            .good_request(http, correlator)
            .send()
            .await
            .map_err(|e| format!("no answer: {e}"))?;
        let status = answer.status().as_u16();
        let echoed = answer
            .headers()
            .get("x-correlator")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body: Value = answer.json().await.unwrap_or_default();
        let reachable = body["reachable"] == true || body["reachabilityStatus"] == "CONNECTED_DATA";
        if status == 200 && echoed.as_deref() == Some(correlator) && reachable {
            Ok(())
        } else {
            Err(format!("{status} {echoed:?} {body}"))
        }
    }
}

/// What is wrong with `answer` as a JSON refusal with `status`, `application/json`, and
/// either the CAMARA error body with `code` or (authorisation server) the OAuth error
/// body with error `code`; `None` when nothing is.
pub fn refusal_problem(answer: &RawAnswer, status: u16, code: &str) -> Option<String> {
    let text = String::from_utf8_lossy(&answer.body);
    if answer.status != status {
        return Some(format!("{} instead of {status}: {text}", answer.status));
    }
    let content_type = answer.header("content-type");
    if let Some(problem) = json_answer_problem(answer.status, content_type, &answer.body) {
        return Some(problem);
    }
    let body = answer.json().unwrap_or_default();
    let found = body.get("error").unwrap_or(&body["code"]);
    (found != code).then(|| format!("{found} instead of {code}: {text}"))
}

/// Asserts a JSON refusal (see [`refusal_problem`]).
pub fn assert_refusal(answer: &RawAnswer, status: u16, code: &str) {
    if let Some(problem) = refusal_problem(answer, status, code) {
        panic!("{problem}");
    }
}

/// What every answer of the mock must be, whatever the request: JSON with exactly
/// `application/json`, an object, and for an error either the CAMARA body (`status`
/// matching, `code`, non-empty `message`) or the OAuth body (`error`,
/// `error_description`). Says what is wrong, if anything.
pub fn json_answer_problem(status: u16, content_type: Option<&str>, body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    if content_type != Some("application/json") {
        return Some(format!(
            "{status} with content-type {content_type:?}: {text}"
        ));
    }
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
        return Some(format!("{status} without a JSON object body: {text}"));
    };
    if status < 400 {
        return None;
    }
    let camara = fields.get("status") == Some(&Value::from(status))
        && fields.get("code").is_some_and(Value::is_string)
        && fields
            .get("message")
            .and_then(Value::as_str)
            .is_some_and(|m| !m.is_empty());
    let oauth = fields.get("error").is_some_and(Value::is_string)
        && fields
            .get("error_description")
            .is_some_and(Value::is_string);
    (!camara && !oauth).then(|| format!("{status} with an unexpected error body: {text}"))
}

/// The status of the last answer to a raw byte stream (0 for none), or what is wrong
/// with what the mock sent back: every answer JSON by [`json_answer_problem`] and no
/// 5xx but Orange's documented 500, except a last bodiless 400/414/431, the HTTP
/// parser's refusal of a stream it cannot read.
pub fn check_raw_answers(closed: &Closed) -> Result<u16, String> {
    let answers =
        parse_answers(&closed.bytes).map_err(|e| format!("{e}: {:?}", closed.printable()))?;
    for (i, answer) in answers.iter().enumerate() {
        if answer.body.is_empty() {
            // The HTTP parser's own refusal of a stream it cannot read: bodiless, last.
            let parser_refusal = [400, 414, 431].contains(&answer.status);
            if !parser_refusal || i + 1 != answers.len() {
                return Err(format!("a bodiless {} answer: {answers:?}", answer.status));
            }
            continue;
        }
        if let Some(problem) =
            json_answer_problem(answer.status, answer.header("content-type"), &answer.body)
        {
            return Err(problem);
        }
        let orange_500 = answer.status == 500
            && answer
                .json()
                .is_some_and(|b| b["code"] == "INTERNAL_SERVER_ERROR");
        if answer.status >= 500 && !orange_500 {
            return Err(format!("an undocumented {}: {answers:?}", answer.status));
        }
    }
    Ok(answers.last().map_or(0, |a| a.status))
}
