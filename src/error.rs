//! The one list of stable error codes a page can switch on (`err.code` in
//! JavaScript). Each concern keeps its own `thiserror` enum with the details a
//! caller can act on; every such enum maps each variant to one code here.
//!
//! The enum, `ErrorCode::ALL`, the code strings and their parser are written
//! by one macro from one table, so a variant without its code (or missing from
//! `ALL`) does not compile. Tests below check that the public TypeScript union
//! (`src/web/id-capture.d.ts`) and every code the JavaScript snippets
//! (`src/web/js/`) name are exactly this list.

macro_rules! error_codes {
    ($( $(#[$meta:meta])* $variant:ident => $code:literal, )+) => {
        /// Stable, documented error codes. Never rename one: partners switch on them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $( $(#[$meta])* $variant, )+
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];

            /// The `code` string JavaScript sees.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)+
                }
            }

            /// The code a `code` string names, if it is one of ours (an error
            /// made in JavaScript is checked with this at the boundary).
            pub fn from_code(code: &str) -> Option<ErrorCode> {
                // A search, not a `match` on the strings: a third of the code in wasm.
                ErrorCode::ALL.iter().copied().find(|known| known.as_str() == code)
            }
        }
    };
}

error_codes! {
    // Configuration of the module by the embedding page.
    InvalidConfig => "invalid_config",
    // The person that would be sent.
    InvalidPerson => "invalid_person",
    // HMS card QR scanning.
    NoQrCodeFound => "no_qr_code_found",
    NotAnHmsCard => "not_an_hms_card",
    InvalidPixels => "invalid_pixels",
    CameraDenied => "camera_denied",
    CameraUnavailable => "camera_unavailable",
    /// The capture worker could not be started, or the `IdCapture` was disposed.
    CaptureUnavailable => "capture_unavailable",
    // ID document photo.
    ImageTooLarge => "image_too_large",
    ImageCorrupt => "image_corrupt",
    ImageIncomplete => "image_incomplete",
    ImageUnsupported => "image_unsupported",
    ImageEmpty => "image_empty",
    NoDocumentFound => "no_document_found",
    ByteBudgetUnreachable => "byte_budget_unreachable",
    /// `recrop` of a photo the capture no longer keeps (branch worker keeps the last two, until the person is sent).
    PhotoReleased => "photo_released",
    // MRZ reading.
    NoMrzFound => "no_mrz_found",
    MrzInvalid => "mrz_invalid",
    MrzChecksFailed => "mrz_checks_failed",
    // Vipps Login, browser side.
    VippsCancelled => "vipps_cancelled",
    VippsProviderError => "vipps_provider_error",
    VippsStateMissing => "vipps_state_missing",
    VippsIssuerMismatch => "vipps_issuer_mismatch",
    VippsCodeMissing => "vipps_code_missing",
    VippsCallbackInvalid => "vipps_callback_invalid",
    // Registry round trip.
    RegistryUnavailable => "registry_unavailable",
    RegistryRejected => "registry_rejected",
    HmsCardNotValid => "hms_card_not_valid",
    HmsCardNotFound => "hms_card_not_found",
    SessionInvalid => "session_invalid",
    SessionClosed => "session_closed",
    VippsExchangeFailed => "vipps_exchange_failed",
    VippsInvalidToken => "vipps_invalid_token",
    IdempotencyConflict => "idempotency_conflict",
    StageNotFound => "stage_not_found",
    VippsLoginNotFound => "vipps_login_not_found",
    VippsLoginExpired => "vipps_login_expired",
    VippsLoginInProgress => "vipps_login_in_progress",
    // Something the module cannot explain; a bug to report.
    Internal => "internal",
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
    use std::collections::BTreeSet;

    fn rust_codes() -> BTreeSet<&'static str> {
        ErrorCode::ALL.iter().map(|code| code.as_str()).collect()
    }

    #[test]
    fn codes_are_unique_snake_case_and_read_back() {
        assert_eq!(rust_codes().len(), ErrorCode::ALL.len(), "a code string is used twice");
        for &code in ErrorCode::ALL {
            let text = code.as_str();
            assert!(!text.is_empty() && text.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{text}");
            assert_eq!(ErrorCode::from_code(text), Some(code));
        }
        assert_eq!(ErrorCode::from_code("Internal"), None);
        assert_eq!(ErrorCode::from_code(""), None);
    }

    /// The string literals of a TypeScript union type `export type NAME = | "a" | "b";`.
    fn union_members<'a>(declaration: &'a str, name: &str) -> BTreeSet<&'a str> {
        let start = declaration.find(&format!("export type {name} =")).unwrap_or_else(|| panic!("{name} declared"));
        let end = start + declaration[start..].find(';').expect("union ends with ;");
        declaration[start..end].split('"').skip(1).step_by(2).collect()
    }

    #[test]
    fn the_public_typescript_union_is_exactly_the_rust_codes() {
        let declared = union_members(include_str!("web/id-capture.d.ts"), "IdCaptureErrorCode");
        let rust = rust_codes();
        let missing: Vec<_> = rust.difference(&declared).collect();
        let unknown: Vec<_> = declared.difference(&rust).collect();
        assert!(missing.is_empty() && unknown.is_empty(), "IdCaptureErrorCode in src/web/id-capture.d.ts lacks {missing:?} and has unknown {unknown:?}");
    }

    /// Every `captureError("code", …)` in the JavaScript snippets names one of
    /// our codes (the boundary would turn an unknown one into `internal`).
    #[test]
    fn every_code_the_javascript_snippets_name_is_a_rust_code() {
        let directory = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web/js");
        let mut named = 0;
        for entry in std::fs::read_dir(&directory).expect("src/web/js") {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_none_or(|extension| extension != "js") {
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("a snippet");
            for call in source.split("captureError(").skip(1) {
                let Some(literal) = call.strip_prefix('"') else { continue };
                let code = &literal[..literal.find('"').expect("a closed string")];
                assert!(ErrorCode::from_code(code).is_some(), "{} names unknown code {code:?}", path.display());
                named += 1;
            }
        }
        assert!(named > 0, "the snippets name codes through captureError");
    }
}
