//! Perspective warp: maps a quadrilateral of the photo onto an upright
//! rectangle with bilinear sampling.

use super::geometry::{Point, Quad};
use super::raster::RgbImage;

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
pub fn warp_quad(source: &RgbImage, quad: &Quad, width: u32, height: u32) -> Option<RgbImage> {
    let rectangle = [
        Point::new(0.0, 0.0),
        Point::new(width as f32, 0.0),
        Point::new(width as f32, height as f32),
        Point::new(0.0, height as f32),
    ];
    let to_source = Homography::from_points(&rectangle, quad)?;
    let h = to_source.0;
    let mut out = RgbImage::new(width, height);
    let row_bytes = width as usize * 3;
    for (y, row) in out.pixels.chunks_exact_mut(row_bytes.max(1)).enumerate() {
        let v = y as f64 + 0.5;
        for (x, pixel) in row.chunks_exact_mut(3).enumerate() {
            let u = x as f64 + 0.5;
            let w = h[6] * u + h[7] * v + h[8];
            let sx = (h[0] * u + h[1] * v + h[2]) / w;
            let sy = (h[3] * u + h[4] * v + h[5]) / w;
            sample_bilinear(source, sx as f32 - 0.5, sy as f32 - 0.5, pixel);
        }
    }
    Some(out)
}

/// Bilinear sample at pixel-index coordinates, clamped to the edge.
#[inline]
fn sample_bilinear(source: &RgbImage, x: f32, y: f32, out: &mut [u8]) {
    let max_x = source.width as f32 - 1.0;
    let max_y = source.height as f32 - 1.0;
    let x = if x.is_finite() { x.clamp(0.0, max_x) } else { 0.0 };
    let y = if y.is_finite() { y.clamp(0.0, max_y) } else { 0.0 };
    let (x0, y0) = (x as usize, y as usize);
    let x1 = (x0 + 1).min(source.width as usize - 1);
    let y1 = (y0 + 1).min(source.height as usize - 1);
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let stride = source.width as usize * 3;
    let p = &source.pixels;
    for c in 0..3 {
        let a = p[y0 * stride + x0 * 3 + c] as f32;
        let b = p[y0 * stride + x1 * 3 + c] as f32;
        let d = p[y1 * stride + x0 * 3 + c] as f32;
        let e = p[y1 * stride + x1 * 3 + c] as f32;
        let top = a + (b - a) * fx;
        let bottom = d + (e - d) * fx;
        out[c] = (top + (bottom - top) * fy + 0.5) as u8;
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
        let out = warp_quad(&source, &quad, 4, 2).unwrap();
        let reds: Vec<u8> = out.pixels.chunks(3).map(|p| p[0]).collect();
        assert_eq!(reds, vec![26, 27, 28, 29, 34, 35, 36, 37]);
    }
}
