//! Every failure reaches JavaScript as an `Error` named `IdCaptureError` with a
//! stable `code` (see `crate::error::ErrorCode`) and, where useful, details a
//! page can act on (`field`, `status`, `attempts`). Messages hold no personal data.

use js_sys::{Error, Reflect};
use wasm_bindgen::JsValue;

use crate::config::ConfigError;
use crate::error::{Coded, ErrorCode};
use crate::person::PersonError;
use crate::registry::SubmitError;

pub struct JsErrorBuilder {
    error: Error,
}

impl JsErrorBuilder {
    pub fn new(code: ErrorCode, message: &str) -> JsErrorBuilder {
        let error = Error::new(message);
        error.set_name("IdCaptureError");
        let builder = JsErrorBuilder { error };
        builder.with("code", code.as_str())
    }

    pub fn with(self, name: &str, value: impl Into<JsValue>) -> JsErrorBuilder {
        // Setting a property on a fresh Error object cannot fail.
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
