//! Retrying a request answered 429 (Too Many Requests): how often, and how long to wait.
//!
//! Only 429 is retried: it says the request was not processed. Every other status is a
//! result to check, and transport failures are not retried either (see `origins`).

use std::time::Duration;

use chrono::{DateTime, Utc};

/// Most attempts of one request answered 429: the first and two retries.
pub const MAX_ATTEMPTS: u32 = 3;

/// Longest wait before a retry. A `Retry-After` asking for more is not honoured by
/// waiting less: the 429 is reported at once (the target's quota is spent).
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(5);

/// Wait before the first retry when the 429 has no usable `Retry-After`; it doubles
/// at each further retry (0.5 s, then 1 s).
pub const RETRY_BACKOFF: Duration = Duration::from_millis(500);

/// How long to wait before retrying a request whose attempt number `attempt` (from 1)
/// was answered 429 with `retry_after`; `None` when it must not be retried.
pub(super) fn retry_delay(
    attempt: u32,
    retry_after: Option<&str>,
    now: DateTime<Utc>,
) -> Option<Duration> {
    if attempt >= MAX_ATTEMPTS {
        return None;
    }
    match retry_after.and_then(|value| parse_retry_after(value, now)) {
        Some(wait) => (wait <= MAX_RETRY_WAIT).then_some(wait),
        None => Some(RETRY_BACKOFF * 2u32.saturating_pow(attempt - 1)),
    }
}

/// A `Retry-After` value (RFC 9110 §10.2.3): delay seconds, or an HTTP date (a date
/// already past means no wait). `None` when it is neither.
fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (date.with_timezone(&Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 10, 21, 7, 28, 0).unwrap()
    }

    #[test]
    fn backoff_doubles_without_retry_after() {
        assert_eq!(
            retry_delay(1, None, now()),
            Some(Duration::from_millis(500))
        );
        assert_eq!(retry_delay(2, None, now()), Some(Duration::from_secs(1)));
        assert_eq!(retry_delay(3, None, now()), None);
        assert_eq!(
            retry_delay(1, Some("soon"), now()),
            Some(Duration::from_millis(500))
        );
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        assert_eq!(retry_delay(1, Some("0"), now()), Some(Duration::ZERO));
        assert_eq!(
            retry_delay(2, Some(" 5 "), now()),
            Some(Duration::from_secs(5))
        );
        assert_eq!(retry_delay(1, Some("6"), now()), None);
        assert_eq!(retry_delay(3, Some("0"), now()), None);
    }

    #[test]
    fn retry_after_dates() {
        let in_two = "Tue, 21 Oct 2025 07:28:02 GMT";
        assert_eq!(
            retry_delay(1, Some(in_two), now()),
            Some(Duration::from_secs(2))
        );
        let past = "Tue, 21 Oct 2025 07:00:00 GMT";
        assert_eq!(retry_delay(1, Some(past), now()), Some(Duration::ZERO));
        let tomorrow = "Wed, 22 Oct 2025 07:28:00 GMT";
        assert_eq!(retry_delay(1, Some(tomorrow), now()), None);
    }

    proptest::proptest! {
        #[test]
        fn any_retry_after_gives_a_bounded_wait_or_none(value in ".{0,40}", attempt in 1u32..5) {
            if let Some(wait) = retry_delay(attempt, Some(&value), now()) {
                proptest::prop_assert!(wait <= MAX_RETRY_WAIT);
            }
        }
    }
}
