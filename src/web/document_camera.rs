//! The page's own camera view for ID document photos: a live preview and a
//! still at the best resolution the camera offers (`ImageCapture` where the
//! browser has it, else the preview's full-size frame).

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlVideoElement, MediaStream, MediaStreamTrack};

use super::camera::{self, object, property};
use super::capture::IdCapture;
use super::js_error;

/// Ask for the largest frames the camera gives: documents need detail.
const DOCUMENT_RESOLUTION: (u32, u32) = (4096, 3072);
/// A camera whose `takePhoto` hangs (some Android drivers) falls back to the preview after this long.
const STILL_TIMEOUT_MS: i32 = 3000;
const PREVIEW_JPEG_QUALITY: f64 = 0.95;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "Promise<DocumentCamera>")]
    pub type DocumentCameraPromise;

    /// The Image Capture API (an unstable web-sys binding, so declared here; Chromium only).
    type ImageCapture;
    #[wasm_bindgen(constructor, catch)]
    fn new(track: &MediaStreamTrack) -> Result<ImageCapture, JsValue>;
    #[wasm_bindgen(method, catch, js_name = getPhotoCapabilities)]
    fn get_photo_capabilities(this: &ImageCapture) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = takePhoto)]
    fn take_photo(this: &ImageCapture, settings: &JsValue) -> Result<Promise, JsValue>;

    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, milliseconds: i32) -> JsValue;
}

#[wasm_bindgen]
impl IdCapture {
    /// A live rear-camera preview in `video` for photographing an ID document;
    /// resolves `{ takePhoto(): Promise<Blob>, stop() }`; `dispose()` stops it
    /// too. Rejects with `camera_denied` or `camera_unavailable`.
    #[wasm_bindgen(js_name = openDocumentCamera)]
    pub fn open_document_camera(&self, video: HtmlVideoElement) -> DocumentCameraPromise {
        js_error::settled_by_snippet(camera::promise_of(open(video, self.worker.signal()))).unchecked_into()
    }
}

/// `lifetime`: the IdCapture's signal; its `dispose()` stops this camera too.
async fn open(video: HtmlVideoElement, lifetime: web_sys::AbortSignal) -> Result<JsValue, JsValue> {
    let stream = camera::open_camera(None, DOCUMENT_RESOLUTION).await?;
    let stop = {
        let (stream, video) = (stream.clone(), video.clone());
        Closure::<dyn Fn()>::new(move || stop_camera(&stream, &video)).into_js_value()
    };
    if lifetime.aborted() {
        stop_camera(&stream, &video);
        return Err(lifetime.reason());
    }
    let once = web_sys::AddEventListenerOptions::new();
    once.set_once(true);
    lifetime.add_event_listener_with_callback_and_add_event_listener_options("abort", stop.unchecked_ref(), &once)?;
    let _ = JsFuture::from(camera::attach_stream(&video, &stream)).await;
    let track = camera::video_track(&stream);
    let take_photo = Closure::<dyn Fn() -> Promise>::new(move || camera::promise_of(take_still(track.clone(), video.clone())));
    Ok(object(&[("takePhoto", take_photo.into_js_value()), ("stop", stop)]))
}

fn stop_camera(stream: &MediaStream, video: &HtmlVideoElement) {
    camera::stop_stream(stream);
    video.set_src_object(None);
}

/// A still photo as a Blob, for `IdCapture.processPhoto`.
async fn take_still(track: Option<MediaStreamTrack>, video: HtmlVideoElement) -> Result<JsValue, JsValue> {
    if let Some(still) = still_from_image_capture(track).await {
        return Ok(still);
    }
    still_from_preview(&video).await
}

/// The camera's own still at its largest size, or `None` where that is unavailable, fails or hangs.
async fn still_from_image_capture(track: Option<MediaStreamTrack>) -> Option<JsValue> {
    let track = track?;
    let global = js_sys::global();
    if !property(&global, "ImageCapture").is_function() {
        return None;
    }
    let image_capture = ImageCapture::new(&track).ok()?;
    let capabilities = JsFuture::from(image_capture.get_photo_capabilities().ok()?).await.ok()?;
    let largest = |name: &str| property(&property(&capabilities, name), "max");
    let settings = object(&[("imageWidth", largest("imageWidth")), ("imageHeight", largest("imageHeight"))]);
    let still = image_capture.take_photo(&settings).ok()?;
    let timeout = Promise::new(&mut |resolve, _reject| {
        set_timeout(&resolve, STILL_TIMEOUT_MS);
    });
    let still = JsFuture::from(Promise::race(&Array::of2(&still, &timeout))).await.ok()?;
    (!still.is_undefined() && !still.is_null()).then_some(still)
}

/// The preview's current frame at full size, as a JPEG.
async fn still_from_preview(video: &HtmlVideoElement) -> Result<JsValue, JsValue> {
    let document = web_sys::window().and_then(|window| window.document()).ok_or_else(|| JsValue::from_str("no document"))?;
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas")?.unchecked_into();
    canvas.set_width(video.video_width());
    canvas.set_height(video.video_height());
    let context: web_sys::CanvasRenderingContext2d = canvas.get_context("2d")?.ok_or_else(|| JsValue::from_str("no 2D canvas"))?.unchecked_into();
    context.draw_image_with_html_video_element(video, 0.0, 0.0)?;
    let encoded = Promise::new(&mut |resolve, reject| {
        if let Err(error) = canvas.to_blob_with_type_and_encoder_options(&resolve, "image/jpeg", &PREVIEW_JPEG_QUALITY.into()) {
            let _ = reject.call1(&JsValue::UNDEFINED, &error);
        }
    });
    JsFuture::from(encoded).await
}
