//! Token buckets per caller for creating calls, so one client cannot guess
//! card references or fill the store at machine speed. A bucket holds `burst`
//! calls and refills at `per_minute`; an empty bucket is a 429 with
//! `Retry-After` in whole seconds, rounded up.
//!
//! Anonymous callers are keyed by the address of the TCP connection
//! (`ConnectInfo`). `X-Forwarded-For` is not trusted: any client can write it.
//! Behind a reverse proxy every caller would share the proxy's address, so a
//! deployment there needs a setting naming the trusted proxy and reading the
//! client address it appends; this development registry listens on loopback
//! only and has no such setting.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::ConnectInfo;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use id_capture_contract::ProblemKind;

use crate::config::RateLimitSettings;
use crate::problem_response::ApiProblem;

/// Who a bucket belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RateKey {
    /// An anonymous client, by connection address (IPv6 by its /64: one
    /// subscriber usually holds a whole /64 and could rotate through it).
    Ip(IpAddr),
    /// An onboarding session, by its id (never its token).
    Session(String),
    /// A partner, by its id.
    Partner(String),
}

impl RateKey {
    pub fn for_client_ip(ip: IpAddr) -> RateKey {
        match ip {
            IpAddr::V4(v4) => RateKey::Ip(IpAddr::V4(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => RateKey::Ip(IpAddr::V4(v4)),
                None => {
                    let segments = v6.segments();
                    RateKey::Ip(IpAddr::V6(std::net::Ipv6Addr::new(segments[0], segments[1], segments[2], segments[3], 0, 0, 0, 0)))
                }
            },
        }
    }
}

/// An empty bucket: when the next call may succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimited {
    pub retry_after_seconds: u32,
}

impl From<RateLimited> for ApiProblem {
    fn from(limited: RateLimited) -> Self {
        ApiProblem::new(ProblemKind::RateLimited).retry_after(limited.retry_after_seconds)
    }
}

impl IntoResponse for RateLimited {
    fn into_response(self) -> Response {
        ApiProblem::from(self).into_response()
    }
}

type KeyedLimiter = RateLimiter<RateKey, DefaultKeyedStateStore<RateKey>, DefaultClock>;

/// Forget full buckets every this many checks, and at least once a minute
/// while calls come in, so memory follows recent callers only.
const PRUNE_EVERY_CHECKS: u64 = 1024;
const PRUNE_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

pub struct RateLimits {
    creating: KeyedLimiter,
    /// Each partner's own bucket, at the rate the operator gave it (`partners add
    /// --rate-per-minute`), a minute's worth at once. Partners are configured,
    /// so this map is as small as the partner list.
    partners: std::sync::Mutex<std::collections::HashMap<String, (u32, governor::DefaultDirectRateLimiter)>>,
    clock: DefaultClock,
    checks: AtomicU64,
    started: std::time::Instant,
    /// Milliseconds after `started` when the next timed prune is due.
    next_prune_millis: AtomicU64,
}

impl RateLimits {
    pub fn new(settings: RateLimitSettings) -> RateLimits {
        let per_minute = NonZeroU32::new(settings.per_minute).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(settings.burst).unwrap_or(NonZeroU32::MIN);
        let clock = DefaultClock::default();
        let quota = Quota::per_minute(per_minute).allow_burst(burst);
        RateLimits {
            creating: RateLimiter::new(quota, DefaultKeyedStateStore::default(), clock.clone()),
            partners: std::sync::Mutex::default(),
            clock,
            checks: AtomicU64::new(0),
            started: std::time::Instant::now(),
            next_prune_millis: AtomicU64::new(PRUNE_EVERY.as_millis() as u64),
        }
    }

    /// Takes one creating call from `key`'s bucket.
    pub fn check(&self, key: &RateKey) -> Result<(), RateLimited> {
        let now_millis = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let due = self.next_prune_millis.load(Ordering::Relaxed);
        let timed = now_millis >= due
            && self.next_prune_millis.compare_exchange(due, now_millis + PRUNE_EVERY.as_millis() as u64, Ordering::Relaxed, Ordering::Relaxed).is_ok();
        if timed || self.checks.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY_CHECKS == PRUNE_EVERY_CHECKS - 1 {
            self.prune();
        }
        self.creating.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            RateLimited { retry_after_seconds: u32::try_from(seconds.max(1)).unwrap_or(u32::MAX) }
        })
    }

    /// Takes one call from a partner's own bucket of `rate_per_minute`.
    pub fn check_partner(&self, partner_id: &str, rate_per_minute: u32) -> Result<(), RateLimited> {
        let rate = NonZeroU32::new(rate_per_minute).unwrap_or(NonZeroU32::MIN);
        let mut partners = self.partners.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = partners.entry(partner_id.to_owned()).or_insert_with(|| (rate.get(), RateLimiter::direct(Quota::per_minute(rate))));
        if entry.0 != rate.get() {
            // The operator changed the partner's rate: start its bucket afresh.
            *entry = (rate.get(), RateLimiter::direct(Quota::per_minute(rate)));
        }
        entry.1.check().map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            RateLimited { retry_after_seconds: u32::try_from(seconds.max(1)).unwrap_or(u32::MAX) }
        })
    }

    /// Drops buckets that have refilled completely (they equal a new one).
    pub fn prune(&self) {
        self.creating.retain_recent();
        self.creating.shrink_to_fit();
    }

    /// How many callers have state now.
    pub fn tracked_keys(&self) -> usize {
        self.creating.len()
    }
}

/// The connection's client address (the TCP peer, never `X-Forwarded-For`); a
/// request without one (an in-process test calling the router directly)
/// counts as the unspecified address.
pub fn client_ip(extensions: &axum::http::Extensions) -> IpAddr {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partner_gets_its_own_rate_a_minutes_worth_at_once() {
        let limits = RateLimits::new(RateLimitSettings { burst: 2, per_minute: 2 });
        for _ in 0..30 {
            limits.check_partner("ptn_a", 30).unwrap();
        }
        let limited = limits.check_partner("ptn_a", 30).unwrap_err();
        assert!((1..=2).contains(&limited.retry_after_seconds));
        limits.check_partner("ptn_b", 30).unwrap();
        // Raised by the operator: a fresh bucket at the new rate.
        limits.check_partner("ptn_a", 60).unwrap();
    }

    fn limits(burst: u32, per_minute: u32) -> RateLimits {
        RateLimits::new(RateLimitSettings { burst, per_minute })
    }

    #[test]
    fn a_bucket_allows_its_burst_then_says_when_to_retry() {
        let limits = limits(20, 10);
        let key = RateKey::Ip("127.0.0.1".parse().unwrap());
        for _ in 0..20 {
            assert_eq!(limits.check(&key), Ok(()));
        }
        let limited = limits.check(&key).unwrap_err();
        // 10 a minute: one call every 6 s.
        assert!((1..=6).contains(&limited.retry_after_seconds), "{limited:?}");
    }

    #[test]
    fn callers_have_separate_buckets() {
        let limits = limits(1, 1);
        assert!(limits.check(&RateKey::Ip("127.0.0.1".parse().unwrap())).is_ok());
        assert!(limits.check(&RateKey::Ip("127.0.0.1".parse().unwrap())).is_err());
        assert!(limits.check(&RateKey::Ip("127.0.0.2".parse().unwrap())).is_ok());
        assert!(limits.check(&RateKey::Session("s1".into())).is_ok());
        assert!(limits.check(&RateKey::Partner("s1".into())).is_ok());
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64_prefix_and_mapped_ipv4_as_ipv4() {
        let a = RateKey::for_client_ip("2001:db8:1:2:aaaa::1".parse().unwrap());
        let b = RateKey::for_client_ip("2001:db8:1:2:bbbb::2".parse().unwrap());
        assert_eq!(a, b);
        assert_ne!(a, RateKey::for_client_ip("2001:db8:1:3::1".parse().unwrap()));
        assert_eq!(RateKey::for_client_ip("::ffff:127.0.0.1".parse().unwrap()), RateKey::Ip("127.0.0.1".parse().unwrap()));
    }

    #[test]
    fn state_is_bounded_to_callers_with_partly_used_buckets() {
        // A huge refill rate: every bucket is full again almost at once.
        let limits = limits(1, 6_000_000);
        for last in 0..=255u8 {
            limits.check(&RateKey::Ip(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)))).unwrap();
        }
        assert_eq!(limits.tracked_keys(), 256);
        std::thread::sleep(std::time::Duration::from_millis(5));
        limits.prune();
        assert_eq!(limits.tracked_keys(), 0);
    }
}
