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
use crate::registry::{
    submit, DocumentRequest, DocumentSource, HmsCardLookupRequest, HttpMethod, IdempotencyKey, RegistryRequest, SessionToken, StagedIdentity, StoredIdentity,
    SubmissionStatus,
};

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
    #[wasm_bindgen(typescript_type = "StagedIdentity")]
    pub type StagedIdentityJs;
    #[wasm_bindgen(typescript_type = "RequestOptions")]
    pub type RequestOptionsJs;
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
pub(super) struct SubmitOptions {
    pub(super) idempotency_key: Option<String>,
}

#[wasm_bindgen(module = "/src/web/js/worker_client.js")]
extern "C" {
    /// The one capture worker of an `IdCapture` (started on first use) and the
    /// lifetime of the cameras it opens.
    #[derive(Clone)]
    pub type CaptureWorker;
    #[wasm_bindgen(constructor)]
    fn new(wasm_module: &JsValue) -> CaptureWorker;
    #[wasm_bindgen(method)]
    fn dispose(this: &CaptureWorker);
    #[wasm_bindgen(method)]
    fn release(this: &CaptureWorker);
    #[wasm_bindgen(method, js_name = forgetPhotos)]
    fn forget_photos(this: &CaptureWorker);
    #[wasm_bindgen(method, getter)]
    pub(super) fn signal(this: &CaptureWorker) -> web_sys::AbortSignal;
}

/// Its TypeScript is hand-written in `id-capture.d.ts` (exact option and
/// result types, `null` where the README says so, no `Symbol.dispose` that
/// would need lib esnext); `tests/partner-types` checks it compiles.
#[wasm_bindgen(skip_typescript)]
pub struct IdCapture {
    pub(super) settings: CaptureSettings,
    pub(super) worker: CaptureWorker,
}

/// `free()` and `[Symbol.dispose]()` end the worker too, as does the garbage
/// collector; both wait for the calls and scans running then (a page that
/// awaits `new IdCapture(...).processPhoto(file)` must still get its photo).
impl Drop for IdCapture {
    fn drop(&mut self) {
        self.worker.release();
    }
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
        // The worker gets this module compiled: it neither fetches nor compiles the .wasm again.
        Ok(IdCapture { settings, worker: CaptureWorker::new(&wasm_bindgen::module()) })
    }

    /// Terminates the capture worker (and every photo it keeps) and stops any
    /// camera this capture opened; later scans and photos fail with
    /// `capture_unavailable`. Registry calls still work.
    pub fn dispose(&self) {
        self.worker.dispose();
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
        let stored = self.send("/v2/identities/document", &body, options.idempotency_key.as_deref(), on_status).await?;
        // The person is sent: the photos it was read from are not needed any more.
        self.worker.forget_photos();
        Ok(stored)
    }

    /// Looks an HMS card up: the reference read from its QR code and the date
    /// of birth the worker reads off the same card. The registry answers with
    /// the holder and employer to show (nothing is stored yet), or
    /// `hms_card_not_found` whatever the reason, so a number alone reveals nothing.
    #[wasm_bindgen(js_name = lookUpHmsCard)]
    pub async fn look_up_hms_card(&self, hms_card_reference: String, date_of_birth: String, options: Option<RequestOptionsJs>) -> Result<StagedIdentityJs, JsValue> {
        let on_status = on_status_callback(&options.map(Into::into).unwrap_or(JsValue::UNDEFINED));
        let date_of_birth = Date::parse_iso(date_of_birth.trim())
            .ok_or_else(|| js_error::person_error(&crate::person::PersonError::MalformedDate))?
            .to_string();
        let body = HmsCardLookupRequest { hms_card_reference, date_of_birth };
        let staged: StagedIdentity = self.call(HttpMethod::Post, "/v2/hms-card/lookups", Some(&body), None, on_status).await?;
        Ok(to_js(&staged)?.unchecked_into())
    }

    /// Stores a staged identity (an HMS card holder or a Vipps person) once
    /// the worker has seen it and confirmed. Reuse the idempotency key when
    /// the user retries; `stage_not_found` when it expired (10 minutes) or was used.
    #[wasm_bindgen(js_name = confirmIdentity)]
    pub async fn confirm_identity(&self, stage_id: String, options: Option<SubmitOptionsJs>) -> Result<StoredIdentityJs, JsValue> {
        let (options, on_status) = submit_options(options)?;
        // The stage handle is a path segment: refuse anything that could leave it.
        if !crate::registry::url::is_path_handle(&stage_id) {
            return Err(js_error::invalid_argument(ErrorCode::InvalidConfig, "stageId"));
        }
        let path = format!("/v2/stages/{stage_id}/confirm");
        self.send(&path, &serde_json::json!({}), options.idempotency_key.as_deref(), on_status).await
    }

    /// The onboarding session token in a partner's link (`#session=…`), or
    /// `null`. Pass it as `session` when making the `IdCapture`, and take it
    /// out of the address bar with `IdCapture.urlWithoutSession(href)`.
    #[wasm_bindgen(js_name = sessionFromUrl)]
    pub fn session_from_url(href: &str) -> JsValue {
        // `null`, as documented: wasm-bindgen would make a `None` `undefined`.
        SessionToken::from_url_fragment(href).map_or(JsValue::NULL, |token| JsValue::from_str(token.as_str()))
    }

    /// `href` without the session token in its fragment, for `history.replaceState`.
    #[wasm_bindgen(js_name = urlWithoutSession)]
    pub fn url_without_session(href: &str) -> String {
        SessionToken::url_without_token(href)
    }
}

impl IdCapture {
    /// A creating POST with an idempotency key; answers the stored identity.
    pub(super) async fn send(&self, path: &str, body: &impl serde::Serialize, idempotency_key: Option<&str>, on_status: Option<Function>) -> Result<StoredIdentityJs, JsValue> {
        let idempotency_key = match idempotency_key {
            Some(text) => IdempotencyKey::parse(text).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidConfig, "idempotencyKey"))?,
            None => IdempotencyKey::from_random_bytes(browser::random_bytes::<16>()),
        };
        let stored: StoredIdentity = self.call(HttpMethod::Post, path, Some(body), Some(idempotency_key), on_status).await?;
        Ok(to_js(&stored)?.unchecked_into())
    }

    /// One registry call with the session's credential, retried by the core's policy.
    pub(super) async fn call<Body: serde::Serialize + ?Sized, Answer: serde::de::DeserializeOwned>(
        &self,
        method: HttpMethod,
        path: &str,
        body: Option<&Body>,
        idempotency_key: Option<IdempotencyKey>,
        on_status: Option<Function>,
    ) -> Result<Answer, JsValue> {
        let json_body = body.map(serde_json::to_string).transpose().map_err(|_| js_error::invalid_argument(ErrorCode::Internal, "the request body"))?;
        let request = RegistryRequest {
            method,
            url: self.settings.registry_url.endpoint(path),
            authorization: self.settings.session.as_ref().map(SessionToken::authorization_header),
            idempotency_key,
            json_body,
        };
        let report = |status: SubmissionStatus| {
            if let (Some(callback), Ok(value)) = (&on_status, to_js(&status)) {
                // A throwing status callback must not abort the submission.
                let _ = callback.call1(&JsValue::NULL, &value);
            }
        };
        submit(&FetchTransport, &self.settings.retry_policy, &request, report).await.map_err(|error| js_error::submit_error(&error))
    }
}

fn person_from_js(person: PersonJs) -> Result<Person, JsValue> {
    from_js_strict(&person.into()).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidPerson, "the person"))
}

/// Reads a plain JS object through JSON so that `deny_unknown_fields` holds:
/// serde-wasm-bindgen only looks up the fields it knows and would let an
/// extra field (say, a document number) pass unnoticed. Functions are dropped
/// by `JSON.stringify`, so callbacks are read separately.
pub(super) fn from_js_strict<T: DeserializeOwned>(value: &JsValue) -> Option<T> {
    let json = JSON::stringify(value).ok()?.as_string()?;
    serde_json::from_str(&json).ok()
}

/// Optional `{ idempotencyKey, onStatus }` of a submission.
pub(super) fn submit_options(options: Option<SubmitOptionsJs>) -> Result<(SubmitOptions, Option<Function>), JsValue> {
    let options: JsValue = options.map(Into::into).unwrap_or(JsValue::UNDEFINED);
    let on_status = on_status_callback(&options);
    if options.is_undefined() || options.is_null() {
        return Ok((SubmitOptions::default(), on_status));
    }
    let parsed = from_js_strict(&options).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidConfig, "the submission options"))?;
    Ok((parsed, on_status))
}

fn on_status_callback(options: &JsValue) -> Option<Function> {
    if !options.is_object() {
        return None;
    }
    Reflect::get(options, &JsValue::from_str("onStatus")).ok()?.dyn_into::<Function>().ok()
}

/// Plain JS objects (not Maps), `null` for `None`.
pub(super) fn to_js(value: &impl serde::Serialize) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).map_err(|_| js_error::invalid_argument(ErrorCode::Internal, "a value"))
}

fn today() -> Date {
    Date::from_unix_seconds((browser::now_unix_ms() / 1000.0) as i64)
}
