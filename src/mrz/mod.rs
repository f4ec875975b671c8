//! MRZ (ICAO Doc 9303): parse MRZ lines into name, date of birth and
//! nationality with every check digit verified. The document number and
//! expiry are checked but never leave this module.

mod check_digit;
mod document_kind;
mod error;
mod fields;
mod layout;
mod reading;

pub use check_digit::{character_value, check_digit};
pub use document_kind::DocumentKind;
pub use error::{MrzError, MrzShapeProblem};
pub use reading::{parse_mrz_lines, parse_mrz_text, CheckResults, MrzReading, NameConfidence};
