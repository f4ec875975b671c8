//! What every handler is given: the store, the HMS directory, the clock,
//! Vipps (when configured), the page's configuration and the rate limits.
//! The router (`app`) builds it into routes; handlers read it. It imports no
//! handler, so the arrows run one way: app → handlers → state.

use std::sync::Arc;

use id_capture_contract::date::Date;
use id_capture_contract::IdempotencyKey;

use crate::config::RegistryConfig;
use crate::hms_directory::HmsDirectory;
use crate::rate_limit::RateLimits;
use crate::store::Store;
use crate::vipps::VippsExchange;

pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub hms_directory: Arc<dyn HmsDirectory>,
    /// Unix seconds; a test can set the date card expiry is judged against.
    pub clock: Clock,
    /// What `/config.json` tells the served page.
    pub page_config: Arc<serde_json::Value>,
    /// Vipps Login, when configured (`VIPPS_*` environment variables).
    pub vipps: Option<Arc<VippsExchange>>,
    /// The page an onboarding link opens (`<url>#session=<token>`).
    pub public_page_url: Arc<str>,
    /// Page origins the operator allows besides the partners' own (CORS and session calls).
    pub allowed_origins: Arc<Vec<String>>,
    /// How long a started Vipps login waits for its callback.
    pub vipps_login_lifetime_seconds: i64,
    /// Token buckets for creating calls (`rate_limit::RateKey`).
    pub rate_limits: Arc<RateLimits>,
}

impl AppState {
    pub fn new(store: Store, hms_directory: Arc<dyn HmsDirectory>, config: &RegistryConfig) -> AppState {
        let clock: Clock = Arc::new(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|elapsed| elapsed.as_secs() as i64).unwrap_or(0)
        });
        let page_config = serde_json::json!({ "registryUrl": config.public_registry_url, "vipps": { "enabled": false } });
        let public_page_url = config.public_page_url.clone().unwrap_or_else(|| format!("http://{}/", config.listen));
        AppState {
            store,
            hms_directory,
            clock,
            page_config: Arc::new(page_config),
            vipps: None,
            public_page_url: public_page_url.into(),
            allowed_origins: Arc::new(config.allowed_origins.clone()),
            vipps_login_lifetime_seconds: config.vipps_login_lifetime_seconds,
            rate_limits: Arc::new(RateLimits::new(config.rate_limits)),
        }
    }

    /// Enables Vipps Login (`/v2/vipps/...`). The page learns only that it is
    /// on: the registry holds the client, the issuer and every secret.
    pub fn with_vipps(mut self, vipps: VippsExchange) -> AppState {
        let mut page_config = (*self.page_config).clone();
        page_config["vipps"] = serde_json::json!({ "enabled": true });
        self.page_config = Arc::new(page_config);
        self.vipps = Some(Arc::new(vipps));
        self
    }

    pub fn now_unix_seconds(&self) -> i64 {
        (self.clock)()
    }

    pub fn today(&self) -> Date {
        Date::from_unix_seconds(self.now_unix_seconds())
    }

    pub fn new_identity_id(&self) -> String {
        let mut random = [0u8; 16];
        // Without an OS random source nothing safe can be made; such a machine cannot run us.
        getrandom::fill(&mut random).expect("operating system random source");
        IdempotencyKey::from_random_bytes(random).to_string()
    }
}
