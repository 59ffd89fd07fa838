//! The one HTTP client every request of a run goes through: timeouts, a body cap, no
//! redirects, rate and concurrency limits, and a record of each exchange.

use std::time::Duration;

use crate::redact::Redactor;

/// HTTP behaviour of a run, from the target file's `[http]` table.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpSettings {
    /// Time allowed for one request, connect to last body byte.
    pub timeout_ms: u64,
    /// Scenarios (and so requests) in flight at once.
    pub concurrency: usize,
    /// Requests started per second at most; 0 means unlimited.
    pub requests_per_second: u32,
    /// Accept any TLS certificate (self-signed test servers). Off by default.
    pub insecure_tls: bool,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            timeout_ms: 10_000,
            concurrency: 8,
            requests_per_second: 0,
            insecure_tls: false,
        }
    }
}

/// A request to send.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Request {
    /// HTTP method, e.g. `POST`.
    pub method: String,
    /// Absolute URL.
    pub url: String,
    /// Headers in the order they are sent.
    pub headers: Vec<(String, String)>,
    /// Raw body, if any.
    pub body: Option<Vec<u8>>,
}

/// A request and the response it got.
#[derive(Clone, Debug)]
pub struct Exchange {
    /// What was sent.
    pub request: Request,
    /// Response status code.
    pub status: u16,
    /// Response headers (names lower-case).
    pub headers: Vec<(String, String)>,
    /// Response body, at most the body cap.
    pub body: Vec<u8>,
    /// Time from sending to the last body byte.
    pub elapsed: Duration,
}

/// Why a request got no usable response.
#[derive(Debug)]
pub enum HttpError {}

/// The shared client of a run (cheap to clone).
#[derive(Clone, Debug)]
pub struct HttpClient {}

impl HttpClient {
    /// Builds the client for `settings`; secrets seen in exchanges are masked by `redactor`.
    pub fn new(_settings: &HttpSettings, _redactor: Redactor) -> Result<Self, HttpError> {
        unimplemented!()
    }

    /// Sends `request` and records the exchange.
    pub async fn send(&self, _request: Request) -> Result<Exchange, HttpError> {
        unimplemented!()
    }

    /// The redactor that masks secrets in this client's exchanges.
    pub fn redactor(&self) -> &Redactor {
        unimplemented!()
    }
}
