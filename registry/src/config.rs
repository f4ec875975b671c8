//! Command-line configuration of the local registry. Secrets (Vipps) come from
//! the environment, never from arguments (which show in process lists).

use std::net::SocketAddr;
use std::path::PathBuf;

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
            vipps_login_lifetime_seconds: crate::vipps::logins::LOGIN_LIFETIME_SECONDS,
        }
    }
}

pub const USAGE: &str = "usage: id-capture-registry [--listen ADDR:PORT] [--db FILE|:memory:] [--www DIR] [--pkg DIR]
                           [--allow-origin ORIGIN]... [--public-registry-url URL] [--public-page-url URL]
                           [--hms-cards FILE] [--vipps-login-lifetime-seconds N]
       id-capture-registry partners --db FILE add|list|revoke ...";

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
                    crate::partners::check_origin(&origin).map_err(|error| format!("--allow-origin: {error}"))?;
                    config.allowed_origins.push(origin)
                }
                "--public-page-url" => config.public_page_url = Some(value()?),
                "--vipps-login-lifetime-seconds" => {
                    config.vipps_login_lifetime_seconds =
                        value()?.parse().ok().filter(|seconds| (1..=3600).contains(seconds)).ok_or("--vipps-login-lifetime-seconds takes 1 to 3600")?
                }
                "--public-registry-url" => config.public_registry_url = value()?,
                "--hms-cards" => config.hms_cards_file = Some(PathBuf::from(value()?)),
                "--help" | "-h" => return Err(USAGE.to_owned()),
                other => return Err(format!("unknown option {other}\n{USAGE}")),
            }
        }
        if !config.listen.ip().is_loopback() {
            // The contract allows plain HTTP for loopback only.
            return Err("this development registry speaks plain HTTP and listens on loopback only".into());
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
}
