//! The paths of Registry API v2 (`docs/registry-api.md`). The registry routes
//! the patterns (`{name}` is a path parameter, as axum writes it); the module
//! calls the paths the functions below fill in.

use crate::handle::is_path_handle;

pub const HEALTH_V1: &str = "/v1/health";
pub const HEALTH: &str = "/v2/health";
/// `POST`: a partner creates an onboarding session.
pub const SESSIONS: &str = "/v2/sessions";
/// `GET`: a partner reads one of its onboarding sessions.
pub const SESSION: &str = "/v2/sessions/{session_id}";
/// `GET`: the onboarding session the caller's token names.
pub const OWN_SESSION: &str = "/v2/session";
/// `POST`: an HMS card reference and the date of birth on the card.
pub const HMS_CARD_LOOKUPS: &str = "/v2/hms-card/lookups";
/// `POST`: a person read from an ID document's MRZ or typed beside its photo.
pub const DOCUMENT_IDENTITIES: &str = "/v2/identities/document";
/// `POST`: stores a staged identity.
pub const STAGE_CONFIRM: &str = "/v2/stages/{stage_id}/confirm";
/// `POST`: starts a Vipps login.
pub const VIPPS_LOGINS: &str = "/v2/vipps/logins";
/// `GET`: how a Vipps login stands.
pub const VIPPS_LOGIN_STATUS: &str = "/v2/vipps/logins/{login_id}";
/// `POST`: the callback's parameters, from whichever tab Vipps returned to.
pub const VIPPS_CALLBACKS: &str = "/v2/vipps/callbacks";

/// Where a staged identity is confirmed, or `None` when `stage_id` is not a handle.
pub fn stage_confirm(stage_id: &str) -> Option<String> {
    is_path_handle(stage_id).then(|| STAGE_CONFIRM.replace("{stage_id}", stage_id))
}

/// Where a Vipps login's status is read, or `None` when `login_id` is not a handle.
pub fn vipps_login_status(login_id: &str) -> Option<String> {
    is_path_handle(login_id).then(|| VIPPS_LOGIN_STATUS.replace("{login_id}", login_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_fill_the_patterns_and_anything_else_is_refused() {
        assert_eq!(stage_confirm("AbC-_09").as_deref(), Some("/v2/stages/AbC-_09/confirm"));
        assert_eq!(vipps_login_status("xyz").as_deref(), Some("/v2/vipps/logins/xyz"));
        assert_eq!(stage_confirm("../sessions"), None);
        assert_eq!(vipps_login_status(""), None);
    }
}
