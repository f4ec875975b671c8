//! The person: the only facts about a worker that ever leave the phone. Its
//! fields and validation are the contract's (`id_capture_contract::person`),
//! the same code the registry runs; the module adds its error code.

pub use id_capture_contract::person::*;

use crate::error::{Coded, ErrorCode};

impl Coded for PersonError {
    fn code(&self) -> ErrorCode {
        ErrorCode::InvalidPerson
    }
}
