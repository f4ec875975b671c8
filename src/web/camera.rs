//! Opening, showing and stopping cameras, with the typed errors a page
//! switches on (`camera_denied`, `camera_unavailable`). Used by the HMS card
//! scan (`camera_scan.rs`) and the document camera (`document_camera.rs`).

use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlVideoElement, MediaStream, MediaStreamTrack};

use super::js_error::JsErrorBuilder;
use crate::error::ErrorCode;

/// Where the last camera that read a card is remembered (a device id names a camera, not a person).
const CAMERA_KEY: &str = "id-capture.camera";

// Local views of browser objects for calls web-sys does not bind as needed
// (a method cannot be added to a web-sys type).
#[wasm_bindgen]
extern "C" {
    /// A camera track asked what it can do.
    type TrackCapabilities;
    /// Missing in older Firefox; `catch` turns "not a function" into an `Err`.
    #[wasm_bindgen(method, catch, js_name = getCapabilities)]
    fn capabilities(this: &TrackCapabilities) -> Result<JsValue, JsValue>;

    /// A promise given plain functions (js-sys's `then` takes Rust closures it owns).
    type Thenable;
    #[wasm_bindgen(method, js_name = then)]
    fn then_both(this: &Thenable, on_fulfilled: &js_sys::Function, on_rejected: &js_sys::Function) -> Promise;
}

/// `value[name]`, or `undefined` when `value` is not an object.
pub(super) fn property(value: &JsValue, name: &str) -> JsValue {
    if !value.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(value, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// A plain object `{ name: value, ... }`.
pub(super) fn object(entries: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in entries {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object.into()
}

fn camera_error(code: ErrorCode, message: &str) -> JsValue {
    JsErrorBuilder::new(code, message).build()
}

/// A camera stream; `device_id` picks one (falling back to any rear camera
/// when it is gone), `ideal` asks for a resolution.
pub(super) async fn open_camera(mut device_id: Option<&str>, ideal: (u32, u32)) -> Result<MediaStream, JsValue> {
    let navigator = web_sys::window().map_or(JsValue::UNDEFINED, |window| window.navigator().into());
    let media_devices = property(&navigator, "mediaDevices");
    // Absent outside a secure context and in some in-app browsers.
    if !property(&media_devices, "getUserMedia").is_function() {
        return Err(camera_error(ErrorCode::CameraUnavailable, "this browser has no camera access"));
    }
    let media_devices: web_sys::MediaDevices = media_devices.unchecked_into();
    loop {
        let opened = match media_devices.get_user_media_with_constraints(constraints(device_id, ideal).unchecked_ref()) {
            Ok(promise) => JsFuture::from(promise).await,
            Err(error) => Err(error),
        };
        let Err(error) = opened else { return opened.map(JsCast::unchecked_into) };
        match property(&error, "name").as_string().as_deref() {
            // The remembered camera is gone (another phone, a detached webcam): any rear camera will do.
            Some("OverconstrainedError" | "NotFoundError") if device_id.is_some() => device_id = None,
            Some("NotAllowedError" | "SecurityError") => return Err(camera_error(ErrorCode::CameraDenied, "camera permission was denied")),
            _ => return Err(camera_error(ErrorCode::CameraUnavailable, "no usable camera")),
        }
    }
}

/// `getUserMedia`'s constraints: video only, that camera or a rear one, about that size.
fn constraints(device_id: Option<&str>, ideal: (u32, u32)) -> JsValue {
    let ideal_value = |value: JsValue| object(&[("ideal", value)]);
    let (camera_name, camera) = match device_id {
        Some(id) => ("deviceId", object(&[("exact", id.into())])),
        None => ("facingMode", ideal_value("environment".into())),
    };
    let video = object(&[("width", ideal_value(ideal.0.into())), ("height", ideal_value(ideal.1.into())), (camera_name, camera)]);
    object(&[("video", video), ("audio", false.into())])
}

pub(super) fn stop_stream(stream: &MediaStream) {
    for track in stream.get_tracks() {
        track.unchecked_into::<MediaStreamTrack>().stop();
    }
}

pub(super) fn video_track(stream: &MediaStream) -> Option<MediaStreamTrack> {
    stream.get_video_tracks().get(0).dyn_into().ok()
}

/// Shows `stream` in `video`, inline and muted so that phones play it without a gesture.
/// Resolves once playing starts (or fails: a preview that does not play still gives frames to some browsers).
pub(super) fn attach_stream(video: &HtmlVideoElement, stream: &MediaStream) -> Promise {
    let _ = video.set_attribute("playsinline", "");
    video.set_muted(true);
    video.set_src_object(Some(stream));
    let played = video.play().unwrap_or_else(|_| Promise::resolve(&JsValue::UNDEFINED));
    ignoring_failure(&played)
}

thread_local! {
    /// A handler that swallows a rejection, made once (one per call would leak one closure each).
    static IGNORE: js_sys::Function = Closure::<dyn Fn(JsValue)>::new(|_| {}).into_js_value().unchecked_into();
}

/// `future` as a promise. Every async call of the camera code goes through this one
/// boxed type, so the executor glue is compiled once rather than once per future.
pub(super) fn promise_of(future: impl std::future::Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    let future: std::pin::Pin<Box<dyn std::future::Future<Output = Result<JsValue, JsValue>>>> = Box::pin(future);
    wasm_bindgen_futures::future_to_promise(future)
}

/// `promise`, settled as `undefined` whether it resolved or rejected.
pub(super) fn ignoring_failure(promise: &Promise) -> Promise {
    IGNORE.with(|ignore| promise.unchecked_ref::<Thenable>().then_both(ignore, ignore))
}

/// Whether `track` has a torch the page may switch.
pub(super) fn torch_available(track: Option<&MediaStreamTrack>) -> bool {
    track.and_then(|track| track.unchecked_ref::<TrackCapabilities>().capabilities().ok()).is_some_and(|capabilities| property(&capabilities, "torch").is_truthy())
}

/// Switches the torch of `track`; a camera that refuses is not an error.
pub(super) fn set_torch(track: &MediaStreamTrack, on: bool) -> JsValue {
    let constraints = object(&[("advanced", Array::of1(&object(&[("torch", on.into())])).into())]);
    match track.apply_constraints_with_constraints(constraints.unchecked_ref()) {
        Ok(promise) => ignoring_failure(&promise).into(),
        Err(_) => JsValue::UNDEFINED,
    }
}

/// The device id of the camera `stream` shows (a JavaScript string), or `undefined`.
pub(super) fn device_id(stream: &MediaStream) -> JsValue {
    video_track(stream).map_or(JsValue::UNDEFINED, |track| property(&track.get_settings(), "deviceId"))
}

/// The rear cameras' device ids (phones have several), or every camera when
/// none says where it faces. Kept as JavaScript strings: they are only compared and handed back.
pub(super) fn rear_camera_ids(devices: &JsValue) -> Array {
    let faces_rear = js_sys::RegExp::new("back|rear|environment|bak", "i");
    let (cameras, rear) = (Array::new(), Array::new());
    for device in Array::from(devices).iter() {
        let id = property(&device, "deviceId");
        if property(&device, "kind") != "videoinput" || !id.is_truthy() {
            continue;
        }
        cameras.push(&id);
        if faces_rear.test(&property(&device, "label").as_string().unwrap_or_default()) {
            rear.push(&id);
        }
    }
    if rear.length() > 0 {
        rear
    } else {
        cameras
    }
}

/// `navigator.mediaDevices.enumerateDevices()`, or a promise of `[]` where it cannot run.
pub(super) fn enumerate_devices() -> Promise {
    let listed = web_sys::window().and_then(|window| window.navigator().media_devices().ok()).and_then(|devices| devices.enumerate_devices().ok());
    match listed {
        Some(promise) => promise,
        None => Promise::resolve(&JsValue::from(Array::new())),
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    // Throws in some private modes and sandboxed frames: then nothing is remembered.
    web_sys::window()?.local_storage().ok()?
}

pub(super) fn remembered_camera() -> Option<String> {
    local_storage()?.get_item(CAMERA_KEY).ok()?.filter(|id| !id.is_empty())
}

pub(super) fn remember_camera(device_id: &JsValue) {
    if let (Some(storage), Some(device_id)) = (local_storage(), device_id.as_string().filter(|id| !id.is_empty())) {
        let _ = storage.set_item(CAMERA_KEY, &device_id);
    }
}
