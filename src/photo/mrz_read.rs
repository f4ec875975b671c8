//! Photo → MRZ, composed once for every caller: the page's capture worker
//! (`web/photo.rs`), `examples/read_mrz` and the native tests run this, so
//! the example's figures are the page's figures.
//!
//! The order is the page's: search the document on a preview, draw its
//! region at output scale, refine and warp it upright ([`region`]), read the
//! MRZ on that crop; when the crop gives no reading (no document found and
//! the centre crop cut the MRZ off, or a wrong outline), read the whole
//! upright photo instead.

use id_capture_contract::date::Date;
use crate::mrz::{recognise_mrz, recognise_mrz_in_photo, MrzError, RecognisedMrz};

use super::region::{crop_region, find_document_in_preview, plan_region, preview_size, PhotoFrame};
use super::resize::{fit_within, resize, resize_grey};
use super::{DecodeLimits, Detection, GreyImage, PhotoError, RgbImage};

/// Long edge the whole photo is read at when the crop gave no reading: an
/// MRZ across a third of such a photo still has ~10 px per character.
pub const WHOLE_PHOTO_LONG_EDGE: u32 = 2000;

/// Which image the reading came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MrzSource {
    /// The straightened document crop.
    Crop,
    /// The whole upright photo (the crop gave no reading).
    WholePhoto,
}

/// Reads the MRZ of the straightened crop; when that fails, of the image
/// `whole_photo` gives (called only then, so the conversion costs nothing on
/// the usual path). The crop's error stands unless the whole photo did
/// better (a failing check outranks "no MRZ found").
pub fn read_mrz_after_crop(
    crop: &GreyImage,
    whole_photo: Option<&dyn Fn() -> Option<GreyImage>>,
    today: Date,
) -> Result<(RecognisedMrz, MrzSource), MrzError> {
    let crop_error = match recognise_mrz(crop.width as u32, crop.height as u32, &crop.pixels, today) {
        Ok(found) => return Ok((found, MrzSource::Crop)),
        Err(error) => error,
    };
    let Some(whole) = whole_photo.and_then(|make| make()) else { return Err(crop_error) };
    match recognise_mrz_in_photo(whole.width as u32, whole.height as u32, &whole.pixels, today) {
        Ok(found) => Ok((found, MrzSource::WholePhoto)),
        Err(MrzError::ChecksFailed) => Err(MrzError::ChecksFailed),
        Err(_) => Err(crop_error),
    }
}

/// The whole upright photo in greyscale, at most [`WHOLE_PHOTO_LONG_EDGE`] long.
pub fn whole_photo_grey(photo: &RgbImage) -> GreyImage {
    let grey = photo.to_grey();
    let (width, height) = fit_within(grey.width as u32, grey.height as u32, WHOLE_PHOTO_LONG_EDGE);
    if (width as usize, height as usize) == (grey.width, grey.height) {
        grey
    } else {
        resize_grey(&grey, width, height)
    }
}

/// What [`read_photo_mrz`] found.
pub struct PhotoMrz {
    pub detection: Detection,
    /// The straightened crop the MRZ was read on first (greyscale).
    pub crop: GreyImage,
    pub mrz: Result<(RecognisedMrz, MrzSource), MrzError>,
}

/// The page's whole path on an upright photo: document search on the
/// preview, region drawn at output scale (`max_edge`), refine and warp,
/// the MRZ on the crop, then on the whole photo.
pub fn read_photo_mrz(photo: &RgbImage, max_edge: u32, today: Date) -> Result<PhotoMrz, PhotoError> {
    let limits = DecodeLimits::default();
    let (width, height) = (photo.width, photo.height);
    let (preview_width, preview_height) = preview_size(width, height);
    let preview = resize(photo, preview_width, preview_height);
    let found = find_document_in_preview(&preview, width, height, &limits)?;
    let region = plan_region(&found.corners, width, height, max_edge)?;
    let drawn = resize(&cut(photo, region.x, region.y, region.width, region.height), region.drawn_width, region.drawn_height);
    let (crop, corners) = crop_region(drawn.view(), &region, &found.corners, PhotoFrame::upright(width, height), found.document_found, max_edge)?;
    let grey = crop.to_grey();
    let whole = || Some(whole_photo_grey(photo));
    let mrz = read_mrz_after_crop(&grey, Some(&whole), today);
    Ok(PhotoMrz { detection: Detection { corners, ..found }, crop: grey, mrz })
}

/// The `width × height` part of `photo` at `(x, y)` (clamped to the photo).
fn cut(photo: &RgbImage, x: u32, y: u32, width: u32, height: u32) -> RgbImage {
    let x = x.min(photo.width);
    let y = y.min(photo.height);
    let width = width.min(photo.width - x);
    let height = height.min(photo.height - y);
    let mut pixels = Vec::with_capacity(width as usize * height as usize * 3);
    for row in y..y + height {
        let start = (row as usize * photo.width as usize + x as usize) * 3;
        pixels.extend_from_slice(&photo.pixels[start..start + width as usize * 3]);
    }
    RgbImage { width, height, pixels }
}
