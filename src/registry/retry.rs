//! When to retry a submission, and how long to wait: exponential backoff with
//! jitter on network errors, timeouts, 408, 429 and 5xx, honouring
//! `Retry-After`; never on other 4xx, nor on a 5xx whose problem type says
//! the same request cannot succeed later (a failed Vipps code exchange). Retrying a creating POST is safe because
//! every attempt carries the capture's idempotency key. Clock and randomness
//! are passed in; the browser side only sleeps and fetches.

use super::problem::ProblemKind;
use id_capture_contract::date::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    pub base_delay_ms: u32,
    pub max_delay_ms: u32,
    /// A server asking for a longer wait than this is given up on (the user is waiting).
    pub max_retry_after_ms: u32,
    /// Each attempt is aborted after this long.
    pub attempt_timeout_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_attempts: 6, base_delay_ms: 500, max_delay_ms: 8_000, max_retry_after_ms: 60_000, attempt_timeout_ms: 10_000 }
    }
}

/// What one attempt ended in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    NetworkError,
    TimedOut,
    /// `problem` is the answer's problem type, when it has one we know.
    Response { status: u16, retry_after_ms: Option<u32>, problem: Option<ProblemKind> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// A 2xx: done.
    Succeeded,
    /// A 4xx, or a problem, the client must not repeat.
    Rejected,
    /// Wait, then send the same request with the same key again.
    RetryAfter { delay_ms: u32 },
    /// Retryable, but attempts or patience are used up.
    GiveUp,
}

impl RetryPolicy {
    /// Decides after `attempts_made` attempts (≥ 1), the last of which ended in
    /// `outcome`. `jitter` is a uniform random number in `[0, 1)`.
    pub fn decide(&self, attempts_made: u32, outcome: AttemptOutcome, jitter: f64) -> RetryDecision {
        let retry_after_ms = match outcome {
            AttemptOutcome::Response { status: 200..=299, .. } => return RetryDecision::Succeeded,
            AttemptOutcome::Response { problem: Some(kind), .. } if !kind.may_succeed_on_retry() => return RetryDecision::Rejected,
            AttemptOutcome::Response { status, retry_after_ms, .. } if status == 408 || status == 429 || (500..=599).contains(&status) => retry_after_ms,
            AttemptOutcome::Response { .. } => return RetryDecision::Rejected,
            AttemptOutcome::NetworkError | AttemptOutcome::TimedOut => None,
        };
        if attempts_made >= self.max_attempts {
            return RetryDecision::GiveUp;
        }
        let backoff = self.backoff_ms(attempts_made, jitter);
        match retry_after_ms {
            Some(asked) if asked > self.max_retry_after_ms => RetryDecision::GiveUp,
            Some(asked) => RetryDecision::RetryAfter { delay_ms: asked.max(backoff) },
            None => RetryDecision::RetryAfter { delay_ms: backoff },
        }
    }

    /// "Equal jitter": half the exponential step fixed, half random, so clients
    /// spread out but never retry at once.
    fn backoff_ms(&self, attempts_made: u32, jitter: f64) -> u32 {
        let exponent = attempts_made.saturating_sub(1).min(20);
        let step = u64::from(self.base_delay_ms).saturating_mul(1u64 << exponent).min(u64::from(self.max_delay_ms));
        let jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.0 };
        let half = step / 2;
        (half + ((step - half) as f64 * jitter) as u64) as u32
    }
}

/// Parses a `Retry-After` value: delay-seconds or an IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), relative to `now_unix_seconds`.
pub fn parse_retry_after(value: &str, now_unix_seconds: i64) -> Option<u32> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let seconds: u64 = value.parse().ok()?;
        return Some(seconds.saturating_mul(1000).min(u64::from(u32::MAX)) as u32);
    }
    let at = parse_imf_fixdate(value)?;
    Some(((at - now_unix_seconds).max(0) as u64).saturating_mul(1000).min(u64::from(u32::MAX)) as u32)
}

fn parse_imf_fixdate(value: &str) -> Option<i64> {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let mut parts = value.split(' ');
    let _weekday = parts.next()?.strip_suffix(',')?;
    let day = fixed_digits(parts.next()?, 2)? as u8;
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month_name = parts.next()?;
    let month = MONTHS.iter().position(|name| *name == month_name)? as u8 + 1;
    let year = fixed_digits(parts.next()?, 4)? as u16;
    let mut clock = parts.next()?.split(':').map(|field| fixed_digits(field, 2));
    let (hours, minutes, seconds) = (clock.next()??, clock.next()??, clock.next()??);
    if clock.next().is_some() || parts.next()? != "GMT" || parts.next().is_some() || hours > 23 || minutes > 59 || seconds > 60 {
        return None;
    }
    let days = Date::new(year, month, day)?.days_since_unix_epoch();
    Some(days * 86_400 + hours * 3600 + minutes * 60 + seconds)
}

/// Exactly `width` ASCII digits, as the IMF-fixdate grammar has them: no
/// sign, so no field can be negative (or overflow the seconds).
fn fixed_digits(field: &str, width: usize) -> Option<i64> {
    (field.len() == width && field.bytes().all(|b| b.is_ascii_digit())).then(|| field.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: RetryPolicy = RetryPolicy { max_attempts: 4, base_delay_ms: 500, max_delay_ms: 4_000, max_retry_after_ms: 30_000, attempt_timeout_ms: 10_000 };

    fn response(status: u16) -> AttemptOutcome {
        AttemptOutcome::Response { status, retry_after_ms: None, problem: None }
    }

    #[test]
    fn success_is_final_and_client_errors_are_never_retried() {
        assert_eq!(POLICY.decide(1, response(201), 0.5), RetryDecision::Succeeded);
        for status in [400, 401, 404, 409, 413, 415, 422] {
            assert_eq!(POLICY.decide(1, response(status), 0.5), RetryDecision::Rejected, "{status}");
        }
    }

    #[test]
    fn a_5xx_is_retried_unless_its_problem_says_the_same_request_cannot_succeed() {
        let answer = |status, problem| AttemptOutcome::Response { status, retry_after_ms: None, problem: Some(problem) };
        for (status, problem) in [(500, ProblemKind::Internal), (503, ProblemKind::Unavailable), (429, ProblemKind::RateLimited)] {
            assert!(matches!(POLICY.decide(1, answer(status, problem), 0.0), RetryDecision::RetryAfter { .. }), "{problem:?}");
        }
        // The authorization code is single-use: a second exchange cannot succeed.
        assert_eq!(POLICY.decide(1, answer(502, ProblemKind::VippsExchangeFailed), 0.0), RetryDecision::Rejected);
        assert_eq!(POLICY.decide(1, answer(503, ProblemKind::VippsNotConfigured), 0.0), RetryDecision::Rejected);
    }

    #[test]
    fn network_errors_timeouts_408_429_and_5xx_are_retried_with_growing_delays() {
        for outcome in [AttemptOutcome::NetworkError, AttemptOutcome::TimedOut, response(408), response(429), response(500), response(502), response(503), response(504)] {
            assert!(matches!(POLICY.decide(1, outcome, 0.0), RetryDecision::RetryAfter { .. }), "{outcome:?}");
        }
        let delays: Vec<u32> = (1..=3)
            .map(|attempt| match POLICY.decide(attempt, AttemptOutcome::NetworkError, 0.0) {
                RetryDecision::RetryAfter { delay_ms } => delay_ms,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(delays, [250, 500, 1000]);
    }

    #[test]
    fn jitter_spreads_the_delay_between_half_and_the_full_step() {
        let delay = |jitter| match POLICY.decide(2, AttemptOutcome::NetworkError, jitter) {
            RetryDecision::RetryAfter { delay_ms } => delay_ms,
            other => panic!("{other:?}"),
        };
        assert_eq!(delay(0.0), 500);
        assert_eq!(delay(0.999_999), 999);
        assert_eq!(delay(f64::NAN), 500);
    }

    #[test]
    fn delays_are_capped() {
        let policy = RetryPolicy { max_attempts: 40, ..POLICY };
        assert_eq!(policy.decide(30, AttemptOutcome::NetworkError, 0.999_999_9), RetryDecision::RetryAfter { delay_ms: 3_999 });
    }

    #[test]
    fn gives_up_after_the_last_attempt() {
        assert_eq!(POLICY.decide(4, AttemptOutcome::NetworkError, 0.5), RetryDecision::GiveUp);
        assert_eq!(POLICY.decide(4, response(404), 0.5), RetryDecision::Rejected);
    }

    #[test]
    fn retry_after_is_honoured_as_a_minimum_and_an_excessive_one_gives_up() {
        let asked = |ms| AttemptOutcome::Response { status: 429, retry_after_ms: Some(ms), problem: None };
        assert_eq!(POLICY.decide(1, asked(2_000), 0.0), RetryDecision::RetryAfter { delay_ms: 2_000 });
        assert_eq!(POLICY.decide(1, asked(0), 0.0), RetryDecision::RetryAfter { delay_ms: 250 });
        assert_eq!(POLICY.decide(1, asked(31_000), 0.0), RetryDecision::GiveUp);
    }

    #[test]
    fn retry_after_parses_seconds_and_http_dates() {
        assert_eq!(parse_retry_after("2", 0), Some(2_000));
        assert_eq!(parse_retry_after(" 120 ", 0), Some(120_000));
        let now = 784_111_777; // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:40 GMT", now), Some(3_000));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now), Some(0));
        for bad in ["", "-1", "soon", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 CET", "1.5"] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }
}
