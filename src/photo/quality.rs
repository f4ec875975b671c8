//! Retake advice for the page: too dark, too blurry, glare on the document,
//! document too small. Measured on the upright crop, before JPEG encoding.

use serde::{Deserialize, Serialize};

use super::geometry::{quad_area, quad_side_lengths, Quad};
use super::raster::{GreyImage, RgbImage};
use super::resize::{fit_within, resize_grey};

/// Mean luminance (0–255) of the crop below which it is too dark.
pub const TOO_DARK_MEAN_LUMINANCE: f32 = 70.0;
/// Variance of the Laplacian of the crop scaled to an 800 px long edge,
/// below which print is too soft to read. A sharp document with text measures
/// several hundred; a 3 px blur brings it under 100.
pub const TOO_BLURRY_SHARPNESS: f32 = 60.0;
/// Share of the crop in 16 × 16 blocks mostly clipped to white (all channels
/// ≥ 245) from which glare is reported.
pub const GLARE_MIN_SHARE: f32 = 0.01;
/// The document is too small when it fills less than this share of the photo…
pub const TOO_SMALL_AREA_SHARE: f32 = 0.10;
/// …or its long side spans fewer pixels than this.
pub const TOO_SMALL_LONG_EDGE: f32 = 800.0;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct QualityFlags {
    pub too_dark: bool,
    pub too_blurry: bool,
    pub glare: bool,
    /// Only judged when a document was found.
    pub document_too_small: bool,
    pub measures: QualityMeasures,
}

impl QualityFlags {
    pub fn any(&self) -> bool {
        self.too_dark || self.too_blurry || self.glare || self.document_too_small
    }
}

/// The numbers behind the flags, for tuning and for the page's wording.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct QualityMeasures {
    pub mean_luminance: f32,
    pub sharpness: f32,
    pub glare_share: f32,
    pub document_area_share: f32,
    pub document_long_edge: f32,
}

/// `grey` is `crop.to_grey()`, made once for this and for the MRZ reader.
pub fn assess_quality(crop: &RgbImage, grey: &GreyImage, corners: &Quad, image_width: u32, image_height: u32, document_found: bool) -> QualityFlags {
    let mean_luminance = mean_luminance(grey);
    let sharpness = sharpness(grey);
    let glare_share = glare_share(crop);
    let document_area_share = quad_area(corners) / (image_width as f32 * image_height as f32).max(1.0);
    let (horizontal, vertical) = quad_side_lengths(corners);
    let document_long_edge = horizontal.max(vertical);
    QualityFlags {
        too_dark: mean_luminance < TOO_DARK_MEAN_LUMINANCE,
        too_blurry: sharpness < TOO_BLURRY_SHARPNESS,
        glare: glare_share >= GLARE_MIN_SHARE,
        document_too_small: document_found
            && (document_area_share < TOO_SMALL_AREA_SHARE || document_long_edge < TOO_SMALL_LONG_EDGE),
        measures: QualityMeasures { mean_luminance, sharpness, glare_share, document_area_share, document_long_edge },
    }
}

fn mean_luminance(grey: &GreyImage) -> f32 {
    let count = grey.pixels.len().max(1);
    let sum: u64 = grey.pixels.iter().map(|&v| v as u64).sum();
    sum as f32 / count as f32
}

/// Variance of the 4-neighbour Laplacian at a fixed scale, so the number
/// does not depend on the output size.
pub fn sharpness(grey: &GreyImage) -> f32 {
    let grey = at_sharpness_scale(grey);
    let (w, h) = (grey.width, grey.height);
    if w < 3 || h < 3 {
        return 0.0;
    }
    let p = &grey.pixels;
    let (mut sum, mut sum_squares, mut count) = (0f64, 0f64, 0f64);
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let at = y * w + x;
            let laplacian = p[at - 1] as f64 + p[at + 1] as f64 + p[at - w] as f64 + p[at + w] as f64 - 4.0 * p[at] as f64;
            sum += laplacian;
            sum_squares += laplacian * laplacian;
            count += 1.0;
        }
    }
    let mean = sum / count;
    (sum_squares / count - mean * mean) as f32
}

/// The crop at an 800 px long edge: halved when that lands within 1 % of it
/// (the 1600 px default output), else by a general resize.
fn at_sharpness_scale(grey: &GreyImage) -> GreyImage {
    const LONG_EDGE: u32 = 800;
    let long = grey.longest_edge() as u32;
    if (long / 2).abs_diff(LONG_EDGE) * 100 <= LONG_EDGE {
        return grey.half();
    }
    let (w, h) = fit_within(grey.width as u32, grey.height as u32, LONG_EDGE);
    resize_grey(grey, w, h)
}

/// Clipped highlights in blobs, not single white pixels of print.
fn glare_share(image: &RgbImage) -> f32 {
    const BLOCK: usize = 16;
    let (w, h) = (image.width as usize, image.height as usize);
    let (blocks_x, blocks_y) = (w / BLOCK, h / BLOCK);
    if blocks_x == 0 || blocks_y == 0 {
        return 0.0;
    }
    let mut glare_blocks = 0;
    for by in 0..blocks_y {
        for bx in 0..blocks_x {
            let mut clipped = 0;
            for y in by * BLOCK..(by + 1) * BLOCK {
                let row = &image.pixels[(y * w + bx * BLOCK) * 3..(y * w + (bx + 1) * BLOCK) * 3];
                // An index loop: at opt-level "s" `chunks_exact` steps stay calls in wasm.
                for x in 0..BLOCK {
                    clipped += usize::from(row[3 * x] >= 245 && row[3 * x + 1] >= 245 && row[3 * x + 2] >= 245);
                }
            }
            if clipped * 4 >= BLOCK * BLOCK * 3 {
                glare_blocks += 1;
            }
        }
    }
    glare_blocks as f32 / (blocks_x * blocks_y) as f32
}
