//! Command-line configuration of the local registry. Secrets (Vipps) come from
//! the environment, never from arguments (which show in process lists).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How long a started Vipps login waits for its callback, unless the operator sets
/// `--vipps-login-lifetime-seconds` (tests shorten it).
pub const VIPPS_LOGIN_LIFETIME_SECONDS: i64 = 10 * 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryConfig {
    /// Where to listen; port 0 picks a free one (printed at start).
    pub listen: SocketAddr,
    /// SQLite file path, or `:memory:`.
    pub database: String,
    /// The page's folder (`www/`), served at `/` when set.
    pub www_dir: Option<PathBuf>,
    /// The npm package folder (`pkg/`), served at `/pkg/` when set.
    pub pkg_dir: Option<PathBuf>,
    /// Page origins allowed to call the API from another origin (CORS).
    pub allowed_origins: Vec<String>,
    /// The registry URL the served page should call; empty means its own origin.
    pub public_registry_url: String,
    /// A JSON file of invented HMS cards replacing the built-in ones.
    pub hms_cards_file: Option<PathBuf>,
    /// The page an onboarding link opens; default `http://<listen>/`.
    pub public_page_url: Option<String>,
    /// How long a started Vipps login waits for its callback (1 s to 1 h).
    pub vipps_login_lifetime_seconds: i64,
    /// Timeouts and caps that keep slow or greedy clients from holding the server.
    pub limits: ServerLimits,
    /// Token buckets for creating calls.
    pub rate_limits: RateLimitSettings,
}

/// What one connection and one request may take from the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    /// The whole request head (request line and headers) must arrive within this time;
    /// it also bounds how long a kept-alive connection may wait for its next request.
    pub header_read_timeout: Duration,
    /// From the head to the answer, reading the body included.
    pub request_timeout: Duration,
    /// A connection on which no byte moves for this long is closed (a client that
    /// stops reading its answer, or stops sending). Longer than the request timeout.
    pub idle_timeout: Duration,
    /// Request line and headers together; more is a 431.
    pub max_header_bytes: usize,
    /// Open connections; more are answered 503 and closed.
    pub max_connections: usize,
    /// Requests being answered at once; more are shed with 503.
    pub max_concurrent_requests: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(15),
            idle_timeout: Duration::from_secs(20),
            max_header_bytes: 32 * 1024,
            max_connections: 512,
            max_concurrent_requests: 64,
        }
    }
}

/// Creating calls per client: a bucket of `burst` calls, refilled at `per_minute`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitSettings {
    pub burst: u32,
    pub per_minute: u32,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        RateLimitSettings { burst: 20, per_minute: 10 }
    }
}

impl Default for RegistryConfig {
    fn default() -> Self {
        RegistryConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: "id-capture-registry.sqlite".into(),
            www_dir: None,
            pkg_dir: None,
            allowed_origins: Vec::new(),
            public_registry_url: String::new(),
            hms_cards_file: None,
            public_page_url: None,
            vipps_login_lifetime_seconds: VIPPS_LOGIN_LIFETIME_SECONDS,
            limits: ServerLimits::default(),
            rate_limits: RateLimitSettings::default(),
        }
    }
}

pub const USAGE: &str = "usage: id-capture-registry [--listen ADDR:PORT] [--db FILE|:memory:] [--www DIR] [--pkg DIR]
                           [--allow-origin ORIGIN]... [--public-registry-url URL] [--public-page-url URL]
                           [--hms-cards FILE] [--vipps-login-lifetime-seconds N]
                           [--header-read-timeout SECONDS] [--request-timeout SECONDS] [--idle-timeout SECONDS]
                           [--max-header-bytes BYTES] [--max-connections N] [--max-concurrent-requests N]
                           [--rate-limit-burst N] [--rate-limit-per-minute N]
       id-capture-registry partners --db FILE add|list|revoke ...";

/// A whole number in `range`, or a message naming the flag (never a panic).
fn number<T: std::str::FromStr + PartialOrd + std::fmt::Display>(flag: &str, value: &str, range: std::ops::RangeInclusive<T>) -> Result<T, String> {
    match value.trim().parse::<T>() {
        Ok(number) if range.contains(&number) => Ok(number),
        _ => Err(format!("{flag} takes a whole number from {} to {}", range.start(), range.end())),
    }
}

fn seconds(flag: &str, value: &str) -> Result<Duration, String> {
    number(flag, value, 1..=3600u64).map(Duration::from_secs)
}

/// A CORS origin as browsers send it: `http` or `https`, a lower-case host, an
/// optional port, nothing after. `*` is refused: the API answers with personal
/// data, so which pages may read it must be named one by one.
pub fn check_origin(origin: &str) -> Result<(), String> {
    if origin == "*" {
        return Err("--allow-origin '*' is not allowed: the API handles personal data, so name each page origin (e.g. https://portal.example)".into());
    }
    let problem = || format!("--allow-origin takes an origin such as https://portal.example or http://127.0.0.1:5173 (scheme, lower-case host, optional port; no path), not {origin:?}");
    let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://")).ok_or_else(problem)?;
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') && (!host.starts_with('[') || host.ends_with(']')) => (host, Some(port)),
        _ => (rest, None),
    };
    let host_ok = if let Some(ipv6) = host.strip_prefix('[').and_then(|host| host.strip_suffix(']')) {
        ipv6.parse::<std::net::Ipv6Addr>().is_ok()
    } else {
        !host.is_empty()
            && host.split('.').all(|label| !label.is_empty() && label.len() <= 63 && !label.starts_with('-') && !label.ends_with('-'))
            && host.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || matches!(byte, b'.' | b'-'))
    };
    let port_ok = port.is_none_or(|port| !port.is_empty() && port.bytes().all(|byte| byte.is_ascii_digit()) && port.parse::<u16>().is_ok_and(|port| port > 0));
    if host_ok && port_ok {
        Ok(())
    } else {
        Err(problem())
    }
}

impl RegistryConfig {
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<RegistryConfig, String> {
        let mut config = RegistryConfig::default();
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--listen" => config.listen = value()?.parse().map_err(|_| "--listen takes ADDR:PORT".to_owned())?,
                "--db" => config.database = value()?,
                "--www" => config.www_dir = Some(PathBuf::from(value()?)),
                "--pkg" => config.pkg_dir = Some(PathBuf::from(value()?)),
                "--allow-origin" => {
                    let origin = value()?;
                    check_origin(&origin)?;
                    config.allowed_origins.push(origin);
                }
                "--public-page-url" => config.public_page_url = Some(value()?),
                "--vipps-login-lifetime-seconds" => {
                    config.vipps_login_lifetime_seconds = number("--vipps-login-lifetime-seconds", &value()?, 1..=3600i64)?;
                }
                "--public-registry-url" => config.public_registry_url = value()?,
                "--hms-cards" => config.hms_cards_file = Some(PathBuf::from(value()?)),
                "--header-read-timeout" => config.limits.header_read_timeout = seconds(&flag, &value()?)?,
                "--request-timeout" => config.limits.request_timeout = seconds(&flag, &value()?)?,
                "--idle-timeout" => config.limits.idle_timeout = seconds(&flag, &value()?)?,
                // hyper's read buffer is twice this, and its floor is 8 KB.
                "--max-header-bytes" => config.limits.max_header_bytes = number(&flag, &value()?, 4096..=1_048_576usize)?,
                "--max-connections" => config.limits.max_connections = number(&flag, &value()?, 1..=100_000usize)?,
                "--max-concurrent-requests" => config.limits.max_concurrent_requests = number(&flag, &value()?, 1..=10_000usize)?,
                "--rate-limit-burst" => config.rate_limits.burst = number(&flag, &value()?, 1..=100_000u32)?,
                "--rate-limit-per-minute" => config.rate_limits.per_minute = number(&flag, &value()?, 1..=6_000_000u32)?,
                "--help" | "-h" => return Err(USAGE.to_owned()),
                other => return Err(format!("unknown option {other}\n{USAGE}")),
            }
        }
        if !config.listen.ip().is_loopback() {
            // The contract allows plain HTTP for loopback only.
            return Err("this development registry speaks plain HTTP and listens on loopback only".into());
        }
        if config.limits.idle_timeout <= config.limits.request_timeout {
            // Otherwise a request still being worked on would look idle and be cut.
            return Err("--idle-timeout must be longer than --request-timeout".into());
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<RegistryConfig, String> {
        RegistryConfig::from_args(args.iter().map(|arg| arg.to_string()))
    }

    #[test]
    fn parses_every_option() {
        let config = parse(&["--listen", "127.0.0.1:0", "--db", ":memory:", "--www", "www", "--pkg", "pkg", "--allow-origin", "http://127.0.0.1:5000", "--allow-origin", "http://localhost:5000", "--public-registry-url", "http://127.0.0.1:9"]).unwrap();
        assert_eq!(config.listen.port(), 0);
        assert_eq!(config.database, ":memory:");
        assert_eq!(config.allowed_origins.len(), 2);
        assert_eq!(config.public_registry_url, "http://127.0.0.1:9");
    }

    #[test]
    fn refuses_unknown_options_missing_values_and_non_loopback_addresses() {
        assert!(parse(&["--verbose"]).is_err());
        assert!(parse(&["--db"]).is_err());
        assert!(parse(&["--listen", "0.0.0.0:8080"]).is_err());
    }

    #[test]
    fn a_wildcard_or_malformed_origin_is_a_clear_error_not_a_panic() {
        let wildcard = parse(&["--allow-origin", "*"]).unwrap_err();
        assert!(wildcard.contains("personal data"), "{wildcard}");
        for origin in ["", "null", "127.0.0.1:5173", "ftp://a.example", "https://", "https://a.example/", "https://a.example/path", "https://A.example",
                       "https://a.example:0", "https://a.example:99999", "https://a.example:", "https://a b.example", "https://a.example\n", "https://[::1"] {
            assert!(parse(&["--allow-origin", origin]).is_err(), "{origin:?}");
        }
        for origin in ["https://portal.example", "http://127.0.0.1:5173", "http://localhost:8080", "https://[::1]:8443", "https://xn--bcher-kva.example"] {
            assert!(parse(&["--allow-origin", origin]).is_ok(), "{origin:?}");
        }
    }

    #[test]
    fn limits_have_safe_defaults_and_take_flags() {
        let config = parse(&[]).unwrap();
        assert!(config.limits.header_read_timeout <= Duration::from_secs(20));
        assert!(config.limits.idle_timeout <= Duration::from_secs(30));
        assert_eq!(config.limits.max_header_bytes, 32 * 1024);
        let config = parse(&["--header-read-timeout", "2", "--request-timeout", "3", "--idle-timeout", "4", "--max-header-bytes", "8192",
                             "--max-connections", "50", "--max-concurrent-requests", "5", "--rate-limit-burst", "3", "--rate-limit-per-minute", "1"]).unwrap();
        assert_eq!(config.limits.header_read_timeout, Duration::from_secs(2));
        assert_eq!(config.limits.request_timeout, Duration::from_secs(3));
        assert_eq!(config.limits.idle_timeout, Duration::from_secs(4));
        assert_eq!(config.limits.max_connections, 50);
        assert_eq!(config.rate_limits, RateLimitSettings { burst: 3, per_minute: 1 });
    }

    #[test]
    fn bad_numbers_in_limit_flags_are_errors() {
        for args in [["--request-timeout", "0"], ["--request-timeout", "-1"], ["--idle-timeout", "ten"], ["--max-header-bytes", "100"],
                     ["--max-connections", "0"], ["--rate-limit-burst", "1e9"], ["--rate-limit-per-minute", ""], ["--header-read-timeout", "99999999999999999999"]] {
            let error = parse(&args).unwrap_err();
            assert!(error.contains(args[0]), "{error}");
        }
        assert!(parse(&["--request-timeout", "30", "--idle-timeout", "20"]).is_err());
    }
}
