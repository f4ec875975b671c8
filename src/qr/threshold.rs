//! Binarisation: which pixels are "dark modules". rqrr's own threshold is a
//! running row average; these add a 2-D local mean (copes with uneven light
//! and glare on a plastic card) and a global Otsu threshold (copes with blur).

use super::grey::GreyImage;

/// A black/white mask, row-major, `true` = dark module.
pub struct Bitmap {
    pub width: usize,
    pub height: usize,
    pub dark: Vec<bool>,
}

impl Bitmap {
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark.get(y * self.width + x).copied().unwrap_or(false)
    }

    /// Swap dark and light: reads codes printed light on dark.
    pub fn inverted(&self) -> Bitmap {
        Bitmap { width: self.width, height: self.height, dark: self.dark.iter().map(|d| !d).collect() }
    }
}

/// Dark where the pixel is below the mean of the square window of
/// `2 * radius + 1` pixels around it by more than `bias_percent` percent.
/// A summed-area table makes this O(pixels) whatever the radius. Flat areas
/// (window contrast below `min_contrast`) go light, so paper noise makes no specks.
pub fn local_mean(image: &GreyImage, radius: usize, bias_percent: u32, min_contrast: u8) -> Bitmap {
    let (w, h) = (image.width, image.height);
    let stride = w + 1;
    // Sums fit u32: working images are at most 2048² pixels of ≤ 255.
    let mut sums = vec![0u32; stride * (h + 1)];
    let mut squares_max = vec![0u8; w * h];
    for y in 0..h {
        let mut row_sum = 0u32;
        for x in 0..w {
            let value = image.pixels.get(y * w + x).copied().unwrap_or(255);
            row_sum += value as u32;
            let above = sums.get(y * stride + x + 1).copied().unwrap_or(0);
            if let Some(cell) = sums.get_mut((y + 1) * stride + x + 1) {
                *cell = above + row_sum;
            }
        }
    }
    // Local contrast from a coarse min/max grid keeps flat regions light.
    let cell = (radius / 2).max(4);
    let contrast = block_contrast(image, cell);
    let cells_x = w.div_ceil(cell);
    for y in 0..h {
        for x in 0..w {
            let c = contrast.get((y / cell) * cells_x + x / cell).copied().unwrap_or(0);
            if let Some(slot) = squares_max.get_mut(y * w + x) {
                *slot = c;
            }
        }
    }
    let mut dark = Vec::with_capacity(w * h);
    for y in 0..h {
        let y0 = y.saturating_sub(radius);
        let y1 = (y + radius + 1).min(h);
        for x in 0..w {
            let x0 = x.saturating_sub(radius);
            let x1 = (x + radius + 1).min(w);
            let at = |xx: usize, yy: usize| sums.get(yy * stride + xx).copied().unwrap_or(0) as u64;
            let total = at(x1, y1) + at(x0, y0) - at(x0, y1) - at(x1, y0);
            let count = ((x1 - x0) * (y1 - y0)) as u64;
            let value = image.pixels.get(y * w + x).copied().unwrap_or(255) as u64;
            let flat = squares_max.get(y * w + x).copied().unwrap_or(0) < min_contrast;
            // value < mean * (100 - bias) / 100, without division.
            let below = value * count * 100 < total * (100 - bias_percent as u64);
            dark.push(below && !flat);
        }
    }
    Bitmap { width: w, height: h, dark }
}

/// Max − min over a 3×3 neighbourhood of `cell`-sized blocks, per block.
fn block_contrast(image: &GreyImage, cell: usize) -> Vec<u8> {
    let (w, h) = (image.width, image.height);
    let cells_x = w.div_ceil(cell);
    let cells_y = h.div_ceil(cell);
    let mut mins = vec![255u8; cells_x * cells_y];
    let mut maxs = vec![0u8; cells_x * cells_y];
    for y in 0..h {
        for x in 0..w {
            let value = image.pixels.get(y * w + x).copied().unwrap_or(255);
            let index = (y / cell) * cells_x + x / cell;
            if let (Some(lo), Some(hi)) = (mins.get_mut(index), maxs.get_mut(index)) {
                *lo = (*lo).min(value);
                *hi = (*hi).max(value);
            }
        }
    }
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
    contrast
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
    let dark = image.pixels.iter().map(|&v| (v as usize) <= best_threshold).collect();
    Bitmap { width: image.width, height: image.height, dark }
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
        assert_eq!(otsu(&image).dark, vec![true, true, false, false]);
    }

    #[test]
    fn inverted_swaps_dark_and_light() {
        let bitmap = Bitmap { width: 2, height: 1, dark: vec![true, false] };
        assert_eq!(bitmap.inverted().dark, vec![false, true]);
    }
}
