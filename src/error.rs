//! The one list of stable error codes a page can switch on (`err.code` in
//! JavaScript). Each concern keeps its own `thiserror` enum with the details a
//! caller can act on; every such enum maps each variant to one code here.
//! Adding a code means adding it to `ErrorCode::ALL` and to the union type in
//! `src/web/id-capture.d.ts` (a test checks they agree).

/// Stable, documented error codes. Never rename one: partners switch on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    // Configuration of the module by the embedding page.
    InvalidConfig,
    // The person that would be sent.
    InvalidPerson,
    // HMS card QR scanning.
    NoQrCodeFound,
    NotAnHmsCard,
    InvalidPixels,
    CameraDenied,
    CameraUnavailable,
    // The capture worker (scans and photos) cannot run, or the capture was disposed.
    // Joins ALL with the d.ts union (branch api), as does PhotoReleased.
    CaptureUnavailable,
    // ID document photo.
    ImageTooLarge,
    ImageCorrupt,
    ImageIncomplete,
    ImageUnsupported,
    ImageEmpty,
    NoDocumentFound,
    ByteBudgetUnreachable,
    /// `recrop` of a photo no longer kept (a newer two were taken, or the person was sent).
    PhotoReleased,
    // MRZ reading.
    NoMrzFound,
    MrzInvalid,
    MrzChecksFailed,
    // Vipps Login, browser side.
    VippsCancelled,
    VippsProviderError,
    VippsStateMissing,
    VippsIssuerMismatch,
    VippsCodeMissing,
    VippsCallbackInvalid,
    // Registry round trip.
    RegistryUnavailable,
    RegistryRejected,
    HmsCardNotValid,
    HmsCardNotFound,
    SessionInvalid,
    SessionClosed,
    VippsExchangeFailed,
    VippsInvalidToken,
    IdempotencyConflict,
    StageNotFound,
    VippsLoginNotFound,
    VippsLoginExpired,
    VippsLoginInProgress,
    // Something the module cannot explain; a bug to report.
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 37] = [
        ErrorCode::InvalidConfig,
        ErrorCode::InvalidPerson,
        ErrorCode::NoQrCodeFound,
        ErrorCode::NotAnHmsCard,
        ErrorCode::InvalidPixels,
        ErrorCode::CameraDenied,
        ErrorCode::CameraUnavailable,
        ErrorCode::ImageTooLarge,
        ErrorCode::ImageCorrupt,
        ErrorCode::ImageIncomplete,
        ErrorCode::ImageUnsupported,
        ErrorCode::ImageEmpty,
        ErrorCode::NoDocumentFound,
        ErrorCode::ByteBudgetUnreachable,
        ErrorCode::NoMrzFound,
        ErrorCode::MrzInvalid,
        ErrorCode::MrzChecksFailed,
        ErrorCode::VippsCancelled,
        ErrorCode::VippsProviderError,
        ErrorCode::VippsStateMissing,
        ErrorCode::VippsIssuerMismatch,
        ErrorCode::VippsCodeMissing,
        ErrorCode::VippsCallbackInvalid,
        ErrorCode::RegistryUnavailable,
        ErrorCode::RegistryRejected,
        ErrorCode::HmsCardNotValid,
        ErrorCode::HmsCardNotFound,
        ErrorCode::SessionInvalid,
        ErrorCode::SessionClosed,
        ErrorCode::VippsExchangeFailed,
        ErrorCode::VippsInvalidToken,
        ErrorCode::IdempotencyConflict,
        ErrorCode::StageNotFound,
        ErrorCode::VippsLoginNotFound,
        ErrorCode::VippsLoginExpired,
        ErrorCode::VippsLoginInProgress,
        ErrorCode::Internal,
    ];

    /// The `code` string JavaScript sees.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidConfig => "invalid_config",
            ErrorCode::InvalidPerson => "invalid_person",
            ErrorCode::NoQrCodeFound => "no_qr_code_found",
            ErrorCode::NotAnHmsCard => "not_an_hms_card",
            ErrorCode::InvalidPixels => "invalid_pixels",
            ErrorCode::CameraDenied => "camera_denied",
            ErrorCode::CameraUnavailable => "camera_unavailable",
            ErrorCode::CaptureUnavailable => "capture_unavailable",
            ErrorCode::PhotoReleased => "photo_released",
            ErrorCode::ImageTooLarge => "image_too_large",
            ErrorCode::ImageCorrupt => "image_corrupt",
            ErrorCode::ImageIncomplete => "image_incomplete",
            ErrorCode::ImageUnsupported => "image_unsupported",
            ErrorCode::ImageEmpty => "image_empty",
            ErrorCode::NoDocumentFound => "no_document_found",
            ErrorCode::ByteBudgetUnreachable => "byte_budget_unreachable",
            ErrorCode::NoMrzFound => "no_mrz_found",
            ErrorCode::MrzInvalid => "mrz_invalid",
            ErrorCode::MrzChecksFailed => "mrz_checks_failed",
            ErrorCode::VippsCancelled => "vipps_cancelled",
            ErrorCode::VippsProviderError => "vipps_provider_error",
            ErrorCode::VippsStateMissing => "vipps_state_missing",
            ErrorCode::VippsIssuerMismatch => "vipps_issuer_mismatch",
            ErrorCode::VippsCodeMissing => "vipps_code_missing",
            ErrorCode::VippsCallbackInvalid => "vipps_callback_invalid",
            ErrorCode::RegistryUnavailable => "registry_unavailable",
            ErrorCode::RegistryRejected => "registry_rejected",
            ErrorCode::HmsCardNotValid => "hms_card_not_valid",
            ErrorCode::HmsCardNotFound => "hms_card_not_found",
            ErrorCode::SessionInvalid => "session_invalid",
            ErrorCode::SessionClosed => "session_closed",
            ErrorCode::VippsExchangeFailed => "vipps_exchange_failed",
            ErrorCode::VippsInvalidToken => "vipps_invalid_token",
            ErrorCode::IdempotencyConflict => "idempotency_conflict",
            ErrorCode::StageNotFound => "stage_not_found",
            ErrorCode::VippsLoginNotFound => "vipps_login_not_found",
            ErrorCode::VippsLoginExpired => "vipps_login_expired",
            ErrorCode::VippsLoginInProgress => "vipps_login_in_progress",
            ErrorCode::Internal => "internal",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Implemented by every error enum of the core, so the boundary can attach `code`.
pub trait Coded: std::error::Error {
    fn code(&self) -> ErrorCode;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_snake_case_and_all_listed() {
        let mut seen = HashSet::new();
        for code in ErrorCode::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "duplicate code {text}");
            assert!(text.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{text}");
        }
        // A new variant missing from ALL would make this count differ from the match arms.
        assert_eq!(seen.len(), ErrorCode::ALL.len());
    }

    #[test]
    fn typescript_declaration_lists_exactly_the_rust_codes() {
        let declaration = include_str!("web/id-capture.d.ts");
        let union_start = declaration.find("export type IdCaptureErrorCode").expect("union declared");
        let union_text = &declaration[union_start..declaration[union_start..].find(';').unwrap() + union_start];
        let declared: HashSet<&str> = union_text.split('"').skip(1).step_by(2).collect();
        let rust: HashSet<&str> = ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
        assert_eq!(declared, rust);
    }
}
