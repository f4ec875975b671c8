//! Marking ink with a local threshold, so uneven light and shadows do not
//! hide characters. The grey image, its shrinking and sampling are
//! `crate::raster`'s, shared with the QR and photo code.

pub use crate::raster::GreyImage;
use crate::raster::SummedAreaTable;

/// Ink mask: a pixel is ink when clearly darker than the mean of the square
/// window of half-size `radius` around it (integral image, O(1) per pixel).
pub fn ink_mask(image: &GreyImage, radius: usize) -> Vec<bool> {
    let (width, height) = (image.width, image.height);
    let integral = SummedAreaTable::new(&image.pixels, width, height);
    let mut mask = vec![false; width * height];
    for y in 0..height {
        let (top, bottom) = (y.saturating_sub(radius), (y + radius + 1).min(height));
        for x in 0..width {
            let (left, right) = (x.saturating_sub(radius), (x + radius + 1).min(width));
            let sum = integral.sum(left, top, right, bottom);
            let mean = sum as f32 / ((bottom - top) * (right - left)) as f32;
            let value = f32::from(image.pixels[y * width + x]);
            mask[y * width + x] = value < mean * 0.86 && mean - value > 12.0;
        }
    }
    mask
}
