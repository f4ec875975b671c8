//! What the capture pipeline ([`super::capture`]) needs from whoever holds
//! the pixels, in the spirit of ruffle's backends: decode a file, draw a part
//! of it at a size, encode a JPEG at a quality. [`NativeBackend`] does it
//! with the `image` crate and our own resizer and encoder (tests, examples,
//! the fuzzer); `src/web` does it with `createImageBitmap` and
//! `OffscreenCanvas`, so the page never copies a 12 MP photo into wasm.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use super::decode::{decode_file, DecodeLimits};
use super::encode::encode_jpeg;
use super::region::ScaledRegion;
use super::resize::{resize, shrink_by_blocks};
use super::{Orientation, PhotoError, PixelView, RgbImage};

/// A decoded photo and the EXIF orientation its pixels still need.
pub struct Decoded<B> {
    pub bitmap: B,
    /// `Normal` when the backend already turned the pixels upright.
    pub needs: Orientation,
}

/// Pixels a backend drew: `width × height`, 3 (RGB) or 4 (RGBA) bytes each.
pub struct DrawnPixels {
    pub width: u32,
    pub height: u32,
    pub channels: usize,
    pub pixels: Vec<u8>,
}

impl DrawnPixels {
    /// A view for the warp; `None` when the buffer does not hold the stated size.
    pub fn view(&self) -> Option<PixelView<'_>> {
        PixelView::new(self.width, self.height, self.channels, &self.pixels)
    }

    /// As an RGB image (a copy when the pixels are RGBA).
    pub fn into_rgb(self) -> RgbImage {
        if self.channels == 3 {
            return RgbImage { width: self.width, height: self.height, pixels: self.pixels };
        }
        let count = self.pixels.len() / 4;
        let mut rgb = vec![0u8; count * 3];
        // An index loop: at opt-level "s" `chunks_exact` steps stay calls in wasm.
        for i in 0..count {
            rgb[3 * i] = self.pixels[4 * i];
            rgb[3 * i + 1] = self.pixels[4 * i + 1];
            rgb[3 * i + 2] = self.pixels[4 * i + 2];
        }
        RgbImage { width: self.width, height: self.height, pixels: rgb }
    }
}

/// What the pipeline cannot do in plain Rust everywhere: read the photo
/// file the backend was given, decode it, draw a part of it at a size,
/// encode a JPEG at a quality.
///
/// `decode` starts at once when called (a browser decodes on its own
/// thread); the pipeline then reads the whole file, which in a browser lets
/// that decode read the file too, and searches the file's own preview
/// before awaiting the decode.
pub trait ImageBackend {
    /// A decoded photo as this backend holds it (never copied whole into the core).
    type Bitmap;

    /// The first `len` bytes of the file (all of it when shorter).
    fn read_head(&self, len: usize) -> impl Future<Output = Result<Vec<u8>, PhotoError>> + '_;

    /// The whole file.
    fn read_file(&self) -> impl Future<Output = Result<Vec<u8>, PhotoError>> + '_;

    /// The file's pixels. `head` is the file's first bytes and `orientation`
    /// what its EXIF says; the backend may apply it or leave the pixels as
    /// stored, and says which in [`Decoded::needs`]. The header has been
    /// checked against the limits.
    fn decode<'a>(&'a self, head: &'a [u8], orientation: Orientation, limits: &'a DecodeLimits) -> impl Future<Output = Result<Decoded<Self::Bitmap>, PhotoError>> + 'a;

    /// The bitmap's size in its own (stored) pixels.
    fn size(bitmap: &Self::Bitmap) -> (u32, u32);

    /// `region` of the bitmap (its pixels) drawn at `region.drawn_width × drawn_height`.
    fn draw<'a>(&'a self, bitmap: &'a Self::Bitmap, region: &'a ScaledRegion) -> impl Future<Output = Result<DrawnPixels, PhotoError>> + 'a;

    /// `image` as a JPEG at `quality` (1–100), or `None` when this backend
    /// cannot (the pipeline then encodes with ours). The pipeline strips and
    /// checks what comes back.
    fn encode_jpeg<'a>(&'a self, image: &'a RgbImage, quality: u8) -> impl Future<Output = Option<Vec<u8>>> + 'a;
}

/// Plain Rust over a file in memory: our decoder (EXIF left to the
/// pipeline), our resizer, our encoder.
#[derive(Clone, Copy, Default)]
pub struct NativeBackend<'f> {
    file: &'f [u8],
}

impl<'f> NativeBackend<'f> {
    pub fn for_file(file: &'f [u8]) -> NativeBackend<'f> {
        NativeBackend { file }
    }

    /// For photos already decoded (a re-crop, browser pixels): no file to read.
    pub fn without_file() -> NativeBackend<'static> {
        NativeBackend { file: &[] }
    }
}

impl ImageBackend for NativeBackend<'_> {
    type Bitmap = RgbImage;

    fn read_head(&self, len: usize) -> impl Future<Output = Result<Vec<u8>, PhotoError>> + '_ {
        async move { Ok(self.file[..len.min(self.file.len())].to_vec()) }
    }

    fn read_file(&self) -> impl Future<Output = Result<Vec<u8>, PhotoError>> + '_ {
        async move { Ok(self.file.to_vec()) }
    }

    fn decode<'a>(&'a self, _head: &'a [u8], orientation: Orientation, limits: &'a DecodeLimits) -> impl Future<Output = Result<Decoded<RgbImage>, PhotoError>> + 'a {
        async move { Ok(Decoded { bitmap: decode_file(self.file, limits)?, needs: orientation }) }
    }

    fn size(bitmap: &RgbImage) -> (u32, u32) {
        (bitmap.width, bitmap.height)
    }

    fn draw<'a>(&'a self, bitmap: &'a RgbImage, region: &'a ScaledRegion) -> impl Future<Output = Result<DrawnPixels, PhotoError>> + 'a {
        async move { Ok(draw_natively(bitmap, region)) }
    }

    fn encode_jpeg<'a>(&'a self, image: &'a RgbImage, quality: u8) -> impl Future<Output = Option<Vec<u8>>> + 'a {
        async move { encode_jpeg(image, quality).ok() }
    }
}

/// `region` of `bitmap` drawn at its drawn size with our resizer (a
/// whole-block shrink, as for the preview, averages blocks as the finder's
/// own analysis copy does).
pub fn draw_natively(bitmap: &RgbImage, region: &ScaledRegion) -> DrawnPixels {
    let part = cut(bitmap, region.x, region.y, region.width, region.height);
    let factor = (part.width / region.drawn_width.max(1)).max(1);
    let drawn = if (part.width, part.height) == (region.drawn_width, region.drawn_height) {
        part
    } else if factor > 1 && (part.width / factor, part.height / factor) == (region.drawn_width, region.drawn_height) {
        shrink_by_blocks(&part, factor)
    } else {
        resize(&part, region.drawn_width, region.drawn_height)
    };
    DrawnPixels { width: drawn.width, height: drawn.height, channels: 3, pixels: drawn.pixels }
}

/// The `width × height` part of `photo` at `(x, y)` (clamped to the photo).
pub fn cut(photo: &RgbImage, x: u32, y: u32, width: u32, height: u32) -> RgbImage {
    let x = x.min(photo.width);
    let y = y.min(photo.height);
    let width = width.min(photo.width - x);
    let height = height.min(photo.height - y);
    let mut pixels = Vec::with_capacity(width as usize * height as usize * 3);
    for row in y..y + height {
        let start = (row as usize * photo.width as usize + x as usize) * 3;
        pixels.extend_from_slice(&photo.pixels[start..start + width as usize * 3]);
    }
    RgbImage { width, height, pixels }
}

/// Runs a future that never waits, as the pipeline over [`NativeBackend`]
/// is: native callers get a plain function without an async runtime.
/// Panics if the future does wait (a backend that needs a real executor).
pub fn run_ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("run_ready: the future waited; use an async runtime for this backend"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_native_backend_draws_a_region_at_its_size() {
        let mut photo = RgbImage::new(40, 20);
        // Left half black, right half white.
        for y in 0..20 {
            for x in 20..40 {
                let i = (y * 40 + x) * 3;
                photo.pixels[i..i + 3].copy_from_slice(&[255, 255, 255]);
            }
        }
        let region = ScaledRegion { x: 10, y: 0, width: 20, height: 20, drawn_width: 10, drawn_height: 10 };
        let drawn = run_ready(NativeBackend::without_file().draw(&photo, &region)).unwrap();
        assert_eq!((drawn.width, drawn.height, drawn.channels), (10, 10, 3));
        let row = &drawn.pixels[5 * 30..6 * 30];
        assert!(row[0] < 30 && row[27] > 225, "black left, white right: {row:?}");
    }

    #[test]
    fn rgba_pixels_become_rgb() {
        let drawn = DrawnPixels { width: 2, height: 1, channels: 4, pixels: vec![1, 2, 3, 255, 4, 5, 6, 255] };
        assert_eq!(drawn.into_rgb().pixels, vec![1, 2, 3, 4, 5, 6]);
    }

    #[test]
    #[should_panic(expected = "the future waited")]
    fn run_ready_refuses_a_future_that_waits() {
        run_ready(std::future::pending::<()>());
    }
}
