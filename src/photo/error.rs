//! What can go wrong turning a photo into a budgeted JPEG. Messages name the
//! problem and sizes only, never pixel content or metadata from the file.

use crate::error::{Coded, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("image is {width}x{height} pixels, over the limit of {limit}")]
    TooLarge { width: u32, height: u32, limit: u64 },
    #[error("image file is corrupt: {reason}")]
    Corrupt { reason: &'static str },
    /// Part of the file is missing or its image data is damaged: decoders
    /// (ours and the browser's) would fill the rest with grey.
    #[error("image file is incomplete: {reason}")]
    Incomplete { reason: &'static str },
    #[error("image format {format} is not supported; use JPEG or PNG")]
    Unsupported { format: &'static str },
    #[error("image is empty")]
    Empty,
    #[error("pixel buffer holds {actual} bytes, expected {expected}")]
    PixelBufferSize { expected: u64, actual: u64 },
    #[error("invalid photo options: {reason}")]
    InvalidOptions { reason: &'static str },
    #[error("corners do not form a convex quadrilateral of useful size inside the image")]
    InvalidCorners,
    #[error("cannot fit the image into {max_bytes} bytes")]
    ByteBudgetUnreachable { max_bytes: usize },
    /// The image backend (the browser's canvas) failed at a step that is not
    /// about the file: out of memory, a lost context.
    #[error("the image backend failed: {reason}")]
    Backend { reason: &'static str },
}

impl Coded for PhotoError {
    fn code(&self) -> ErrorCode {
        match self {
            PhotoError::TooLarge { .. } => ErrorCode::ImageTooLarge,
            PhotoError::Corrupt { .. } => ErrorCode::ImageCorrupt,
            PhotoError::Incomplete { .. } => ErrorCode::ImageIncomplete,
            PhotoError::Unsupported { .. } => ErrorCode::ImageUnsupported,
            PhotoError::Empty => ErrorCode::ImageEmpty,
            PhotoError::PixelBufferSize { .. } => ErrorCode::InvalidPixels,
            PhotoError::InvalidOptions { .. } | PhotoError::InvalidCorners => ErrorCode::InvalidConfig,
            PhotoError::ByteBudgetUnreachable { .. } => ErrorCode::ByteBudgetUnreachable,
            PhotoError::Backend { .. } => ErrorCode::Internal,
        }
    }
}
