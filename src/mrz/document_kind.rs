//! The five ICAO 9303 MRZ layouts and how to tell them apart.

/// Which ICAO 9303 layout an MRZ has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// ID card size: 3 lines of 30 (Part 5).
    Td1,
    /// Official travel document, 2 lines of 36 (Part 6).
    Td2,
    /// Passport book, 2 lines of 44 (Part 4).
    Td3,
    /// Full-size visa, 2 lines of 44 (Part 7).
    MrvA,
    /// Small visa, 2 lines of 36 (Part 7).
    MrvB,
}

impl serde::Serialize for DocumentKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 5] =
        [DocumentKind::Td1, DocumentKind::Td2, DocumentKind::Td3, DocumentKind::MrvA, DocumentKind::MrvB];

    pub const fn line_count(self) -> usize {
        match self {
            DocumentKind::Td1 => 3,
            _ => 2,
        }
    }

    pub const fn line_length(self) -> usize {
        match self {
            DocumentKind::Td1 => 30,
            DocumentKind::Td2 | DocumentKind::MrvB => 36,
            DocumentKind::Td3 | DocumentKind::MrvA => 44,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Td1 => "TD1",
            DocumentKind::Td2 => "TD2",
            DocumentKind::Td3 => "TD3",
            DocumentKind::MrvA => "MRV-A",
            DocumentKind::MrvB => "MRV-B",
        }
    }

    /// The kind for a shape and document code (first character of line 1),
    /// or `None` when that code is not one ICAO allows in that shape.
    pub fn from_shape(line_count: usize, line_length: usize, document_code: u8) -> Option<DocumentKind> {
        let is_visa = document_code == b'V';
        let is_card = matches!(document_code, b'I' | b'A' | b'C');
        match (line_count, line_length) {
            (3, 30) if is_card => Some(DocumentKind::Td1),
            (2, 36) if is_card => Some(DocumentKind::Td2),
            (2, 36) if is_visa => Some(DocumentKind::MrvB),
            (2, 44) if document_code == b'P' => Some(DocumentKind::Td3),
            (2, 44) if is_visa => Some(DocumentKind::MrvA),
            _ => None,
        }
    }

    /// True when some kind has this line count and length.
    pub fn is_known_shape(line_count: usize, line_length: usize) -> bool {
        DocumentKind::ALL.iter().any(|kind| kind.line_count() == line_count && kind.line_length() == line_length)
    }
}
