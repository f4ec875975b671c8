//! The Unicode data the name rules need that the standard library lacks:
//! NFC and the combining-mark category. Natively (the registry, tests) from
//! unicode-rs; in the browser from the engine's own Unicode data
//! (`String.prototype.normalize`, `RegExp` `\p{M}`), because unicode-rs's
//! normalization tables would add about 70 KB (gzip) to the wasm for what
//! every browser already has. The registry validates again with unicode-rs,
//! so it decides what is stored. Mixed-script detection is unicode-security
//! in both (no browser API resolves UTS #39 script sets).

#[cfg(not(target_arch = "wasm32"))]
mod engine {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;

    pub fn nfc(text: &str) -> String {
        text.nfc().collect()
    }

    pub fn has_mark_run_longer_than(text: &str, limit: usize) -> bool {
        let mut run = 0;
        text.chars().any(|c| {
            run = if is_combining_mark(c) { run + 1 } else { 0 };
            run > limit
        })
    }
}

#[cfg(target_arch = "wasm32")]
mod engine {
    pub fn nfc(text: &str) -> String {
        String::from(js_sys::JsString::from(text).normalize("NFC"))
    }

    pub fn has_mark_run_longer_than(text: &str, limit: usize) -> bool {
        // `\p{M}` is General_Category=Mark, the set unicode-rs's is_combining_mark holds.
        js_sys::RegExp::new(&format!("\\p{{M}}{{{}}}", limit + 1), "u").test(text)
    }
}

pub use engine::{has_mark_run_longer_than, nfc};
