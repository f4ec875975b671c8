//! Unit tests of the QR entry points (validation, robustness); image tests live in tests/qr_images.rs.
