//! The browser's [`ImageBackend`]: `createImageBitmap` decodes (on the
//! browser's own thread), an `OffscreenCanvas` draws regions at a size and
//! encodes JPEGs. The 12 MP photo never enters wasm memory: the pipeline sees
//! a preview and the document's region drawn at about the output size (its
//! read-back and copy cost more than all our processing). Where the browser
//! cannot decode a file, our own decoder takes over.

use std::cell::RefCell;
use std::future::Future;

use wasm_bindgen::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use wasm_bindgen_futures::JsFuture;

use crate::photo::backend::{draw_natively, Decoded, DrawnPixels, ImageBackend};
use crate::photo::decode::{decode_file, DecodeLimits};
use crate::photo::exif::jpeg_with_normal_orientation;
use crate::photo::{Orientation, PhotoError, RgbImage, ScaledRegion};

const JPEG: &str = "image/jpeg";

/// A photo as the browser holds it, or as our decoder made it.
pub enum WebBitmap {
    Browser(web_sys::ImageBitmap),
    Ours(RgbImage),
}

impl Drop for WebBitmap {
    /// The browser's memory for a 12 MP bitmap (~48 MB) goes at once, not at the next collection.
    fn drop(&mut self) {
        if let WebBitmap::Browser(bitmap) = self {
            bitmap.close();
        }
    }
}

/// The browser's backend for one photo file (none for a re-crop, which reads nothing).
pub struct WebBackend {
    file: Option<web_sys::Blob>,
    /// The canvas holding the crop being encoded, put once for the whole budget search.
    encoding: RefCell<Option<(*const u8, web_sys::OffscreenCanvas)>>,
}

impl WebBackend {
    pub fn for_file(file: web_sys::Blob) -> WebBackend {
        WebBackend { file: Some(file), encoding: RefCell::new(None) }
    }

    pub fn for_recrop() -> WebBackend {
        WebBackend { file: None, encoding: RefCell::new(None) }
    }

    /// The canvas with `image` on it (made on the first call for this image).
    fn canvas_with(&self, image: &RgbImage) -> Result<web_sys::OffscreenCanvas, JsValue> {
        if let Some((pixels, canvas)) = &*self.encoding.borrow() {
            if *pixels == image.pixels.as_ptr() && canvas.width() == image.width && canvas.height() == image.height {
                return Ok(canvas.clone());
            }
        }
        let canvas = web_sys::OffscreenCanvas::new(image.width, image.height)?;
        let context: web_sys::OffscreenCanvasRenderingContext2d = canvas.get_context("2d")?.ok_or("no 2d context")?.unchecked_into();
        let rgba = rgba_from_rgb(&image.pixels);
        let data = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), image.width, image.height)?;
        context.put_image_data(&data, 0.0, 0.0)?;
        *self.encoding.borrow_mut() = Some((image.pixels.as_ptr(), canvas.clone()));
        Ok(canvas)
    }
}

/// `createImageBitmap(blob, { imageOrientation: "from-image" })` in a worker or a window.
fn create_image_bitmap(blob: &web_sys::Blob) -> Result<js_sys::Promise, JsValue> {
    let options = web_sys::ImageBitmapOptions::new();
    options.set_image_orientation(web_sys::ImageOrientation::FromImage);
    let global = js_sys::global();
    if let Some(worker) = global.dyn_ref::<web_sys::WorkerGlobalScope>() {
        worker.create_image_bitmap_with_blob_and_image_bitmap_options(blob, &options)
    } else {
        global.unchecked_into::<web_sys::Window>().create_image_bitmap_with_blob_and_image_bitmap_options(blob, &options)
    }
}

async fn bitmap_of(decoding: Result<js_sys::Promise, JsValue>) -> Option<web_sys::ImageBitmap> {
    JsFuture::from(decoding.ok()?).await.ok()?.dyn_into().ok()
}

/// The file with its head rewritten to say "upright", and the orientation it
/// said: the browser then decodes the pixels as stored and the warp turns the
/// document upright (a region of a rotated bitmap draws at half the speed:
/// 39 against 78 ms for a 12 MP photo of orientation 6, and 17 ms less decoding).
fn as_stored(file: &web_sys::Blob, head: &[u8]) -> Option<(web_sys::Blob, Orientation)> {
    let (rewritten, orientation) = jpeg_with_normal_orientation(head)?;
    let rest = file.slice_with_i32(head.len() as i32).ok()?;
    let parts = js_sys::Array::of2(&js_sys::Uint8Array::from(rewritten.as_slice()), &rest);
    let properties = web_sys::BlobPropertyBag::new();
    properties.set_type(JPEG);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &properties).ok()?;
    Some((blob, orientation))
}

fn backend_error(reason: &'static str) -> impl Fn(JsValue) -> PhotoError {
    move |_| PhotoError::Backend { reason }
}

/// The bytes of `blob`, copied into wasm memory.
async fn bytes_of(blob: &web_sys::Blob) -> Result<Vec<u8>, PhotoError> {
    let buffer = JsFuture::from(blob.array_buffer()).await.map_err(backend_error("the browser could not read the file"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

impl ImageBackend for WebBackend {
    type Bitmap = WebBitmap;

    fn read_head(&self, len: usize) -> impl Future<Output = Result<Vec<u8>, PhotoError>> + '_ {
        async move {
            let file = self.file.as_ref().ok_or(PhotoError::Empty)?;
            bytes_of(&file.slice_with_i32_and_i32(0, len.min(i32::MAX as usize) as i32).map_err(backend_error("the browser could not read the file"))?).await
        }
    }

    fn read_file(&self) -> impl Future<Output = Result<Vec<u8>, PhotoError>> + '_ {
        async move { bytes_of(self.file.as_ref().ok_or(PhotoError::Empty)?).await }
    }

    fn decode<'a>(&'a self, head: &'a [u8], orientation: Orientation, limits: &'a DecodeLimits) -> impl Future<Output = Result<Decoded<WebBitmap>, PhotoError>> + 'a {
        // Started here; the pipeline then reads the file, which lets the
        // browser read it for this decode (its reads are tasks on this
        // thread: measured, a busy thread right after createImageBitmap held
        // the bitmap back by as long), then searches the file's preview.
        let blob = self.file.as_ref();
        let stored = blob.and_then(|blob| as_stored(blob, head));
        let first = match (&stored, blob) {
            (Some((rewritten, _)), _) => Some(create_image_bitmap(rewritten)),
            (None, Some(blob)) => Some(create_image_bitmap(blob)),
            (None, None) => None,
        };
        async move {
            if let Some(decoding) = first {
                if let Some(bitmap) = bitmap_of(decoding).await {
                    let needs = stored.as_ref().map_or(Orientation::Normal, |(_, said)| *said);
                    return Ok(Decoded { bitmap: WebBitmap::Browser(bitmap), needs });
                }
            }
            // A browser that refuses the rewritten head decodes the file as it is.
            if let (Some(_), Some(blob)) = (&stored, blob) {
                if let Some(bitmap) = bitmap_of(create_image_bitmap(blob)).await {
                    return Ok(Decoded { bitmap: WebBitmap::Browser(bitmap), needs: Orientation::Normal });
                }
            }
            // No browser decoder for it: ours, with its typed errors.
            let file = self.read_file().await?;
            Ok(Decoded { bitmap: WebBitmap::Ours(decode_file(&file, limits)?), needs: orientation })
        }
    }

    fn size(bitmap: &WebBitmap) -> (u32, u32) {
        match bitmap {
            WebBitmap::Browser(bitmap) => (bitmap.width(), bitmap.height()),
            WebBitmap::Ours(image) => (image.width, image.height),
        }
    }

    fn draw<'a>(&'a self, bitmap: &'a WebBitmap, region: &'a ScaledRegion) -> impl Future<Output = Result<DrawnPixels, PhotoError>> + 'a {
        async move {
            match bitmap {
                WebBitmap::Browser(bitmap) => draw_region(bitmap, region).map_err(backend_error("the browser could not draw the photo")),
                WebBitmap::Ours(image) => Ok(draw_natively(image, region)),
            }
        }
    }

    fn encode_jpeg<'a>(&'a self, image: &'a RgbImage, quality: u8) -> impl Future<Output = Option<Vec<u8>>> + 'a {
        async move {
            let canvas = self.canvas_with(image).ok()?;
            let options = web_sys::ImageEncodeOptions::new();
            options.set_type(JPEG);
            options.set_quality(quality as f64 / 100.0);
            let blob: web_sys::Blob = JsFuture::from(canvas.convert_to_blob_with_options(&options).ok()?).await.ok()?.dyn_into().ok()?;
            // A browser without a JPEG encoder answers with PNG: ours then encodes.
            if blob.type_() != JPEG {
                return None;
            }
            let buffer = JsFuture::from(blob.array_buffer()).await.ok()?;
            Some(js_sys::Uint8Array::new(&buffer).to_vec())
        }
    }
}

/// RGBA of a rectangle of the bitmap drawn at the region's drawn size.
fn draw_region(bitmap: &web_sys::ImageBitmap, region: &ScaledRegion) -> Result<DrawnPixels, JsValue> {
    let (width, height) = (region.drawn_width, region.drawn_height);
    let canvas = web_sys::OffscreenCanvas::new(width, height)?;
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"willReadFrequently".into(), &JsValue::TRUE)?;
    let context: web_sys::OffscreenCanvasRenderingContext2d = canvas.get_context_with_context_options("2d", &options)?.ok_or("no 2d context")?.unchecked_into();
    // Shrinking by more than 2:1, "medium" (mipmaps) keeps the preview from
    // aliasing; nearer the photo's scale plain bilinear ("low") is enough and
    // spares building the mipmaps of the whole photo.
    let smoothing = if width * 2 < region.width { "medium" } else { "low" };
    js_sys::Reflect::set(&context, &"imageSmoothingQuality".into(), &smoothing.into())?;
    context.draw_image_with_image_bitmap_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
        bitmap,
        region.x as f64,
        region.y as f64,
        region.width as f64,
        region.height as f64,
        0.0,
        0.0,
        width as f64,
        height as f64,
    )?;
    let data = context.get_image_data(0.0, 0.0, width as f64, height as f64)?;
    Ok(DrawnPixels { width, height, channels: 4, pixels: data.data().0 })
}

/// Opaque RGBA from RGB. An index loop: at opt-level "s" a per-pixel
/// `copy_from_slice` is a `memcpy` call and `chunks_exact` steps are calls too
/// (~20 ms at 1600 px, against 4).
fn rgba_from_rgb(rgb: &[u8]) -> Vec<u8> {
    let count = rgb.len() / 3;
    let mut rgba = vec![255u8; count * 4];
    for i in 0..count {
        rgba[4 * i] = rgb[3 * i];
        rgba[4 * i + 1] = rgb[3 * i + 1];
        rgba[4 * i + 2] = rgb[3 * i + 2];
    }
    rgba
}
