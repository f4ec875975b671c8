use crate::error::{Coded, ErrorCode};

/// Why no QR text came out of a frame. Messages carry sizes only, never pixels or payloads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    #[error("no QR code found after {attempts} attempts")]
    NoQrCodeFound { attempts: u32 },
    #[error("pixel buffer has {actual} bytes, expected {expected}")]
    InvalidPixels { expected: usize, actual: usize },
    #[error("image has no pixels")]
    EmptyImage,
    #[error("image of {width}x{height} exceeds {limit} pixels")]
    ImageTooLarge { width: u32, height: u32, limit: usize },
    #[error("scan region lies outside the image or is empty")]
    InvalidRegion,
}

impl Coded for QrError {
    fn code(&self) -> ErrorCode {
        match self {
            QrError::NoQrCodeFound { .. } => ErrorCode::NoQrCodeFound,
            QrError::InvalidPixels { .. } | QrError::EmptyImage => ErrorCode::InvalidPixels,
            QrError::ImageTooLarge { .. } => ErrorCode::ImageTooLarge,
            QrError::InvalidRegion => ErrorCode::InvalidConfig,
        }
    }
}
