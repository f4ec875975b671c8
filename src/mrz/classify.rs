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
    let mut windows: [Option<Window>; SHIFTS * SHIFTS] = std::array::from_fn(|_| None);
    let mut window_at = |shift_x: usize, shift_y: usize| -> Window {
        let slot = &mut windows[shift_y * SHIFTS + shift_x];
        slot.get_or_insert_with(|| Window::cut(&patch, shift_x, shift_y)).clone()
    };
    // Coarse: every template at shifts −2, 0, +2; fine: the best few again at
    // the shifts around their coarse best. Scores of the rest stay coarse
    // (lower bounds), which only widens their margin to the winner.
    let mut scores = [-1f32; 37];
    let mut best_shift = [(SHIFT, SHIFT); 37];
    for shift_y in (0..SHIFTS).step_by(SHIFT) {
        for shift_x in (0..SHIFTS).step_by(SHIFT) {
            let window = window_at(shift_x, shift_y);
            for (index, score) in scores.iter_mut().enumerate() {
                let value = window.score(templates, index);
                if value > *score {
                    *score = value;
                    best_shift[index] = (shift_x, shift_y);
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..37).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    for &index in order.iter().take(REFINED) {
        let (centre_x, centre_y) = best_shift[index];
        for shift_y in centre_y.saturating_sub(1)..=(centre_y + 1).min(SHIFTS - 1) {
            for shift_x in centre_x.saturating_sub(1)..=(centre_x + 1).min(SHIFTS - 1) {
                let value = window_at(shift_x, shift_y).score(templates, index);
                scores[index] = scores[index].max(value);
            }
        }
    }
    Some(scores)
}

/// Number of shift positions per direction and how many top characters get the fine search.
const SHIFTS: usize = 2 * SHIFT + 1;
const REFINED: usize = 6;

/// One template-sized window of the patch, mean removed.
#[derive(Clone)]
struct Window {
    values: [i32; TEMPLATE_PIXELS],
    spread: f32,
}

impl Window {
    fn cut(patch: &[u8], shift_x: usize, shift_y: usize) -> Window {
        let mut values = [0i32; TEMPLATE_PIXELS];
        let mut sum = 0i32;
        for row in 0..TEMPLATE_HEIGHT {
            let source = (row + shift_y) * PATCH_WIDTH + shift_x;
            for column in 0..TEMPLATE_WIDTH {
                let value = i32::from(patch.get(source + column).copied().unwrap_or(0));
                values[row * TEMPLATE_WIDTH + column] = value;
                sum += value;
            }
        }
        let mean = sum / TEMPLATE_PIXELS as i32;
        let mut energy = 0f32;
        for value in values.iter_mut() {
            *value -= mean;
            energy += (*value * *value) as f32;
        }
        Window { values, spread: energy.sqrt().max(1.0) }
    }

    fn score(&self, templates: &Templates, index: usize) -> f32 {
        let (Some(template), Some(norm)) = (templates.centred.get(index), templates.norms.get(index)) else { return -1.0 };
        let dot: i32 = self.values.iter().zip(template.iter()).map(|(&w, &t)| w * i32::from(t)).sum();
        dot as f32 / (self.spread * norm)
    }
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
