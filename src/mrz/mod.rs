//! MRZ (ICAO Doc 9303): read name, date of birth and nationality from the
//! machine-readable zone of a cropped document photo, on the device.
//!
//! - Parser: MRZ lines → [`MrzReading`] with every check digit verified
//!   ([`parse_mrz_lines`], [`parse_mrz_text`]).
//! - Reader: greyscale pixels → band → cells → OCR-B template matching →
//!   repair with check digits → [`MrzReading`] ([`read_mrz`]).
//!
//! The document number and expiry are checked but never leave this module.

mod band;
mod binarize;
mod check_digit;
mod classify;
mod components;
mod document_kind;
mod error;
mod fields;
mod layout;
mod read;
mod reading;
mod repair;
mod templates;

pub use check_digit::{character_value, check_digit};
pub use document_kind::DocumentKind;
pub use error::{MrzError, MrzShapeProblem};
pub use read::{read_mrz, recognise_mrz, RecognisedMrz};
pub use reading::{parse_mrz_lines, parse_mrz_text, CheckResults, MrzReading, NameConfidence};
