//! The eight EXIF orientations and their application to pixels, so the
//! document is processed the way the photographer saw it.

use serde::{Deserialize, Serialize};

use super::geometry::Point;
use super::raster::RgbImage;

/// EXIF orientation tag values 1–8: how the stored pixels must be transformed for display.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    /// 1: as stored (also what to pass when the browser already applied it).
    Normal,
    /// 2: mirror left-right.
    MirrorHorizontal,
    /// 3: rotate 180°.
    Rotate180,
    /// 4: mirror top-bottom.
    MirrorVertical,
    /// 5: mirror left-right, then rotate 270° clockwise (transpose).
    Transpose,
    /// 6: rotate 90° clockwise.
    Rotate90,
    /// 7: mirror left-right, then rotate 90° clockwise (transverse).
    Transverse,
    /// 8: rotate 270° clockwise.
    Rotate270,
}

impl Orientation {
    pub const ALL: [Orientation; 8] = [
        Orientation::Normal,
        Orientation::MirrorHorizontal,
        Orientation::Rotate180,
        Orientation::MirrorVertical,
        Orientation::Transpose,
        Orientation::Rotate90,
        Orientation::Transverse,
        Orientation::Rotate270,
    ];

    pub fn from_exif(value: u16) -> Option<Orientation> {
        Orientation::ALL.get((value as usize).checked_sub(1)?).copied()
    }

    pub fn exif_value(self) -> u16 {
        Orientation::ALL.iter().position(|o| *o == self).unwrap_or(0) as u16 + 1
    }

    /// The orientation that undoes this one (for writing test fixtures).
    pub fn inverse(self) -> Orientation {
        match self {
            Orientation::Rotate90 => Orientation::Rotate270,
            Orientation::Rotate270 => Orientation::Rotate90,
            other => other,
        }
    }

    pub fn swaps_axes(self) -> bool {
        matches!(self, Orientation::Transpose | Orientation::Rotate90 | Orientation::Transverse | Orientation::Rotate270)
    }
}

impl Orientation {
    /// Where point `p` of the upright (displayed) `width × height` image lies
    /// in the stored pixels, in continuous coordinates (pixel centres at +0.5).
    pub fn to_stored(self, p: Point, width: f32, height: f32) -> Point {
        let (x, y) = (p.x, p.y);
        let (sx, sy) = match self {
            Orientation::Normal => (x, y),
            Orientation::MirrorHorizontal => (width - x, y),
            Orientation::Rotate180 => (width - x, height - y),
            Orientation::MirrorVertical => (x, height - y),
            Orientation::Transpose => (y, x),
            Orientation::Rotate90 => (y, width - x),
            Orientation::Transverse => (height - y, width - x),
            Orientation::Rotate270 => (height - y, x),
        };
        Point::new(sx, sy)
    }

    /// The inverse of [`Orientation::to_stored`] (`width × height` still the
    /// upright size): the stored image is the upright one of the inverse
    /// orientation, so this is the inverse's `to_stored` at the stored size.
    pub fn to_upright(self, p: Point, width: f32, height: f32) -> Point {
        let (stored_width, stored_height) = if self.swaps_axes() { (height, width) } else { (width, height) };
        self.inverse().to_stored(p, stored_width, stored_height)
    }
}

/// Returns the image as it is meant to be displayed. `Normal` moves the buffer without copying.
pub fn apply_orientation(image: RgbImage, orientation: Orientation) -> RgbImage {
    if orientation == Orientation::Normal {
        return image;
    }
    let (w, h) = (image.width as usize, image.height as usize);
    let (out_w, out_h) = if orientation.swaps_axes() { (h, w) } else { (w, h) };
    let mut out = vec![0u8; w * h * 3];
    let source = &image.pixels;
    // Tiles keep both the rows read and the rows written in cache when the
    // transform turns rows into columns (a 12 MP rotation: ~4× faster).
    const TILE: usize = 64;
    for tile_y in (0..out_h).step_by(TILE) {
        for tile_x in (0..out_w).step_by(TILE) {
            for y in tile_y..(tile_y + TILE).min(out_h) {
                for x in tile_x..(tile_x + TILE).min(out_w) {
                    // Where displayed pixel (x, y) is stored.
                    let (sx, sy) = match orientation {
                        Orientation::Normal => (x, y),
                        Orientation::MirrorHorizontal => (w - 1 - x, y),
                        Orientation::Rotate180 => (w - 1 - x, h - 1 - y),
                        Orientation::MirrorVertical => (x, h - 1 - y),
                        Orientation::Transpose => (y, x),
                        Orientation::Rotate90 => (y, h - 1 - x),
                        Orientation::Transverse => (w - 1 - y, h - 1 - x),
                        Orientation::Rotate270 => (w - 1 - y, x),
                    };
                    let from = (sy * w + sx) * 3;
                    let to = (y * out_w + x) * 3;
                    // By element: a 3-byte `copy_from_slice` is a `memcpy` call in wasm.
                    (out[to], out[to + 1], out[to + 2]) = (source[from], source[from + 1], source[from + 2]);
                }
            }
        }
    }
    RgbImage { width: out_w as u32, height: out_h as u32, pixels: out }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 3×2 image whose pixel values encode their stored position.
    fn numbered() -> RgbImage {
        let pixels = (0..6u8).flat_map(|i| [i, 0, 0]).collect();
        RgbImage { width: 3, height: 2, pixels }
    }

    fn reds(image: &RgbImage) -> Vec<u8> {
        image.pixels.chunks(3).map(|p| p[0]).collect()
    }

    #[test]
    fn each_orientation_moves_pixels_as_the_exif_standard_says() {
        // Stored:  0 1 2 / 3 4 5
        let expect = [
            (Orientation::Normal, (3, 2), vec![0, 1, 2, 3, 4, 5]),
            (Orientation::MirrorHorizontal, (3, 2), vec![2, 1, 0, 5, 4, 3]),
            (Orientation::Rotate180, (3, 2), vec![5, 4, 3, 2, 1, 0]),
            (Orientation::MirrorVertical, (3, 2), vec![3, 4, 5, 0, 1, 2]),
            (Orientation::Transpose, (2, 3), vec![0, 3, 1, 4, 2, 5]),
            (Orientation::Rotate90, (2, 3), vec![3, 0, 4, 1, 5, 2]),
            (Orientation::Transverse, (2, 3), vec![5, 2, 4, 1, 3, 0]),
            (Orientation::Rotate270, (2, 3), vec![2, 5, 1, 4, 0, 3]),
        ];
        for (orientation, size, values) in expect {
            let out = apply_orientation(numbered(), orientation);
            assert_eq!((out.width, out.height), size, "{orientation:?}");
            assert_eq!(reds(&out), values, "{orientation:?}");
        }
    }

    #[test]
    fn points_map_to_where_apply_orientation_moves_their_pixels() {
        let stored = numbered();
        for orientation in Orientation::ALL {
            let upright = apply_orientation(stored.clone(), orientation);
            let (w, h) = (upright.width as f32, upright.height as f32);
            for y in 0..upright.height {
                for x in 0..upright.width {
                    let centre = Point::new(x as f32 + 0.5, y as f32 + 0.5);
                    let s = orientation.to_stored(centre, w, h);
                    let stored_index = (s.y - 0.5) as u32 * stored.width + (s.x - 0.5) as u32;
                    assert_eq!(upright.pixels[((y * upright.width + x) * 3) as usize], stored_index as u8, "{orientation:?} at {x},{y}");
                    assert!(orientation.to_upright(s, w, h).distance(centre) < 1e-4, "{orientation:?} round trip");
                }
            }
        }
    }

    #[test]
    fn inverse_undoes_every_orientation() {
        for orientation in Orientation::ALL {
            let round_trip = apply_orientation(apply_orientation(numbered(), orientation.inverse()), orientation);
            assert_eq!(round_trip, numbered(), "{orientation:?}");
        }
    }

    #[test]
    fn exif_values_round_trip_and_out_of_range_is_none() {
        for value in 1..=8 {
            assert_eq!(Orientation::from_exif(value).map(Orientation::exif_value), Some(value));
        }
        assert_eq!(Orientation::from_exif(0), None);
        assert_eq!(Orientation::from_exif(9), None);
    }
}
