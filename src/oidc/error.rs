//! Why a Vipps Login step failed. Messages never contain the callback's values
//! (codes, states) nor the provider's free-text `error_description`.

use crate::error::{Coded, ErrorCode};

/// The provider's `error` parameter, reduced to a known list so nothing the
/// provider wrote is echoed to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderErrorCode {
    ServerError,
    LoginRequired,
    OutdatedAppVersion,
    WrongChallenge,
    InvalidRequest,
    UnauthorizedClient,
    TemporarilyUnavailable,
    /// Anything else, including codes Vipps has not documented.
    Other,
}

impl ProviderErrorCode {
    /// Maps the `error` parameter; `access_denied` is not here, it is `OidcError::Cancelled`.
    pub fn from_parameter(error: &str) -> ProviderErrorCode {
        match error {
            "server_error" => ProviderErrorCode::ServerError,
            "login_required" => ProviderErrorCode::LoginRequired,
            "outdated_app_version" => ProviderErrorCode::OutdatedAppVersion,
            "wrong_challenge" => ProviderErrorCode::WrongChallenge,
            "invalid_request" => ProviderErrorCode::InvalidRequest,
            "unauthorized_client" => ProviderErrorCode::UnauthorizedClient,
            "temporarily_unavailable" => ProviderErrorCode::TemporarilyUnavailable,
            _ => ProviderErrorCode::Other,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            ProviderErrorCode::ServerError => "server_error",
            ProviderErrorCode::LoginRequired => "login_required",
            ProviderErrorCode::OutdatedAppVersion => "outdated_app_version",
            ProviderErrorCode::WrongChallenge => "wrong_challenge",
            ProviderErrorCode::InvalidRequest => "invalid_request",
            ProviderErrorCode::UnauthorizedClient => "unauthorized_client",
            ProviderErrorCode::TemporarilyUnavailable => "temporarily_unavailable",
            ProviderErrorCode::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OidcError {
    /// `error=access_denied`: the user said no in Vipps.
    #[error("the user cancelled Vipps Login")]
    Cancelled,
    #[error("Vipps reported an error: {}", .0.as_str())]
    ProviderError(ProviderErrorCode),
    #[error("the callback has no state")]
    StateMissing,
    #[error("the callback has no authorization code")]
    CodeMissing,
    /// Duplicated or oversized parameters, or bad encoding.
    #[error("the callback URL is not valid: {0}")]
    CallbackInvalid(&'static str),
}

impl Coded for OidcError {
    fn code(&self) -> ErrorCode {
        match self {
            OidcError::Cancelled => ErrorCode::VippsCancelled,
            OidcError::ProviderError(_) => ErrorCode::VippsProviderError,
            OidcError::StateMissing => ErrorCode::VippsStateMissing,
            OidcError::CodeMissing => ErrorCode::VippsCodeMissing,
            OidcError::CallbackInvalid(_) => ErrorCode::VippsCallbackInvalid,
        }
    }
}
