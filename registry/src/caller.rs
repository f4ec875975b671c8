//! Who is calling: a partner (API key), a worker in an onboarding session
//! (session token), or an anonymous worker. Every handler that creates or
//! reads something starts here.

use std::net::IpAddr;

use axum::extract::{Request, State};
use axum::http::{header, Extensions, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use id_capture_contract::ProblemKind;

use crate::state::AppState;
use crate::idempotency::CallerScope;
use crate::partners::Partner;
use crate::problem_response::ApiProblem;
use crate::rate_limit::{RateKey, RateLimits};
use crate::sessions::{OnboardingSession, SessionStatus};

#[derive(Debug, Clone)]
pub enum Caller {
    Partner(Partner),
    Session(OnboardingSession),
    Anonymous,
}

/// The caller and the address its connection came from (none in in-process tests).
#[derive(Debug, Clone)]
pub struct CallerContext {
    pub caller: Caller,
    pub client_ip: IpAddr,
}

impl CallerContext {
    /// Idempotency keys are remembered per caller, so one caller's key never
    /// returns another caller's answer.
    pub fn idempotency_scope(&self) -> CallerScope {
        match &self.caller {
            Caller::Partner(partner) => CallerScope::partner(&partner.partner_id),
            Caller::Session(session) => CallerScope::session(&session.session_id),
            Caller::Anonymous => CallerScope::client_ip(self.client_ip),
        }
    }

    pub fn session(&self) -> Option<&OnboardingSession> {
        match &self.caller {
            Caller::Session(session) => Some(session),
            _ => None,
        }
    }

    pub fn session_id(&self) -> Option<&str> {
        self.session().map(|session| session.session_id.as_str())
    }

    pub fn is_partner(&self) -> bool {
        matches!(self.caller, Caller::Partner(_))
    }

    /// Rate limits for a creating call by this caller.
    /// The address's bucket is checked by middleware before any work; an
    /// onboarding session and a partner have buckets of their own, so one
    /// session cannot use up a shared address and a partner's backend is not
    /// held to a phone's limit.
    pub fn limit(&self, rate_limits: &RateLimits) -> Result<(), ApiProblem> {
        match &self.caller {
            Caller::Session(session) => rate_limits.check(&RateKey::Session(session.session_id.clone()))?,
            Caller::Partner(partner) => rate_limits.check_partner(&partner.partner_id, partner.rate_per_minute)?,
            Caller::Anonymous => {}
        }
        Ok(())
    }

    /// A worker's creating call in a session that is no longer open is refused.
    pub fn require_open_session(&self, now: i64) -> Result<(), ApiProblem> {
        match self.session().map(|session| session.status(now)) {
            None | Some(SessionStatus::Open) => Ok(()),
            Some(SessionStatus::Expired) => Err(ApiProblem::new(ProblemKind::SessionInvalid)),
            Some(SessionStatus::Completed | SessionStatus::Exhausted) => Err(ApiProblem::new(ProblemKind::SessionClosed)),
        }
    }
}

/// Reads `Authorization: Bearer <api key>` or `Authorization: Session <token>`.
/// A credential that does not check out is refused, never downgraded to anonymous.
pub fn identify(state: &AppState, headers: &HeaderMap, extensions: &Extensions) -> Result<CallerContext, ApiProblem> {
    // The address limit (`limit_creating_calls`) may have identified the caller already.
    if let Some(known) = extensions.get::<CallerContext>() {
        return Ok(known.clone());
    }
    let client_ip = crate::rate_limit::client_ip(extensions);
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(CallerContext { caller: Caller::Anonymous, client_ip });
    };
    let value = value.to_str().map_err(|_| ApiProblem::new(ProblemKind::Unauthorized))?;
    let (scheme, credential) = value.split_once(' ').ok_or_else(|| ApiProblem::new(ProblemKind::Unauthorized))?;
    let credential = credential.trim();
    let store_failed = |_| ApiProblem::new(ProblemKind::Unavailable).retry_after(1);
    let caller = if scheme.eq_ignore_ascii_case("bearer") {
        let partner = state.store.partner_by_key(credential).map_err(store_failed)?.ok_or_else(|| ApiProblem::new(ProblemKind::Unauthorized))?;
        check_origin(state, headers, Some(&partner))?;
        Caller::Partner(partner)
    } else if scheme.eq_ignore_ascii_case("session") {
        let session = state.store.session_by_token(credential).map_err(store_failed)?.ok_or_else(|| ApiProblem::new(ProblemKind::SessionInvalid))?;
        if session.status(state.now_unix_seconds()) == SessionStatus::Expired {
            return Err(ApiProblem::new(ProblemKind::SessionInvalid));
        }
        let partner = state.store.partner_by_id(&session.partner_id).map_err(store_failed)?;
        // A revoked partner's sessions end with it.
        if !partner.as_ref().is_some_and(Partner::is_active) {
            return Err(ApiProblem::new(ProblemKind::SessionInvalid));
        }
        check_origin(state, headers, partner.as_ref())?;
        Caller::Session(session)
    } else {
        return Err(ApiProblem::new(ProblemKind::Unauthorized));
    };
    Ok(CallerContext { caller, client_ip })
}

/// A browser call made with a partner's credential must come from a page the
/// partner (or the registry's own configuration) allows, or from the
/// registry's own page. Server-to-server calls send no `Origin`.
fn check_origin(state: &AppState, headers: &HeaderMap, partner: Option<&Partner>) -> Result<(), ApiProblem> {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|value| value.to_str().ok()) else {
        return Ok(());
    };
    let same_origin = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|host| origin == format!("http://{host}") || origin == format!("https://{host}"));
    let allowed = same_origin || state.allowed_origins.iter().any(|allowed| allowed == origin) || partner.is_some_and(|partner| partner.allows_origin(origin));
    if allowed {
        Ok(())
    } else {
        Err(ApiProblem::new(ProblemKind::ForbiddenOrigin))
    }
}

/// Route layer for creating calls: an anonymous caller (or a credential that
/// does not check out) takes a call from its address's bucket before any work.
/// A valid onboarding session or partner key is limited by its own bucket
/// instead (`AppState::limit`): workers on one site's Wi-Fi share an address,
/// and a busy onboarding day must not turn them away. The caller found here
/// rides along to the handler, so it is looked up once.
pub async fn limit_creating_calls(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let identified = identify(&state, &parts.headers, &parts.extensions);
    request = Request::from_parts(parts, body);
    match identified {
        Ok(context) if !matches!(context.caller, Caller::Anonymous) => {
            request.extensions_mut().insert(context);
        }
        _ => {
            let address = RateKey::for_client_ip(crate::rate_limit::client_ip(request.extensions()));
            if let Err(limited) = state.rate_limits.check(&address) {
                return limited.into_response();
            }
        }
    }
    next.run(request).await
}
