//! What only the QR scanner does with grey images: cropping a camera frame
//! (RGBA or grey) to the scan region, doubling small codes and sharpening
//! blurred ones. The image type, luma and the pyramid's 2× step are shared
//! with the photo and MRZ readers (`crate::raster`).

pub use crate::raster::GreyImage;
use crate::raster::luma;

/// A rectangle of the input in pixels (clamped to the image by the caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelRect {
    pub x: usize,
    pub y: usize,
    pub width: usize,
    pub height: usize,
}

impl GreyImage {
    /// Rec. 601 luma (`raster::luma`). Alpha is
    /// ignored (camera frames are opaque). `rect` must lie inside the image
    /// and `rgba` hold `image_width * image_height * 4` bytes (checked by the caller).
    pub fn from_rgba_rect(rgba: &[u8], image_width: usize, rect: PixelRect) -> GreyImage {
        // Written into a sized buffer row by row (no push per pixel): this
        // touches every pixel of every frame.
        let mut pixels = vec![0u8; rect.width * rect.height];
        let rows = rgba.chunks_exact(image_width * 4).skip(rect.y).take(rect.height);
        for (row, out) in rows.zip(pixels.chunks_exact_mut(rect.width.max(1))) {
            let inside = row.get(rect.x * 4..(rect.x + rect.width) * 4).unwrap_or(&[]);
            // `as_chunks` (arrays over a slice iterator), not `chunks_exact`:
            // the release build optimises for size and left ChunksExact's
            // per-item call un-inlined in wasm, ~7 % of a frame.
            let (pixels, _) = inside.as_chunks::<4>();
            for (&[r, g, b, _], grey) in pixels.iter().zip(out.iter_mut()) {
                *grey = luma(r, g, b);
            }
        }
        GreyImage { width: rect.width, height: rect.height, pixels }
    }

    /// Copy of `rect` of a greyscale buffer (same preconditions as above).
    pub fn from_grey_rect(grey: &[u8], image_width: usize, rect: PixelRect) -> GreyImage {
        let mut pixels = Vec::with_capacity(rect.width * rect.height);
        for row in grey.chunks_exact(image_width).skip(rect.y).take(rect.height) {
            // A slice copy (memcpy), not a byte-by-byte iterator.
            pixels.extend_from_slice(row.get(rect.x..rect.x + rect.width).unwrap_or(&[]));
        }
        GreyImage { width: rect.width, height: rect.height, pixels }
    }

    /// Twice the size, bilinear (each output pixel a 3:1 blend of its two
    /// nearest source pixels per axis). For small modules in a small image:
    /// at 1.5–3 px per module a finder pattern's runs are too short for the
    /// 1:1:3:1:1 test to tell them apart.
    pub fn doubled(&self) -> GreyImage {
        let (w, h) = (self.width, self.height);
        if w == 0 || h == 0 || self.pixels.len() != w * h {
            return GreyImage { width: 0, height: 0, pixels: Vec::new() };
        }
        // Horizontal: source column x gives output 2x (3/4 x + 1/4 left)
        // and 2x+1 (3/4 x + 1/4 right), edges repeated.
        let mut wide = vec![0u16; w * 2 * h];
        for (row, out) in self.pixels.chunks_exact(w).zip(wide.chunks_exact_mut(w * 2)) {
            for (x, pair) in out.chunks_exact_mut(2).enumerate() {
                let here = u16::from(row.get(x).copied().unwrap_or(0));
                let left = u16::from(row.get(x.saturating_sub(1)).copied().unwrap_or(0));
                let right = u16::from(row.get((x + 1).min(w - 1)).copied().unwrap_or(0));
                if let [a, b] = pair {
                    *a = 3 * here + left;
                    *b = 3 * here + right;
                }
            }
        }
        let mut pixels = vec![0u8; w * 2 * h * 2];
        let wide_row = |y: usize| wide.get(y * w * 2..(y + 1) * w * 2).unwrap_or(&[]);
        for (y, pair) in pixels.chunks_exact_mut(w * 4).enumerate() {
            let (here, above, below) = (wide_row(y), wide_row(y.saturating_sub(1)), wide_row((y + 1).min(h - 1)));
            let (top, bottom) = pair.split_at_mut(w * 2);
            for ((out, &c), &a) in top.iter_mut().zip(here).zip(above) {
                *out = ((3 * u32::from(c) + u32::from(a) + 8) >> 4) as u8;
            }
            for ((out, &c), &b) in bottom.iter_mut().zip(here).zip(below) {
                *out = ((3 * u32::from(c) + u32::from(b) + 8) >> 4) as u8;
            }
        }
        GreyImage { width: w * 2, height: h * 2, pixels }
    }

    /// Unsharp mask: `value + (value − box_mean) × amount / 100` with a box of
    /// `2 * radius + 1` pixels. Restores the light ring of a blurred finder
    /// pattern, which thresholding would otherwise merge into the core.
    pub fn sharpened(&self, radius: usize, amount_percent: i32) -> GreyImage {
        let (w, h) = (self.width, self.height);
        if w == 0 || h == 0 || self.pixels.len() != w * h {
            return self.clone();
        }
        // Separable box mean: each row's horizontal means, then per output
        // row a running sum of those over the rows in reach. Row by row, not
        // column by column: the strided column pass was a third of a pass.
        let mut horizontal = vec![0u8; w * h];
        for (row, out) in self.pixels.chunks_exact(w).zip(horizontal.chunks_exact_mut(w)) {
            box_mean_row(row, radius, out);
        }
        let horizontal_row = |y: usize| horizontal.get(y * w..(y + 1) * w).unwrap_or(&[]);
        let mut column_sums = vec![0u32; w];
        let (mut top, mut bottom) = (0usize, 0usize); // rows top..bottom are in `column_sums`
        let mut pixels = vec![0u8; w * h];
        for (y, (row, out)) in self.pixels.chunks_exact(w).zip(pixels.chunks_exact_mut(w)).enumerate() {
            let (lo, hi) = (y.saturating_sub(radius), (y + radius + 1).min(h));
            for added in bottom.max(lo)..hi {
                column_sums.iter_mut().zip(horizontal_row(added)).for_each(|(sum, &v)| *sum += v as u32);
            }
            for removed in top..lo.min(bottom) {
                column_sums.iter_mut().zip(horizontal_row(removed)).for_each(|(sum, &v)| *sum -= v as u32);
            }
            (top, bottom) = (lo, hi);
            let rows_in_reach = DivideBy::new((hi - lo) as u32);
            for ((&value, &sum), sharp) in row.iter().zip(&column_sums).zip(out.iter_mut()) {
                let (value, mean) = (value as i32, rows_in_reach.apply(sum) as i32);
                *sharp = (value + (value - mean) * amount_percent / 100).clamp(0, 255) as u8;
            }
        }
        GreyImage { width: w, height: h, pixels }
    }
}

/// Mean over a sliding window of `2 * radius + 1` (clipped at the ends) along
/// one row: a running sum, and division by the window's width through
/// `DivideBy` (a division per pixel was most of the mask's time).
fn box_mean_row(row: &[u8], radius: usize, out: &mut [u8]) {
    let len = row.len();
    let full_window = DivideBy::new(2 * radius as u32 + 1);
    let mut sum: u32 = row.iter().take(radius).map(|&v| v as u32).sum();
    for (i, slot) in out.iter_mut().enumerate().take(len) {
        // Window i - radius ..= i + radius, clipped to the row.
        if let Some(&entering) = row.get(i + radius) {
            sum += entering as u32;
        }
        if let Some(leaving) = i.checked_sub(radius + 1).and_then(|j| row.get(j)) {
            sum -= *leaving as u32;
        }
        let count = (i + radius + 1).min(len) - i.saturating_sub(radius);
        let mean = if count == 2 * radius + 1 { full_window.apply(sum) } else { sum / count.max(1) as u32 };
        *slot = mean as u8;
    }
}

/// `n / divisor` as a multiply and a shift, exact for the sums of at most
/// 2^16 bytes taken here (divisor ≤ 2^16): `m = ⌈2^40 / d⌉`, and the error
/// `n (m d − 2^40) / (d 2^40)` stays below `1 / d` while `n d < 2^40`.
#[derive(Clone, Copy)]
struct DivideBy {
    multiplier: u64,
}

impl DivideBy {
    fn new(divisor: u32) -> DivideBy {
        let divisor = divisor.max(1) as u64;
        DivideBy { multiplier: (1u64 << 40).div_ceil(divisor) }
    }

    #[inline]
    fn apply(self, n: u32) -> u32 {
        ((n as u64 * self.multiplier) >> 40) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rgba_luma_uses_integer_weights_and_ignores_alpha() {
        let rgba = [255, 255, 255, 0, 0, 0, 0, 255, 255, 0, 0, 255, 0, 255, 0, 255];
        let grey = GreyImage::from_rgba_rect(&rgba, 4, PixelRect { x: 0, y: 0, width: 4, height: 1 });
        assert_eq!(grey.pixels, vec![255, 0, 76, 149]);
    }

    #[test]
    fn doubling_blends_neighbours_three_to_one() {
        let image = GreyImage { width: 2, height: 2, pixels: vec![0, 160, 160, 160] };
        let doubled = image.doubled();
        assert_eq!((doubled.width, doubled.height), (4, 4));
        // Corner pixels keep their value (edges repeat); the ones beside the
        // black pixel are 3/4 of its neighbour, 1/4 of it.
        assert_eq!(doubled.pixels[0], 0);
        assert_eq!(doubled.pixels[1], 40);
        assert_eq!(doubled.pixels[3], 160);
        assert_eq!(doubled.pixels[15], 160);
        assert_eq!(GreyImage { width: 0, height: 3, pixels: vec![] }.doubled().pixels.len(), 0);
        assert_eq!(GreyImage { width: 2, height: 2, pixels: vec![1] }.doubled().width, 0);
    }

    #[test]
    fn rect_crop_takes_only_the_region() {
        let grey: Vec<u8> = (0..16).collect();
        let crop = GreyImage::from_grey_rect(&grey, 4, PixelRect { x: 1, y: 2, width: 2, height: 2 });
        assert_eq!(crop.pixels, vec![9, 10, 13, 14]);
    }

    #[test]
    fn sharpening_deepens_a_blurred_edge_and_keeps_flat_areas() {
        let image = GreyImage { width: 8, height: 1, pixels: vec![200, 200, 200, 150, 100, 50, 50, 50] };
        let sharp = image.sharpened(1, 100);
        assert_eq!(sharp.pixels[0], 200);
        assert!(sharp.pixels[2] > 200 && sharp.pixels[5] < 50, "{:?}", sharp.pixels);
    }

    /// The unsharp mask as first written: horizontal means, then vertical
    /// means of those, one clipped window per pixel.
    fn sharpened_reference(image: &GreyImage, radius: usize, amount_percent: i32) -> Vec<u8> {
        let (w, h) = (image.width, image.height);
        let window = |i: usize, len: usize| i.saturating_sub(radius)..(i + radius + 1).min(len);
        let horizontal: Vec<u32> = (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                let xs = window(x, w);
                let n = xs.len() as u32;
                xs.map(|x| image.pixels[y * w + x] as u32).sum::<u32>() / n
            })
            .collect();
        (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                let ys = window(y, h);
                let n = ys.len() as u32;
                let mean = (ys.map(|y| horizontal[y * w + x]).sum::<u32>() / n) as i32;
                let value = image.pixels[i] as i32;
                (value + (value - mean) * amount_percent / 100).clamp(0, 255) as u8
            })
            .collect()
    }

    #[test]
    fn sharpening_equals_the_per_pixel_window_definition() {
        // Deterministic texture with hard edges, sizes smaller and larger than the window.
        for (width, height) in [(1, 1), (3, 7), (17, 5), (40, 31)] {
            let pixels = (0..width * height).map(|i| ((i * 7919 + i / 3 * 104_729) % 251) as u8).collect();
            let image = GreyImage { width, height, pixels };
            for radius in [1, 2, 5] {
                assert_eq!(image.sharpened(radius, 150).pixels, sharpened_reference(&image, radius, 150), "{width}×{height} r{radius}");
            }
        }
    }

    #[test]
    fn divide_by_multiplication_is_exact_for_window_sums() {
        for divisor in (1..=300).chain([1023, 4097, 65_535, 65_536]) {
            let divide = DivideBy::new(divisor);
            let largest = (255 * divisor).min(1 << 24);
            for n in (0..=largest).step_by(((largest / 50_000) as usize).max(1)).chain([largest]) {
                assert_eq!(divide.apply(n), n / divisor, "{n} / {divisor}");
            }
        }
    }
}
