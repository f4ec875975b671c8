//! Finds the document's outline: straight edges (Hough transform of colour
//! gradients on a small copy) → quadrilaterals from two near-parallel pairs →
//! scored by how much of each side is backed by an edge, by the ID-1 / ID-3
//! aspect ratios and by size → the best refined against the full-resolution
//! edges. Colour gradients, not grey ones, so a card on a table of similar
//! brightness but different hue still has an outline.

use serde::{Deserialize, Serialize};

use super::geometry::{is_convex, order_as_landscape_document, quad_area, quad_side_lengths, Line, Point, Quad};
use super::raster::{PixelView, RgbImage};
use super::resize::shrink_by_blocks;

/// ID-1 cards (85.60 × 53.98 mm) and ID-3 passport pages (125 × 88 mm).
pub const ID1_ASPECT: f32 = 85.60 / 53.98;
pub const ID3_ASPECT: f32 = 125.0 / 88.0;

/// Long edge of the copy the search runs on.
const ANALYSIS_LONG_EDGE: u32 = 512;
/// Weakest gradient counted as an edge: Sobel on 0–255 values summed over
/// the three channels, so 36 is a clean step of about 12 levels in one
/// channel or 4 in each.
const EDGE_MIN_GRADIENT: f32 = 36.0;
/// Hough lines kept for building quadrilaterals.
const MAX_LINES: usize = 60;
/// Acceptance: a candidate is a document only when all of these hold (see
/// [`Evidence`]); otherwise the search says "not found" and the page guides
/// the user, which is better than a crop of the wrong thing.
/// - every side backed by an edge over nearly all its length, and each third
///   of it too (a side borrowed from a longer line of the background, or from
///   the edge of a curved object, is backed only in part; a document's own
///   outline is backed over 96–100 % on the project's and the second
///   generator's photos);
const FOUND_MIN_SIDE_SUPPORT: f32 = 0.85;
const FOUND_MIN_THIRD_SUPPORT: f32 = 0.85;
/// - the shape of an ID-1 card or an ID-3 / TD2 page (1.42–1.59) under some
///   foreshortening: the aspect prior ≥ 0.4 admits a ratio of 1.15–1.93;
const FOUND_MIN_ASPECT_PRIOR: f32 = 0.4;
/// - the perspective tolerance: each corner within 25° of a right angle, and
///   opposite sides at most 1.5:1 (a document photographed up to about 40° off
///   square-on; steeper photos are not worth cropping);
const FOUND_MAX_CORNER_ANGLE_DEGREES: f32 = 25.0;
const FOUND_MIN_OPPOSITE_SIDES: f32 = 0.67;
/// - a colour step across every side (the mean over the side of inside −
///   outside, summed over the channels, on the search image) and that step
///   the same along it: a document is one object on one background, while a
///   quadrilateral of unrelated edges flips between darker and lighter;
const FOUND_MIN_CONTRAST: f32 = 30.0;
const FOUND_MIN_CONSISTENCY: f32 = 0.6;
/// - enough of the frame: smaller well-outlined rectangles are usually a part
///   of the document (its photo) whose own outline was too faint, and a wrong
///   crop is worse than the centre crop the user adjusts.
const FOUND_MIN_AREA_SHARE: f32 = 0.06;
/// - the sides end at the corners: of the eight stretches of the sides'
///   lines just past the corners (a quarter of the side long), at most two
///   have a colour step across them of more than a quarter of their side's
///   (a document lies on a background, things may touch it here and there;
///   a layout's lines, a QR code's modules, a shelf's edges run on).
const FOUND_MAX_LINES_RUNNING_ON: u8 = 2;
const EXTENSION_REACH: f32 = 0.25;
const RUNNING_ON_STEP: f32 = 0.25;

/// The outcome of the search, in the coordinates of the image searched.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    /// Top-left, top-right, bottom-right, bottom-left of the document, or of
    /// the centre crop when none was found.
    pub corners: Quad,
    pub document_found: bool,
    /// 0–1: share of the outline backed by edges, times the aspect prior.
    pub confidence: f32,
}

/// Searches `image` (already oriented) for an ID card or passport page.
pub fn find_document(image: &RgbImage) -> Detection {
    find_document_weighed(image).0
}

/// [`find_document`], with the evidence the acceptance test weighed for the
/// best candidate (`None` when there was no candidate at all): for tuning
/// and for tests that say why a photo was refused.
pub fn find_document_weighed(image: &RgbImage) -> (Detection, Option<Evidence>) {
    let long = image.width.max(image.height);
    let factor = long.div_ceil(ANALYSIS_LONG_EDGE).max(1);
    // The page's preview is already at the search size: no copy then.
    let shrunk = (factor > 1).then(|| shrink_by_blocks(image, factor));
    let searched = shrunk.as_ref().unwrap_or(image);
    let gradients = Gradients::of(searched);
    let lines = hough_lines(&gradients);
    // Only the best candidate is judged: when it is not a document, the
    // answer is "not found", not the next best quadrilateral.
    let best = best_quad(&gradients, &lines).map(|candidate| candidate.weighed(searched));
    let evidence = best.and_then(|candidate| candidate.evidence);
    let detection = match best {
        Some(candidate) if candidate.is_confident() => {
            let scale = factor as f32;
            let coarse = candidate.quad.map(|p| Point::new(p.x * scale, p.y * scale));
            let refined = refine_quad(image.view(), &coarse, factor as f32 * 2.0 + 3.0);
            Detection { corners: refined, document_found: true, confidence: candidate.confidence() }
        }
        _ => Detection {
            corners: centre_crop(image.width, image.height),
            document_found: false,
            confidence: best.map(|c| c.confidence()).unwrap_or(0.0),
        },
    };
    (detection, evidence)
}

/// The fallback: the largest ID-1-shaped rectangle within 90 % of the frame, centred.
pub fn centre_crop(width: u32, height: u32) -> Quad {
    let (w, h) = (width as f32, height as f32);
    let mut crop_w = 0.9 * w;
    let mut crop_h = crop_w / ID1_ASPECT;
    if crop_h > 0.9 * h {
        crop_h = 0.9 * h;
        crop_w = crop_h * ID1_ASPECT;
    }
    let (left, top) = ((w - crop_w) / 2.0, (h - crop_h) / 2.0);
    [
        Point::new(left, top),
        Point::new(left + crop_w, top),
        Point::new(left + crop_w, top + crop_h),
        Point::new(left, top + crop_h),
    ]
}

/// How well a quadrilateral's shape matches a document, 0–1.
pub fn aspect_prior(quad: &Quad) -> f32 {
    let (horizontal, vertical) = quad_side_lengths(quad);
    let ratio = horizontal.max(vertical) / horizontal.min(vertical).max(1e-3);
    [ID1_ASPECT, ID3_ASPECT]
        .iter()
        .map(|target| {
            let log_error = (ratio / target).ln();
            (-(log_error * log_error) / (2.0 * 0.15 * 0.15)).exp()
        })
        .fold(0.0, f32::max)
}

/// Per-pixel colour gradient (Sobel, channels summed sign-aligned), after a light blur.
struct Gradients {
    width: usize,
    height: usize,
    gx: Vec<f32>,
    gy: Vec<f32>,
    /// `hypot(gx, gy)`, read several times per edge pixel by the search.
    magnitude: Vec<f32>,
}

/// The blurred image holds 16× the pixel values (two [1 2 1] passes), so
/// Sobel runs in exact integers and is scaled back once per pixel.
const BLUR_SCALE: f32 = 16.0;

impl Gradients {
    fn of(image: &RgbImage) -> Gradients {
        let (w, h) = (image.width as usize, image.height as usize);
        let blurred = blur_121(image);
        let mut gx = vec![0f32; w * h];
        let mut gy = vec![0f32; w * h];
        let mut magnitude = vec![0f32; w * h];
        // The summed strength is at most three times the strongest channel's
        // gradient: below a third of the edge threshold a pixel can be no edge
        // and is left at zero without the float work (most of the image).
        let weakest_counted = EDGE_MIN_GRADIENT * BLUR_SCALE / 3.0;
        let weakest_counted_squared = (weakest_counted * weakest_counted) as i64;
        if w >= 3 && h >= 3 {
            for y in 1..h - 1 {
                let (above, row, below) = (&blurred[(y - 1) * w * 3..y * w * 3], &blurred[y * w * 3..(y + 1) * w * 3], &blurred[(y + 1) * w * 3..(y + 2) * w * 3]);
                for x in 1..w - 1 {
                    let mut channels = [(0i32, 0i32); 3];
                    let (mut strongest, mut strongest_magnitude) = (0, -1i64);
                    for (c, channel) in channels.iter_mut().enumerate() {
                        let (left, centre, right) = ((x - 1) * 3 + c, x * 3 + c, (x + 1) * 3 + c);
                        let dx = (above[right] + 2 * row[right] + below[right]) - (above[left] + 2 * row[left] + below[left]);
                        let dy = (below[left] + 2 * below[centre] + below[right]) - (above[left] + 2 * above[centre] + above[right]);
                        *channel = (dx, dy);
                        let squared = dx as i64 * dx as i64 + dy as i64 * dy as i64;
                        if squared > strongest_magnitude {
                            (strongest, strongest_magnitude) = (c, squared);
                        }
                    }
                    if strongest_magnitude < weakest_counted_squared {
                        continue;
                    }
                    // Direction from the strongest channel (others may be
                    // mostly print texture); strength summed over the channels
                    // projected on it, so a step small in each channel but
                    // present in all adds up.
                    let reference = channels[strongest];
                    let length = (strongest_magnitude as f32).sqrt().max(1e-6);
                    let (ux, uy) = (reference.0 as f32 / length, reference.1 as f32 / length);
                    let strength: f32 = channels.iter().map(|&(dx, dy)| (dx as f32 * ux + dy as f32 * uy).abs()).sum::<f32>() / BLUR_SCALE;
                    let index = y * w + x;
                    gx[index] = ux * strength;
                    gy[index] = uy * strength;
                    magnitude[index] = strength;
                }
            }
        }
        Gradients { width: w, height: h, gx, gy, magnitude }
    }

    fn magnitude(&self, index: usize) -> f32 {
        self.magnitude[index]
    }
}

/// [1 2 1] across and down, in integers: 16× the pixel values; the outermost
/// rows and columns keep their (scaled) values.
fn blur_121(image: &RgbImage) -> Vec<i32> {
    let (w, h) = (image.width as usize, image.height as usize);
    let source = &image.pixels;
    let mut horizontal: Vec<i32> = source.iter().map(|&v| 4 * v as i32).collect();
    for y in 0..h {
        let row = &source[y * w * 3..(y + 1) * w * 3];
        let out = &mut horizontal[y * w * 3..(y + 1) * w * 3];
        for i in 3..(w * 3).saturating_sub(3) {
            out[i] = row[i - 3] as i32 + 2 * row[i] as i32 + row[i + 3] as i32;
        }
    }
    let mut out: Vec<i32> = horizontal.iter().map(|&v| 4 * v).collect();
    let stride = w * 3;
    for i in stride..(h.saturating_sub(1) * stride) {
        out[i] = horizontal[i - stride] + 2 * horizontal[i] + horizontal[i + stride];
    }
    out
}

const THETA_BINS: usize = 180;

/// Straight lines through thinned edge pixels; each pixel votes only near its
/// own gradient direction, so text and texture add little.
fn hough_lines(gradients: &Gradients) -> Vec<Line> {
    let (w, h) = (gradients.width, gradients.height);
    if w < 8 || h < 8 {
        return Vec::new();
    }
    let diagonal = ((w * w + h * h) as f32).sqrt().ceil() as usize;
    let rho_bins = 2 * diagonal + 1;
    let mut votes = vec![0u32; THETA_BINS * rho_bins];
    let (cos, sin): (Vec<f32>, Vec<f32>) = (0..THETA_BINS)
        .map(|t| {
            let theta = t as f32 * std::f32::consts::PI / THETA_BINS as f32;
            (theta.cos(), theta.sin())
        })
        .unzip();
    for y in 2..h - 2 {
        for x in 2..w - 2 {
            let index = y * w + x;
            let magnitude = gradients.magnitude(index);
            if magnitude < EDGE_MIN_GRADIENT || !is_local_maximum(gradients, x, y, magnitude) {
                continue;
            }
            let angle = gradients.gy[index].atan2(gradients.gx[index]).rem_euclid(std::f32::consts::PI);
            // The angle is ≥ 0: adding ½ and truncating rounds (`round` is a library call in wasm).
            let centre_bin = (angle / std::f32::consts::PI * THETA_BINS as f32 + 0.5) as isize;
            let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
            for offset in -3..=3isize {
                // Wrapped by a comparison, not a division (the bin is within one turn of the range).
                let bin = centre_bin + offset;
                let bin = if bin < 0 { bin + THETA_BINS as isize } else if bin >= THETA_BINS as isize { bin - THETA_BINS as isize } else { bin } as usize;
                // ρ ≥ −diagonal, so the shifted value rounds by truncation
                // (`round` is a library call in wasm).
                let rho = px * cos[bin] + py * sin[bin] + diagonal as f32 + 0.5;
                let rho_bin = (rho.max(0.0) as usize).min(rho_bins - 1);
                votes[bin * rho_bins + rho_bin] += 1;
            }
        }
    }
    let min_votes = (w.min(h) as u32 / 12).max(12);
    let mut peaks: Vec<(u32, usize, usize)> = Vec::new();
    for t in 0..THETA_BINS {
        for r in 0..rho_bins {
            let count = votes[t * rho_bins + r];
            if count < min_votes {
                continue;
            }
            let mut is_peak = true;
            'window: for dt in -2..=2isize {
                let tt = t as isize + dt;
                if tt < 0 || tt >= THETA_BINS as isize {
                    continue;
                }
                for dr in -3..=3isize {
                    let rr = r as isize + dr;
                    if rr < 0 || rr >= rho_bins as isize || (dt == 0 && dr == 0) {
                        continue;
                    }
                    let other = votes[tt as usize * rho_bins + rr as usize];
                    // Ties: the earlier cell wins, so a plateau gives one peak.
                    if other > count || (other == count && (dt, dr) < (0, 0)) {
                        is_peak = false;
                        break 'window;
                    }
                }
            }
            if is_peak {
                peaks.push((count, t, r));
            }
        }
    }
    peaks.sort_by_key(|peak| std::cmp::Reverse(peak.0));
    let mut lines: Vec<(usize, isize)> = Vec::new();
    for (_, t, r) in peaks {
        let rho = r as isize - diagonal as isize;
        let duplicate = lines.iter().any(|&(t2, rho2)| {
            let dt = (t as isize - t2 as isize).abs();
            (dt <= 3 && (rho - rho2).abs() <= 5) || (dt >= THETA_BINS as isize - 3 && (rho + rho2).abs() <= 5)
        });
        if !duplicate {
            lines.push((t, rho));
        }
        if lines.len() == MAX_LINES {
            break;
        }
    }
    lines
        .into_iter()
        .map(|(t, rho)| Line::from_angle(t as f32 * std::f32::consts::PI / THETA_BINS as f32, rho as f32))
        .collect()
}

/// Non-maximum suppression along the gradient, so each edge is one pixel thick.
fn is_local_maximum(gradients: &Gradients, x: usize, y: usize, magnitude: f32) -> bool {
    let index = y * gradients.width + x;
    let (gx, gy) = (gradients.gx[index], gradients.gy[index]);
    // The neighbour pair nearest the gradient's direction (45° sectors),
    // by comparison rather than an arctangent: most pixels end here.
    const TAN_22_5: f32 = 0.414_213_57;
    let (dx, dy): (isize, isize) = if gy.abs() <= TAN_22_5 * gx.abs() {
        (1, 0)
    } else if gx.abs() <= TAN_22_5 * gy.abs() {
        (0, 1)
    } else if (gx > 0.0) == (gy > 0.0) {
        (1, 1)
    } else {
        (-1, 1)
    };
    let before = gradients.magnitude(((y as isize - dy) as usize) * gradients.width + (x as isize - dx) as usize);
    let after = gradients.magnitude(((y as isize + dy) as usize) * gradients.width + (x as isize + dx) as usize);
    // Ties kept on both sides: a one-sided rule picks a different pixel of
    // a two-pixel plateau when the photo is mirrored or turned.
    magnitude >= before && magnitude >= after
}

#[derive(Clone, Copy, Debug)]
struct Candidate {
    quad: Quad,
    /// The corners in the order the sides were found, and each side's support.
    cycle: Quad,
    side_supports: [f32; 4],
    /// Each third of each side: its support.
    third_supports: [[f32; 3]; 4],
    mean_support: f32,
    prior: f32,
    area_share: f32,
    score: f32,
    evidence: Option<Evidence>,
}

/// What the acceptance test weighs for the best candidate (search-image scale).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Evidence {
    pub weakest_side_support: f32,
    pub weakest_third_support: f32,
    /// Largest departure of a corner from a right angle, in degrees.
    pub worst_corner_angle: f32,
    /// Shorter over longer side of each opposite pair, the smaller of the two.
    pub opposite_sides: f32,
    /// The weakest side's colour step across it (0–765).
    pub weakest_contrast: f32,
    /// The least consistent side's |mean step| / mean |step| (1: the same all along).
    pub weakest_consistency: f32,
    pub aspect_prior: f32,
    pub area_share: f32,
    /// Of the eight stretches of the sides' lines just past the corners (a
    /// quarter of the side long), how many still have a colour step across
    /// them of more than a quarter of their side's.
    pub lines_running_on: u8,
}

impl Evidence {
    fn is_a_document(&self) -> bool {
        self.weakest_side_support >= FOUND_MIN_SIDE_SUPPORT
            && self.weakest_third_support >= FOUND_MIN_THIRD_SUPPORT
            && self.aspect_prior >= FOUND_MIN_ASPECT_PRIOR
            && self.worst_corner_angle <= FOUND_MAX_CORNER_ANGLE_DEGREES
            && self.opposite_sides >= FOUND_MIN_OPPOSITE_SIDES
            && self.weakest_contrast >= FOUND_MIN_CONTRAST
            && self.weakest_consistency >= FOUND_MIN_CONSISTENCY
            && self.area_share >= FOUND_MIN_AREA_SHARE
            && self.lines_running_on <= FOUND_MAX_LINES_RUNNING_ON
    }
}

impl Candidate {
    /// Measures the evidence the acceptance test needs on the searched image.
    fn weighed(mut self, searched: &RgbImage) -> Candidate {
        let cycle = self.cycle;
        let mut worst_corner_angle = 0f32;
        for i in 0..4 {
            let (before, at, after) = (cycle[(i + 3) % 4], cycle[i], cycle[(i + 1) % 4]);
            let (ux, uy, vx, vy) = (before.x - at.x, before.y - at.y, after.x - at.x, after.y - at.y);
            let cosine = (ux * vx + uy * vy) / (ux.hypot(uy) * vx.hypot(vy)).max(1e-6);
            worst_corner_angle = worst_corner_angle.max((cosine.clamp(-1.0, 1.0).acos().to_degrees() - 90.0).abs());
        }
        let length = |i: usize| cycle[i].distance(cycle[(i + 1) % 4]);
        let ratio = |a: f32, b: f32| a.min(b) / a.max(b).max(1e-6);
        let opposite_sides = ratio(length(0), length(2)).min(ratio(length(1), length(3)));
        let (mut weakest_contrast, mut weakest_consistency) = (f32::INFINITY, f32::INFINITY);
        // A document's edge ends at its corners; a quadrilateral put together
        // from the lines of a layout (a QR code's modules, a poster's columns,
        // a shelf) has lines that run on past them.
        let mut extension_steps = [0f32; 8];
        for i in 0..4 {
            let (a, b) = (cycle[i], cycle[(i + 1) % 4]);
            let normal = outward_normal(&cycle, i);
            let (contrast, consistency) = step_across(searched, a, b, normal);
            weakest_contrast = weakest_contrast.min(contrast);
            weakest_consistency = weakest_consistency.min(consistency);
            let past = |from: Point, to: Point| Point::new(to.x + (to.x - from.x) * EXTENSION_REACH, to.y + (to.y - from.y) * EXTENSION_REACH);
            for (k, (corner, beyond)) in [(b, past(a, b)), (a, past(b, a))].into_iter().enumerate() {
                let (step, _) = step_across(searched, corner, beyond, normal);
                extension_steps[2 * i + k] = step / contrast.max(1e-6);
            }
        }
        self.evidence = Some(Evidence {
            weakest_side_support: self.side_supports.iter().copied().fold(1.0, f32::min),
            weakest_third_support: self.third_supports.iter().flatten().copied().fold(1.0, f32::min),
            worst_corner_angle,
            opposite_sides,
            weakest_contrast,
            weakest_consistency,
            aspect_prior: self.prior,
            area_share: self.area_share,
            lines_running_on: extension_steps.iter().filter(|&&step| step > RUNNING_ON_STEP).count() as u8,
        });
        self
    }

    fn is_confident(&self) -> bool {
        self.evidence.is_some_and(|evidence| evidence.is_a_document())
    }

    fn confidence(&self) -> f32 {
        (self.mean_support * self.prior).clamp(0.0, 1.0)
    }
}

/// The outward unit normal of side `i` of `cycle` (from corner i to i+1).
fn outward_normal(cycle: &Quad, i: usize) -> (f32, f32) {
    let (a, b) = (cycle[i], cycle[(i + 1) % 4]);
    let centre = Point::new(cycle.iter().map(|p| p.x).sum::<f32>() / 4.0, cycle.iter().map(|p| p.y).sum::<f32>() / 4.0);
    let length = a.distance(b).max(1e-6);
    let (nx, ny) = (-(b.y - a.y) / length, (b.x - a.x) / length);
    let middle = Point::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
    if (middle.x - centre.x) * nx + (middle.y - centre.y) * ny < 0.0 { (-nx, -ny) } else { (nx, ny) }
}

/// The colour step across the segment from `a` to `b`: the side of `normal`
/// minus the other, a few pixels either side, at points along its middle 80 %.
/// Returns the size of the mean step (summed over channels; 0 when most
/// points fall outside the image) and how consistent it is: |mean step| /
/// mean |step|, 1 when it is the same all along.
fn step_across(image: &RgbImage, a: Point, b: Point, (nx, ny): (f32, f32)) -> (f32, f32) {
    const SAMPLES: usize = 24;
    let (w, h) = (image.width as i32, image.height as i32);
    let pixel = |x: f32, y: f32| -> Option<[f32; 3]> {
        let (xi, yi) = (x.floor() as i32, y.floor() as i32);
        if xi < 0 || yi < 0 || xi >= w || yi >= h {
            return None;
        }
        let at = (yi as usize * w as usize + xi as usize) * 3;
        Some([image.pixels[at] as f32, image.pixels[at + 1] as f32, image.pixels[at + 2] as f32])
    };
    let (mut mean, mut mean_size, mut count) = ([0f32; 3], 0f32, 0usize);
    for s in 0..SAMPLES {
        let t = 0.1 + 0.8 * (s as f32 + 0.5) / SAMPLES as f32;
        let p = Point::new(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
        let mut step = [0f32; 3];
        let mut complete = true;
        for depth in [2.0f32, 3.0, 4.0] {
            let (Some(inside), Some(outside)) = (pixel(p.x - nx * depth, p.y - ny * depth), pixel(p.x + nx * depth, p.y + ny * depth)) else {
                complete = false;
                break;
            };
            for c in 0..3 {
                step[c] += (inside[c] - outside[c]) / 3.0;
            }
        }
        if !complete {
            continue;
        }
        for c in 0..3 {
            mean[c] += step[c];
        }
        mean_size += step.iter().map(|v| v.abs()).sum::<f32>();
        count += 1;
    }
    if count < SAMPLES / 2 {
        return (0.0, 0.0);
    }
    let n = count as f32;
    let contrast = mean.iter().map(|v| (v / n).abs()).sum::<f32>();
    (contrast, contrast / (mean_size / n).max(1e-6))
}

fn angle_between(a: Line, b: Line) -> f32 {
    let dot = (a.normal_x * b.normal_x + a.normal_y * b.normal_y).abs().min(1.0);
    dot.acos()
}

fn best_quad(gradients: &Gradients, lines: &[Line]) -> Option<Candidate> {
    let (w, h) = (gradients.width as f32, gradients.height as f32);
    let margin = 0.02 * w.max(h);
    let min_side = 0.08 * w.min(h);
    let image_area = w * h;
    let near_parallel = 30f32.to_radians();
    // Angles and crossings of every two lines, computed once: the loop below
    // looks at each line pair for hundreds of thousands of pair combinations.
    let n = lines.len();
    let mut angles = vec![0f32; n * n];
    let mut crossings = vec![None; n * n];
    for i in 0..n {
        for j in 0..n {
            angles[i * n + j] = angle_between(lines[i], lines[j]);
            crossings[i * n + j] = lines[i].intersection(lines[j]);
        }
    }
    let supports: Vec<LineSupport> = lines.iter().map(|&line| LineSupport::along(gradients, line, margin)).collect();
    let mut pairs = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            if angles[i * n + j] <= near_parallel {
                pairs.push((i, j));
            }
        }
    }
    // Pairs come sorted by their first line: where that line is too close in
    // angle to this pair's, the whole run of pairs starting with it is skipped
    // at once (nearly all of ~500 000 combinations end there).
    let mut run_end = vec![pairs.len(); pairs.len()];
    for q in (0..pairs.len().saturating_sub(1)).rev() {
        run_end[q] = if pairs[q + 1].0 == pairs[q].0 { run_end[q + 1] } else { q + 1 };
    }
    // Geometry first; edge support (the costly part) only in order of the best possible score.
    // (best possible score, area share, corners in cycle order, each side's line and ends)
    let mut shapes: Vec<(f32, f32, Quad, [(usize, Point, Point); 4])> = Vec::new();
    for (p, &(a, b)) in pairs.iter().enumerate() {
        let mut q = p + 1;
        while q < pairs.len() {
            let (c, d) = pairs[q];
            if angles[a * n + c] < 40f32.to_radians() {
                q = run_end[q];
                continue;
            }
            q += 1;
            if [c, d].contains(&a) || [c, d].contains(&b) {
                continue;
            }
            let corners = [(a, c), (a, d), (b, d), (b, c)].map(|(m, k)| crossings[m * n + k]);
            let [Some(p0), Some(p1), Some(p2), Some(p3)] = corners else { continue };
            let cycle = [p0, p1, p2, p3];
            if !is_convex(&cycle) {
                continue;
            }
            if cycle.iter().any(|p| p.x < -margin || p.y < -margin || p.x > w + margin || p.y > h + margin) {
                continue;
            }
            // Nothing here depends on which corner comes first, so the costly
            // ordering waits until a shape is the best so far.
            let (horizontal, vertical) = quad_side_lengths(&cycle);
            if horizontal.min(vertical) < min_side {
                continue;
            }
            let prior = aspect_prior(&cycle);
            if prior < 0.05 {
                continue;
            }
            let area_share = quad_area(&cycle) / image_area;
            if !(0.02..=0.98).contains(&area_share) {
                continue;
            }
            // The cycle's sides lie on lines a, d, b, c in turn.
            let sides = [(a, p0, p1), (d, p1, p2), (b, p2, p3), (c, p3, p0)];
            shapes.push((prior * area_share.sqrt().sqrt(), area_share, cycle, sides));
        }
    }
    shapes.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut best: Option<Candidate> = None;
    for (bound, area_share, cycle, sides) in shapes {
        if best.is_some_and(|b| b.score >= bound) {
            break;
        }
        let side_supports = sides.map(|(line, from, to)| supports[line].share(from, to));
        let mean_support = side_supports.iter().sum::<f32>() / 4.0;
        let min_support = side_supports.iter().copied().fold(1.0, f32::min);
        let score = bound * mean_support * mean_support * (0.5 + 0.5 * min_support);
        if best.is_none_or(|b| score > b.score) {
            let quad = order_as_landscape_document(cycle);
            let third = |(line, from, to): (usize, Point, Point), k: usize| {
                let at = |t: f32| Point::new(from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t);
                supports[line].share(at(k as f32 / 3.0), at((k + 1) as f32 / 3.0))
            };
            let third_supports = sides.map(|side| [0, 1, 2].map(|k| third(side, k)));
            best = Some(Candidate { quad, cycle, side_supports, third_supports, mean_support, prior: aspect_prior(&quad), area_share, score, evidence: None });
        }
    }
    best
}

/// Samples along a line, in pixels: about one per pixel of the search image.
const SUPPORT_STEP: f32 = 1.5;

/// Where one Hough line runs along an edge facing across it, sampled once
/// over the whole search area: the support of any stretch of the line is then
/// two prefix-sum lookups (the quadrilateral search asks for thousands).
struct LineSupport {
    line: Line,
    /// Position along the line (see `point_at`) of the first sample.
    first: f32,
    /// `prefix[k]`: how many of the first `k` samples lie on such an edge.
    prefix: Vec<u32>,
}

impl LineSupport {
    /// Samples the line wherever it passes within `margin` of the image.
    fn along(gradients: &Gradients, line: Line, margin: f32) -> LineSupport {
        let (w, h) = (gradients.width as f32, gradients.height as f32);
        let reach = [(-margin, -margin), (w + margin, -margin), (w + margin, h + margin), (-margin, h + margin)];
        let positions = reach.map(|(x, y)| Self::position_on(line, Point::new(x, y)));
        let first = positions.iter().copied().fold(f32::INFINITY, f32::min);
        let last = positions.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let count = ((last - first) / SUPPORT_STEP).ceil().max(0.0) as usize + 1;
        let mut prefix = Vec::with_capacity(count + 1);
        prefix.push(0);
        let mut supported = 0;
        for k in 0..count {
            let p = Self::point_at(line, first + k as f32 * SUPPORT_STEP);
            if is_edge_across(gradients, p, line.normal_x, line.normal_y) {
                supported += 1;
            }
            prefix.push(supported);
        }
        LineSupport { line, first, prefix }
    }

    /// Signed distance along the line (direction: the normal turned by 90°).
    fn position_on(line: Line, p: Point) -> f32 {
        -p.x * line.normal_y + p.y * line.normal_x
    }

    fn point_at(line: Line, position: f32) -> Point {
        Point::new(line.rho * line.normal_x - position * line.normal_y, line.rho * line.normal_y + position * line.normal_x)
    }

    /// Share of the middle 92 % of the stretch from `a` to `b` (both on the
    /// line) that runs along an edge; the ends are left out because a side
    /// meets the neighbouring side's edge there.
    fn share(&self, a: Point, b: Point) -> f32 {
        let (ta, tb) = (Self::position_on(self.line, a), Self::position_on(self.line, b));
        let (from, to) = (ta + 0.04 * (tb - ta), ta + 0.96 * (tb - ta));
        let index = |t: f32| (((t - self.first) / SUPPORT_STEP).ceil().max(0.0) as usize).min(self.prefix.len() - 1);
        let (start, end) = (index(from.min(to)), index(from.max(to)));
        if end <= start {
            return 0.0;
        }
        (self.prefix[end] - self.prefix[start]) as f32 / (end - start) as f32
    }
}

/// An edge facing along the normal (`nx`, `ny`) at `p` or within 2 px across it.
fn is_edge_across(gradients: &Gradients, p: Point, nx: f32, ny: f32) -> bool {
    for offset in [0.0f32, -1.0, 1.0, -2.0, 2.0] {
        let (qx, qy) = (p.x + nx * offset, p.y + ny * offset);
        if qx < 0.0 || qy < 0.0 {
            continue;
        }
        let (xi, yi) = (qx as usize, qy as usize);
        if xi >= gradients.width || yi >= gradients.height {
            continue;
        }
        let index = yi * gradients.width + xi;
        let across = (gradients.gx[index] * nx + gradients.gy[index] * ny).abs();
        if across >= EDGE_MIN_GRADIENT && across >= 0.8 * gradients.magnitude(index) {
            return true;
        }
    }
    false
}

/// Moves rough corners onto the document's edges in `image` (see [`refine_quad`]):
/// for corners found on a smaller copy of the same photo.
pub fn refine_corners(image: PixelView, rough: &Quad, reach: f32) -> Quad {
    refine_quad(image, rough, reach)
}

/// Moves each side onto the strongest colour edge within `reach` pixels at
/// full resolution (a line fitted through per-sample edge positions), then
/// re-intersects the sides. Falls back to the coarse corners where the fit is weak.
fn refine_quad(image: PixelView, coarse: &Quad, reach: f32) -> Quad {
    let mut lines = [None; 4];
    for i in 0..4 {
        lines[i] = refine_side(image, coarse[i], coarse[(i + 1) % 4], reach);
    }
    let mut refined = *coarse;
    for i in 0..4 {
        // Corner i lies on side i-1 (ending there) and side i (starting there).
        let previous = lines[(i + 3) % 4];
        if let (Some(before), Some(after)) = (previous, lines[i]) {
            if let Some(corner) = before.intersection(after) {
                if corner.distance(coarse[i]) <= reach * 2.0 {
                    refined[i] = corner;
                }
            }
        }
    }
    if is_convex(&refined) { refined } else { *coarse }
}

fn refine_side(image: PixelView, a: Point, b: Point, reach: f32) -> Option<Line> {
    let length = a.distance(b);
    if length < 8.0 {
        return None;
    }
    let (dx, dy) = ((b.x - a.x) / length, (b.y - a.y) / length);
    let (nx, ny) = (-dy, dx);
    let (w, h) = (image.width as i32, image.height as i32);
    let fetch = |x: f32, y: f32| -> Option<[i32; 3]> {
        let (xi, yi) = (x.floor() as i32, y.floor() as i32);
        if xi < 0 || yi < 0 || xi >= w || yi >= h {
            return None;
        }
        let at = (yi as usize * w as usize + xi as usize) * image.channels;
        let p = image.pixels.get(at..at + 3)?;
        Some([p[0] as i32, p[1] as i32, p[2] as i32])
    };
    let steps = reach.ceil() as i32;
    let mut points: Vec<Point> = Vec::new();
    const SAMPLES: usize = 64;
    for s in 0..SAMPLES {
        let t = 0.08 + 0.84 * (s as f32 + 0.5) / SAMPLES as f32;
        let (px, py) = (a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
        let mut best = (0i32, 0f32);
        for step in -steps..=steps {
            let o = step as f32;
            let mut response = 0;
            // Colour difference across the side, averaged along it against noise.
            for k in -2..=2 {
                let (cx, cy) = (px + nx * o + dx * k as f32, py + ny * o + dy * k as f32);
                let (Some(inner), Some(outer)) = (fetch(cx - nx, cy - ny), fetch(cx + nx, cy + ny)) else { continue };
                response += (0..3).map(|c| (inner[c] - outer[c]).abs()).sum::<i32>();
            }
            if response > best.0 {
                best = (response, o);
            }
        }
        // 5 positions × 3 channels: a sum of 60 is a mean step of 4 levels per channel.
        if best.0 >= 60 {
            points.push(Point::new(px + nx * best.1, py + ny * best.1));
        }
    }
    let mut line = fit_line(&points)?;
    for _ in 0..2 {
        let distances: Vec<f32> = points.iter().map(|p| (p.x * line.normal_x + p.y * line.normal_y - line.rho).abs()).collect();
        let mut sorted = distances.clone();
        sorted.sort_by(f32::total_cmp);
        let limit = (sorted[sorted.len() / 2] * 2.5).max(1.0);
        let kept: Vec<Point> = points.iter().zip(&distances).filter(|(_, d)| **d <= limit).map(|(p, _)| *p).collect();
        if kept.len() < SAMPLES / 4 {
            return None;
        }
        points = kept;
        line = fit_line(&points)?;
    }
    Some(line)
}

/// Total least squares: the line through the centroid along the principal direction.
fn fit_line(points: &[Point]) -> Option<Line> {
    if points.len() < 8 {
        return None;
    }
    let n = points.len() as f32;
    let mx = points.iter().map(|p| p.x).sum::<f32>() / n;
    let my = points.iter().map(|p| p.y).sum::<f32>() / n;
    let (mut sxx, mut sxy, mut syy) = (0f32, 0f32, 0f32);
    for p in points {
        let (x, y) = (p.x - mx, p.y - my);
        sxx += x * x;
        sxy += x * y;
        syy += y * y;
    }
    // Direction of largest spread; the normal is perpendicular to it.
    let direction = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    let theta = direction + std::f32::consts::FRAC_PI_2;
    let line = Line::from_angle(theta, mx * theta.cos() + my * theta.sin());
    line.rho.is_finite().then_some(line)
}
