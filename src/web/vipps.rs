//! Vipps Login in the browser: `sessionStorage` for the started flow, the
//! redirect, and the return. The checks are the core's (`crate::oidc`); the
//! order of effects is what this file guarantees: the stored flow is removed
//! before anything else, and the address bar is cleaned before any network call.

use wasm_bindgen::prelude::*;

use super::browser;
use super::capture::{submit_options, IdCapture, StoredIdentityJs, SubmitOptionsJs};
use super::js_error::{self, JsErrorBuilder};
use crate::error::ErrorCode;
use crate::oidc::{self, StoredFlow, STORED_FLOW_KEY};

#[wasm_bindgen]
impl IdCapture {
    /// Starts Vipps Login: stores `{state, nonce, verifier, redirect_uri,
    /// created_at}` in `sessionStorage` and navigates to Vipps (the page unloads).
    #[wasm_bindgen(js_name = startVippsLogin)]
    pub fn start_vipps_login(&self) -> Result<(), JsValue> {
        let config = self.settings.vipps.as_ref().ok_or_else(vipps_not_configured)?;
        let random = browser::random_bytes::<{ oidc::RANDOM_BYTES_NEEDED }>();
        let started = oidc::start(config, &random, now_ms()).map_err(|error| js_error::coded(&error))?;
        let window = web_sys::window().ok_or_else(no_window)?;
        let storage = window.session_storage().ok().flatten().ok_or_else(storage_unavailable)?;
        storage.set_item(STORED_FLOW_KEY, &started.stored_flow.to_json()).map_err(|_| storage_unavailable())?;
        window.location().assign(&started.authorization_url).map_err(|_| no_window())
    }

    /// On return from Vipps: `null` when `href` is not a callback; otherwise
    /// the checked code goes to the registry, which exchanges it, and its
    /// answer (the stored person) is returned. Every failure has its own code
    /// (`vipps_cancelled`, `vipps_flow_missing`, `vipps_state_mismatch`, ...).
    #[wasm_bindgen(js_name = completeVippsLogin)]
    pub async fn complete_vipps_login(&self, href: String, options: Option<SubmitOptionsJs>) -> Result<Option<StoredIdentityJs>, JsValue> {
        if !oidc::looks_like_callback(&href) {
            return Ok(None);
        }
        let window = web_sys::window().ok_or_else(no_window)?;
        // 1. Consume the stored flow first: a replayed or reloaded URL then finds nothing.
        let storage = window.session_storage().ok().flatten();
        let stored = storage.as_ref().and_then(|storage| {
            let json = storage.get_item(STORED_FLOW_KEY).ok().flatten();
            let _ = storage.remove_item(STORED_FLOW_KEY);
            json
        });
        let stored = stored.as_deref().and_then(StoredFlow::from_json);
        // 2. Take the code and state out of the address bar (and history) before any network call.
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&oidc::cleaned_callback_url(&href)));
        }
        // 3. Check the callback against the consumed flow.
        let config = self.settings.vipps.as_ref().ok_or_else(vipps_not_configured)?;
        let grant = oidc::complete(config, &href, stored, now_ms()).map_err(|error| js_error::coded(&error))?;
        let Some(grant) = grant else { return Ok(None) };
        // 4. Hand the code and verifier to the registry, which holds the client secret.
        let (options, on_status) = submit_options(options)?;
        self.send("/v1/identities/vipps", &grant.request, options.idempotency_key.as_deref(), on_status).await.map(Some)
    }
}

fn now_ms() -> u64 {
    browser::now_unix_ms().max(0.0) as u64
}

fn vipps_not_configured() -> JsValue {
    JsErrorBuilder::new(ErrorCode::InvalidConfig, "vipps is not configured for this IdCapture").build()
}

fn no_window() -> JsValue {
    JsErrorBuilder::new(ErrorCode::Internal, "Vipps Login needs a page (window), not a worker").build()
}

fn storage_unavailable() -> JsValue {
    // Without sessionStorage the flow cannot be checked on return: refuse to start.
    JsErrorBuilder::new(ErrorCode::VippsFlowMissing, "sessionStorage is not available, so a login cannot be started safely").build()
}

