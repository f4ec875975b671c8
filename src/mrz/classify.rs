//! Classifying one character cell: sample the cell from the full-resolution
//! photo into the template frame (a little larger, so the glyph may sit a
//! sample or two off), then normalised cross-correlation with each OCR-B
//! template at every small shift; a character's score is its best shift.

use super::binarize::GreyImage;
use super::templates::{Templates, FRAME_ABOVE, FRAME_BELOW, TEMPLATE_HEIGHT, TEMPLATE_PIXELS, TEMPLATE_WIDTH};

/// How far (in template samples) a glyph may sit off the fitted cell centre.
const SHIFT: usize = 2;
const PATCH_WIDTH: usize = TEMPLATE_WIDTH + 2 * SHIFT;
const PATCH_HEIGHT: usize = TEMPLATE_HEIGHT + 2 * SHIFT;
/// Sub-samples per template sample and direction (area averaging).
const SUBSAMPLES: usize = 3;

/// Scores (normalised cross-correlation, −1…1) of one cell against the 37
/// templates, in `templates::ALPHABET` order.
pub type CellScores = [f32; 37];

/// Samples the cell centred at `centre` whose next cell is `step` away
/// (full-resolution pixel coordinates) and scores it. `None` when the cell
/// leaves the image.
pub fn classify_cell(image: &GreyImage, templates: &Templates, centre: (f32, f32), step: (f32, f32)) -> Option<CellScores> {
    let patch = sample_patch(image, centre, step)?;
    let mut scores = [-1f32; 37];
    let mut window = [0i32; TEMPLATE_PIXELS];
    for shift_y in 0..=2 * SHIFT {
        for shift_x in 0..=2 * SHIFT {
            let mut sum = 0i32;
            for row in 0..TEMPLATE_HEIGHT {
                let source = (row + shift_y) * PATCH_WIDTH + shift_x;
                for column in 0..TEMPLATE_WIDTH {
                    let value = i32::from(patch[source + column]);
                    window[row * TEMPLATE_WIDTH + column] = value;
                    sum += value;
                }
            }
            let mean = sum / TEMPLATE_PIXELS as i32;
            let mut energy = 0f32;
            for value in window.iter_mut() {
                *value -= mean;
                energy += (*value * *value) as f32;
            }
            let spread = energy.sqrt().max(1.0);
            for (index, template) in templates.centred.iter().enumerate() {
                let dot: i32 = window.iter().zip(template.iter()).map(|(&w, &t)| w * i32::from(t)).sum();
                let score = dot as f32 / (spread * templates.norms[index]);
                if score > scores[index] {
                    scores[index] = score;
                }
            }
        }
    }
    Some(scores)
}

/// The cell as ink (255 − grey), `PATCH_WIDTH × PATCH_HEIGHT` samples.
fn sample_patch(image: &GreyImage, centre: (f32, f32), step: (f32, f32)) -> Option<Vec<u8>> {
    // Down the page is the step turned a quarter clockwise (same length: OCR-B cells are square).
    let down = (-step.1, step.0);
    let frame_height = FRAME_ABOVE + FRAME_BELOW;
    let mut patch = Vec::with_capacity(PATCH_WIDTH * PATCH_HEIGHT);
    for row in 0..PATCH_HEIGHT {
        for column in 0..PATCH_WIDTH {
            let mut sum = 0f32;
            for sub_y in 0..SUBSAMPLES {
                for sub_x in 0..SUBSAMPLES {
                    let sample_x = column as f32 - SHIFT as f32 + (sub_x as f32 + 0.5) / SUBSAMPLES as f32;
                    let sample_y = row as f32 - SHIFT as f32 + (sub_y as f32 + 0.5) / SUBSAMPLES as f32;
                    let along = sample_x / TEMPLATE_WIDTH as f32 - 0.5;
                    let across = sample_y / TEMPLATE_HEIGHT as f32 * frame_height - FRAME_ABOVE;
                    let x = centre.0 + along * step.0 + across * down.0 - 0.5;
                    let y = centre.1 + along * step.1 + across * down.1 - 0.5;
                    sum += image.sample(x, y)?;
                }
            }
            let grey = sum / (SUBSAMPLES * SUBSAMPLES) as f32;
            patch.push((255.0 - grey).clamp(0.0, 255.0) as u8);
        }
    }
    Some(patch)
}
