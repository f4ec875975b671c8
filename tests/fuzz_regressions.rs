//! Inputs the fuzz targets in `fuzz/` found, each asserting what that
//! target's oracle wanted. Each test names its target; the commit that fixed
//! the code names the target and the input too.

use id_capture::registry::url::RegistryUrlError;
use id_capture::registry::RegistryUrl;

/// `urls` (registry URL re-parses from its own base): white space and control
/// characters in the path were accepted, and `…/base /` kept a trailing space
/// in the base, so every endpoint read `…/base /v2/…`.
#[test]
fn a_registry_url_with_white_space_or_controls_in_its_path_is_refused() {
    for url in ["https://registry.example/base /", "https://registry.example/a b", "https://registry.example/c\u{1f}", "https://registry.example/\0"] {
        assert_eq!(RegistryUrl::parse(url), Err(RegistryUrlError::InsecureOrMalformed), "{url:?}");
    }
    let url = RegistryUrl::parse(" https://registry.example/api/ ").unwrap();
    assert_eq!(RegistryUrl::parse(&url.endpoint("")), Ok(url));
}
