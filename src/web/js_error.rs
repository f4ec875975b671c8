//! The one mapping of errors to JavaScript. Every failure reaches a page as an
//! instance of `IdCaptureError` (the class in `js/errors.js`, re-exported by
//! the package) with a stable `code` (`crate::error::ErrorCode`) and, where
//! useful, details a page can act on (`field`, `kind`, `limit`, `status`,
//! `attempts`, ...). Errors the JavaScript snippets reject with pass through
//! `from_snippet`, which holds them to the same list. Messages hold no personal data.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::config::ConfigError;
use crate::error::{Coded, ErrorCode};
use crate::person::PersonError;
use crate::registry::SubmitError;

#[wasm_bindgen(module = "/src/web/js/errors.js")]
extern "C" {
    /// The class of every error the module throws or rejects with.
    #[wasm_bindgen(js_name = IdCaptureError, extends = js_sys::Error)]
    pub type IdCaptureErrorClass;

    #[wasm_bindgen(constructor, js_class = IdCaptureError)]
    fn construct(code: &str, message: &str, details: &JsValue) -> IdCaptureErrorClass;

    /// Only here to have the package export the class (its type is
    /// hand-written in `id-capture.d.ts`, so none is generated).
    #[allow(dead_code)]
    #[wasm_bindgen(reexport = "IdCaptureError", skip_typescript, js_name = IdCaptureError)]
    fn exported_class();
}

#[wasm_bindgen]
extern "C" {
    /// A promise whose `catch` handler may throw (js-sys's `catch` takes one that returns nothing).
    #[wasm_bindgen(js_name = Promise)]
    type RethrowingPromise;
    #[wasm_bindgen(method, js_name = catch)]
    fn catch_with(this: &RethrowingPromise, handler: &js_sys::Function) -> js_sys::Promise;
}

pub struct JsErrorBuilder {
    error: IdCaptureErrorClass,
}

impl JsErrorBuilder {
    pub fn new(code: ErrorCode, message: &str) -> JsErrorBuilder {
        JsErrorBuilder { error: IdCaptureErrorClass::construct(code.as_str(), message, &JsValue::UNDEFINED) }
    }

    /// A detail the page can act on (one of those `IdCaptureErrorDetails` declares).
    pub fn with(self, name: &str, value: impl Into<JsValue>) -> JsErrorBuilder {
        // Setting a property on a fresh error object cannot fail.
        let _ = Reflect::set(&self.error, &JsValue::from_str(name), &value.into());
        self
    }

    pub fn build(self) -> JsValue {
        self.error.into()
    }
}

/// Any coded core error as a JavaScript error.
pub fn coded(error: &(impl Coded + ?Sized)) -> JsValue {
    JsErrorBuilder::new(error.code(), &error.to_string()).build()
}

pub fn person_error(error: &PersonError) -> JsValue {
    JsErrorBuilder::new(error.code(), &error.to_string()).with("field", error.field().as_str()).build()
}

pub fn config_error(error: &ConfigError) -> JsValue {
    coded(error)
}

pub fn submit_error(error: &SubmitError) -> JsValue {
    let builder = JsErrorBuilder::new(error.code(), &error.to_string());
    match error {
        SubmitError::Unavailable { attempts, last_status } => {
            let builder = builder.with("attempts", *attempts);
            match last_status {
                Some(status) => builder.with("status", *status),
                None => builder,
            }
        }
        SubmitError::Rejected { status, problem } => {
            let builder = builder.with("status", *status);
            match problem {
                Some(kind) => builder.with("problemType", kind.type_uri()),
                None => builder,
            }
        }
        SubmitError::MalformedAnswer => builder,
    }
    .build()
}

/// A value from JavaScript that does not have the documented shape.
pub fn invalid_argument(code: ErrorCode, what: &str) -> JsValue {
    JsErrorBuilder::new(code, &format!("{what} does not have the documented shape")).build()
}

fn string_property(value: &JsValue, name: &str) -> Option<String> {
    if !value.is_object() {
        return None;
    }
    Reflect::get(value, &JsValue::from_str(name)).ok()?.as_string()
}

/// What a JavaScript snippet (camera, capture worker) failed with, as the
/// module's error: an `IdCaptureError` whose code is on our list stays as it
/// is; an error with a code of ours becomes one, keeping its details; an
/// `AbortError` (the page's own `signal` aborted) stays the platform's; any
/// other failure, or a code not on the list, is `internal`. (What a page's own
/// callback throws never comes through here: the scan in Rust rejects with it.)
pub fn from_snippet(error: JsValue) -> JsValue {
    if string_property(&error, "name").as_deref() == Some("AbortError") {
        return error;
    }
    match string_property(&error, "code").as_deref().and_then(ErrorCode::from_code) {
        Some(_) if error.is_instance_of::<IdCaptureErrorClass>() => error,
        Some(code) => IdCaptureErrorClass::construct(code.as_str(), &string_property(&error, "message").unwrap_or_default(), &error).into(),
        None => JsErrorBuilder::new(ErrorCode::Internal, "the capture code failed unexpectedly").build(),
    }
}

thread_local! {
    /// Made once and kept for the page's life (a `catch` handler per call would leak one each).
    static REJECT_FROM_SNIPPET: Closure<dyn Fn(JsValue) -> Result<JsValue, JsValue>> = Closure::new(|error| Err(from_snippet(error)));
}

/// `promise`, rejecting only with what `from_snippet` makes of its failure.
/// (A `catch` handler, not an async wrapper: that cost 1 KB of wasm per use.)
pub fn settled_by_snippet(promise: js_sys::Promise) -> js_sys::Promise {
    REJECT_FROM_SNIPPET.with(|reject| promise.unchecked_ref::<RethrowingPromise>().catch_with(reject.as_ref().unchecked_ref()))
}
