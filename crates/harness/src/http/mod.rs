//! The one HTTP client every request of a run goes through: timeouts, a body cap, no
//! redirects, rate and concurrency limits, 429 retries, a fast stop for an origin that
//! cannot be reached, and a record of each exchange.

mod error;
mod exchange;
mod origins;
mod pacing;
mod proxy;
mod record;
mod resolve;
mod retry;

use std::fmt;
use std::sync::{Arc, Once, OnceLock};
use std::time::Duration;

use chrono::Utc;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::redact::{Redactor, is_credential_header};
use origins::Origins;
use pacing::Pacer;

pub use error::HttpError;
pub use exchange::{Exchange, MAX_JSON_DEPTH, RENDER_BODY_BYTES};
pub use record::{RECORD_BODY_BYTES, RECORD_RUN_BYTES, RecordBudget};
pub use retry::{MAX_ATTEMPTS, MAX_RETRY_WAIT, RETRY_BACKOFF};

/// Most response body bytes read (64 KiB). Reading stops there, the rest is never read
/// (the connection is dropped) and the exchange is marked `truncated`: no conformant
/// answer of this API comes near it (they are under 2 KiB), and a runaway target cannot
/// exhaust memory, even when a scenario keeps 50 exchanges.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Most response headers kept per exchange; later ones are dropped.
pub const MAX_HEADERS: usize = 64;

/// Most bytes of a response header value kept; a longer value is cut there.
pub const MAX_HEADER_BYTES: usize = 4 * 1024;

/// HTTP behaviour of a run, from the target file's `[http]` table.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpSettings {
    /// Time allowed for one attempt of a request, connect to last body byte.
    pub timeout_ms: u64,
    /// Requests in flight at once (a request keeps its slot through its 429 retries).
    pub concurrency: usize,
    /// Attempts started per second at most (retries count); 0 means unlimited.
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
#[derive(Clone, Default, PartialEq)]
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

impl Request {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        exchange::find_header(&self.headers, name)
    }
}

/// Shows credential headers masked and only the body's length.
impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let v = if is_credential_header(n) {
                    crate::redact::MASK
                } else {
                    v.as_str()
                };
                (n.as_str(), v)
            })
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .finish()
    }
}

/// The shared client of a run (cheap to clone): one connection pool, one rate limit,
/// one concurrency limit, and what the run learnt about each origin.
///
/// Behaviour of [`HttpClient::send`], for every request of a run (API and OAuth alike):
/// - each attempt ends at `timeout_ms`, connect to last body byte; bodies are read up
///   to [`MAX_BODY_BYTES`];
/// - redirects are never followed: a 3xx with a `Location` is [`HttpError::Redirected`];
/// - a 429 is retried, at most [`MAX_ATTEMPTS`] attempts in all, after its
///   `Retry-After` (up to [`MAX_RETRY_WAIT`]; a longer one is not retried) or else after
///   [`RETRY_BACKOFF`], doubling; once a 429 of an origin is reported without retry,
///   its later 429s are not retried either (its quota is spent);
/// - once a request to an origin is refused, cannot resolve, fails its TLS handshake or
///   times out, later requests of the run to that origin are not sent
///   ([`HttpError::NotSent`]): a dead target costs one timeout, not one per request;
/// - proxies come from `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`, and
///   credentials in them are masked; loopback hosts (`localhost`, `127.0.0.0/8`, `::1`)
///   are always reached directly, so a CI proxy cannot break the embedded mock.
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

struct Inner {
    /// Sends through the environment's proxies.
    client: reqwest::Client,
    /// Sends to loopback hosts, which no proxy can reach on this machine's behalf.
    loopback_client: reqwest::Client,
    /// Why the system's root certificates could not be loaded, if they could not.
    missing_roots: Option<String>,
    redactor: Redactor,
    settings: HttpSettings,
    slots: Semaphore,
    pacer: Pacer,
    origins: Origins,
    record_budget: RecordBudget,
}

impl HttpClient {
    /// Builds the client for `settings`; secrets seen in exchanges are masked by `redactor`.
    pub fn new(settings: &HttpSettings, redactor: Redactor) -> Result<Self, HttpError> {
        if settings.concurrency == 0 || settings.timeout_ms == 0 {
            return Err(HttpError::Setup {
                detail: "concurrency and timeout_ms must be at least 1".to_owned(),
            });
        }
        install_crypto_provider();
        for credentials in proxy::proxy_credentials(&|name| std::env::var(name).ok()) {
            redactor.add(&credentials);
        }
        // Without the system's roots only HTTPS requests fail (each saying why): a run
        // against a plain-HTTP target, such as the embedded mock, needs none.
        let (verified, missing_roots) = if settings.insecure_tls {
            (None, None)
        } else {
            match verified_tls() {
                Ok(config) => (Some(config), None),
                Err(reason) => (Some(rootless_tls()), Some(reason)),
            }
        };
        let build = |through_proxies: bool| -> Result<reqwest::Client, HttpError> {
            let builder = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .dns_resolver(resolve::Resolver)
                .user_agent(concat!(
                    "reachability-conformance/",
                    env!("CARGO_PKG_VERSION")
                ));
            let builder = if through_proxies {
                builder
            } else {
                builder.no_proxy()
            };
            let builder = match &verified {
                Some(config) => builder.tls_backend_preconfigured(config.clone()),
                None => builder.tls_danger_accept_invalid_certs(true),
            };
            builder.build().map_err(|e| HttpError::Setup {
                detail: e.to_string(),
            })
        };
        Ok(Self {
            inner: Arc::new(Inner {
                client: build(true)?,
                loopback_client: build(false)?,
                missing_roots,
                redactor,
                settings: settings.clone(),
                slots: Semaphore::new(settings.concurrency),
                pacer: Pacer::new(settings.requests_per_second),
                origins: Origins::default(),
                record_budget: RecordBudget::new(),
            }),
        })
    }

    /// Sends `request` and returns the exchange, as described on [`HttpClient`]: waits
    /// for a concurrency slot (held through retries) and a rate slot per attempt.
    pub async fn send(&self, request: Request) -> Result<Exchange, HttpError> {
        let inner = &self.inner;
        let first = self.prepare(&request)?;
        let origin = first.url().origin().ascii_serialization();
        let mut prepared = Some(first);
        // The semaphore is never closed; if it were, sending unthrottled is harmless.
        let _slot = inner.slots.acquire().await.ok();
        let mut attempt = 1;
        loop {
            // The first attempt sends the request prepared above; a retry prepares it anew.
            let this_attempt = match prepared.take() {
                Some(first) => first,
                None => self.prepare(&request)?,
            };
            let exchange = self
                .attempt(&request, this_attempt, &origin, attempt)
                .await?;
            if exchange.status != 429 {
                return self.unless_redirect(exchange);
            }
            let delay = if inner.origins.is_throttled(&origin) {
                None
            } else {
                retry::retry_delay(attempt, exchange.header("retry-after"), Utc::now())
            };
            let Some(delay) = delay else {
                inner.origins.throttle(&origin);
                return Ok(exchange);
            };
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One attempt at `request` (sent as `prepared`): unless its origin already failed,
    /// waits for a rate slot and sends it; a transport failure is recorded against the
    /// origin.
    async fn attempt(
        &self,
        request: &Request,
        prepared: reqwest::Request,
        origin: &str,
        attempt: u32,
    ) -> Result<Exchange, HttpError> {
        let inner = &self.inner;
        // Masked only for an error: a search per request otherwise.
        let shown_url = || inner.redactor.redact(&request.url);
        inner.origins.check(origin, shown_url)?;
        if let Some(detail) = &inner.missing_roots
            && origin.starts_with("https:")
        {
            let error = HttpError::NoRootCertificates {
                url: shown_url(),
                detail: detail.clone(),
            };
            inner.origins.record(origin, &error);
            return Err(error);
        }
        inner.pacer.wait().await;
        // It may have failed while this request waited for its rate slot.
        inner.origins.check(origin, shown_url)?;
        let started_at = Utc::now();
        let start = Instant::now();
        let timeout = Duration::from_millis(inner.settings.timeout_ms);
        let received = tokio::time::timeout(timeout, self.execute(prepared, &request.url))
            .await
            .unwrap_or_else(|_| {
                Err(HttpError::Timeout {
                    url: shown_url(),
                    after_ms: inner.settings.timeout_ms,
                })
            })
            .inspect_err(|e| inner.origins.record(origin, e))?;
        Ok(Exchange {
            request: request.clone(),
            status: received.status,
            headers: received.headers,
            body: received.body,
            truncated: received.truncated,
            attempts: attempt,
            started_at,
            elapsed: start.elapsed(),
            redactor: inner.redactor.clone(),
            shared_from: None,
        })
    }

    /// `exchange`, or [`HttpError::Redirected`] if it is a redirect.
    fn unless_redirect(&self, exchange: Exchange) -> Result<Exchange, HttpError> {
        match exchange.header("location") {
            Some(location) if (300..400).contains(&exchange.status) => {
                let redactor = &self.inner.redactor;
                Err(HttpError::Redirected {
                    url: redactor.redact(&exchange.request.url),
                    status: exchange.status,
                    location: redactor.redact(location),
                })
            }
            _ => Ok(exchange),
        }
    }

    /// The redactor that masks secrets in this client's exchanges.
    pub fn redactor(&self) -> &Redactor {
        &self.inner.redactor
    }

    /// What the run may still keep of bodies for `--record`.
    pub fn record_budget(&self) -> &RecordBudget {
        &self.inner.record_budget
    }

    /// The settings this client was built with.
    pub fn settings(&self) -> &HttpSettings {
        &self.inner.settings
    }

    /// Turns `request` into a `reqwest` request, or says what is malformed.
    fn prepare(&self, request: &Request) -> Result<reqwest::Request, HttpError> {
        let invalid = |detail: String| HttpError::InvalidRequest {
            url: self.inner.redactor.redact(&request.url),
            detail,
        };
        let method = reqwest::Method::from_bytes(request.method.as_bytes())
            .map_err(|_| invalid(format!("{:?} is not an HTTP method", request.method)))?;
        let url =
            reqwest::Url::parse(&request.url).map_err(|e| invalid(format!("bad URL ({e})")))?;
        let mut headers = HeaderMap::new();
        for (name, value) in &request.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid(format!("{name:?} is not a header name")))?;
            let value = HeaderValue::from_str(value)
                .map_err(|_| invalid(format!("the value of header {name} is not valid")))?;
            headers.append(name, value);
        }
        let mut prepared = reqwest::Request::new(method, url);
        *prepared.headers_mut() = headers;
        *prepared.body_mut() = request.body.clone().map(reqwest::Body::from);
        Ok(prepared)
    }

    /// Sends `prepared` and reads the response, body capped at [`MAX_BODY_BYTES`].
    async fn execute(&self, prepared: reqwest::Request, url: &str) -> Result<Received, HttpError> {
        let inner = &self.inner;
        let redactor = &inner.redactor;
        let client = if proxy::is_loopback(prepared.url()) {
            &inner.loopback_client
        } else {
            &inner.client
        };
        let mut response = client
            .execute(prepared)
            .await
            .map_err(|e| HttpError::from_reqwest(url, &e, redactor, inner.settings.insecure_tls))?;
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut body = Vec::new();
        let mut truncated = false;
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| HttpError::from_reqwest(url, &e, redactor, inner.settings.insecure_tls))?
        {
            let room = MAX_BODY_BYTES - body.len();
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        // Before anything about this response can be shown.
        redactor.learn_response(&headers, &body);
        let headers = headers
            .into_iter()
            .take(MAX_HEADERS)
            .map(|(name, value)| {
                let value = if value.len() > MAX_HEADER_BYTES {
                    redactor.redact_cut(crate::text::floor_boundary(&value, MAX_HEADER_BYTES))
                } else {
                    value
                };
                (name, value)
            })
            .collect();
        Ok(Received {
            status,
            headers,
            body,
            truncated,
        })
    }
}

/// A response as read by [`HttpClient::execute`].
struct Received {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    truncated: bool,
}

/// Shows the settings only (never the redactor's secrets).
impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("settings", &self.inner.settings)
            .finish_non_exhaustive()
    }
}

/// Makes ring the process's TLS crypto provider (once; keeps one installed by others).
fn install_crypto_provider() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// The TLS configuration that verifies certificates with the system's roots. Loading the
/// roots costs more than a whole run against a local target, so it is built once per
/// process; each run still builds its own client (its own connection pool and runtime).
fn verified_tls() -> Result<rustls::ClientConfig, String> {
    static CONFIG: OnceLock<rustls::ClientConfig> = OnceLock::new();
    if let Some(config) = CONFIG.get() {
        return Ok(config.clone());
    }
    let mut config = <rustls::ClientConfig as rustls_platform_verifier::ConfigVerifierExt>::with_platform_verifier()
        .map_err(|e| e.to_string())?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(CONFIG.get_or_init(|| config).clone())
}

/// A TLS configuration that trusts no certificate, for a client whose HTTPS requests
/// are refused before they are sent (the system's roots are missing).
fn rootless_tls() -> rustls::ClientConfig {
    rustls::ClientConfig::builder()
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth()
}
