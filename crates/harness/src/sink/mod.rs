//! The notification sink: an HTTP server the run starts so that a subscriptions
//! implementation can call it back.
//!
//! Each subscription the harness creates gets its own path (`/notifications/<random>`)
//! and its own random bearer token ([`Registration`]), so every notification is
//! attributed to one subscription and its credential checked. The sink answers `204` at
//! once and records every POST (headers, body, arrival time); a POST to an unknown path
//! is answered `404` and kept apart ([`Sink::unattributed`]). Tokens are registered with
//! the run's [`Redactor`]: they never appear in any output.
//!
//! Waiting is always bounded: [`Sink::wait_for`] gives up after its timeout and
//! [`Sink::quiet`] returns once no notification arrived for a window.

mod record;
mod server;
mod tls;

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, oneshot};
use uuid::Uuid;

use crate::redact::Redactor;

pub use record::Notification;

/// Where the sink listens and how the implementation reaches it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SinkSettings {
    /// The address to bind (`127.0.0.1:0` picks a free local port).
    pub bind: SocketAddr,
    /// The URL the implementation must call, when it reaches the harness through a
    /// tunnel or NAT (e.g. `https://tunnel.example.com`); by default the bound address.
    pub public_url: Option<String>,
    /// How the sink speaks.
    pub tls: SinkTls,
}

/// Whether and how the sink serves HTTPS (the OAS requires `https://` sinks).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SinkTls {
    /// HTTPS with a self-signed certificate generated at start (for local targets, which
    /// must then accept it).
    #[default]
    SelfSigned,
    /// HTTPS with this PEM certificate (chain) and private key.
    Files {
        /// The certificate file.
        cert: PathBuf,
        /// The private key file.
        key: PathBuf,
    },
    /// Plain HTTP (a tunnel in front of the sink terminates TLS).
    Plain,
}

impl Default for SinkSettings {
    /// A free port on 127.0.0.1, reached at its own address.
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_url: None,
            tls: SinkTls::SelfSigned,
        }
    }
}

impl SinkSettings {
    /// The URL every subscription path of a run with these settings starts with, when it is
    /// the same from one run to the next (a `public_url`, or a fixed port): what makes an
    /// earlier run's subscriptions recognisable. `None` for a free port picked at start.
    pub fn lasting_base_url(&self) -> Option<String> {
        let base = match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None if self.bind.port() == 0 => return None,
            None => {
                let scheme = if self.tls == SinkTls::Plain {
                    "http"
                } else {
                    "https"
                };
                format!("{scheme}://{}", self.bind)
            }
        };
        Some(format!("{base}{PATH_PREFIX}"))
    }
}

/// Why the sink could not start.
#[derive(Debug)]
pub enum SinkError {
    /// The address could not be bound.
    Bind {
        /// The address.
        bind: SocketAddr,
        /// What the system said.
        source: std::io::Error,
    },
    /// The TLS certificate could not be loaded or generated.
    Tls(String),
}

impl fmt::Display for SinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SinkError::Bind { bind, source } => write!(
                f,
                "the notification sink could not listen on {bind}: {source} (set [subscriptions] sink_bind in the target file to a free local address)"
            ),
            SinkError::Tls(reason) => write!(
                f,
                "the notification sink cannot serve HTTPS: {reason} (check [subscriptions] sink_cert_file and sink_key_file)"
            ),
        }
    }
}

impl std::error::Error for SinkError {}

/// The path and credential of one subscription's notifications.
#[derive(Clone, PartialEq, Eq)]
pub struct Registration {
    key: String,
    /// The sink URL to give the implementation (`sink` of the subscription request).
    pub url: String,
    /// The bearer token the implementation must send (`sinkCredential.accessToken`).
    pub token: String,
}

impl fmt::Debug for Registration {
    // The token is a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registration")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// What the server and the harness share.
#[derive(Default)]
pub(crate) struct Shared {
    /// Notifications by path key; the key's token.
    mailboxes: Mutex<HashMap<String, Mailbox>>,
    /// POSTs to paths no subscription owns.
    unattributed: Mutex<Vec<Notification>>,
    /// Woken on every arrival.
    arrived: Notify,
}

#[derive(Default)]
struct Mailbox {
    token: String,
    received: Vec<Notification>,
}

impl Shared {
    /// Records a POST to `key`; whether a subscription owns that path.
    pub(crate) fn record(&self, key: &str, mut notification: Notification) -> bool {
        let owned = {
            let mut mailboxes = lock(&self.mailboxes);
            match mailboxes.get_mut(key) {
                Some(mailbox) => {
                    notification.authorized = notification
                        .header("authorization")
                        .is_some_and(|value| value == format!("Bearer {}", mailbox.token));
                    mailbox.received.push(notification);
                    true
                }
                None => {
                    drop(mailboxes);
                    lock(&self.unattributed).push(notification);
                    false
                }
            }
        };
        self.arrived.notify_waiters();
        owned
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A running sink; dropping it stops the server.
pub struct Sink {
    base_url: String,
    local_addr: SocketAddr,
    shared: Arc<Shared>,
    redactor: Redactor,
    _stop: oneshot::Sender<()>,
}

impl fmt::Debug for Sink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sink")
            .field("base_url", &self.base_url)
            .field("local_addr", &self.local_addr)
            .finish_non_exhaustive()
    }
}

/// The path below which subscriptions get their own paths.
const PATH_PREFIX: &str = "/notifications/";

impl Sink {
    /// Binds `settings.bind` and starts serving; tokens of later registrations are added
    /// to `redactor`.
    pub async fn start(settings: &SinkSettings, redactor: Redactor) -> Result<Sink, SinkError> {
        let shared = Arc::new(Shared::default());
        let tls = match &settings.tls {
            SinkTls::Plain => None,
            SinkTls::Files { cert, key } => Some(tls::from_files(cert, key)),
            SinkTls::SelfSigned => {
                let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
                if !settings.bind.ip().is_unspecified() && !settings.bind.ip().is_loopback() {
                    names.push(settings.bind.ip().to_string());
                }
                Some(tls::self_signed(names))
            }
        }
        .transpose()
        .map_err(SinkError::Tls)?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        let (local_addr, stop) = server::serve(settings.bind, tls, Arc::clone(&shared))
            .await
            .map_err(|source| SinkError::Bind {
                bind: settings.bind,
                source,
            })?;
        let base_url = settings.public_url.as_ref().map_or_else(
            || format!("{scheme}://{local_addr}"),
            |url| url.trim_end_matches('/').to_owned(),
        );
        Ok(Sink {
            base_url,
            local_addr,
            shared,
            redactor,
            _stop: stop,
        })
    }

    /// The URL every subscription path starts with: a run recognises its own (and an
    /// earlier run's) subscriptions by it.
    pub fn base_url(&self) -> String {
        format!("{}{PATH_PREFIX}", self.base_url)
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// A fresh path and bearer token for one subscription.
    pub fn register(&self) -> Registration {
        let key = Uuid::new_v4().simple().to_string();
        let token = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
        self.redactor.add(&token);
        lock(&self.shared.mailboxes).insert(
            key.clone(),
            Mailbox {
                token: token.clone(),
                received: Vec::new(),
            },
        );
        Registration {
            url: format!("{}{key}", self.base_url()),
            key,
            token,
        }
    }

    /// Every notification received so far at `registration`'s path, in arrival order.
    pub fn received(&self, registration: &Registration) -> Vec<Notification> {
        lock(&self.shared.mailboxes)
            .get(&registration.key)
            .map(|mailbox| mailbox.received.clone())
            .unwrap_or_default()
    }

    /// POSTs to paths no registration owns.
    pub fn unattributed(&self) -> Vec<Notification> {
        lock(&self.shared.unattributed).clone()
    }

    /// Waits until `done` holds for what `registration` received, at most `timeout`.
    /// `Ok` with the notifications, or `Err` with what arrived before the time ran out.
    pub async fn wait_until(
        &self,
        registration: &Registration,
        timeout: Duration,
        done: impl Fn(&[Notification]) -> bool,
    ) -> Result<Vec<Notification>, Vec<Notification>> {
        let deadline = Instant::now() + timeout;
        loop {
            let arrival = self.shared.arrived.notified();
            let received = self.received(registration);
            if done(&received) {
                return Ok(received);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || tokio::time::timeout(left, arrival).await.is_err() {
                let received = self.received(registration);
                return if done(&received) {
                    Ok(received)
                } else {
                    Err(received)
                };
            }
        }
    }

    /// Waits for `count` notifications at `registration`'s path, at most `timeout`.
    pub async fn wait_for(
        &self,
        registration: &Registration,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<Notification>, Vec<Notification>> {
        self.wait_until(registration, timeout, |received| received.len() >= count)
            .await
    }

    /// Waits until nothing arrived at `registration`'s path for `window` (at most
    /// `limit` in all), and returns everything received.
    pub async fn quiet(
        &self,
        registration: &Registration,
        window: Duration,
        limit: Duration,
    ) -> Vec<Notification> {
        let deadline = Instant::now() + limit;
        loop {
            let before = self.received(registration).len();
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return self.received(registration);
            }
            tokio::time::sleep(window.min(left)).await;
            let after = self.received(registration);
            if after.len() == before {
                return after;
            }
        }
    }
}

#[cfg(test)]
mod tests;
