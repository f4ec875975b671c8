//! `IdCapture`: the object a page makes once with its configuration, then asks
//! to check a person and submit a capture.

use js_sys::{Function, Reflect, JSON};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::browser;
use super::js_error;
use super::registry_client::FetchTransport;
use crate::config::{CaptureOptions, CaptureSettings};
use crate::date::Date;
use crate::error::ErrorCode;
use crate::person::Person;
use crate::registry::{submit, DocumentRequest, DocumentSource, HmsCardRequest, IdempotencyKey, RegistryRequest, SubmissionStatus};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "IdCaptureConfig")]
    pub type IdCaptureConfigJs;
    #[wasm_bindgen(typescript_type = "Person")]
    pub type PersonJs;
    #[wasm_bindgen(typescript_type = "SubmitDocumentOptions")]
    pub type SubmitDocumentOptionsJs;
    #[wasm_bindgen(typescript_type = "SubmitOptions")]
    pub type SubmitOptionsJs;
    #[wasm_bindgen(typescript_type = "StoredIdentity")]
    pub type StoredIdentityJs;
}

/// Options of a document submission, as JavaScript passes them.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SubmitDocumentOptions {
    source: DocumentSource,
    #[serde(default)]
    corrected_by_user: bool,
    idempotency_key: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SubmitOptions {
    idempotency_key: Option<String>,
}

#[wasm_bindgen]
pub struct IdCapture {
    settings: CaptureSettings,
}

#[wasm_bindgen]
impl IdCapture {
    /// Throws `invalid_config` when an option is unknown or out of range.
    #[wasm_bindgen(constructor)]
    pub fn new(config: Option<IdCaptureConfigJs>) -> Result<IdCapture, JsValue> {
        let options: CaptureOptions = match config {
            Some(config) if !config.is_undefined() && !config.is_null() => {
                from_js_strict(&config.into()).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidConfig, "the configuration"))?
            }
            _ => CaptureOptions::default(),
        };
        let settings = options.validate().map_err(|error| js_error::config_error(&error))?;
        Ok(IdCapture { settings })
    }

    /// A fresh idempotency key: make one per capture and pass it to every
    /// submission of that capture (including a retry the user starts).
    #[wasm_bindgen(js_name = newIdempotencyKey)]
    pub fn new_idempotency_key() -> String {
        IdempotencyKey::from_random_bytes(browser::random_bytes::<16>()).to_string()
    }

    /// The person as it would be sent (trimmed, nationality upper-case), or
    /// an `invalid_person` error whose `field` names what to correct.
    #[wasm_bindgen(js_name = checkPerson)]
    pub fn check_person(&self, person: PersonJs) -> Result<PersonJs, JsValue> {
        let person = person_from_js(person)?;
        let normalized = person.normalized(today()).map_err(|error| js_error::person_error(&error))?;
        Ok(to_js(&normalized)?.unchecked_into())
    }

    /// Sends a confirmed person read from (or typed beside) an ID document.
    #[wasm_bindgen(js_name = submitDocument)]
    pub async fn submit_document(&self, person: PersonJs, options: SubmitDocumentOptionsJs) -> Result<StoredIdentityJs, JsValue> {
        let options: JsValue = options.into();
        let on_status = on_status_callback(&options);
        let options: SubmitDocumentOptions =
            from_js_strict(&options).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidConfig, "the submission options"))?;
        let person = person_from_js(person)?.normalized(today()).map_err(|error| js_error::person_error(&error))?;
        let body = DocumentRequest { person, source: options.source, corrected_by_user: options.corrected_by_user };
        self.send("/v1/identities/document", &body, options.idempotency_key.as_deref(), on_status).await
    }

    /// Sends the card reference read from an HMS card's QR code; the registry
    /// answers with the holder and employer for the user to confirm.
    #[wasm_bindgen(js_name = submitHmsCard)]
    pub async fn submit_hms_card(&self, hms_card_reference: String, options: Option<SubmitOptionsJs>) -> Result<StoredIdentityJs, JsValue> {
        let options: JsValue = options.map(Into::into).unwrap_or(JsValue::UNDEFINED);
        let on_status = on_status_callback(&options);
        let options: SubmitOptions = if options.is_undefined() || options.is_null() {
            SubmitOptions::default()
        } else {
            from_js_strict(&options).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidConfig, "the submission options"))?
        };
        let body = HmsCardRequest { hms_card_reference };
        self.send("/v1/identities/hms-card", &body, options.idempotency_key.as_deref(), on_status).await
    }
}

impl IdCapture {
    async fn send(&self, path: &str, body: &impl serde::Serialize, idempotency_key: Option<&str>, on_status: Option<Function>) -> Result<StoredIdentityJs, JsValue> {
        let idempotency_key = match idempotency_key {
            Some(text) => IdempotencyKey::parse(text).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidConfig, "idempotencyKey"))?,
            None => IdempotencyKey::from_random_bytes(browser::random_bytes::<16>()),
        };
        let json_body = serde_json::to_string(body).map_err(|_| js_error::invalid_argument(ErrorCode::Internal, "the request body"))?;
        let request = RegistryRequest { url: self.settings.registry_url.endpoint(path), idempotency_key, json_body };
        let report = |status: SubmissionStatus| {
            if let (Some(callback), Ok(value)) = (&on_status, to_js(&status)) {
                // A throwing status callback must not abort the submission.
                let _ = callback.call1(&JsValue::NULL, &value);
            }
        };
        let stored = submit(&FetchTransport, &self.settings.retry_policy, &request, report).await.map_err(|error| js_error::submit_error(&error))?;
        Ok(to_js(&stored)?.unchecked_into())
    }
}

fn person_from_js(person: PersonJs) -> Result<Person, JsValue> {
    from_js_strict(&person.into()).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidPerson, "the person"))
}

/// Reads a plain JS object through JSON so that `deny_unknown_fields` holds:
/// serde-wasm-bindgen only looks up the fields it knows and would let an
/// extra field (say, a document number) pass unnoticed. Functions are dropped
/// by `JSON.stringify`, so callbacks are read separately.
fn from_js_strict<T: DeserializeOwned>(value: &JsValue) -> Option<T> {
    let json = JSON::stringify(value).ok()?.as_string()?;
    serde_json::from_str(&json).ok()
}

fn on_status_callback(options: &JsValue) -> Option<Function> {
    if !options.is_object() {
        return None;
    }
    Reflect::get(options, &JsValue::from_str("onStatus")).ok()?.dyn_into::<Function>().ok()
}

/// Plain JS objects (not Maps), `null` for `None`.
fn to_js(value: &impl serde::Serialize) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).map_err(|_| js_error::invalid_argument(ErrorCode::Internal, "a value"))
}

fn today() -> Date {
    Date::from_unix_seconds((browser::now_unix_ms() / 1000.0) as i64)
}
