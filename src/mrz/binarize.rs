//! Shrinking the photo to a working size and marking ink with a local
//! threshold, so uneven light and shadows do not hide characters.

/// A greyscale image owned by the reader.
pub struct GreyImage {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl GreyImage {
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

/// Box-averages `image` down by an integer `factor`.
pub fn shrink(image: &GreyImage, factor: usize) -> GreyImage {
    if factor <= 1 {
        return GreyImage { width: image.width, height: image.height, pixels: image.pixels.clone() };
    }
    let (width, height) = (image.width / factor, image.height / factor);
    let mut pixels = Vec::with_capacity(width * height);
    for y in 0..height {
        for x in 0..width {
            let mut sum = 0u32;
            for dy in 0..factor {
                let row = (y * factor + dy) * image.width + x * factor;
                sum += image.pixels[row..row + factor].iter().map(|&p| u32::from(p)).sum::<u32>();
            }
            pixels.push((sum / (factor * factor) as u32) as u8);
        }
    }
    GreyImage { width, height, pixels }
}

/// Ink mask: a pixel is ink when clearly darker than the mean of the square
/// window of half-size `radius` around it (integral image, O(1) per pixel).
pub fn ink_mask(image: &GreyImage, radius: usize) -> Vec<bool> {
    let (width, height) = (image.width, image.height);
    let stride = width + 1;
    let mut integral = vec![0u32; stride * (height + 1)];
    for y in 0..height {
        let mut row_sum = 0u32;
        for x in 0..width {
            row_sum += u32::from(image.pixels[y * width + x]);
            integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1] + row_sum;
        }
    }
    let mut mask = vec![false; width * height];
    for y in 0..height {
        let (top, bottom) = (y.saturating_sub(radius), (y + radius + 1).min(height));
        for x in 0..width {
            let (left, right) = (x.saturating_sub(radius), (x + radius + 1).min(width));
            let sum = integral[bottom * stride + right] + integral[top * stride + left]
                - integral[top * stride + right]
                - integral[bottom * stride + left];
            let mean = sum as f32 / ((bottom - top) * (right - left)) as f32;
            let value = f32::from(image.pixels[y * width + x]);
            mask[y * width + x] = value < mean * 0.86 && mean - value > 12.0;
        }
    }
    mask
}
