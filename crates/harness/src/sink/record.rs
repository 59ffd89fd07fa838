//! One notification as the sink received it.

use std::time::SystemTime;

/// A POST the sink received: headers, body, arrival time, and whether it carried the
/// subscription's bearer token.
#[derive(Clone, Debug)]
pub struct Notification {
    /// Header names (lower case) and values, in arrival order; the `Authorization`
    /// value holds a secret, so reports show it masked.
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy for bytes that are not UTF-8).
    pub body: String,
    /// When it arrived.
    pub arrived: SystemTime,
    /// Whether `Authorization` was exactly `Bearer <the subscription's token>`.
    pub authorized: bool,
}

impl Notification {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.body).ok()
    }
}
