//! Which way the text runs: the MRZ may lie at any angle in the photo (a
//! passport page turned 90°, a card upside down, a hand-held photo 30°
//! askew). The angle of the text lines is estimated from the character-sized
//! blobs of the working image (each to its nearest like-sized neighbour:
//! along a line of OCR-B that is the next character), and the working image
//! is turned so the lines run left to right. Cell positions found there are
//! mapped back, and characters are sampled from the full-resolution photo
//! along the turned direction, so the photo itself is never rotated.

use super::binarize::GreyImage;
use super::components::Blob;

/// The angle (radians, in (−π/2, π/2]) of the dominant text-line direction
/// among blobs of character size, or `None` when too few blobs agree.
pub fn text_line_angle(blobs: &[Blob], min_size: f32, max_size: f32) -> Option<f32> {
    let mut characters: Vec<(f32, f32, f32)> = blobs
        .iter()
        .filter_map(|blob| {
            let size = blob.width().max(blob.height());
            let dense = blob.pixels as f32 >= 0.08 * blob.width() * blob.height();
            (size >= min_size && size <= max_size * 1.5 && dense).then(|| (blob.centre_x(), blob.centre_y(), size))
        })
        .collect();
    if characters.len() < 20 {
        return None;
    }
    characters.sort_by(|a, b| a.0.total_cmp(&b.0));
    const BINS: usize = 180;
    let mut histogram = [0f32; BINS];
    for (index, &(x, y, size)) in characters.iter().enumerate() {
        let reach = 1.9 * size;
        let mut nearest: Option<(f32, f32, f32)> = None;
        // Neighbours on both sides within reach (the list is sorted by x).
        let start = characters[..index].partition_point(|c| c.0 < x - reach);
        for (other, &(ox, oy, other_size)) in characters.iter().enumerate().skip(start) {
            if ox > x + reach {
                break;
            }
            if other == index || !(0.6..=1.6).contains(&(other_size / size)) {
                continue;
            }
            let (dx, dy) = (ox - x, oy - y);
            let distance = (dx * dx + dy * dy).sqrt();
            if distance < 0.5 * size || distance > reach {
                continue;
            }
            if nearest.is_none_or(|(d, _, _)| distance < d) {
                nearest = Some((distance, dx, dy));
            }
        }
        if let Some((_, dx, dy)) = nearest {
            let degrees = dy.atan2(dx).to_degrees().rem_euclid(180.0);
            histogram[(degrees as usize).min(BINS - 1)] += 1.0;
        }
    }
    // Smooth over ±3° (circularly) and take the peak.
    let smoothed: Vec<f32> =
        (0..BINS).map(|bin| (0..7).map(|k| histogram[(bin + BINS + k - 3) % BINS] * [1.0, 2.0, 3.0, 4.0, 3.0, 2.0, 1.0][k]).sum()).collect();
    let (peak, _) = smoothed.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?;
    // Refine with the histogram's centre of mass around the peak.
    let (mut sum, mut weight) = (0f32, 0f32);
    for k in -3i32..=3 {
        let bin = (peak as i32 + k).rem_euclid(BINS as i32) as usize;
        sum += (peak as f32 + k as f32 + 0.5) * histogram[bin];
        weight += histogram[bin];
    }
    // An MRZ alone gives 60–90 agreeing neighbours; a dozen is the least to act on.
    if weight < 12.0 {
        return None;
    }
    let degrees = sum / weight;
    let degrees = if degrees > 90.0 { degrees - 180.0 } else { degrees };
    Some(degrees.to_radians())
}

/// A turn of the working image: a point of the turned image maps to the
/// original by rotating `angle` about the centres.
#[derive(Clone, Copy, Debug)]
pub struct Turn {
    cos: f32,
    sin: f32,
    from_centre: (f32, f32),
    to_centre: (f32, f32),
}

impl Turn {
    /// Turned image point → original image point.
    pub fn to_original(&self, (x, y): (f32, f32)) -> (f32, f32) {
        let (u, v) = (x - self.to_centre.0, y - self.to_centre.1);
        (self.cos * u - self.sin * v + self.from_centre.0, self.sin * u + self.cos * v + self.from_centre.1)
    }

    /// A direction (step) of the turned image in the original.
    pub fn vector_to_original(&self, (dx, dy): (f32, f32)) -> (f32, f32) {
        (self.cos * dx - self.sin * dy, self.sin * dx + self.cos * dy)
    }
}

/// The image turned by `−angle` (text running at `angle` comes out level),
/// sized to hold all of it; outside is filled with the image's mean grey.
pub fn turn(image: &GreyImage, angle: f32) -> (GreyImage, Turn) {
    let (sin, cos) = angle.sin_cos();
    let (w, h) = (image.width as f32, image.height as f32);
    let width = (w * cos.abs() + h * sin.abs() - 1e-3).ceil() as usize;
    let height = (w * sin.abs() + h * cos.abs() - 1e-3).ceil() as usize;
    let mean = (image.pixels.iter().map(|&p| u64::from(p)).sum::<u64>() / image.pixels.len().max(1) as u64) as u8;
    let turn = Turn { cos, sin, from_centre: (w / 2.0, h / 2.0), to_centre: (width as f32 / 2.0, height as f32 / 2.0) };
    let mut pixels = vec![mean; width * height];
    for y in 0..height {
        for x in 0..width {
            let (sx, sy) = turn.to_original((x as f32 + 0.5, y as f32 + 0.5));
            let (sx, sy) = (sx - 0.5, sy - 0.5);
            if sx >= 0.0 && sy >= 0.0 && sx < w - 1.0 && sy < h - 1.0 {
                let (x0, y0) = (sx as usize, sy as usize);
                let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
                let at = |xx: usize, yy: usize| f32::from(image.pixels[yy * image.width + xx]);
                let value = (at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx) * (1.0 - fy) + (at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
                pixels[y * width + x] = value as u8;
            }
        }
    }
    (GreyImage { width, height, pixels }, turn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob(x: f32, y: f32, size: f32) -> Blob {
        Blob { left: x - size * 0.35, right: x + size * 0.35, top: y - size / 2.0, bottom: y + size / 2.0, pixels: (size * size * 0.3) as u32 }
    }

    fn lines_at(degrees: f32) -> Vec<Blob> {
        let (sin, cos) = degrees.to_radians().sin_cos();
        let mut blobs = Vec::new();
        for line in 0..3 {
            for index in 0..30 {
                let (along, across) = (index as f32 * 11.0, line as f32 * 18.0);
                blobs.push(blob(400.0 + along * cos - across * sin, 300.0 + along * sin + across * cos, 10.0));
            }
        }
        blobs
    }

    #[test]
    fn finds_the_angle_of_lines_of_characters() {
        for degrees in [0.0f32, 12.0, -25.0, 30.0, 90.0, -60.0] {
            let angle = text_line_angle(&lines_at(degrees), 6.0, 20.0).expect("lines found").to_degrees();
            let expected = if degrees > 90.0 { degrees - 180.0 } else { degrees };
            let error = ((angle - expected + 90.0).rem_euclid(180.0) - 90.0).abs();
            assert!(error < 1.5, "{degrees}: {angle}");
        }
    }

    #[test]
    fn a_turn_maps_points_back_to_the_original() {
        let image = GreyImage { width: 200, height: 100, pixels: vec![128; 200 * 100] };
        let (turned, turn) = super::turn(&image, 90f32.to_radians());
        assert_eq!((turned.width, turned.height), (100, 200));
        let (x, y) = turn.to_original((50.0, 100.0));
        assert!((x - 100.0).abs() < 1e-3 && (y - 50.0).abs() < 1e-3);
        let (dx, dy) = turn.vector_to_original((1.0, 0.0));
        assert!(dx.abs() < 1e-6 && (dy - 1.0).abs() < 1e-6);
    }
}
