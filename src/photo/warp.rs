//! Perspective warp: maps a quadrilateral of the photo onto an upright
//! rectangle with bilinear sampling.

use super::geometry::{Point, Quad};
use super::raster::{PixelView, RgbImage};

/// A 3×3 projective transform, row-major, `h[8] == 1`.
#[derive(Clone, Copy, Debug)]
pub struct Homography([f64; 9]);

impl Homography {
    /// The transform taking each `from[i]` to `to[i]`; `None` if degenerate.
    pub fn from_points(from: &Quad, to: &Quad) -> Option<Homography> {
        // Solve the standard 8×8 system for h0..h7 by Gaussian elimination.
        let mut system = [[0f64; 9]; 8];
        for i in 0..4 {
            let (x, y) = (from[i].x as f64, from[i].y as f64);
            let (u, v) = (to[i].x as f64, to[i].y as f64);
            system[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
            system[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
        }
        for column in 0..8 {
            let pivot = (column..8).max_by(|&a, &b| system[a][column].abs().total_cmp(&system[b][column].abs()))?;
            if system[pivot][column].abs() < 1e-12 {
                return None;
            }
            system.swap(column, pivot);
            for row in 0..8 {
                if row != column {
                    let factor = system[row][column] / system[column][column];
                    let pivot_row = system[column];
                    for (value, pivot_value) in system[row].iter_mut().zip(pivot_row).skip(column) {
                        *value -= factor * pivot_value;
                    }
                }
            }
        }
        let mut h = [0f64; 9];
        for i in 0..8 {
            h[i] = system[i][8] / system[i][i];
        }
        h[8] = 1.0;
        h.iter().all(|v| v.is_finite()).then_some(Homography(h))
    }

    pub fn apply(&self, p: Point) -> Point {
        let h = &self.0;
        let (x, y) = (p.x as f64, p.y as f64);
        let w = h[6] * x + h[7] * y + h[8];
        let w = if w.abs() < 1e-12 { 1e-12 } else { w };
        Point::new(((h[0] * x + h[1] * y + h[2]) / w) as f32, ((h[3] * x + h[4] * y + h[5]) / w) as f32)
    }
}

/// Samples `quad` of `source` into a `width × height` upright image
/// (corner order top-left, top-right, bottom-right, bottom-left).
pub fn warp_quad(source: PixelView, quad: &Quad, width: u32, height: u32) -> Option<RgbImage> {
    let rectangle = [
        Point::new(0.0, 0.0),
        Point::new(width as f32, 0.0),
        Point::new(width as f32, height as f32),
        Point::new(0.0, height as f32),
    ];
    let to_source = Homography::from_points(&rectangle, quad)?;
    if source.width == 0 || source.height == 0 || source.pixels.len() != source.width as usize * source.height as usize * source.channels {
        return None;
    }
    let h = to_source.0;
    let source_at = |u: f64, v: f64| -> (i64, i64) {
        let w = h[6] * u + h[7] * v + h[8];
        let (x, y) = ((h[0] * u + h[1] * v + h[2]) / w - 0.5, (h[3] * u + h[4] * v + h[5]) / w - 0.5);
        // Far outside is clamped to the edge anyway; the bound keeps the fixed point from overflowing.
        let fixed = |c: f64| (if c.is_finite() { c.clamp(-1e6, 1e6) } else { 0.0 } * FIXED_ONE as f64) as i64;
        (fixed(x), fixed(y))
    };
    let mut out = RgbImage::new(width, height);
    let row_bytes = width as usize * 3;
    for (y, row) in out.pixels.chunks_exact_mut(row_bytes.max(1)).enumerate() {
        let v = y as f64 + 0.5;
        // Exact at every SPAN-th pixel, linear in between: over 16 pixels a
        // photo's perspective bends the mapping by far less than 1/100 pixel.
        for (span, pixels) in row.chunks_mut(SPAN * 3).enumerate() {
            let first = span * SPAN;
            let count = pixels.len() / 3;
            let (x0, y0) = source_at(first as f64 + 0.5, v);
            let (x1, y1) = source_at((first + count) as f64 + 0.5, v);
            let (step_x, step_y) = ((x1 - x0) / count as i64, (y1 - y0) / count as i64);
            let last = (x0 + step_x * (count as i64 - 1), y0 + step_y * (count as i64 - 1));
            // A span is a straight run: when both ends have all four taps
            // inside the source, so has every pixel between (nearly all spans).
            let inside = |(x, y): (i64, i64)| x >= 0 && y >= 0 && x < (source.width as i64 - 1) << FIXED_SHIFT && y < (source.height as i64 - 1) << FIXED_SHIFT;
            let done = inside((x0, y0))
                && inside(last)
                && match source.channels {
                    3 => sample_span_inside::<3>(&source, (x0, y0), (step_x, step_y), pixels),
                    4 => sample_span_inside_rgba(&source, (x0, y0), (step_x, step_y), pixels),
                    _ => false,
                };
            if !done {
                let (mut sx, mut sy) = (x0, y0);
                for pixel in pixels.chunks_exact_mut(3) {
                    sample_bilinear(&source, sx, sy, pixel);
                    sx += step_x;
                    sy += step_y;
                }
            }
        }
    }
    Some(out)
}

/// Source positions in 1/65536 pixel: integer stepping and weights are
/// several times faster in wasm than a float transform per pixel.
const FIXED_SHIFT: u32 = 16;
const FIXED_ONE: i64 = 1 << FIXED_SHIFT;
/// Pixels between exact evaluations of the homography.
const SPAN: usize = 16;

/// Bilinear samples along a span whose taps all lie inside the source (the
/// caller checked its ends), with `CHANNELS` known: no clamping, and the
/// compiler can drop most bounds checks. False if a tap fell outside after
/// all (the caller then samples the span again with clamping).
#[inline(always)]
fn sample_span_inside<const CHANNELS: usize>(source: &PixelView, start: (i64, i64), step: (i64, i64), out: &mut [u8]) -> bool {
    let stride = source.width as usize * CHANNELS;
    let (mut x, mut y) = start;
    for pixel in out.chunks_exact_mut(3) {
        let (x0, y0) = ((x >> FIXED_SHIFT) as usize, (y >> FIXED_SHIFT) as usize);
        let at = y0 * stride + x0 * CHANNELS;
        let Some(taps) = source.pixels.get(at..at + stride + CHANNELS + 3) else {
            return false;
        };
        let fx = ((x >> (FIXED_SHIFT - 8)) & 255) as u32;
        let fy = ((y >> (FIXED_SHIFT - 8)) & 255) as u32;
        let (wx0, wx1, wy0, wy1) = (256 - fx, fx, 256 - fy, fy);
        for c in 0..3 {
            let upper = taps[c] as u32 * wx0 + taps[CHANNELS + c] as u32 * wx1;
            let lower = taps[stride + c] as u32 * wx0 + taps[stride + CHANNELS + c] as u32 * wx1;
            pixel[c] = ((upper * wy0 + lower * wy1 + 32_768) >> 16) as u8;
        }
        x += step.0;
        y += step.1;
    }
    true
}

/// The same for RGBA (the browser's pixels, the page's hot path): each tap
/// is one 32-bit word, blended two channels at a time in 16-bit lanes (red
/// and blue, green and alpha), so a pixel costs 6 multiplications, not 18.
/// Rounds after each of the two blends (within one level of the above).
#[inline(always)]
fn sample_span_inside_rgba(source: &PixelView, start: (i64, i64), step: (i64, i64), out: &mut [u8]) -> bool {
    const LANES: u32 = 0x00FF_00FF;
    const HALF: u32 = 0x0080_0080;
    // Lanes hold ≤ 255 × 256 + 128 after a blend (weights sum to 256): no carry between them.
    #[inline(always)]
    fn blend(p: u32, q: u32, wp: u32, wq: u32) -> u32 {
        let red_blue = (((p & LANES) * wp + (q & LANES) * wq + HALF) >> 8) & LANES;
        let green_alpha = ((((p >> 8) & LANES) * wp + ((q >> 8) & LANES) * wq + HALF) >> 8) & LANES;
        red_blue | (green_alpha << 8)
    }
    let stride = source.width as usize * 4;
    let (mut x, mut y) = start;
    // An index loop: `chunks_exact_mut` steps are calls at opt-level "s".
    for i in 0..out.len() / 3 {
        let (x0, y0) = ((x >> FIXED_SHIFT) as usize, (y >> FIXED_SHIFT) as usize);
        let at = y0 * stride + x0 * 4;
        // Two 8-byte runs (two pixels each) as arrays: one bounds check per row, not per byte.
        let row = |from: usize| -> Option<&[u8; 8]> { source.pixels.get(from..from + 8)?.try_into().ok() };
        let (Some(top), Some(bottom)) = (row(at), row(at + stride)) else {
            return false;
        };
        let word = |taps: &[u8; 8], i: usize| u32::from_le_bytes([taps[i], taps[i + 1], taps[i + 2], taps[i + 3]]);
        let fx = ((x >> (FIXED_SHIFT - 8)) & 255) as u32;
        let fy = ((y >> (FIXED_SHIFT - 8)) & 255) as u32;
        let upper = blend(word(top, 0), word(top, 4), 256 - fx, fx);
        let lower = blend(word(bottom, 0), word(bottom, 4), 256 - fx, fx);
        let value = blend(upper, lower, 256 - fy, fy);
        (out[3 * i], out[3 * i + 1], out[3 * i + 2]) = (value as u8, (value >> 8) as u8, (value >> 16) as u8);
        x += step.0;
        y += step.1;
    }
    true
}

/// Bilinear sample at a fixed-point pixel-index position, clamped to the
/// edge; weights in 1/256ths.
#[inline(always)]
fn sample_bilinear(source: &PixelView, x: i64, y: i64, out: &mut [u8]) {
    let (width, height) = (source.width as i64, source.height as i64);
    let x = x.clamp(0, (width - 1) << FIXED_SHIFT);
    let y = y.clamp(0, (height - 1) << FIXED_SHIFT);
    let (x0, y0) = ((x >> FIXED_SHIFT) as usize, (y >> FIXED_SHIFT) as usize);
    let x1 = (x0 + 1).min(width as usize - 1);
    let y1 = (y0 + 1).min(height as usize - 1);
    let fx = ((x >> (FIXED_SHIFT - 8)) & 255) as u32;
    let fy = ((y >> (FIXED_SHIFT - 8)) & 255) as u32;
    let stride = width as usize * source.channels;
    let (top, bottom) = (y0 * stride, y1 * stride);
    let (left, right) = (x0 * source.channels, x1 * source.channels);
    // The clamps above keep every index inside the buffer (checked once by the caller).
    let (Some(a), Some(b), Some(d), Some(e)) = (
        source.pixels.get(top + left..top + left + 3),
        source.pixels.get(top + right..top + right + 3),
        source.pixels.get(bottom + left..bottom + left + 3),
        source.pixels.get(bottom + right..bottom + right + 3),
    ) else {
        return;
    };
    let (wx0, wx1, wy0, wy1) = (256 - fx, fx, 256 - fy, fy);
    for (c, out) in out.iter_mut().enumerate().take(3) {
        let upper = a[c] as u32 * wx0 + b[c] as u32 * wx1;
        let lower = d[c] as u32 * wx0 + e[c] as u32 * wx1;
        *out = ((upper * wy0 + lower * wy1 + 32_768) >> 16) as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homography_maps_the_four_points_it_was_built_from() {
        let from = [Point::new(0.0, 0.0), Point::new(100.0, 0.0), Point::new(100.0, 60.0), Point::new(0.0, 60.0)];
        let to = [Point::new(12.0, 7.0), Point::new(130.0, 20.0), Point::new(120.0, 95.0), Point::new(3.0, 80.0)];
        let h = Homography::from_points(&from, &to).unwrap();
        for i in 0..4 {
            let p = h.apply(from[i]);
            assert!(p.distance(to[i]) < 1e-3, "{i}: {p:?}");
        }
    }

    #[test]
    fn axis_aligned_warp_is_a_plain_crop() {
        let mut source = RgbImage::new(8, 8);
        for (i, p) in source.pixels.chunks_exact_mut(3).enumerate() {
            p[0] = i as u8;
        }
        let quad = [Point::new(2.0, 3.0), Point::new(6.0, 3.0), Point::new(6.0, 5.0), Point::new(2.0, 5.0)];
        let out = warp_quad(source.view(), &quad, 4, 2).unwrap();
        let reds: Vec<u8> = out.pixels.chunks(3).map(|p| p[0]).collect();
        assert_eq!(reds, vec![26, 27, 28, 29, 34, 35, 36, 37]);
    }
}
