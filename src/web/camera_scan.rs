//! `IdCapture.scanHmsCard`'s camera loop: frames from the rear camera go to
//! the capture worker one at a time until one holds an HMS card. Any failure
//! (camera, worker, a throwing page callback, abort, dispose) rejects the
//! scan, and the camera stops on every way out (`ScanSession`'s `Drop`).

use std::cell::RefCell;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Poll, Waker};

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, CanvasRenderingContext2d, HtmlVideoElement, MediaStream};

use super::camera::{self, object, property};
use super::capture::CaptureWorker;
use super::js_error;

/// Without a read for this long, try the next rear camera (phones have several).
const SWITCH_CAMERA_AFTER_MS: f64 = 4000.0;
/// The preview size asked of the camera: enough for a card's QR code, light for the worker.
const SCAN_RESOLUTION: (u32, u32) = (1280, 720);
/// `HTMLMediaElement.HAVE_CURRENT_DATA`: the video has a frame to draw.
const HAVE_CURRENT_DATA: u16 = 2;

#[wasm_bindgen]
extern "C" {
    /// The request/reply channel to the worker (`worker_client.js`).
    #[wasm_bindgen(method)]
    pub(super) fn request(this: &CaptureWorker, message: &JsValue, transfer: &Array) -> Promise;
    /// Camera scans running: the worker is not ended under them (`release()`).
    #[wasm_bindgen(method, getter)]
    fn scans(this: &CaptureWorker) -> u32;
    #[wasm_bindgen(method, setter)]
    fn set_scans(this: &CaptureWorker, scans: u32);
    #[wasm_bindgen(method, getter)]
    fn released(this: &CaptureWorker) -> bool;
    #[wasm_bindgen(method, js_name = release)]
    fn release_when_idle(this: &CaptureWorker);
}

// Calls web-sys lacks or binds in a way that does not fit, on local views of
// browser objects (a method cannot be added to a web-sys type).
#[wasm_bindgen]
extern "C" {
    /// A `<video>` as a source of frames.
    type FrameSource;
    #[wasm_bindgen(method, js_name = requestVideoFrameCallback)]
    fn request_video_frame_callback(this: &FrameSource, callback: &Function) -> u32;

    /// `navigator` on a phone.
    type Vibrator;
    /// Missing on iOS Safari; `catch` turns "not a function" into an `Err`.
    #[wasm_bindgen(method, catch, js_name = vibrate)]
    fn vibrate(this: &Vibrator, milliseconds: u32) -> Result<JsValue, JsValue>;

    /// A 2D canvas context that frames are drawn to and read back from.
    type PixelCanvas;
    /// `drawImage(source, x, y, width, height)`, for a video or a bitmap alike.
    #[wasm_bindgen(method, catch, js_name = drawImage)]
    fn draw_scaled(this: &PixelCanvas, source: &JsValue, x: f64, y: f64, width: f64, height: f64) -> Result<(), JsValue>;

    /// `ImageData` whose pixels stay a JavaScript array (web-sys's `data()` copies them into wasm memory).
    type Pixels;
    #[wasm_bindgen(method, getter)]
    fn data(this: &Pixels) -> js_sys::Uint8ClampedArray;
}

/// Why a scan ended without a card.
pub(super) enum ScanFailure {
    /// What the page's own `onStatus` or `onReady` threw: its error, returned unchanged.
    Page(JsValue),
    /// Anything else, held to the module's error list (`js_error::from_snippet`).
    Capture(JsValue),
}

impl From<JsValue> for ScanFailure {
    fn from(error: JsValue) -> ScanFailure {
        ScanFailure::Capture(error)
    }
}

impl ScanFailure {
    pub(super) fn into_js(self) -> JsValue {
        match self {
            ScanFailure::Page(error) => error,
            ScanFailure::Capture(error) => js_error::from_snippet(error),
        }
    }
}

/// What a scan holds while it runs, given back on every way out: the camera
/// stops, the video lets it go, and the worker may end if the page freed its `IdCapture`.
struct ScanSession {
    worker: CaptureWorker,
    video: HtmlVideoElement,
    stream: Option<MediaStream>,
}

impl ScanSession {
    fn start(worker: &CaptureWorker, video: &HtmlVideoElement) -> ScanSession {
        worker.set_scans(worker.scans() + 1);
        ScanSession { worker: worker.clone(), video: video.clone(), stream: None }
    }

    fn stop_camera(&mut self) {
        if let Some(stream) = self.stream.take() {
            camera::stop_stream(&stream);
        }
    }
}

impl Drop for ScanSession {
    fn drop(&mut self) {
        self.stop_camera();
        self.video.set_src_object(None);
        self.worker.set_scans(self.worker.scans().saturating_sub(1));
        if self.worker.released() {
            self.worker.release_when_idle();
        }
    }
}

/// The page's `signal` and the capture's lifetime (aborted by `dispose()`),
/// watched while the scan waits: either ends the wait at once.
struct AbortWatch {
    page_signal: Option<AbortSignal>,
    lifetime: AbortSignal,
    waiting: Rc<RefCell<Option<Waker>>>,
    on_abort: Closure<dyn FnMut()>,
}

impl AbortWatch {
    fn new(page_signal: Option<AbortSignal>, lifetime: AbortSignal) -> AbortWatch {
        let waiting: Rc<RefCell<Option<Waker>>> = Rc::default();
        let to_wake = waiting.clone();
        let on_abort = Closure::<dyn FnMut()>::new(move || {
            if let Some(waker) = to_wake.borrow_mut().take() {
                waker.wake();
            }
        });
        for signal in page_signal.iter().chain([&lifetime]) {
            let _ = signal.add_event_listener_with_callback("abort", on_abort.as_ref().unchecked_ref());
        }
        AbortWatch { page_signal, lifetime, waiting, on_abort }
    }

    /// The error an aborted scan rejects with: the platform's `AbortError` for
    /// the page's signal, `capture_unavailable` after `dispose()`.
    fn error(page_signal: Option<&AbortSignal>, lifetime: &AbortSignal) -> Option<JsValue> {
        if page_signal.is_some_and(AbortSignal::aborted) {
            let error = web_sys::DomException::new_with_message_and_name("The scan was aborted", "AbortError");
            return Some(error.map_or_else(|error| error, JsValue::from));
        }
        lifetime.aborted().then(|| lifetime.reason())
    }

    fn aborted(&self) -> Option<JsValue> {
        AbortWatch::error(self.page_signal.as_ref(), &self.lifetime)
    }

    /// `promise`'s outcome (inner `Result`), unless an abort comes first (outer `Err`).
    async fn until(&self, promise: Promise) -> Result<Result<JsValue, JsValue>, JsValue> {
        let mut work = JsFuture::from(promise);
        poll_fn(|context| {
            if let Some(error) = self.aborted() {
                return Poll::Ready(Err(error));
            }
            *self.waiting.borrow_mut() = Some(context.waker().clone());
            Pin::new(&mut work).poll(context).map(Ok)
        })
        .await
    }
}

impl Drop for AbortWatch {
    fn drop(&mut self) {
        for signal in self.page_signal.iter().chain([&self.lifetime]) {
            let _ = signal.remove_event_listener_with_callback("abort", self.on_abort.as_ref().unchecked_ref());
        }
    }
}

/// The page's `onStatus`/`onReady`, called with `value`; what it throws ends the scan as the page's error.
fn call_page(callback: &JsValue, value: &JsValue) -> Result<(), ScanFailure> {
    match callback.dyn_ref::<Function>() {
        Some(callback) => callback.call1(&JsValue::UNDEFINED, value).map(drop).map_err(ScanFailure::Page),
        None => Ok(()),
    }
}

fn status(state: &str) -> JsValue {
    object(&[("state", state.into())])
}

/// A 2D context for reading pixels back often (the browser keeps it on the CPU).
pub(super) fn pixel_context() -> Result<CanvasRenderingContext2d, JsValue> {
    let document = web_sys::window().and_then(|window| window.document()).ok_or_else(|| JsValue::from_str("no document"))?;
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas")?.unchecked_into();
    let context = canvas.get_context_with_context_options("2d", &object(&[("willReadFrequently", true.into())]))?;
    context.ok_or_else(|| JsValue::from_str("no 2D canvas")).map(JsCast::unchecked_into)
}

/// `source` drawn whole at `width × height`, as the worker's scan request: the message and its transfer list (the pixels move, not copied).
pub(super) fn scan_request(context: &CanvasRenderingContext2d, source: &JsValue, width: u32, height: u32, options: &JsValue) -> Result<(JsValue, Array), JsValue> {
    let canvas = context.canvas().ok_or_else(|| JsValue::from_str("no canvas"))?;
    canvas.set_width(width);
    canvas.set_height(height);
    context.unchecked_ref::<PixelCanvas>().draw_scaled(source, 0.0, 0.0, width.into(), height.into())?;
    let pixels = context.get_image_data(0.0, 0.0, width.into(), height.into())?.unchecked_into::<Pixels>().data().buffer();
    let message = object(&[("type", "scan".into()), ("width", width.into()), ("height", height.into()), ("pixels", pixels.clone().into()), ("options", options.clone())]);
    Ok((message, Array::of1(&pixels)))
}

/// The camera scan: `frame_options` go to the worker with each frame;
/// `options` is the page's `{ onStatus, onReady, signal }`.
pub(super) async fn scan_with_camera(video: HtmlVideoElement, worker: CaptureWorker, frame_options: JsValue, options: JsValue) -> Result<JsValue, ScanFailure> {
    let on_status = property(&options, "onStatus");
    let on_ready = property(&options, "onReady");
    let page_signal = property(&options, "signal").dyn_into::<AbortSignal>().ok();
    let lifetime = worker.signal();
    if let Some(error) = AbortWatch::error(page_signal.as_ref(), &lifetime) {
        return Err(error.into());
    }
    // Declared before the watch, so dropped after it: releasing the worker may abort its lifetime.
    let mut session = ScanSession::start(&worker, &video);
    let abort = AbortWatch::new(page_signal, lifetime);
    let context = pixel_context()?;

    // Not raced with an abort: the stream must be in hand to be stopped.
    session.stream = Some(camera::open_camera(camera::remembered_camera().as_deref(), SCAN_RESOLUTION).await?);
    show_camera(&session, &abort, &on_status, &on_ready).await?;
    let cameras = match abort.until(camera::enumerate_devices()).await? {
        Ok(devices) => camera::rear_camera_ids(&devices),
        Err(_) => Array::new(),
    };
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let has_frame_callback = Reflect::has(&video, &"requestVideoFrameCallback".into()).unwrap_or(false);
    let mut last_read_at = js_sys::Date::now();
    loop {
        let next_frame = Promise::new(&mut |resolve, _reject| {
            if has_frame_callback {
                video.unchecked_ref::<FrameSource>().request_video_frame_callback(&resolve);
            } else {
                let _ = window.request_animation_frame(&resolve);
            }
        });
        let _ = abort.until(next_frame).await?;
        let hidden = window.document().is_some_and(|document| document.hidden());
        if hidden || video.ready_state() < HAVE_CURRENT_DATA || video.video_width() == 0 {
            continue;
        }
        // The whole frame (the viewfinder box is guidance: a card held off-centre still reads),
        // one in flight: the next is taken only once this one is decoded.
        let (message, transfer) = scan_request(&context, &video, video.video_width(), video.video_height(), &frame_options)?;
        match abort.until(worker.request(&message, &transfer)).await? {
            Ok(reply) => {
                camera::remember_camera(&session.stream.as_ref().map_or(JsValue::UNDEFINED, camera::device_id));
                call_page(&on_status, &status("found"))?;
                let _ = window.navigator().unchecked_into::<Vibrator>().vibrate(80);
                let reference = property(&property(&reply, "found"), "hmsCardReference");
                return Ok(object(&[("hmsCardReference", reference)]));
            }
            Err(error) => match property(&error, "code").as_string().as_deref() {
                Some("not_an_hms_card") => call_page(&on_status, &object(&[("state", "not_an_hms_card".into()), ("kind", property(&error, "kind"))]))?,
                Some("no_qr_code_found") => call_page(&on_status, &status("searching"))?,
                // A frame that trapped the worker is dropped (its restarts are bounded); anything else ends the scan.
                Some("internal") => {}
                _ => return Err(error.into()),
            },
        }
        if js_sys::Date::now() - last_read_at > SWITCH_CAMERA_AFTER_MS && cameras.length() > 1 {
            last_read_at = js_sys::Date::now();
            let current = session.stream.as_ref().map_or(JsValue::UNDEFINED, camera::device_id);
            let next = cameras.get(((cameras.index_of(&current, 0) + 1) as u32) % cameras.length());
            if next.is_truthy() && next != current {
                session.stop_camera();
                session.stream = Some(camera::open_camera(next.as_string().as_deref(), SCAN_RESOLUTION).await?);
                show_camera(&session, &abort, &on_status, &on_ready).await?;
            }
        }
    }
}

/// Shows the session's stream in its video, then tells the page it is searching and whether a torch can be switched.
async fn show_camera(session: &ScanSession, abort: &AbortWatch, on_status: &JsValue, on_ready: &JsValue) -> Result<(), ScanFailure> {
    let Some(stream) = &session.stream else { return Ok(()) };
    let _ = abort.until(camera::attach_stream(&session.video, stream)).await?;
    let track = camera::video_track(stream);
    let torch_available = camera::torch_available(track.as_ref());
    call_page(on_status, &object(&[("state", "searching".into()), ("torchAvailable", torch_available.into())]))?;
    if on_ready.is_function() {
        let set_torch = Closure::<dyn Fn(JsValue) -> JsValue>::new(move |on: JsValue| match &track {
            Some(track) => camera::set_torch(track, on.is_truthy()),
            None => JsValue::UNDEFINED,
        });
        // The page may keep the switch after the scan: the garbage collector frees it.
        let controls = object(&[("torchAvailable", torch_available.into()), ("setTorch", set_torch.into_js_value())]);
        call_page(on_ready, &controls)?;
    }
    Ok(())
}
