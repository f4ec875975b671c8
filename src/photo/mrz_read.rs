//! Photo → MRZ, the last step of the capture pipeline ([`super::capture`]),
//! which the page's capture worker, `examples/read_mrz` and the native tests
//! all run, so the example's figures are the page's figures.
//!
//! The MRZ is read on the straightened crop; when the crop gives no reading
//! (no document found and the centre crop cut the MRZ off, or a wrong
//! outline), on the whole upright photo instead.

use id_capture_contract::date::Date;
use crate::mrz::{recognise_mrz_in_photo, MrzError, RecognisedMrz};

use super::backend::{run_ready, NativeBackend};
use super::capture::{capture_kept, CapturedDocument, KeptPhoto, MrzStep};
use super::{Detection, GreyImage, Orientation, PhotoError, PhotoOptions, RgbImage};

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

/// The reading of the whole upright photo (grey, at most
/// [`WHOLE_PHOTO_LONG_EDGE`] long), asked for when the crop gave none: the
/// crop's error stands unless the whole photo did better (a failing check
/// outranks "no MRZ found").
pub fn read_whole_photo_after(crop_error: MrzError, whole: &GreyImage, today: Date) -> Result<(RecognisedMrz, MrzSource), MrzError> {
    match recognise_mrz_in_photo(whole.width as u32, whole.height as u32, &whole.pixels, today) {
        Ok(found) => Ok((found, MrzSource::WholePhoto)),
        Err(MrzError::ChecksFailed) => Err(MrzError::ChecksFailed),
        Err(_) => Err(crop_error),
    }
}

/// What [`read_photo_mrz`] found.
pub struct PhotoMrz {
    pub detection: Detection,
    /// The straightened crop the MRZ was read on first (greyscale).
    pub crop: GreyImage,
    pub mrz: Result<(RecognisedMrz, MrzSource), MrzError>,
}

/// The page's whole path ([`super::capture`]) on an upright photo already
/// decoded, output at `max_edge`: the document, its crop and the MRZ.
pub fn read_photo_mrz(photo: &RgbImage, max_edge: u32, today: Date) -> Result<PhotoMrz, PhotoError> {
    let options = PhotoOptions { max_edge, ..PhotoOptions::default() };
    let kept = KeptPhoto::from_pixels(photo.clone(), Orientation::Normal);
    let captured = run_ready(capture_kept(&NativeBackend::without_file(), &kept, None, &options, MrzStep::Read { today }, &mut |_| {}))?;
    Ok(PhotoMrz::from(captured))
}

impl From<CapturedDocument> for PhotoMrz {
    fn from(captured: CapturedDocument) -> PhotoMrz {
        let processed = captured.processed;
        PhotoMrz {
            detection: Detection { corners: processed.corners, document_found: processed.document_found, confidence: processed.confidence },
            crop: processed.grey_for_reading,
            mrz: captured.mrz.unwrap_or(Err(MrzError::NoMrzFound)),
        }
    }
}
