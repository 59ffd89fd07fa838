//! The request rate a sandbox allows: with `rate_limit_per_second` set, requests beyond it
//! are answered 429 TOO_MANY_REQUESTS with `Retry-After: 1` (and the `x-correlator` echoed),
//! before the request guard or a handler reads them.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use super::app::App;
use super::errors::ApiError;

/// A token bucket: `per_second` requests a second, in bursts of at most `per_second`.
#[derive(Debug)]
pub(crate) struct RateLimit {
    per_second: f64,
    bucket: Mutex<(f64, Instant)>,
}

impl RateLimit {
    /// A full bucket admitting `per_second` requests a second (at least one).
    pub(crate) fn new(per_second: u32) -> Self {
        let per_second = f64::from(per_second.max(1));
        Self {
            per_second,
            bucket: Mutex::new((per_second, Instant::now())),
        }
    }

    /// Whether a request arriving `now` is within the rate (and takes its token).
    pub(crate) fn admit(&self, now: Instant) -> bool {
        let mut bucket = self.bucket.lock().unwrap_or_else(PoisonError::into_inner);
        let (tokens, since) = *bucket;
        let refilled = now.saturating_duration_since(since).as_secs_f64() * self.per_second;
        let tokens = (tokens + refilled).min(self.per_second);
        let admitted = tokens >= 1.0;
        *bucket = (if admitted { tokens - 1.0 } else { tokens }, now);
        admitted
    }
}

/// 429 TOO_MANY_REQUESTS: more than `per_second` requests came in a second.
pub(crate) fn over_rate(per_second: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "TOO_MANY_REQUESTS",
        format!("Rate limit of {per_second} requests per second exceeded: retry later."),
    )
}

/// Answers 429 to a request over the mock's rate; passes the others on.
pub(crate) async fn layer(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    match &app.rate_limit {
        Some(limit) if !limit.admit(Instant::now()) => {
            let per_second = limit.per_second;
            let mut response = over_rate(per_second).render(&app.faults);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
        _ => next.run(request).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_beyond_the_rate_is_refused_until_the_bucket_refills() {
        let limit = RateLimit::new(2);
        let start = Instant::now();
        assert!(limit.admit(start));
        assert!(limit.admit(start));
        assert!(!limit.admit(start));
        // Half a second refills one token at 2 per second.
        assert!(limit.admit(start + Duration::from_millis(500)));
        assert!(!limit.admit(start + Duration::from_millis(500)));
        // Requests spaced 1/rate apart are all admitted.
        for i in 2..10 {
            assert!(limit.admit(start + Duration::from_millis(500 * i)));
        }
    }
}
