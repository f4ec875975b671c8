//! Registry handles (stage ids, login ids): random base64url text the
//! registry makes and the module puts into a path segment.

/// Longest handle (stage id, login id) the module puts into a path.
pub const MAX_HANDLE_CHARS: usize = 128;

/// Only base64url characters: what the registry's random handles and tokens are made of.
pub fn is_base64url(text: &str) -> bool {
    text.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

/// A registry handle that may go into a path segment as it is (it can never
/// leave the segment or add a query).
pub fn is_path_handle(text: &str) -> bool {
    !text.is_empty() && text.len() <= MAX_HANDLE_CHARS && is_base64url(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_bounded_base64url_that_cannot_leave_a_path_segment() {
        assert!(is_path_handle("AbC-_09"));
        for bad in ["", "../x", "a/b", "a?b", "a%2F", &"a".repeat(MAX_HANDLE_CHARS + 1)] {
            assert!(!is_path_handle(bad), "{bad}");
        }
    }
}
