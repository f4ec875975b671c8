//! JPEG encoding to a byte budget. The encoder writes a fresh file (SOI,
//! JFIF APP0, tables, one baseline scan, EOI), so nothing of the input's
//! metadata can survive. Quality is searched, and the image is shrunk only
//! when the lowest acceptable quality still does not fit.

use serde::{Deserialize, Serialize};

use super::error::PhotoError;
use super::raster::RgbImage;
use super::resize::{fit_within, resize};

/// Below this JPEG quality print gets blocky; shrink instead.
pub const LOWEST_QUALITY: u8 = 40;
/// Above this the bytes grow fast for no visible gain.
pub const HIGHEST_QUALITY: u8 = 92;
/// Shrinking stops here: smaller cannot be read.
const SMALLEST_LONG_EDGE: u32 = 240;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncodedJpeg {
    #[serde(skip)]
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub quality: u8,
    /// True when the image had to be made smaller than asked to fit the budget.
    pub shrunk_to_fit: bool,
}

pub fn encode_jpeg(image: &RgbImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    if image.width == 0 || image.height == 0 || image.width > 65_535 || image.height > 65_535 {
        return Err(PhotoError::Empty);
    }
    if image.pixels.len() != image.width as usize * image.height as usize * 3 {
        return Err(PhotoError::PixelBufferSize {
            expected: image.width as u64 * image.height as u64 * 3,
            actual: image.pixels.len() as u64,
        });
    }
    let mut bytes = Vec::with_capacity(image.pixels.len() / 8);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality.clamp(1, 100))
        .encode(&image.pixels, image.width, image.height, image::ExtendedColorType::Rgb8)
        .map_err(|_| PhotoError::Corrupt { reason: "JPEG encoding failed" })?;
    Ok(bytes)
}

/// The highest quality in `LOWEST_QUALITY..=HIGHEST_QUALITY` (to within 2)
/// whose encoding fits `max_bytes`; the image shrinks by steps only when none does.
pub fn encode_within_budget(image: &RgbImage, max_bytes: usize) -> Result<EncodedJpeg, PhotoError> {
    let mut current = image.clone();
    let mut shrunk_to_fit = false;
    loop {
        if let Some((quality, bytes)) = search_quality(&current, max_bytes)? {
            return Ok(EncodedJpeg { bytes, width: current.width, height: current.height, quality, shrunk_to_fit });
        }
        let long = current.width.max(current.height);
        if long <= SMALLEST_LONG_EDGE {
            return Err(PhotoError::ByteBudgetUnreachable { max_bytes });
        }
        let (w, h) = fit_within(current.width, current.height, ((long as f32 * 0.75) as u32).max(SMALLEST_LONG_EDGE));
        current = resize(image, w, h);
        shrunk_to_fit = true;
    }
}

/// Prediction on log(bytes), driven by [`BudgetSearch`]: typically 2 encodes.
fn search_quality(image: &RgbImage, max_bytes: usize) -> Result<Option<(u8, Vec<u8>)>, PhotoError> {
    let mut search = BudgetSearch::new(max_bytes);
    let mut best: Option<(u8, Vec<u8>)> = None;
    while let Some(quality) = search.next_quality() {
        let bytes = encode_jpeg(image, quality)?;
        if search.record(quality, bytes.len()) {
            best = Some((quality, bytes));
        }
    }
    Ok(best)
}

/// The first quality tried: most 1600 px documents land near the budget from here.
const FIRST_QUALITY: u8 = 85;
/// A fit this close to the budget is kept: the next quality step up would
/// add about 3 % in bytes and nothing visible.
const FULL_ENOUGH: f64 = 0.95;
/// Encodes per search at most.
const MAX_TRIES: u8 = 6;

/// The quality search as a state machine, so that an encoder the library
/// cannot call itself (the browser's, which answers asynchronously) is driven
/// by the same rules: ask [`next_quality`](Self::next_quality), encode at it,
/// [`record`](Self::record) the size, until it says stop; the highest fitting
/// quality is the answer: the first encode's size predicts the quality, and
/// at most one more fitting step follows (typically 2 encodes, at most 6).
#[derive(Clone, Debug, PartialEq)]
pub struct BudgetSearch {
    max_bytes: usize,
    best_fit: Option<(u8, usize)>,
    smallest_too_big: Option<(u8, usize)>,
    next: Option<u8>,
    tries: u8,
}

impl BudgetSearch {
    pub fn new(max_bytes: usize) -> BudgetSearch {
        Self::starting_at(max_bytes, FIRST_QUALITY)
    }

    /// A search whose first encode is at `quality` (clamped to the searched
    /// range): an encoder whose files are smaller (e.g. with 4:2:0 chroma
    /// subsampling, as browsers encode) starts higher and usually fits at once.
    pub fn starting_at(max_bytes: usize, quality: u8) -> BudgetSearch {
        let first = quality.clamp(LOWEST_QUALITY, HIGHEST_QUALITY);
        BudgetSearch { max_bytes, best_fit: None, smallest_too_big: None, next: Some(first), tries: 0 }
    }

    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// The quality to encode at next, or `None` when the search is over.
    pub fn next_quality(&self) -> Option<u8> {
        self.next
    }

    /// The highest quality that fitted so far.
    pub fn best_fit(&self) -> Option<u8> {
        self.best_fit.map(|(quality, _)| quality)
    }

    /// Records one encoding's size; true when it is the new best fit (keep its bytes).
    pub fn record(&mut self, quality: u8, size: usize) -> bool {
        self.tries = self.tries.saturating_add(1);
        let mut improved = false;
        if size <= self.max_bytes {
            if self.best_fit.is_none_or(|(q, _)| quality > q) {
                self.best_fit = Some((quality, size));
                improved = true;
            }
        } else if self.smallest_too_big.is_none_or(|(q, _)| quality < q) {
            self.smallest_too_big = Some((quality, size));
        }
        self.next = if self.tries >= MAX_TRIES { None } else { self.plan() };
        improved
    }

    fn plan(&self) -> Option<u8> {
        // Aim a little under the budget, so the guess usually fits at once.
        let target = (self.max_bytes as f64 * 0.975).ln();
        match (self.best_fit, self.smallest_too_big) {
            (Some((low, _)), _) if low >= HIGHEST_QUALITY => None,
            (Some((_, size)), _) if size as f64 >= FULL_ENOUGH * self.max_bytes as f64 => None,
            // A fit after a prediction from a measured size: one correction is enough.
            (Some(_), _) if self.tries >= 2 => None,
            (Some((low, _)), Some((high, _))) if high <= low + 2 => None,
            (None, Some((high, _))) if high <= LOWEST_QUALITY => None,
            (Some((low, size)), None) => {
                // Each ~10 quality points is roughly ×1.3 in bytes.
                let steps = ((target - (size as f64).ln()) / 1.3f64.ln() * 10.0).floor() as i32;
                Some((low as i32 + steps.max(2)).clamp(low as i32 + 1, HIGHEST_QUALITY as i32) as u8)
            }
            (None, Some((high, size))) => {
                let steps = (((size as f64).ln() - target) / 1.3f64.ln() * 10.0).ceil() as i32;
                Some((high as i32 - steps.max(3)).clamp(LOWEST_QUALITY as i32, high as i32 - 1) as u8)
            }
            (Some((low, low_size)), Some((high, high_size))) => {
                let (l, h) = (low as f64, high as f64);
                let (ls, hs) = ((low_size as f64).ln(), (high_size as f64).ln());
                let guess = if hs > ls { l + (target - ls) / (hs - ls) * (h - l) } else { (l + h) / 2.0 };
                Some((guess.round() as i32).clamp(low as i32 + 1, high as i32 - 1) as u8)
            }
            (None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A made-up encoder: bytes ×1.3 per 10 quality points, 300 000 at quality 80.
    fn modelled_size(quality: u8) -> usize {
        (300_000.0 * 1.3f64.powf((quality as f64 - 80.0) / 10.0)) as usize
    }

    #[test]
    fn the_search_fits_the_budget_in_few_encodes() {
        let mut search = BudgetSearch::new(300_000);
        let mut encodes = 0;
        while let Some(quality) = search.next_quality() {
            encodes += 1;
            search.record(quality, modelled_size(quality));
        }
        let best = search.best_fit().expect("a quality fits");
        assert!(modelled_size(best) <= 300_000);
        assert!(best >= 78, "{best}");
        assert!(encodes <= 3, "{encodes}");
    }

    #[test]
    fn the_search_stops_at_the_lowest_quality_when_nothing_fits() {
        let mut search = BudgetSearch::new(1_000);
        while let Some(quality) = search.next_quality() {
            assert!(quality >= LOWEST_QUALITY);
            search.record(quality, 50_000);
        }
        assert_eq!(search.best_fit(), None);
    }

    #[test]
    fn a_small_image_gets_the_highest_quality() {
        let mut search = BudgetSearch::new(300_000);
        while let Some(quality) = search.next_quality() {
            search.record(quality, 20_000);
        }
        assert_eq!(search.best_fit(), Some(HIGHEST_QUALITY));
    }
}
