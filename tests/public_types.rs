//! The public TypeScript (`src/web/id-capture.d.ts`) is hand-written, so that
//! it is only the product; these checks keep it in step with the Rust exports.

const DECLARATION: &str = include_str!("../src/web/id-capture.d.ts");

/// The JavaScript names of the methods in `#[wasm_bindgen] impl IdCapture` blocks.
fn exported_methods() -> Vec<String> {
    let directory = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&directory).expect("src/web") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|extension| extension != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("a source file");
        for block in source.split("#[wasm_bindgen]\nimpl IdCapture {").skip(1) {
            let block = &block[..block.find("\n}\n").expect("the impl block ends")];
            for attribute in block.split("js_name = ").skip(1) {
                let name: String = attribute.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                names.push(name);
            }
        }
    }
    names
}

#[test]
fn every_method_rust_exports_on_id_capture_is_declared_in_the_public_types() {
    let class = &DECLARATION[DECLARATION.find("export class IdCapture {").expect("IdCapture declared")..];
    let class = &class[..class.find("\n}\n").expect("the class ends")];
    let methods = exported_methods();
    assert!(methods.len() >= 15, "found the exports: {methods:?}");
    let undeclared: Vec<_> = methods.iter().filter(|name| !class.contains(&format!(" {name}("))).collect();
    assert!(undeclared.is_empty(), "IdCapture methods missing from src/web/id-capture.d.ts: {undeclared:?}");
}

#[test]
fn the_public_types_name_no_plumbing_and_no_any() {
    for plumbing in ["capturePhoto", "recropPhoto", "forgetPhotos", "preparePhotoCapture", "scanHmsCardFrame", "Symbol.dispose"] {
        assert!(!DECLARATION.contains(plumbing), "the public types mention {plumbing}");
    }
    assert!(!DECLARATION.contains(": any") && !DECLARATION.contains("<any>"), "the public types use any");
}
