//! `POST /v2/hms-card/lookups`: the card reference the module read from the
//! QR code, and the date of birth the worker typed from the same card. The
//! holder is answered, as a staged identity, only when both match a valid
//! card. To the worker's page an unknown card, an expired or revoked one and
//! a wrong date are one and the same answer, so a guessed or photographed
//! number yields nothing.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Extensions, HeaderMap};
use axum::Json;
use id_capture_contract::date::Date;
use id_capture_contract::payloads::{is_bounded_text, MAX_REFERENCE_CHARS};
use id_capture_contract::{HmsCardLookupRequest, ProblemKind, StagedIdentity};

use crate::state::AppState;
use crate::caller::{identify, CallerContext};
use crate::hms_directory::LookupError;
use crate::idempotency::store_problem;
use crate::problem_response::ApiProblem;
use crate::stages::{stage, StagedMethod};
use crate::strict_json::parse_strict;

pub const HMS_LOOKUP_ENDPOINT: &str = id_capture_contract::endpoints::HMS_CARD_LOOKUPS;

/// How a lookup ended, before it becomes an answer for this caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Miss {
    Unknown,
    NotValid,
    WrongDate,
}

fn miss_problem(miss: Miss, context: &CallerContext) -> ApiProblem {
    // Only a partner, who holds a key and answers for its use, learns that a
    // card is expired or revoked, and only when it also knew the holder's date
    // of birth. Unknown numbers and wrong dates are one answer for everyone.
    match (context.is_partner(), miss) {
        (true, Miss::NotValid) => ApiProblem::new(ProblemKind::HmsCardNotValid),
        _ => ApiProblem::new(ProblemKind::HmsCardNotFound),
    }
}

pub async fn look_up_hms_card(State(state): State<AppState>, extensions: Extensions, headers: HeaderMap, body: Bytes) -> Result<Json<StagedIdentity>, ApiProblem> {
    let context = identify(&state, &headers, &extensions)?;
    context.limit(&state.rate_limits)?;
    let now = state.now_unix_seconds();
    context.require_open_session(now)?;
    let request: HmsCardLookupRequest = parse_strict(&headers, &body)?;
    let reference = request.hms_card_reference.trim();
    if !is_bounded_text(reference, MAX_REFERENCE_CHARS) {
        return Err(ApiProblem::with_detail(ProblemKind::InvalidRequest, "hms_card_reference is empty, too long or has control characters"));
    }
    let date_of_birth = Date::parse_iso(request.date_of_birth.trim())
        .ok_or_else(|| ApiProblem::with_detail(ProblemKind::InvalidRequest, "date_of_birth is not a YYYY-MM-DD date"))?;

    let found = match state.hms_directory.look_up(reference, state.today()).await {
        // The date decides first: "not valid" is never an oracle for a number alone.
        Ok(record) if Date::parse_iso(&record.holder.person.date_of_birth) != Some(date_of_birth) => Err(Miss::WrongDate),
        Ok(record) if !record.valid => Err(Miss::NotValid),
        Ok(record) => Ok(record.holder),
        Err(LookupError::Unknown) => Err(Miss::Unknown),
        Err(LookupError::Unavailable) => return Err(ApiProblem::new(ProblemKind::Unavailable).retry_after(5)),
    };
    let holder = match found {
        Ok(holder) => holder,
        Err(miss) => {
            if let Some(session_id) = context.session_id() {
                state.store.record_failed_attempt(session_id).map_err(store_problem)?;
            }
            return Err(miss_problem(miss, &context));
        }
    };
    let staged = stage(
        &state,
        &holder.person,
        StagedMethod::HmsCard { hms_card_reference: reference.to_owned(), employer: holder.employer },
        context.session_id().map(str::to_owned),
    )?;
    Ok(Json(staged))
}
