//! Comparison whose duration does not depend on where two secrets first differ.

pub(crate) fn equal(left: &str, right: &str) -> bool {
    let (left, right) = (left.as_bytes(), right.as_bytes());
    // The length is not secret (always 43 for our values); the content is.
    if left.len() != right.len() {
        return false;
    }
    let difference = left.iter().zip(right).fold(0u8, |acc, (a, b)| acc | (a ^ b));
    std::hint::black_box(difference) == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn equal_only_for_identical_strings() {
        assert!(super::equal("abc", "abc"));
        assert!(!super::equal("abc", "abd"));
        assert!(!super::equal("abc", "abcd"));
        assert!(super::equal("", ""));
    }
}
