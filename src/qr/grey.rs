//! Greyscale planes: RGBA → luma with integer weights, cropping to the scan
//! region, and 2× box downscaling for the pyramid.

/// A greyscale image, row-major, one byte per pixel (0 black, 255 white).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GreyImage {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

/// A rectangle of the input in pixels (clamped to the image by the caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelRect {
    pub x: usize,
    pub y: usize,
    pub width: usize,
    pub height: usize,
}

impl GreyImage {
    /// Rec. 601 luma in 8.8 fixed point: (77 R + 150 G + 29 B) >> 8. Alpha is
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
            for (&[r, g, b, _], luma) in pixels.iter().zip(out.iter_mut()) {
                *luma = ((77 * r as u32 + 150 * g as u32 + 29 * b as u32) >> 8) as u8;
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

    /// Half the size in each direction, each pixel the mean of a 2×2 block
    /// (an odd last row or column is dropped).
    pub fn half(&self) -> GreyImage {
        let width = self.width / 2;
        let height = self.height / 2;
        // Into a sized buffer, two source rows per output row, no push per
        // pixel: this runs on every frame.
        let mut pixels = vec![0u8; width * height];
        let row_pairs = self.pixels.chunks_exact(self.width.max(1) * 2);
        for (pair, out) in row_pairs.zip(pixels.chunks_exact_mut(width.max(1))) {
            let (top, bottom) = pair.split_at(self.width);
            let ((top, _), (bottom, _)) = (top.as_chunks::<2>(), bottom.as_chunks::<2>());
            for ((&[a, c], &[d, e]), mean) in top.iter().zip(bottom).zip(out.iter_mut()) {
                let sum = a as u16 + c as u16 + d as u16 + e as u16;
                *mean = ((sum + 2) >> 2) as u8;
            }
        }
        GreyImage { width, height, pixels }
    }

    /// Unsharp mask: `value + (value − box_mean) × amount / 100` with a box of
    /// `2 * radius + 1` pixels. Restores the light ring of a blurred finder
    /// pattern, which thresholding would otherwise merge into the core.
    pub fn sharpened(&self, radius: usize, amount_percent: i32) -> GreyImage {
        let (w, h) = (self.width, self.height);
        if w == 0 || h == 0 || self.pixels.len() != w * h {
            return self.clone();
        }
        // Horizontal then vertical running sums (separable box mean).
        let mut horizontal = vec![0u16; w * h];
        for (row, out) in self.pixels.chunks_exact(w).zip(horizontal.chunks_exact_mut(w)) {
            box_mean_line(row.iter().map(|&v| v as u32), w, radius, out.iter_mut());
        }
        let mut blurred = vec![0u16; w * h];
        for x in 0..w {
            let column = horizontal.iter().skip(x).step_by(w).map(|&v| v as u32);
            box_mean_line(column, h, radius, blurred.iter_mut().skip(x).step_by(w));
        }
        let pixels = self
            .pixels
            .iter()
            .zip(&blurred)
            .map(|(&value, &mean)| {
                let value = value as i32;
                (value + (value - mean as i32) * amount_percent / 100).clamp(0, 255) as u8
            })
            .collect();
        GreyImage { width: w, height: h, pixels }
    }

    pub fn longest_edge(&self) -> usize {
        self.width.max(self.height)
    }
}

/// Mean over a sliding window of `2 * radius + 1` (clipped at the ends).
fn box_mean_line<'a>(values: impl Iterator<Item = u32>, len: usize, radius: usize, out: impl Iterator<Item = &'a mut u16>) {
    let values: Vec<u32> = values.collect();
    let mut prefix = Vec::with_capacity(len + 1);
    prefix.push(0u32);
    for (i, v) in values.iter().enumerate() {
        let before = prefix.get(i).copied().unwrap_or(0);
        prefix.push(before + v);
    }
    for (i, slot) in out.enumerate().take(len) {
        let (lo, hi) = (i.saturating_sub(radius), (i + radius + 1).min(len));
        let total = prefix.get(hi).copied().unwrap_or(0) - prefix.get(lo).copied().unwrap_or(0);
        *slot = (total / (hi - lo).max(1) as u32) as u16;
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

    #[test]
    fn half_averages_two_by_two_blocks() {
        let image = GreyImage { width: 3, height: 2, pixels: vec![0, 4, 9, 8, 12, 9] };
        assert_eq!(image.half(), GreyImage { width: 1, height: 1, pixels: vec![6] });
    }
}
