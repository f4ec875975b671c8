//! The client secret, kept out of `Debug`, logs and responses.

/// Has no `Display` and no `Serialize`; `Debug` prints `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(String);

impl ClientSecret {
    pub fn new(secret: String) -> ClientSecret {
        ClientSecret(secret)
    }

    /// The secret itself, for the token request's `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn debug_output_never_shows_the_secret() {
        let secret = super::ClientSecret::new("s3cr3t-value".into());
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&secret)), "Some([redacted])");
    }
}
