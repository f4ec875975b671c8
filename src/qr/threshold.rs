//! Binarisation: which pixels are "dark modules". rqrr's own threshold is a
//! running row average; these add a 2-D local mean (copes with uneven light
//! and glare on a plastic card) and a global Otsu threshold (copes with blur).

use super::grey::GreyImage;
use crate::raster::SummedAreaTable;

/// A black/white mask, row-major, one byte per pixel: 1 = dark module,
/// 0 = light. Bytes, not `bool`s, because this is the buffer rqrr searches
/// (`PreparedImage::prepare_from_binary`), handed over without a copy.
pub struct Bitmap {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl Bitmap {
    #[cfg(test)]
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && self.pixels.get(y * self.width + x).is_some_and(|&p| p != 0)
    }

    /// Swap dark and light: reads codes printed light on dark.
    pub fn inverted(mut self) -> Bitmap {
        self.pixels.iter_mut().for_each(|p| *p ^= 1);
        self
    }
}

/// Dark where the pixel is below the local mean by more than `bias_percent`
/// percent. The mean is taken per block of about `radius / 4` pixels over a
/// square of blocks about `2 * radius` pixels wide (the scheme of ZXing's
/// hybrid binariser), so each pixel costs one comparison: this runs on
/// every camera frame. Blocks whose neighbourhood is flat (contrast below
/// `min_contrast`) go light, so paper texture and sensor noise make no specks.
pub fn local_mean(image: &GreyImage, radius: usize, bias_percent: u32, min_contrast: u8) -> Bitmap {
    let (w, h) = (image.width, image.height);
    let empty = Bitmap { width: w, height: h, pixels: vec![0; w * h] };
    if w == 0 || h == 0 || image.pixels.len() != w * h {
        return empty;
    }
    let cell = (radius / 4).max(4);
    let reach = (radius / cell).max(1);
    let blocks = BlockStats::measure(image, cell);
    let (cells_x, cells_y) = (blocks.cells_x, blocks.cells_y);
    // Summed-area table over block means: the window mean in O(1) per block.
    let sums = SummedAreaTable::new(&blocks.mean, cells_x, cells_y);
    let keep = 100 - bias_percent.min(100);
    // Per block: the pixel value below which a pixel is dark (exclusive), or 0 when flat.
    let mut limits = vec![0u32; cells_x * cells_y];
    for by in 0..cells_y {
        let (y0, y1) = (by.saturating_sub(reach), (by + reach + 1).min(cells_y));
        for bx in 0..cells_x {
            let (x0, x1) = (bx.saturating_sub(reach), (bx + reach + 1).min(cells_x));
            let total = sums.sum(x0, y0, x1, y1);
            let count = ((x1 - x0) * (y1 - y0)) as u32;
            let flat = blocks.contrast.get(by * cells_x + bx).copied().unwrap_or(0) < min_contrast;
            if let Some(slot) = limits.get_mut(by * cells_x + bx) {
                // value * 100 < mean * keep  ⇔  value * 100 * count < total * keep
                *slot = if flat { 0 } else { (total * keep).div_ceil((100 * count).max(1)) };
            }
        }
    }
    // Written in place into a sized buffer (no push per pixel).
    let mut pixels = vec![0u8; w * h];
    for (y, (row, out_row)) in image.pixels.chunks_exact(w).zip(pixels.chunks_exact_mut(w)).enumerate() {
        let limit_row = limits.get((y / cell) * cells_x..).unwrap_or(&[]);
        for ((block, out), &limit) in row.chunks(cell).zip(out_row.chunks_mut(cell)).zip(limit_row) {
            let limit = limit.min(256) as u16;
            for (&value, dark) in block.iter().zip(out.iter_mut()) {
                *dark = ((value as u16) < limit) as u8;
            }
        }
    }
    Bitmap { width: w, height: h, pixels }
}

/// Per `cell`×`cell` block: mean, and max − min over its 3×3 block neighbourhood.
struct BlockStats {
    cells_x: usize,
    cells_y: usize,
    mean: Vec<u8>,
    contrast: Vec<u8>,
}

impl BlockStats {
    fn measure(image: &GreyImage, cell: usize) -> BlockStats {
        let (w, h) = (image.width, image.height);
        let cells_x = w.div_ceil(cell);
        let cells_y = h.div_ceil(cell);
        let mut mins = vec![255u8; cells_x * cells_y];
        let mut maxs = vec![0u8; cells_x * cells_y];
        let mut totals = vec![0u32; cells_x * cells_y];
        let mut counts = vec![0u32; cells_x * cells_y];
        for (y, row) in image.pixels.chunks_exact(w.max(1)).enumerate() {
            let first = (y / cell) * cells_x;
            let (Some(lo_row), Some(hi_row), Some(total_row), Some(count_row)) =
                (mins.get_mut(first..), maxs.get_mut(first..), totals.get_mut(first..), counts.get_mut(first..))
            else {
                break;
            };
            let per_block = lo_row.iter_mut().zip(hi_row.iter_mut()).zip(total_row.iter_mut().zip(count_row.iter_mut()));
            for (pixels, ((lo, hi), (total, count))) in row.chunks(cell).zip(per_block) {
                // Accumulate in locals: through the references every pixel
                // was a load and store (this loop touches every pixel).
                let (mut block_lo, mut block_hi, mut block_total) = (*lo, *hi, 0u32);
                for &value in pixels {
                    block_lo = block_lo.min(value);
                    block_hi = block_hi.max(value);
                    block_total += value as u32;
                }
                (*lo, *hi) = (block_lo, block_hi);
                *total += block_total;
                *count += pixels.len() as u32;
            }
        }
        let mean = totals.iter().zip(&counts).map(|(&t, &c)| (t / c.max(1)) as u8).collect();
        let mut contrast = vec![0u8; cells_x * cells_y];
        for cy in 0..cells_y {
            for cx in 0..cells_x {
                let (mut lo, mut hi) = (255u8, 0u8);
                for ny in cy.saturating_sub(1)..(cy + 2).min(cells_y) {
                    for nx in cx.saturating_sub(1)..(cx + 2).min(cells_x) {
                        lo = lo.min(mins.get(ny * cells_x + nx).copied().unwrap_or(255));
                        hi = hi.max(maxs.get(ny * cells_x + nx).copied().unwrap_or(0));
                    }
                }
                if let Some(slot) = contrast.get_mut(cy * cells_x + cx) {
                    *slot = hi.saturating_sub(lo);
                }
            }
        }
        BlockStats { cells_x, cells_y, mean, contrast }
    }
}

/// One threshold for the whole image, chosen by Otsu's method on the histogram.
pub fn otsu(image: &GreyImage) -> Bitmap {
    let mut histogram = [0u64; 256];
    for &value in &image.pixels {
        if let Some(bin) = histogram.get_mut(value as usize) {
            *bin += 1;
        }
    }
    let total: u64 = histogram.iter().sum();
    let weighted_total: u64 = histogram.iter().enumerate().map(|(v, n)| v as u64 * n).sum();
    let (mut below_count, mut below_weighted) = (0u64, 0u64);
    let (mut best_threshold, mut best_score) = (128usize, 0f64);
    for (value, count) in histogram.iter().enumerate() {
        below_count += count;
        below_weighted += value as u64 * count;
        let above_count = total - below_count;
        if below_count == 0 || above_count == 0 {
            continue;
        }
        let mean_below = below_weighted as f64 / below_count as f64;
        let mean_above = (weighted_total - below_weighted) as f64 / above_count as f64;
        let score = below_count as f64 * above_count as f64 * (mean_below - mean_above).powi(2);
        if score > best_score {
            best_score = score;
            best_threshold = value;
        }
    }
    let pixels = image.pixels.iter().map(|&v| ((v as usize) <= best_threshold) as u8).collect();
    Bitmap { width: image.width, height: image.height, pixels }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient_with_dark_square() -> GreyImage {
        // Light falls from 250 on the left to 90 on the right; a square of
        // ink 40 % darker than its surroundings sits on the dim side.
        let (width, height) = (64, 32);
        let mut pixels = Vec::new();
        for y in 0..height {
            for x in 0..width {
                let light = 250 - (x * 160 / width) as u32;
                let ink = (44..52).contains(&x) && (12..20).contains(&y);
                pixels.push(if ink { (light * 6 / 10) as u8 } else { light as u8 });
            }
        }
        GreyImage { width, height, pixels }
    }

    #[test]
    fn local_mean_finds_ink_on_the_dim_side_of_a_light_gradient() {
        let image = gradient_with_dark_square();
        let bitmap = local_mean(&image, 8, 10, 16);
        assert!(bitmap.is_dark(47, 15));
        assert!(!bitmap.is_dark(10, 15), "bright paper is not ink");
        assert!(!bitmap.is_dark(60, 2), "dim paper is not ink");
    }

    #[test]
    fn otsu_splits_two_levels() {
        let image = GreyImage { width: 4, height: 1, pixels: vec![20, 30, 200, 210] };
        assert_eq!(otsu(&image).pixels, vec![1, 1, 0, 0]);
    }

    #[test]
    fn inverted_swaps_dark_and_light() {
        let bitmap = Bitmap { width: 2, height: 1, pixels: vec![1, 0] };
        assert_eq!(bitmap.inverted().pixels, vec![0, 1]);
    }
}
