//! Where each field sits in each layout (ICAO 9303 Parts 4–7), as
//! `(line, start..end)` with zero-based, end-exclusive character positions.

use std::ops::Range;

use super::document_kind::DocumentKind;

pub type Span = (usize, Range<usize>);
pub type Position = (usize, usize);

pub struct Layout {
    pub name: Span,
    pub document_number: Span,
    pub document_number_check: Position,
    /// Where a document number longer than nine characters continues when its
    /// check position holds `<` (TD1 and TD2 only).
    pub document_number_overflow: Option<Span>,
    pub nationality: Span,
    pub birth_date: Span,
    pub birth_date_check: Position,
    pub expiry: Span,
    pub expiry_check: Position,
    /// TD3's personal number and its own check digit.
    pub optional_checked: Option<(Span, Position)>,
    /// The spans the composite check digit covers, in order, and its position.
    pub composite: Option<(&'static [Span], Position)>,
}

const TD1_COMPOSITE: [Span; 4] = [(0, 5..30), (1, 0..7), (1, 8..15), (1, 18..29)];
const TD2_COMPOSITE: [Span; 3] = [(1, 0..10), (1, 13..20), (1, 21..35)];
const TD3_COMPOSITE: [Span; 3] = [(1, 0..10), (1, 13..20), (1, 21..43)];

impl DocumentKind {
    pub fn layout(self) -> Layout {
        match self {
            DocumentKind::Td1 => Layout {
                name: (2, 0..30),
                document_number: (0, 5..14),
                document_number_check: (0, 14),
                document_number_overflow: Some((0, 15..30)),
                nationality: (1, 15..18),
                birth_date: (1, 0..6),
                birth_date_check: (1, 6),
                expiry: (1, 8..14),
                expiry_check: (1, 14),
                optional_checked: None,
                composite: Some((&TD1_COMPOSITE, (1, 29))),
            },
            DocumentKind::Td2 | DocumentKind::MrvB | DocumentKind::Td3 | DocumentKind::MrvA => {
                let length = self.line_length();
                let is_visa = matches!(self, DocumentKind::MrvA | DocumentKind::MrvB);
                Layout {
                    name: (0, 5..length),
                    document_number: (1, 0..9),
                    document_number_check: (1, 9),
                    document_number_overflow: (self == DocumentKind::Td2).then_some((1, 28..35)),
                    nationality: (1, 10..13),
                    birth_date: (1, 13..19),
                    birth_date_check: (1, 19),
                    expiry: (1, 21..27),
                    expiry_check: (1, 27),
                    optional_checked: (self == DocumentKind::Td3).then_some(((1, 28..42), (1, 42))),
                    composite: match self {
                        _ if is_visa => None,
                        DocumentKind::Td2 => Some((&TD2_COMPOSITE, (1, 35))),
                        _ => Some((&TD3_COMPOSITE, (1, 43))),
                    },
                }
            }
        }
    }
}
