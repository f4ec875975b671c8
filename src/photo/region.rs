//! The browser path at the output's scale. The browser decodes and scales
//! natively, so wasm never holds the 12 MP photo (48 MB of RGBA read back and
//! copied in): it searches a preview for the document, then gets only the
//! document's bounding box, drawn at about the output size, and straightens that.
//!
//! Coordinates are continuous (pixel centres at half-integers), so a point
//! maps between the photo and a scaled drawing of part of it by an offset and
//! a factor per axis, exactly as `drawImage(source, x, y, w, h, 0, 0, dw, dh)` maps it.

use serde::{Deserialize, Serialize};

use super::document::{self, Detection};
use super::error::PhotoError;
use super::geometry::{quad_side_lengths, Point, Quad};
use super::decode::check_complete;
use super::header::{read_header, ImageFormat};
use super::jpeg_preview::{check_scan_data, jpeg_preview, PREVIEW_FACTOR};
use super::orient::Orientation;
use super::raster::{PixelView, RgbImage};
use super::{crop_document, DecodeLimits};

/// Long edge of the preview the document is searched on: twice the search's
/// own 512 px copy, so the corners are refined against edges 4× finer than it.
pub const PREVIEW_LONG_EDGE: u32 = 512;
/// Extra photo around the corners' bounding box (share of the photo's long
/// edge): room for the refinement to move a side outwards.
const REGION_MARGIN_SHARE: f32 = 0.02;

/// A rectangle of the oriented photo (whole pixels) and the size it is drawn at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaledRegion {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    pub drawn_width: u32,
    pub drawn_height: u32,
}

impl ScaledRegion {
    fn factors(&self) -> (f32, f32) {
        (self.drawn_width as f32 / self.width as f32, self.drawn_height as f32 / self.height as f32)
    }

    /// Photo coordinates → coordinates in the drawn region.
    pub fn to_drawn(&self, p: Point) -> Point {
        let (fx, fy) = self.factors();
        Point::new((p.x - self.x as f32) * fx, (p.y - self.y as f32) * fy)
    }

    /// Coordinates in the drawn region → photo coordinates.
    pub fn to_photo(&self, p: Point) -> Point {
        let (fx, fy) = self.factors();
        Point::new(p.x / fx + self.x as f32, p.y / fy + self.y as f32)
    }
}

/// The photo as the browser's bitmap holds it: the upright photo's size,
/// and the EXIF orientation the bitmap's pixels still need: `Normal` when the
/// browser applied it; another when the page had the browser decode the
/// pixels as stored (a region of a rotated bitmap draws at half the speed).
/// Corners are always upright; the region and its pixels are the bitmap's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhotoFrame {
    pub width: u32,
    pub height: u32,
    pub stored_as: Orientation,
}

impl PhotoFrame {
    pub fn upright(width: u32, height: u32) -> PhotoFrame {
        PhotoFrame { width, height, stored_as: Orientation::Normal }
    }

    /// The bitmap's size.
    pub fn stored_size(&self) -> (u32, u32) {
        if self.stored_as.swaps_axes() { (self.height, self.width) } else { (self.width, self.height) }
    }

    pub fn to_stored(&self, quad: &Quad) -> Quad {
        quad.map(|p| self.stored_as.to_stored(p, self.width as f32, self.height as f32))
    }

    pub fn to_upright(&self, quad: &Quad) -> Quad {
        quad.map(|p| self.stored_as.to_upright(p, self.width as f32, self.height as f32))
    }
}

/// The preview's size for a photo of `width × height` (never enlarged).
///
/// Whole `factor × factor` blocks, as the finder shrinks a whole photo for
/// its analysis: the search then sees a preview at the scale it was tuned
/// at (a 1600 px photo at 400 px, not 512, where measured at 512 one of the
/// project's similar-colour scenes was refused).
pub fn preview_size(width: u32, height: u32) -> (u32, u32) {
    let factor = width.max(height).div_ceil(PREVIEW_LONG_EDGE).max(1);
    ((width / factor).max(1), (height / factor).max(1))
}

/// Where a preview lies on the photo: `photo = preview × scale + offset`, per axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PreviewPlacement {
    pub scale_x: f32,
    pub scale_y: f32,
    pub offset_x: f32,
    pub offset_y: f32,
}

impl PreviewPlacement {
    /// A preview drawn from the whole photo: `drawImage` stretches it exactly over the photo.
    pub fn stretched(preview_width: u32, preview_height: u32, photo_width: u32, photo_height: u32) -> PreviewPlacement {
        PreviewPlacement {
            scale_x: photo_width as f32 / preview_width.max(1) as f32,
            scale_y: photo_height as f32 / preview_height.max(1) as f32,
            offset_x: 0.0,
            offset_y: 0.0,
        }
    }

    fn to_photo(self, p: Point) -> Point {
        Point::new(p.x * self.scale_x + self.offset_x, p.y * self.scale_y + self.offset_y)
    }
}

/// Searches a browser-scaled preview of the whole photo; the corners come
/// back in the photo's coordinates (`photo_width × photo_height`).
pub fn find_document_in_preview(preview: &RgbImage, photo_width: u32, photo_height: u32, limits: &DecodeLimits) -> Result<Detection, PhotoError> {
    let placement = PreviewPlacement::stretched(preview.width, preview.height, photo_width, photo_height);
    find_document_in_placed_preview(preview, placement, photo_width, photo_height, limits)
}

/// Shortest long edge of a JPEG's 1/8-scale preview worth searching: 480
/// (photos of 3840 px and up, every 12 MP phone camera). Smaller photos are
/// cheap to draw a 512 px preview of, and a smaller preview loses documents.
pub const MIN_JPEG_PREVIEW_LONG_EDGE: u32 = 480;

/// The search on the 1/8-scale preview read from a JPEG's DC terms, which
/// the page runs while the browser decodes the photo: the detection (photo
/// coordinates) and the upright photo's size, to check against the browser's.
/// `None` when the photo is too small for that preview.
///
/// It also names a file the browser would decode with a grey part: the file
/// is checked whole first (`check_complete`: its structure, then its image
/// data, which the preview decodes anyway on photos this large), and a cut or
/// damaged one is `Incomplete` (`image_incomplete`), never a silent `None`.
pub fn find_document_in_jpeg(bytes: &[u8], limits: &DecodeLimits) -> Result<Option<(Detection, u32, u32)>, PhotoError> {
    check_complete(bytes)?;
    let header = read_header(bytes)?;
    if header.format != ImageFormat::Jpeg {
        return Ok(None);
    }
    if header.width.max(header.height).div_ceil(PREVIEW_FACTOR) < MIN_JPEG_PREVIEW_LONG_EDGE {
        // Small enough to check its image data on its own.
        limits.check(header.width, header.height)?;
        check_scan_data(bytes, limits)?;
        return Ok(None);
    }
    let preview = jpeg_preview(bytes, limits)?;
    let placement = PreviewPlacement {
        scale_x: PREVIEW_FACTOR as f32,
        scale_y: PREVIEW_FACTOR as f32,
        offset_x: preview.offset_x,
        offset_y: preview.offset_y,
    };
    let found = find_document_in_placed_preview(&preview.image, placement, preview.photo_width, preview.photo_height, limits)?;
    Ok(Some((found, preview.photo_width, preview.photo_height)))
}

fn find_document_in_placed_preview(preview: &RgbImage, placement: PreviewPlacement, photo_width: u32, photo_height: u32, limits: &DecodeLimits) -> Result<Detection, PhotoError> {
    limits.check(photo_width, photo_height)?;
    if preview.width == 0 || preview.height == 0 || preview.pixels.len() != preview.width as usize * preview.height as usize * 3 {
        return Err(PhotoError::Empty);
    }
    let found = document::find_document(preview);
    if !found.document_found {
        // The fallback is computed on the photo itself, not scaled up from the preview.
        return Ok(Detection { corners: document::centre_crop(photo_width, photo_height), ..found });
    }
    Ok(Detection { corners: found.corners.map(|p| placement.to_photo(p)), ..found })
}

/// The part of the photo to draw for `corners` (their bounding box plus a
/// margin) and the size to draw it at: the document's long side comes out at
/// about `max_edge`, so the warp needs no supersampling; never enlarged.
pub fn plan_region(corners: &Quad, photo_width: u32, photo_height: u32, max_edge: u32) -> Result<ScaledRegion, PhotoError> {
    if corners.iter().any(|p| !p.x.is_finite() || !p.y.is_finite()) || photo_width == 0 || photo_height == 0 {
        return Err(PhotoError::InvalidCorners);
    }
    let margin = REGION_MARGIN_SHARE * photo_width.max(photo_height) as f32;
    let (w, h) = (photo_width as f32, photo_height as f32);
    let left = (corners.iter().map(|p| p.x).fold(f32::INFINITY, f32::min) - margin).floor().clamp(0.0, w);
    let right = (corners.iter().map(|p| p.x).fold(f32::NEG_INFINITY, f32::max) + margin).ceil().clamp(0.0, w);
    let top = (corners.iter().map(|p| p.y).fold(f32::INFINITY, f32::min) - margin).floor().clamp(0.0, h);
    let bottom = (corners.iter().map(|p| p.y).fold(f32::NEG_INFINITY, f32::max) + margin).ceil().clamp(0.0, h);
    if right - left < 2.0 || bottom - top < 2.0 {
        return Err(PhotoError::InvalidCorners);
    }
    let (horizontal, vertical) = quad_side_lengths(corners);
    let document_long = horizontal.max(vertical).max(1.0);
    let scale = (max_edge as f32 / document_long).min(1.0);
    let (width, height) = ((right - left) as u32, (bottom - top) as u32);
    Ok(ScaledRegion {
        x: left as u32,
        y: top as u32,
        width,
        height,
        drawn_width: ((width as f32 * scale).round() as u32).max(1),
        drawn_height: ((height as f32 * scale).round() as u32).max(1),
    })
}

/// The straightened document from the region of the bitmap `frame` describes,
/// drawn at `region`'s scale. Corners from the preview search (`refine`) are
/// first moved onto the edges at this finer scale; corners a user placed are
/// taken as they are. Returns the crop, upright, and the corners used, in
/// the upright photo's coordinates. `drawn` is RGB or RGBA (the browser's
/// `ImageData` as it is).
pub fn crop_region(drawn: PixelView, region: &ScaledRegion, corners: &Quad, frame: PhotoFrame, refine: bool, max_edge: u32) -> Result<(RgbImage, Quad), PhotoError> {
    if drawn.width != region.drawn_width || drawn.height != region.drawn_height || region.width == 0 || region.height == 0 {
        return Err(PhotoError::PixelBufferSize {
            expected: region.drawn_width as u64 * region.drawn_height as u64 * drawn.channels as u64,
            actual: drawn.pixels.len() as u64,
        });
    }
    // In the bitmap's pixels, still in the upright order: the warp then
    // straightens and turns the document upright in one step.
    let mut in_region = frame.to_stored(corners).map(|p| region.to_drawn(p));
    if refine {
        // The preview's corners are within about one preview pixel; search twice that at this scale.
        let (preview_width, _) = preview_size(frame.width, frame.height);
        let preview_pixel = frame.width as f32 / preview_width.max(1) as f32 * region.drawn_width as f32 / region.width as f32;
        in_region = document::refine_corners(drawn, &in_region, 2.0 * preview_pixel + 3.0);
    }
    let crop = crop_document(drawn, &in_region, max_edge).ok_or(PhotoError::InvalidCorners)?;
    Ok((crop, frame.to_upright(&in_region.map(|p| region.to_photo(p)))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_maps_to_the_drawn_region_and_back() {
        let region = ScaledRegion { x: 100, y: 50, width: 2000, height: 1000, drawn_width: 1000, drawn_height: 500 };
        let p = Point::new(1100.0, 550.0);
        assert_eq!(region.to_drawn(p), Point::new(500.0, 250.0));
        assert!(region.to_photo(region.to_drawn(p)).distance(p) < 1e-3);
    }

    #[test]
    fn the_region_holds_the_corners_with_a_margin_and_shrinks_the_document_to_the_output_size() {
        let corners = [Point::new(1000.0, 800.0), Point::new(3200.0, 800.0), Point::new(3200.0, 2187.0), Point::new(1000.0, 2187.0)];
        let region = plan_region(&corners, 4032, 3024, 1600).unwrap();
        assert!(region.x < 1000 && region.y < 800 && region.x + region.width > 3200 && region.y + region.height > 2187);
        let drawn_long_side = region.to_drawn(corners[1]).x - region.to_drawn(corners[0]).x;
        assert!((drawn_long_side - 1600.0).abs() < 2.0, "{drawn_long_side}");
    }

    #[test]
    fn a_region_is_never_enlarged_and_stays_inside_the_photo() {
        let corners = [Point::new(-5.0, -5.0), Point::new(300.0, 0.0), Point::new(300.0, 200.0), Point::new(0.0, 200.0)];
        let region = plan_region(&corners, 320, 240, 1600).unwrap();
        assert_eq!((region.x, region.y), (0, 0));
        assert_eq!((region.drawn_width, region.drawn_height), (region.width, region.height));
        assert!(region.width <= 320 && region.height <= 240);
    }

    #[test]
    fn corners_that_are_not_numbers_are_refused() {
        let corners = [Point::new(f32::NAN, 0.0), Point::new(10.0, 0.0), Point::new(10.0, 10.0), Point::new(0.0, 10.0)];
        assert_eq!(plan_region(&corners, 100, 100, 1600), Err(PhotoError::InvalidCorners));
    }

    #[test]
    fn a_drawn_region_of_the_wrong_size_is_a_typed_error() {
        let region = ScaledRegion { x: 0, y: 0, width: 100, height: 100, drawn_width: 50, drawn_height: 50 };
        let corners = [Point::new(10.0, 10.0), Point::new(90.0, 10.0), Point::new(90.0, 60.0), Point::new(10.0, 60.0)];
        assert!(matches!(crop_region(RgbImage::new(40, 50).view(), &region, &corners, PhotoFrame::upright(100, 100), true, 1600), Err(PhotoError::PixelBufferSize { .. })));
    }
}
