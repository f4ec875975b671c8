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
    /// The embedding page configured the module wrongly; the reason names the field.
    #[error("Vipps configuration is invalid: {0}")]
    InvalidConfig(&'static str),
    /// The boundary passed fewer random bytes than the flow needs (a bug).
    #[error("{got} random bytes given, {needed} needed")]
    NotEnoughRandomness { got: usize, needed: usize },
    /// `error=access_denied`: the user said no in Vipps.
    #[error("the user cancelled Vipps Login")]
    Cancelled,
    #[error("Vipps reported an error: {}", .0.as_str())]
    ProviderError(ProviderErrorCode),
    /// No stored flow: started in another browser (iOS app return), already
    /// used (a replayed URL), or storage was cleared. The page offers a restart.
    #[error("no Vipps Login was started in this browser tab, or it was already used")]
    FlowMissing,
    #[error("the callback has no state")]
    StateMissing,
    #[error("the callback's state is not the one this tab sent")]
    StateMismatch,
    #[error("the Vipps Login started too long ago")]
    FlowExpired,
    /// RFC 9207: the response names another issuer (or none where one is required).
    #[error("the callback comes from another issuer")]
    IssuerMismatch,
    #[error("the callback has no authorization code")]
    CodeMissing,
    /// Duplicated or oversized parameters, bad encoding, or the wrong address.
    #[error("the callback URL is not valid: {0}")]
    CallbackInvalid(&'static str),
}

impl Coded for OidcError {
    fn code(&self) -> ErrorCode {
        match self {
            OidcError::InvalidConfig(_) => ErrorCode::InvalidConfig,
            OidcError::NotEnoughRandomness { .. } => ErrorCode::Internal,
            OidcError::Cancelled => ErrorCode::VippsCancelled,
            OidcError::ProviderError(_) => ErrorCode::VippsProviderError,
            OidcError::FlowMissing => ErrorCode::VippsFlowMissing,
            OidcError::StateMissing => ErrorCode::VippsStateMissing,
            OidcError::StateMismatch => ErrorCode::VippsStateMismatch,
            OidcError::FlowExpired => ErrorCode::VippsFlowExpired,
            OidcError::IssuerMismatch => ErrorCode::VippsIssuerMismatch,
            OidcError::CodeMissing => ErrorCode::VippsCodeMissing,
            OidcError::CallbackInvalid(_) => ErrorCode::VippsCallbackInvalid,
        }
    }
}
