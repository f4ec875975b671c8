//! Grey images and the few operations every recogniser shares: luma from
//! colour pixels, 2× shrinking, box shrinking by a whole factor, bilinear
//! sampling, and the summed-area table behind local thresholds. One home for
//! the QR scanner (`qr`), the photo pipeline (`photo`) and the MRZ reader
//! (`mrz`); what only one of them does (QR's crop, doubling and sharpening,
//! the photo's resize) stays with it as further methods or functions.

/// A greyscale image, row-major, top-left origin, one byte per pixel
/// (0 black, 255 white).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GreyImage {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

/// Rec. 601 luma in 8.8 fixed point: (77 R + 150 G + 29 B) >> 8 (weights sum
/// to 256). Every recogniser's grey comes from here, so a photo's grey and a
/// camera frame's grey of the same pixels are the same.
#[inline]
pub fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((77 * r as u32 + 150 * g as u32 + 29 * b as u32) >> 8) as u8
}

impl GreyImage {
    pub fn longest_edge(&self) -> usize {
        self.width.max(self.height)
    }

    /// Half the size in each direction, each pixel the rounded mean of a 2×2
    /// block (an odd last row or column is dropped): the QR pyramid's step and
    /// the photo's sharpness scale.
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

    /// Box-averages down by a whole `factor`, the mean truncated (not
    /// rounded, unlike `half`): the MRZ reader's working image, whose
    /// thresholds were tuned on exactly these values.
    pub fn shrink(&self, factor: usize) -> GreyImage {
        if factor <= 1 {
            return self.clone();
        }
        let (width, height) = (self.width / factor, self.height / factor);
        let mut pixels = Vec::with_capacity(width * height);
        for y in 0..height {
            for x in 0..width {
                let mut sum = 0u32;
                for dy in 0..factor {
                    let row = (y * factor + dy) * self.width + x * factor;
                    sum += self.pixels[row..row + factor].iter().map(|&p| u32::from(p)).sum::<u32>();
                }
                pixels.push((sum / (factor * factor) as u32) as u8);
            }
        }
        GreyImage { width, height, pixels }
    }

    /// Bilinear sample; `None` outside the image.
    pub fn sample(&self, x: f32, y: f32) -> Option<f32> {
        if !(x >= 0.0 && y >= 0.0 && x <= (self.width - 1) as f32 && y <= (self.height - 1) as f32) {
            return None;
        }
        let (x0, y0) = (x as usize, y as usize);
        let (x1, y1) = ((x0 + 1).min(self.width - 1), (y0 + 1).min(self.height - 1));
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let at = |xx: usize, yy: usize| f32::from(self.pixels[yy * self.width + xx]);
        let top = at(x0, y0) * (1.0 - fx) + at(x1, y0) * fx;
        let bottom = at(x0, y1) * (1.0 - fx) + at(x1, y1) * fx;
        Some(top * (1.0 - fy) + bottom * fy)
    }
}

/// Summed-area table (integral image) of a `width × height` plane of bytes:
/// the sum over any rectangle in four look-ups, so a window mean costs O(1)
/// whatever its size. The MRZ ink mask sums pixels, the QR threshold block means.
pub struct SummedAreaTable {
    stride: usize,
    sums: Vec<u32>,
}

impl SummedAreaTable {
    /// `values` holds `width × height` bytes, row-major; missing ones count as 0.
    pub fn new(values: &[u8], width: usize, height: usize) -> SummedAreaTable {
        let stride = width + 1;
        let mut sums = vec![0u32; stride * (height + 1)];
        for y in 0..height {
            let mut row_sum = 0u32;
            for x in 0..width {
                row_sum += values.get(y * width + x).copied().unwrap_or(0) as u32;
                let above = sums.get(y * stride + x + 1).copied().unwrap_or(0);
                if let Some(slot) = sums.get_mut((y + 1) * stride + x + 1) {
                    *slot = above + row_sum;
                }
            }
        }
        SummedAreaTable { stride, sums }
    }

    /// The sum over columns `left..right` and rows `top..bottom` (ends exclusive,
    /// within the plane).
    #[inline]
    pub fn sum(&self, left: usize, top: usize, right: usize, bottom: usize) -> u32 {
        let at = |x: usize, y: usize| self.sums.get(y * self.stride + x).copied().unwrap_or(0);
        at(right, bottom) + at(left, top) - at(left, bottom) - at(right, top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luma_weights_green_most_and_white_stays_white() {
        assert_eq!(luma(255, 255, 255), 255);
        assert_eq!(luma(0, 0, 0), 0);
        assert_eq!(luma(0, 255, 0), 149);
        assert_eq!(luma(255, 0, 0), 76);
    }

    #[test]
    fn half_averages_two_by_two_blocks() {
        let image = GreyImage { width: 3, height: 2, pixels: vec![0, 4, 9, 8, 12, 9] };
        assert_eq!(image.half(), GreyImage { width: 1, height: 1, pixels: vec![6] });
    }

    #[test]
    fn halving_rounds_each_two_by_two_block_and_drops_an_odd_edge() {
        let source = GreyImage { width: 5, height: 3, pixels: vec![0, 4, 10, 10, 99, 8, 4, 20, 21, 99, 99, 99, 99, 99, 99] };
        let half = source.half();
        assert_eq!((half.width, half.height), (2, 1));
        assert_eq!(half.pixels, vec![4, 15]);
    }

    #[test]
    fn shrinking_by_a_factor_truncates_the_block_mean() {
        let image = GreyImage { width: 3, height: 2, pixels: vec![0, 4, 9, 8, 13, 9] };
        assert_eq!(image.shrink(2), GreyImage { width: 1, height: 1, pixels: vec![6] });
        assert_eq!(image.shrink(1), image);
    }

    #[test]
    fn summed_area_table_sums_any_rectangle() {
        let values: Vec<u8> = (1..=12).collect();
        let table = SummedAreaTable::new(&values, 4, 3);
        assert_eq!(table.sum(0, 0, 4, 3), 78);
        assert_eq!(table.sum(1, 1, 3, 3), 6 + 7 + 10 + 11);
        assert_eq!(table.sum(2, 0, 2, 3), 0);
    }
}
