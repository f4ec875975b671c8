//! Vipps Login in the browser. The registry holds the login (state, nonce,
//! PKCE verifier) and does the exchange; this file only orders the effects:
//! on return the address bar is cleaned before any network call, and the
//! starting tab keeps nothing but the login's status handle.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::browser;
use super::capture::{submit_options, to_js, IdCapture, SubmitOptionsJs};
use super::js_error;
use crate::error::ErrorCode;
use crate::oidc;
use crate::registry::{HttpMethod, IdempotencyKey, StagedIdentity};

/// sessionStorage key of the started login's status handle (not a secret of the login).
const PENDING_LOGIN_KEY: &str = "id-capture.vipps-login";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "VippsLoginStatus | null")]
    pub type VippsLoginStatusJs;
    #[wasm_bindgen(typescript_type = "StagedIdentity | null")]
    pub type CompletedVippsLoginJs;
}

/// `POST /v2/vipps/logins` answer.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StartedLogin {
    login_id: String,
    authorization_url: String,
    #[allow(dead_code)] // part of the contract; the registry enforces it
    expires_at: String,
}

/// `GET /v2/vipps/logins/{login_id}` answer: the state only, never the person.
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct LoginStatus {
    status: String,
}

#[wasm_bindgen]
impl IdCapture {
    /// Starts Vipps Login: the registry makes the login and answers the
    /// provider's address; this tab keeps only its status handle and goes there.
    #[wasm_bindgen(js_name = startVippsLogin)]
    pub async fn start_vipps_login(&self) -> Result<(), JsValue> {
        let started: StartedLogin = self.call(HttpMethod::Post, "/v2/vipps/logins", Some(&serde_json::json!({})), None, None).await?;
        // The provider's address must be https (http only on loopback): a registry
        // answer is never a way to send the worker to a javascript: URL.
        let secure = started.authorization_url.starts_with("https://")
            || ["http://127.0.0.1", "http://localhost", "http://[::1]"].iter().any(|prefix| started.authorization_url.starts_with(prefix));
        if !secure {
            return Err(js_error::invalid_argument(ErrorCode::RegistryRejected, "the authorization URL"));
        }
        let window = web_sys::window().ok_or_else(no_window)?;
        if let Ok(Some(storage)) = window.session_storage() {
            // Only the status handle: if the user comes back to this tab it can say
            // "continue in the window Vipps opened" or finish cleanly.
            let _ = storage.set_item(PENDING_LOGIN_KEY, &started.login_id);
        }
        window.location().assign(&started.authorization_url).map_err(|_| no_window())
    }

    /// On return from Vipps, in any tab or browser: `null` when `href` is not a
    /// callback; otherwise the address bar is cleaned first, the response goes
    /// to the registry, and its answer, the person to confirm, is returned.
    /// Confirm it with `confirmIdentity(stage_id)`.
    #[wasm_bindgen(js_name = completeVippsLogin)]
    pub async fn complete_vipps_login(&self, href: String, options: Option<SubmitOptionsJs>) -> Result<CompletedVippsLoginJs, JsValue> {
        // `null`, as documented: wasm-bindgen would make a `None` `undefined`.
        let not_a_callback = || JsValue::NULL.unchecked_into();
        if !oidc::looks_like_callback(&href) {
            return Ok(not_a_callback());
        }
        let window = web_sys::window().ok_or_else(no_window)?;
        // 1. The code and state leave the address bar (and history) before any network call.
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&oidc::cleaned_callback_url(&href)));
        }
        if let Ok(Some(storage)) = window.session_storage() {
            let _ = storage.remove_item(PENDING_LOGIN_KEY);
        }
        let callback = oidc::read_callback(&href).map_err(|error| js_error::coded(&error))?;
        let Some(callback) = callback else { return Ok(not_a_callback()) };
        // 2. The registry judges it. One idempotency key for every retry: a lost answer
        //    is answered again from the registry, and the code reaches Vipps once.
        let (options, on_status) = submit_options(options)?;
        let key = match options.idempotency_key.as_deref() {
            Some(text) => IdempotencyKey::parse(text).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidConfig, "idempotencyKey"))?,
            None => IdempotencyKey::from_random_bytes(browser::random_bytes::<16>()),
        };
        let answer: Result<StagedIdentity, JsValue> = self.call(HttpMethod::Post, "/v2/vipps/callbacks", Some(&callback.request), Some(key), on_status).await;
        // A cancel or provider error is reported as such once the registry has recorded it.
        if let Some(error) = callback.provider_error() {
            return Err(js_error::coded(&error));
        }
        let staged = answer?;
        Ok(to_js(&staged)?.unchecked_into())
    }

    /// In the tab that started a login: its status (`waiting`, `completed`,
    /// `cancelled`, `failed`, `expired`), or `null` when this tab started none.
    /// Never the person. A finished login's handle is forgotten.
    #[wasm_bindgen(js_name = vippsLoginStatus)]
    pub async fn vipps_login_status(&self) -> Result<VippsLoginStatusJs, JsValue> {
        let window = web_sys::window().ok_or_else(no_window)?;
        let storage = window.session_storage().ok().flatten();
        let Some(login_id) = storage.as_ref().and_then(|storage| storage.get_item(PENDING_LOGIN_KEY).ok().flatten()) else {
            return Ok(JsValue::NULL.unchecked_into());
        };
        if !crate::registry::url::is_path_handle(&login_id) {
            if let Some(storage) = &storage {
                let _ = storage.remove_item(PENDING_LOGIN_KEY);
            }
            return Ok(JsValue::NULL.unchecked_into());
        }
        let status: LoginStatus = self.call::<(), _>(HttpMethod::Get, &format!("/v2/vipps/logins/{login_id}"), None, None, None).await?;
        if status.status != "waiting" {
            if let Some(storage) = &storage {
                let _ = storage.remove_item(PENDING_LOGIN_KEY);
            }
        }
        Ok(to_js(&status)?.unchecked_into())
    }

    /// Forgets a started login in this tab (the user chose another method).
    #[wasm_bindgen(js_name = forgetVippsLogin)]
    pub fn forget_vipps_login(&self) {
        if let Some(Ok(Some(storage))) = web_sys::window().map(|window| window.session_storage()) {
            let _ = storage.remove_item(PENDING_LOGIN_KEY);
        }
    }
}

fn no_window() -> JsValue {
    js_error::JsErrorBuilder::new(ErrorCode::Internal, "Vipps Login needs a page (window), not a worker").build()
}
