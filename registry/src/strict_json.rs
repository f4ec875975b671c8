//! Strict request bodies: `application/json`, bounded size, exactly the
//! contract's fields. Parse errors are reported by category and position only,
//! never with the value that failed (it may be a name).

use axum::body::Bytes;
use axum::http::{header, HeaderMap};
use id_capture_contract::ProblemKind;
use serde::de::DeserializeOwned;

use crate::problem_response::ApiProblem;

/// Largest request body the API reads; the biggest valid one is a few KB.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

pub fn parse_strict<T: DeserializeOwned>(headers: &HeaderMap, body: &Bytes) -> Result<T, ApiProblem> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(ApiProblem::new(ProblemKind::UnsupportedMediaType));
    }
    if body.len() > MAX_BODY_BYTES {
        return Err(ApiProblem::new(ProblemKind::PayloadTooLarge));
    }
    serde_json::from_slice(body).map_err(|error| {
        let what = if error.to_string().starts_with("unknown field") {
            "an unknown field"
        } else if error.to_string().starts_with("missing field") {
            "a missing field"
        } else {
            match error.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => "malformed JSON",
                serde_json::error::Category::Data => "a field of the wrong type or value",
                serde_json::error::Category::Io => "an unreadable body",
            }
        };
        ApiProblem::with_detail(ProblemKind::InvalidRequest, format!("{what} at line {} column {}", error.line(), error.column()))
    })
}
