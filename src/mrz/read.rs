//! The reader: greyscale pixels of the cropped, upright document → MRZ
//! lines → checked reading. Pure computation; time and today are passed in.

use id_capture_contract::date::Date;

use super::band::{find_mrz_rows, CellRow};
use super::binarize::{ink_mask, GreyImage};
use super::classify::{classify_cell, CellScores};
use super::components::{find_blobs, Blob};
use super::orientation::{text_line_angle, turn, Turn};
use super::document_kind::DocumentKind;
use super::error::MrzError;
use super::reading::{MrzReading, NameConfidence};
use super::repair::{repair, RepairedReading, CONFIRM_BELOW};
use super::templates::Templates;

/// Long edge of the working image used to find the band (characters are
/// then sampled from the full-resolution photo).
const WORKING_LONG_EDGE: usize = 800;
/// Below this mean best score the band is not MRZ text at all.
const MIN_MEAN_SCORE: f32 = 0.45;

/// Lines recognised and accepted by the check digits, for debugging tools.
/// Its `Debug` does not show the lines (they hold the document number).
pub struct RecognisedMrz {
    lines: Vec<String>,
    pub reading: MrzReading,
}

impl RecognisedMrz {
    /// The MRZ lines as read and repaired. They contain the document number
    /// and expiry: for diagnostics only, never to be sent anywhere.
    pub fn lines_for_diagnostics(&self) -> &[String] {
        &self.lines
    }
}

impl std::fmt::Debug for RecognisedMrz {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecognisedMrz").field("lines", &"<redacted>").field("reading", &self.reading).finish()
    }
}

/// Reads name, date of birth and nationality from the MRZ of a cropped,
/// upright document photo (`grey`: `width × height` bytes, row-major).
/// Returns a reading only when every check digit passes.
pub fn read_mrz(width: u32, height: u32, grey: &[u8], today: Date) -> Result<MrzReading, MrzError> {
    recognise_mrz(width, height, grey, today).map(|recognised| recognised.reading)
}

/// As [`read_mrz`], also giving the recognised lines (for diagnostic tools).
pub fn recognise_mrz(width: u32, height: u32, grey: &[u8], today: Date) -> Result<RecognisedMrz, MrzError> {
    recognise(width, height, grey, today, false)
}

/// As [`recognise_mrz`] for a whole photo rather than a document crop: the
/// MRZ may be small in it (a band ~300 px wide), so when no band is found at
/// the usual scale the photo is looked at again at twice the detail. Only
/// photos that fail pay for that (~2–4× the reader's time).
pub fn recognise_mrz_in_photo(width: u32, height: u32, grey: &[u8], today: Date) -> Result<RecognisedMrz, MrzError> {
    recognise(width, height, grey, today, true)
}

fn recognise(width: u32, height: u32, grey: &[u8], today: Date, small_band_too: bool) -> Result<RecognisedMrz, MrzError> {
    let expected = (width as usize).checked_mul(height as usize).ok_or(MrzError::InvalidPixels { expected: usize::MAX, actual: grey.len() })?;
    if grey.len() != expected {
        return Err(MrzError::InvalidPixels { expected, actual: grey.len() });
    }
    if width < 60 || height < 30 {
        return Err(MrzError::NoMrzFound);
    }
    let image = GreyImage { width: width as usize, height: height as usize, pixels: grey.to_vec() };
    let templates = Templates::load();
    let long_edge = image.width.max(image.height);
    let factor = ((long_edge as f32 / WORKING_LONG_EDGE as f32).round() as usize).max(1);
    let working = image.shrink(factor);
    let working_long = working.width.max(working.height) as f32;
    let first = read_at(&image, &templates, &working, factor, working_long / 110.0, today);
    // A band was found but not read (checks failed): more detail will not find another.
    if !small_band_too || !matches!(first, Err(MrzError::NoMrzFound)) || factor < 2 && working_long / 110.0 <= SMALLEST_CHARACTER {
        return first;
    }
    // No band of the size a document crop shows: look again at twice the
    // detail for a small MRZ (a band ~300 px wide in a whole photo).
    let finer_factor = (factor / 2).max(1);
    let finer = if finer_factor == factor { working } else { image.shrink(finer_factor) };
    read_at(&image, &templates, &finer, finer_factor, SMALLEST_CHARACTER, today)
}

/// Smallest character height (working pixels) the second, finer look accepts.
const SMALLEST_CHARACTER: f32 = 3.0;

/// Finds and reads the band on `working` (the photo shrunk by `factor`),
/// characters at least `min_height` working pixels tall.
fn read_at(image: &GreyImage, templates: &Templates, working: &GreyImage, factor: usize, min_height: f32, today: Date) -> Result<RecognisedMrz, MrzError> {
    let working_long = working.width.max(working.height) as f32;
    let max_height = working_long / 14.0;
    let blobs = blobs_of(working);
    // Upright first, then upside down (the MRZ is then at the top, and
    // upside-down glyphs may have looked like a failing MRZ); a photo whose
    // text runs at another angle is turned to it first.
    let mut angles = vec![0.0, std::f32::consts::PI];
    if let Some(angle) = text_line_angle(&blobs, min_height, max_height) {
        if angle.abs() > LEVEL_ENOUGH {
            angles = vec![angle, angle + std::f32::consts::PI, 0.0, std::f32::consts::PI];
        }
    }
    let mut error = MrzError::NoMrzFound;
    for angle in angles {
        let rows = if angle == 0.0 {
            find_mrz_rows(&blobs, min_height, max_height)
        } else {
            let (turned, turn) = turn(working, angle);
            let rows = find_mrz_rows(&blobs_of(&turned), min_height, max_height);
            rows.into_iter().map(|candidate| candidate.into_iter().map(|row| turn_row(&row, &turn)).collect()).collect()
        };
        match read_rows(image, templates, rows, factor as f32, today) {
            Ok(found) => return Ok(found),
            // A failing check outranks "no MRZ found".
            Err(MrzError::ChecksFailed) => error = MrzError::ChecksFailed,
            Err(_) => {}
        }
    }
    Err(error)
}

/// Text lines within this angle (radians) of level are read without turning:
/// the band finder follows ±3° and the row fits absorb a little more.
const LEVEL_ENOUGH: f32 = 0.07;

fn blobs_of(working: &GreyImage) -> Vec<Blob> {
    let working_long = working.width.max(working.height) as f32;
    let mask = ink_mask(working, (working_long / 32.0) as usize);
    find_blobs(&mask, working.width, working.height, (working_long / 6.0) as usize)
}

/// A row found on the turned working image, in the working image's coordinates.
fn turn_row(row: &CellRow, turn: &Turn) -> CellRow {
    CellRow {
        centres: row.centres.iter().map(|&point| turn.to_original(point)).collect(),
        steps: row.steps.iter().map(|&step| turn.vector_to_original(step)).collect(),
        glyph_height: row.glyph_height,
    }
}

fn read_rows(image: &GreyImage, templates: &Templates, candidates: Vec<Vec<CellRow>>, scale: f32, today: Date) -> Result<RecognisedMrz, MrzError> {
    if candidates.is_empty() {
        return Err(MrzError::NoMrzFound);
    }
    let mut saw_text = false;
    for rows in candidates {
        let Some(scores) = classify_rows(image, templates, &rows, scale) else { continue };
        let cell_count: usize = scores.iter().map(Vec::len).sum();
        let mean_best = scores.iter().flatten().map(|s| s.iter().copied().fold(-1.0, f32::max)).sum::<f32>() / cell_count.max(1) as f32;
        if mean_best < MIN_MEAN_SCORE {
            continue;
        }
        saw_text = true;
        if let Some(repaired) = repair(&scores, today) {
            return Ok(finish(repaired));
        }
    }
    Err(if saw_text { MrzError::ChecksFailed } else { MrzError::NoMrzFound })
}

/// Glyph height over pitch of the templates' own print, as the band finder
/// measures it (75th percentile of blob heights; generated photos).
const TEMPLATE_GLYPH_RATIO: f32 = 1.064;

fn classify_rows(image: &GreyImage, templates: &Templates, rows: &[CellRow], scale: f32) -> Option<Vec<Vec<CellScores>>> {
    // Print drawn smaller against its pitch than the templates (another
    // printer's OCR-B): sample a frame scaled to match, measured over the
    // whole band so one line's noise does not decide it. Never larger: blur
    // makes blobs taller, so a ratio above the templates' says nothing.
    let ratios: Vec<f32> = rows
        .iter()
        .filter_map(|row| {
            let mut pitches: Vec<f32> = row.steps.iter().map(|&(dx, dy)| (dx * dx + dy * dy).sqrt()).collect();
            pitches.sort_by(f32::total_cmp);
            let pitch = *pitches.get(pitches.len() / 2)?;
            (pitch > 0.0).then(|| row.glyph_height / pitch)
        })
        .collect();
    let glyph_scale = if ratios.is_empty() { 1.0 } else { (ratios.iter().sum::<f32>() / ratios.len() as f32 / TEMPLATE_GLYPH_RATIO).clamp(0.88, 1.0) };
    let frame = scale * glyph_scale;
    rows.iter()
        .map(|row| {
            row.centres
                .iter()
                .zip(&row.steps)
                .map(|(&(x, y), &(dx, dy))| classify_cell(image, templates, (x * scale, y * scale), (dx * frame, dy * frame)))
                .collect()
        })
        .collect()
}

/// Attaches name confidences and the confirmation flag to the reading.
fn finish(repaired: RepairedReading) -> RecognisedMrz {
    let RepairedReading { lines, mut reading, confidence, .. } = repaired;
    let (name_line, name_start) = match reading.kind {
        DocumentKind::Td1 => (2, 0),
        _ => (0, 5),
    };
    let field: &[u8] = lines.get(name_line).map(|l| l.as_bytes().get(name_start..).unwrap_or(&[])).unwrap_or(&[]);
    let field_confidence: &[u8] = confidence.get(name_line).map(|c| c.get(name_start..).unwrap_or(&[])).unwrap_or(&[]);
    let names = name_confidence(field, field_confidence);
    let lowest = field_confidence.iter().copied().min().unwrap_or(0);
    reading.names_need_confirmation = reading.names_truncated || lowest < CONFIRM_BELOW;
    reading.name_confidence = Some(names);
    RecognisedMrz { lines, reading }
}

/// Per-character confidence aligned with the decoded surname and given
/// names (same splitting rules as the parser; spaces count as certain).
fn name_confidence(field: &[u8], confidence: &[u8]) -> NameConfidence {
    let separator = field.windows(2).position(|pair| pair == b"<<").unwrap_or(field.len());
    let words = |range: std::ops::Range<usize>| -> Vec<u8> {
        let mut out = Vec::new();
        let mut in_word = false;
        for index in range {
            let (Some(&character), Some(&conf)) = (field.get(index), confidence.get(index)) else { break };
            if character == b'<' {
                in_word = false;
                continue;
            }
            if !in_word && !out.is_empty() {
                out.push(100);
            }
            in_word = true;
            out.push(conf);
        }
        out
    };
    NameConfidence { surname: words(0..separator), given_names: words((separator + 2).min(field.len())..field.len()) }
}
