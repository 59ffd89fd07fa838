//! What a run has learnt about each origin (scheme, host and port) it sends to: whether
//! a request to it already failed at the transport level, and whether its rate limit is
//! spent.
//!
//! A target that does not answer would otherwise cost one timeout per request: once a
//! request to an origin is refused, cannot resolve its name, fails its TLS handshake or
//! times out, every later request of the run to that origin fails at once with
//! [`HttpError::NotSent`], quoting the first failure. The state lives in the run's
//! [`super::HttpClient`], so the next run tries again.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::HttpError;

/// Per-origin state of one run.
#[derive(Debug, Default)]
pub(super) struct Origins {
    states: Mutex<HashMap<String, State>>,
}

#[derive(Debug, Default)]
struct State {
    /// The first transport failure, which stops every later request.
    failed: Option<HttpError>,
    /// A 429 was reported without (further) retry: later 429s are not retried.
    throttled: bool,
}

impl Origins {
    /// `NotSent` for a request to the URL `shown_url` gives (called only then: masking it
    /// costs a search) if `origin` already failed at the transport level.
    pub fn check(&self, origin: &str, shown_url: impl FnOnce() -> String) -> Result<(), HttpError> {
        match self.lock().get(origin).and_then(|s| s.failed.clone()) {
            Some(first) => Err(HttpError::NotSent {
                url: shown_url(),
                origin: origin.to_owned(),
                first: Box::new(first),
            }),
            None => Ok(()),
        }
    }

    /// Records `error` against `origin` if it ends the origin for the run (and is the first).
    pub fn record(&self, origin: &str, error: &HttpError) {
        if error.ends_origin() {
            let mut states = self.lock();
            let state = states.entry(origin.to_owned()).or_default();
            state.failed.get_or_insert_with(|| error.clone());
        }
    }

    /// Marks `origin` as out of quota: its 429s are reported without retry from now on.
    pub fn throttle(&self, origin: &str) {
        self.lock().entry(origin.to_owned()).or_default().throttled = true;
    }

    /// Whether `origin` is out of quota.
    pub fn is_throttled(&self, origin: &str) -> bool {
        self.lock().get(origin).is_some_and(|s| s.throttled)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, State>> {
        self.states.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "http://127.0.0.1:9";

    #[test]
    fn the_first_transport_failure_stops_later_requests() {
        let origins = Origins::default();
        assert_eq!(
            origins.check(ORIGIN, || "http://127.0.0.1:9/a".to_owned()),
            Ok(())
        );
        let first = HttpError::Refused {
            url: "http://127.0.0.1:9/a".into(),
        };
        origins.record(ORIGIN, &first);
        origins.record(
            ORIGIN,
            &HttpError::Timeout {
                url: "http://127.0.0.1:9/b".into(),
                after_ms: 1,
            },
        );
        assert_eq!(
            origins.check(ORIGIN, || "http://127.0.0.1:9/c".to_owned()),
            Err(HttpError::NotSent {
                url: "http://127.0.0.1:9/c".into(),
                origin: ORIGIN.into(),
                first: Box::new(first),
            })
        );
        assert_eq!(
            origins.check("http://127.0.0.1:10", || "http://127.0.0.1:10/".to_owned()),
            Ok(())
        );
    }

    #[test]
    fn answers_that_went_wrong_do_not_stop_later_requests() {
        let origins = Origins::default();
        origins.record(
            ORIGIN,
            &HttpError::BodyInterrupted {
                url: "http://127.0.0.1:9/a".into(),
                detail: "eof".into(),
            },
        );
        assert_eq!(
            origins.check(ORIGIN, || "http://127.0.0.1:9/a".to_owned()),
            Ok(())
        );
    }

    #[test]
    fn throttling_is_per_origin() {
        let origins = Origins::default();
        assert!(!origins.is_throttled(ORIGIN));
        origins.throttle(ORIGIN);
        assert!(origins.is_throttled(ORIGIN));
        assert!(!origins.is_throttled("http://127.0.0.1:10"));
    }
}
