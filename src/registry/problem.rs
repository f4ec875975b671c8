//! RFC 9457 problem details come from the contract (`id_capture_contract::problem`);
//! what the module adds is the stable error code a page sees for each problem.

pub use id_capture_contract::problem::*;

use crate::error::ErrorCode;

/// The stable error code the module reports for a problem (the contract
/// knows problems, not the module's error codes, so the mapping lives here).
pub trait ProblemErrorCode {
    fn error_code(self) -> ErrorCode;
}

impl ProblemErrorCode for ProblemKind {
    fn error_code(self) -> ErrorCode {
        match self {
            ProblemKind::HmsCardNotValid => ErrorCode::HmsCardNotValid,
            ProblemKind::HmsCardNotFound => ErrorCode::HmsCardNotFound,
            ProblemKind::SessionInvalid => ErrorCode::SessionInvalid,
            ProblemKind::SessionClosed => ErrorCode::SessionClosed,
            ProblemKind::VippsExchangeFailed => ErrorCode::VippsExchangeFailed,
            ProblemKind::VippsInvalidToken => ErrorCode::VippsInvalidToken,
            ProblemKind::IdempotencyConflict => ErrorCode::IdempotencyConflict,
            ProblemKind::InvalidPerson => ErrorCode::InvalidPerson,
            ProblemKind::StageNotFound => ErrorCode::StageNotFound,
            ProblemKind::VippsLoginNotFound => ErrorCode::VippsLoginNotFound,
            ProblemKind::VippsLoginExpired => ErrorCode::VippsLoginExpired,
            ProblemKind::VippsLoginInProgress => ErrorCode::VippsLoginInProgress,
            ProblemKind::VippsCancelled => ErrorCode::VippsCancelled,
            ProblemKind::VippsProviderError => ErrorCode::VippsProviderError,
            ProblemKind::VippsIssuerMismatch => ErrorCode::VippsIssuerMismatch,
            ProblemKind::RateLimited
            | ProblemKind::Unavailable
            | ProblemKind::VippsNotConfigured
            | ProblemKind::Internal
            | ProblemKind::RequestTimeout => {
                ErrorCode::RegistryUnavailable
            }
            _ => ErrorCode::RegistryRejected,
        }
    }
}
