//! Why an MRZ could not be read. Messages never contain MRZ characters.

use crate::error::{Coded, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MrzError {
    /// The pixel buffer's length is not `width × height`.
    #[error("pixel buffer holds {actual} bytes, expected {expected}")]
    InvalidPixels { expected: usize, actual: usize },
    /// No band of MRZ-like text lines was found in the image.
    #[error("no machine-readable zone found")]
    NoMrzFound,
    /// The lines do not have the shape of any ICAO 9303 format.
    #[error("machine-readable zone is malformed: {0}")]
    Invalid(MrzShapeProblem),
    /// Lines were read, but no reading passes every check digit.
    #[error("machine-readable zone check digits do not pass")]
    ChecksFailed,
}

/// What is wrong with the shape of the lines (never their content).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MrzShapeProblem {
    /// Line count and lengths match no format (TD1 3×30, TD2/MRV-B 2×36, TD3/MRV-A 2×44).
    UnknownLayout,
    /// A character outside `A`–`Z`, `0`–`9` and `<`.
    ForbiddenCharacter,
    /// The document code is not one ICAO allows for the layout.
    UnknownDocumentCode,
}

impl std::fmt::Display for MrzShapeProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MrzShapeProblem::UnknownLayout => "line count and lengths match no ICAO 9303 format",
            MrzShapeProblem::ForbiddenCharacter => "a character outside A-Z, 0-9 and <",
            MrzShapeProblem::UnknownDocumentCode => "document code not allowed for this layout",
        })
    }
}

impl Coded for MrzError {
    fn code(&self) -> ErrorCode {
        match self {
            MrzError::InvalidPixels { .. } => ErrorCode::InvalidPixels,
            MrzError::NoMrzFound => ErrorCode::NoMrzFound,
            MrzError::Invalid(_) => ErrorCode::MrzInvalid,
            MrzError::ChecksFailed => ErrorCode::MrzChecksFailed,
        }
    }
}
