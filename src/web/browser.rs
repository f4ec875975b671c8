//! Browser effects the core asks for: randomness, the clock, timers. Bound to
//! globals so they work on a page and in a Web Worker alike.

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buffer: &mut [u8]);
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, milliseconds: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
}

/// Cryptographically strong random bytes (`crypto.getRandomValues`).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    get_random_values(&mut bytes);
    bytes
}

/// Uniform in `[0, 1)`, from the strong source (jitter need not be, but one source is simpler).
pub fn random_unit() -> f64 {
    let bytes = random_bytes::<8>();
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

pub fn now_unix_ms() -> f64 {
    js_sys::Date::now()
}

pub async fn sleep_ms(milliseconds: u32) {
    let promise = Promise::new(&mut |resolve, _reject| {
        set_timeout(&resolve, milliseconds.min(i32::MAX as u32) as i32);
    });
    let _ = JsFuture::from(promise).await;
}

/// A timer that runs `callback` once unless dropped first.
pub struct Timeout {
    handle: JsValue,
    _callback: Closure<dyn FnMut()>,
}

impl Timeout {
    pub fn new(milliseconds: u32, callback: impl FnMut() + 'static) -> Timeout {
        let callback = Closure::<dyn FnMut()>::new(callback);
        let handle = set_timeout(callback.as_ref().unchecked_ref(), milliseconds.min(i32::MAX as u32) as i32);
        Timeout { handle, _callback: callback }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        clear_timeout(&self.handle);
    }
}
