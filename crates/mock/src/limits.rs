//! How much a mock takes from its clients: connections at once, and the time allowed to
//! send a request's headers and body.

use std::time::Duration;

/// The mock's transport limits, chosen so that hostile clients (slow, idle, flooding)
/// cannot keep it from answering the others.
///
/// Sizes are fixed, not limits to tune: request headers over 16 KiB get a JSON 431,
/// over 64 KiB (or over 100 header lines) the HTTP parser's bare 431 and a closed
/// connection; bodies over 16 KiB get 400 INVALID_ARGUMENT, and bodies over 1 MiB
/// also close the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MockLimits {
    /// Time allowed for a request's headers to arrive, from the moment the mock waits
    /// for them: a client that has not sent them all by then, including an idle
    /// keep-alive connection, is disconnected without an answer.
    pub header_timeout: Duration,
    /// Time allowed for a request's whole body to arrive once its headers have: a
    /// slower body gets a JSON 408 and the connection is closed.
    pub body_timeout: Duration,
    /// Connections served at once (0 serves none). Up to 64 more are accepted only to
    /// be answered 503 UNAVAILABLE (JSON, `Retry-After: 1`) and closed; beyond those,
    /// new connections are closed at once.
    pub max_connections: usize,
}

impl Default for MockLimits {
    /// Ten seconds for the headers, ten for the body, 256 connections.
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_connections: 256,
        }
    }
}
