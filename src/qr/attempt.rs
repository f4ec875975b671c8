//! One pass = one pyramid level + one binarisation, handed to rqrr. The plan
//! orders passes by how often they win on camera frames, so a small budget
//! still gets the best ones.

use rqrr::PreparedImage;

use super::grey::GreyImage;
use super::text::decode_text;
use super::threshold::{local_mean, otsu, Bitmap};
use super::QrPoint;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binarisation {
    /// 2-D local mean over a window of about 1/`divisor` of the long edge;
    /// dark when `bias_percent` below it (low bias suits blurred codes).
    LocalMean { divisor: usize, bias_percent: u32 },
    /// rqrr's own running row average (the baseline).
    Rqrr,
    /// One global threshold (blurred codes, even light).
    Otsu,
    /// Unsharp mask, then local mean (blurred codes).
    SharpenedLocalMean { divisor: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub level: usize,
    pub binarisation: Binarisation,
    pub inverted: bool,
    /// On the level doubled in size (small modules in a small image).
    pub upscaled: bool,
}

pub enum AttemptOutcome {
    Decoded { text: String, corners: [QrPoint; 4] },
    Nothing,
}

/// Work one pass leaves for the next on the same frame: its searched
/// bitmap (the inverted twin needs only a flip, not a new threshold) and
/// the last sharpened level (two passes sharpen the same level).
#[derive(Default)]
pub struct FrameWork {
    searched: Option<(Attempt, Vec<u8>)>,
    sharpened: Option<((usize, bool), GreyImage)>,
}

impl Attempt {
    /// Same level and binarisation, the other polarity: its bitmap is this
    /// one's complement (not so for rqrr's own threshold, which runs on
    /// inverted grey levels).
    fn is_twin_of(&self, other: &Attempt) -> bool {
        self.level == other.level
            && self.upscaled == other.upscaled
            && self.binarisation == other.binarisation
            && self.inverted != other.inverted
            && self.binarisation != Binarisation::Rqrr
    }
}

/// Below this long edge the half-size level is not the first pass.
const SMALL_COARSE_EDGE: usize = 400;

/// The passes to try, best first. `primary` is the largest level that fits
/// the working edge; the coarser level helps close-ups and blur, the finer
/// one small codes in a large frame.
pub fn plan_attempts(pyramid: &[GreyImage], max_working_edge: usize) -> Vec<Attempt> {
    let usable = |level: usize| pyramid.get(level).is_some_and(|image| image.width > 0);
    let primary = (0..pyramid.len())
        .find(|&level| usable(level) && pyramid.get(level).is_some_and(|i| i.longest_edge() <= max_working_edge))
        .unwrap_or(pyramid.len().saturating_sub(1));
    let coarser = primary + 1;
    let finer = primary.checked_sub(1);
    let pass = |level, binarisation, inverted| Attempt { level, binarisation, inverted, upscaled: false };
    use Binarisation::*;
    // Ordered by how often each pass was the first to decode on the 100
    // benchmark frames (`QR_RATE_PASSES=1 cargo run --release --example
    // qr_rate`), cheap ones first. Pass 1 runs on the half-size level: a
    // quarter of the pixels, and 63 of the 100 frames decode there.
    // Passes 1–6 are the camera loop's (`maxAttempts` 6); the rest only run
    // for a still photo (12) and were ordered on the tuning half of qr-real
    // (`examples/qr_real_stress`): inverted twins of the two best passes
    // (an inverted code had only pass 3 within 12), and a pass on the
    // doubled image for small modules in a small photo.
    let upscale = primary == 0 && pyramid.first().is_some_and(|i| i.longest_edge() * 2 <= max_working_edge);
    let upscaled = |binarisation| Attempt { level: primary, binarisation, inverted: false, upscaled: true };
    let mut plan = vec![
        pass(coarser, LocalMean { divisor: 8, bias_percent: 4 }, false),
        pass(primary, LocalMean { divisor: 12, bias_percent: 8 }, false),
        pass(primary, LocalMean { divisor: 12, bias_percent: 8 }, true),
        pass(primary, SharpenedLocalMean { divisor: 12 }, false),
        // A wide window after sharpening: small blurred codes on a busy background.
        pass(primary, SharpenedLocalMean { divisor: 6 }, false),
        pass(primary, LocalMean { divisor: 24, bias_percent: 4 }, false),
        pass(primary, LocalMean { divisor: 30, bias_percent: 8 }, false),
        pass(coarser, SharpenedLocalMean { divisor: 8 }, false),
    ];
    // A small photo's half-size level has modules too small to find: its
    // primary level goes first (qr-real tuning half: median 2.7 -> 2.3 ms
    // natively, same reads; camera frames of 1280x720 are not affected).
    if pyramid.get(coarser).is_some_and(|image| image.longest_edge() < SMALL_COARSE_EDGE) {
        plan.swap(0, 1);
    }
    if upscale {
        plan.push(upscaled(LocalMean { divisor: 12, bias_percent: 8 }));
    }
    plan.extend([
        pass(coarser, LocalMean { divisor: 8, bias_percent: 4 }, true),
        pass(primary, Otsu, false),
        pass(primary, SharpenedLocalMean { divisor: 12 }, true),
        pass(primary, Rqrr, false),
        pass(coarser + 1, LocalMean { divisor: 6, bias_percent: 8 }, false),
        pass(coarser, LocalMean { divisor: 8, bias_percent: 8 }, false),
    ]);
    if let Some(finer) = finer {
        plan.push(pass(finer, LocalMean { divisor: 16, bias_percent: 8 }, false));
        plan.push(pass(finer, SharpenedLocalMean { divisor: 16 }, false));
    }
    if upscale {
        plan.push(upscaled(SharpenedLocalMean { divisor: 12 }));
    }
    plan.extend([
        pass(coarser, Rqrr, true),
        pass(primary, Otsu, true),
        pass(coarser, Otsu, false),
        pass(primary, Rqrr, true),
    ]);
    plan.retain(|attempt| usable(attempt.level));
    plan
}

pub fn run_attempt(image: &GreyImage, attempt: &Attempt, work: &mut FrameWork) -> AttemptOutcome {
    let searched = work.searched.take();
    if image.width < 21 || image.height < 21 {
        return AttemptOutcome::Nothing;
    }
    let mut prepared = match attempt.binarisation {
        Binarisation::Rqrr => {
            let invert = attempt.inverted;
            PreparedImage::prepare_from_greyscale(image.width, image.height, |x, y| {
                let value = image.pixels.get(y * image.width + x).copied().unwrap_or(255);
                if invert { 255 - value } else { value }
            })
        }
        Binarisation::LocalMean { .. } | Binarisation::Otsu | Binarisation::SharpenedLocalMean { .. } => {
            let pixels = match searched {
                // rqrr repainted the twin's dark regions but never a light
                // pixel, so "light there" is exactly "dark here".
                Some((previous, mut pixels)) if attempt.is_twin_of(&previous) => {
                    pixels.iter_mut().for_each(|p| *p = (*p == 0) as u8);
                    pixels
                }
                _ => {
                    let bitmap = binarise(image, attempt, &mut work.sharpened);
                    debug_assert!(bitmap.width == image.width && bitmap.height == image.height);
                    bitmap.pixels
                }
            };
            PreparedImage::prepare_from_binary(image.width, image.height, pixels)
        }
    };
    for grid in prepared.detect_grids() {
        let Ok((meta, codewords)) = grid.decode_codewords() else { continue };
        // Data that is not text (unknown mode, ECI without a table) is no
        // reading: never guess characters for it.
        let Ok(text) = decode_text(meta.version.0, &codewords) else { continue };
        let corners = grid.bounds.map(|p| QrPoint { x: p.x, y: p.y });
        return AttemptOutcome::Decoded { text, corners };
    }
    work.searched = Some((*attempt, prepared.into_pixels()));
    AttemptOutcome::Nothing
}

fn binarise(image: &GreyImage, attempt: &Attempt, sharpened: &mut Option<((usize, bool), GreyImage)>) -> Bitmap {
    let bitmap = match attempt.binarisation {
        Binarisation::LocalMean { divisor, bias_percent } => {
            let radius = (image.longest_edge() / divisor.max(1) / 2).max(4);
            local_mean(image, radius, bias_percent, 24)
        }
        Binarisation::SharpenedLocalMean { divisor } => {
            let radius = (image.longest_edge() / divisor.max(1) / 2).max(4);
            let key = (attempt.level, attempt.upscaled);
            let sharp = match sharpened.take() {
                Some((cached, sharp)) if cached == key => sharp,
                _ => image.sharpened(2, 150),
            };
            let bitmap = local_mean(&sharp, radius, 4, 24);
            *sharpened = Some((key, sharp));
            bitmap
        }
        _ => otsu(image),
    };
    if attempt.inverted { bitmap.inverted() } else { bitmap }
}
