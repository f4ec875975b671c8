//! Plain pixel buffers the pipeline works on: tightly packed, row-major,
//! top-left origin. Our own types so callers (the MRZ reader, the web
//! boundary) never need an image library's types.

/// 8-bit RGB pixels, 3 bytes per pixel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RgbImage {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

/// 8-bit luminance, 1 byte per pixel, what the MRZ reader takes: the one grey
/// image type of the crate, shared with the QR and MRZ code.
pub use crate::raster::{luma, GreyImage};

/// Borrowed 8-bit pixels of 3 (RGB) or 4 (RGBA, e.g. straight from the
/// browser's `ImageData`) bytes each; the warp and the edge refinement read
/// either, so browser pixels need no conversion copy.
#[derive(Clone, Copy, Debug)]
pub struct PixelView<'a> {
    pub width: u32,
    pub height: u32,
    /// Bytes per pixel: 3 or 4; the first three are red, green, blue.
    pub channels: usize,
    pub pixels: &'a [u8],
}

impl<'a> PixelView<'a> {
    /// `None` unless the buffer holds exactly `width × height` pixels of 3 or 4 bytes.
    pub fn new(width: u32, height: u32, channels: usize, pixels: &'a [u8]) -> Option<PixelView<'a>> {
        let fits = (channels == 3 || channels == 4) && pixels.len() as u64 == width as u64 * height as u64 * channels as u64;
        fits.then_some(PixelView { width, height, channels, pixels })
    }
}

impl RgbImage {
    pub fn view(&self) -> PixelView<'_> {
        PixelView { width: self.width, height: self.height, channels: 3, pixels: &self.pixels }
    }

    /// A black image; callers keep sizes within the decode limits.
    pub fn new(width: u32, height: u32) -> Self {
        RgbImage { width, height, pixels: vec![0; width as usize * height as usize * 3] }
    }

    /// Rec. 601 luma (`raster::luma`).
    pub fn to_grey(&self) -> GreyImage {
        let count = self.pixels.len() / 3;
        let rgb = &self.pixels[..count * 3];
        let mut pixels = vec![0u8; count];
        // An index loop: at opt-level "s" `chunks_exact` steps stay calls in wasm.
        for i in 0..count {
            pixels[i] = luma(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]);
        }
        GreyImage { width: self.width as usize, height: self.height as usize, pixels }
    }
}
