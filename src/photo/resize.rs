//! Resampling: area averaging for downscaling (each output pixel is the
//! exact coverage-weighted mean of the source pixels under it, which keeps
//! small print legible without ringing), linear interpolation for upscaling.

use super::raster::{GreyImage, RgbImage};

/// Per output index: first source index and the weights from there on.
struct Taps {
    start: usize,
    weights: Vec<f32>,
}

fn taps(source_len: usize, target_len: usize) -> Vec<Taps> {
    let scale = source_len as f64 / target_len as f64;
    (0..target_len)
        .map(|i| {
            if scale >= 1.0 {
                let (from, to) = (i as f64 * scale, (i as f64 + 1.0) * scale);
                let start = from.floor() as usize;
                let end = (to.ceil() as usize).min(source_len);
                let weights = (start..end)
                    .map(|s| ((s as f64 + 1.0).min(to) - (s as f64).max(from)) / scale)
                    .map(|w| w as f32)
                    .collect();
                Taps { start, weights }
            } else {
                let centre = ((i as f64 + 0.5) * scale - 0.5).clamp(0.0, (source_len - 1) as f64);
                let start = centre.floor() as usize;
                let fraction = (centre - start as f64) as f32;
                if start + 1 < source_len {
                    Taps { start, weights: vec![1.0 - fraction, fraction] }
                } else {
                    Taps { start, weights: vec![1.0] }
                }
            }
        })
        .collect()
}

/// Resizes to exactly `width × height` (both ≥ 1).
pub fn resize(source: &RgbImage, width: u32, height: u32) -> RgbImage {
    let (tw, th) = (width.max(1), height.max(1));
    RgbImage { width: tw, height: th, pixels: resize_pixels::<3>(&source.pixels, source.width as usize, source.height as usize, tw as usize, th as usize) }
}

/// The same for greyscale.
pub fn resize_grey(source: &GreyImage, width: u32, height: u32) -> GreyImage {
    let (tw, th) = (width.max(1), height.max(1));
    GreyImage { width: tw as usize, height: th as usize, pixels: resize_pixels::<1>(&source.pixels, source.width, source.height, tw as usize, th as usize) }
}

/// Separable resampling of `C`-channel pixels: horizontal pass into f32 rows, then vertical to u8.
fn resize_pixels<const C: usize>(source: &[u8], sw: usize, sh: usize, tw: usize, th: usize) -> Vec<u8> {
    if (sw, sh) == (tw, th) || sw == 0 || sh == 0 || source.len() != sw * sh * C {
        return if (sw, sh) == (tw, th) { source.to_vec() } else { vec![0; tw * th * C] };
    }
    let horizontal_taps = taps(sw, tw);
    let mut horizontal = vec![0f32; tw * sh * C];
    for y in 0..sh {
        let row = &source[y * sw * C..(y + 1) * sw * C];
        let out_row = &mut horizontal[y * tw * C..(y + 1) * tw * C];
        for (x, tap) in horizontal_taps.iter().enumerate() {
            let mut sum = [0f32; C];
            for (k, weight) in tap.weights.iter().enumerate() {
                let at = (tap.start + k) * C;
                for c in 0..C {
                    sum[c] += row[at + c] as f32 * weight;
                }
            }
            // By element: a 1–3 byte `copy_from_slice` is a `memcpy` call in wasm.
            for c in 0..C {
                out_row[x * C + c] = sum[c];
            }
        }
    }
    let vertical_taps = taps(sh, th);
    let mut out = vec![0u8; tw * th * C];
    let mut sums = vec![0f32; tw * C];
    for (y, tap) in vertical_taps.iter().enumerate() {
        // Index loops: at opt-level "s" iterator adapters here stay calls in wasm.
        let row_len = tw * C;
        sums.iter_mut().for_each(|s| *s = 0.0);
        for (k, &weight) in tap.weights.iter().enumerate() {
            let row = &horizontal[(tap.start + k) * row_len..(tap.start + k + 1) * row_len];
            for i in 0..row_len {
                sums[i] += row[i] * weight;
            }
        }
        let out_row = &mut out[y * row_len..(y + 1) * row_len];
        for i in 0..row_len {
            out_row[i] = (sums[i] + 0.5).clamp(0.0, 255.0) as u8;
        }
    }
    out
}

/// The size that fits within `max_long_edge`, keeping the aspect ratio, never enlarging.
pub fn fit_within(width: u32, height: u32, max_long_edge: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= max_long_edge || long == 0 {
        return (width, height);
    }
    let scale = max_long_edge as f64 / long as f64;
    (((width as f64 * scale).round() as u32).max(1), ((height as f64 * scale).round() as u32).max(1))
}

/// Averages `factor × factor` blocks: a fast, alias-free small copy for analysis.
pub fn shrink_by_blocks(source: &RgbImage, factor: u32) -> RgbImage {
    let factor = factor.max(1) as usize;
    let (sw, sh) = (source.width as usize, source.height as usize);
    let (tw, th) = ((sw / factor).max(1), (sh / factor).max(1));
    let mut sums = vec![0u32; tw * 3];
    let mut out = RgbImage::new(tw as u32, th as u32);
    for ty in 0..th {
        sums.iter_mut().for_each(|s| *s = 0);
        let rows = (ty * factor..((ty + 1) * factor).min(sh)).collect::<Vec<_>>();
        for &y in &rows {
            let row = &source.pixels[y * sw * 3..(y + 1) * sw * 3];
            for tx in 0..tw {
                let sum = &mut sums[tx * 3..tx * 3 + 3];
                for x in tx * factor..((tx + 1) * factor).min(sw) {
                    sum[0] += row[x * 3] as u32;
                    sum[1] += row[x * 3 + 1] as u32;
                    sum[2] += row[x * 3 + 2] as u32;
                }
            }
        }
        let count = (rows.len() * factor.min(sw)) as u32;
        for (out, sum) in out.pixels[ty * tw * 3..(ty + 1) * tw * 3].iter_mut().zip(&sums) {
            *out = ((sum + count / 2) / count.max(1)) as u8;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_downscale_averages_exactly() {
        // 4×1 → 2×1: pairs average.
        let source = RgbImage { width: 4, height: 1, pixels: vec![0, 0, 0, 100, 100, 100, 200, 200, 200, 50, 50, 50] };
        let out = resize(&source, 2, 1);
        assert_eq!(out.pixels, vec![50, 50, 50, 125, 125, 125]);
    }

    #[test]
    fn uniform_image_stays_uniform_at_any_size() {
        let source = RgbImage { width: 7, height: 5, pixels: vec![123; 7 * 5 * 3] };
        for (w, h) in [(3, 2), (7, 5), (10, 9), (1, 1)] {
            assert!(resize(&source, w, h).pixels.iter().all(|&v| v == 123), "{w}x{h}");
        }
        assert!(shrink_by_blocks(&source, 2).pixels.iter().all(|&v| v == 123));
    }

    #[test]
    fn fit_within_keeps_aspect_and_never_enlarges() {
        assert_eq!(fit_within(4032, 3024, 1600), (1600, 1200));
        assert_eq!(fit_within(800, 600, 1600), (800, 600));
        assert_eq!(fit_within(3024, 4032, 1600), (1200, 1600));
    }
}
