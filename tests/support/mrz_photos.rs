//! Invented document photos with an MRZ in OCR-B, degraded like a phone
//! photo after the photo module's crop: slight rotation and perspective,
//! uneven light, blur, noise and JPEG compression. Ground truth included.
#![allow(dead_code)]

use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};
use id_capture::mrz::DocumentKind;

use super::mrz_fixtures::{generate, GeneratedMrz, Rng};

pub const OCR_B_PATH: &str = "/usr/share/fonts/opentype/ocr-b/OCRB.otf";
/// Debian's OCR-B "Sharp" cut: the same design with other corners and
/// stroke ends, standing in for another printer's OCR-B.
pub const OCR_B_SHARP_PATH: &str = "/usr/share/fonts/opentype/ocr-b/OCRBS.otf";

/// A greyscale photo of an invented document and its true MRZ.
pub struct DocumentPhoto {
    pub width: u32,
    pub height: u32,
    pub grey: Vec<u8>,
    pub truth: GeneratedMrz,
}

pub struct PhotoMaker {
    font_data: Vec<u8>,
    sharp_font_data: Option<Vec<u8>>,
    /// Harsher than the acceptance set (smaller, blurrier, noisier, lower
    /// JPEG quality), to see where the reader's margin ends.
    pub harsh: bool,
}

/// A whole phone photo of a document not rendered the way the templates
/// are: another OCR-B cut, bolder or thinner strokes, glyphs off the pitch,
/// faint grey print, the document anywhere in the frame at any quarter turn
/// plus skew, in perspective, blurred and JPEG-damaged. For tuning the
/// reader and for the page's whole path (`photo::mrz_read::read_photo_mrz`).
#[derive(Clone, Copy, Debug)]
pub struct WildPhoto {
    /// Quarter turns of the document in the frame (0–3); `None`: random.
    pub quarter_turns: Option<u8>,
    /// Skew in degrees on top of the quarter turns; `None`: random in ±`max_skew`.
    pub skew_degrees: Option<f32>,
    pub max_skew: f32,
    /// Share of the frame's long edge the document's long edge takes (range).
    pub document_share: (f32, f32),
}

impl Default for WildPhoto {
    fn default() -> Self {
        WildPhoto { quarter_turns: None, skew_degrees: None, max_skew: 30.0, document_share: (0.45, 0.9) }
    }
}

/// A whole photo (RGB as grey ×3 is left to the caller) with its truth.
pub struct FramePhoto {
    pub width: u32,
    pub height: u32,
    pub grey: Vec<u8>,
    pub truth: GeneratedMrz,
}

struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<f32>,
}

impl Canvas {
    fn blend(&mut self, x: i32, y: i32, value: f32, alpha: f32) {
        if x >= 0 && y >= 0 && (x as usize) < self.width && (y as usize) < self.height {
            let pixel = &mut self.pixels[y as usize * self.width + x as usize];
            *pixel = *pixel * (1.0 - alpha) + value * alpha;
        }
    }
    fn sample(&self, x: f32, y: f32, outside: f32) -> f32 {
        if x < 0.0 || y < 0.0 || x >= (self.width - 1) as f32 || y >= (self.height - 1) as f32 {
            return outside;
        }
        let (x0, y0) = (x as usize, y as usize);
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let at = |xx: usize, yy: usize| self.pixels[yy * self.width + xx];
        (at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx) * (1.0 - fy) + (at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx) * fy
    }
}

/// Document size in millimetres for each layout.
fn document_size_mm(kind: DocumentKind) -> (f32, f32) {
    match kind {
        DocumentKind::Td1 => (85.6, 54.0),
        DocumentKind::Td2 | DocumentKind::MrvB => (105.0, 74.0),
        DocumentKind::Td3 => (125.0, 88.0),
        DocumentKind::MrvA => (120.0, 80.0),
    }
}

impl PhotoMaker {
    pub fn new() -> PhotoMaker {
        PhotoMaker { font_data: std::fs::read(OCR_B_PATH).expect("fonts-ocr-b installed"), sharp_font_data: std::fs::read(OCR_B_SHARP_PATH).ok(), harsh: false }
    }

    fn font(&self) -> FontRef<'_> {
        FontRef::try_from_slice(&self.font_data).expect("OCR-B parses")
    }

    /// Draws `text` with character advance `advance` px, baseline at `baseline`.
    fn draw_text(&self, canvas: &mut Canvas, text: &str, left: f32, baseline: f32, advance: f32, ink: f32) {
        self.draw_text_with(&self.font(), canvas, text, left, baseline, advance, 1.0, ink);
    }

    /// `glyph_scale`: the glyphs' size against the advance (1.0: the font's own).
    fn draw_text_with(&self, font: &FontRef<'_>, canvas: &mut Canvas, text: &str, left: f32, baseline: f32, advance: f32, glyph_scale: f32, ink: f32) {
        let font = font.clone();
        let units = font.as_scaled(PxScale::from(100.0)).h_advance(font.glyph_id('0'));
        let scale = PxScale::from(100.0 * advance * glyph_scale / units);
        let centring = advance * (1.0 - glyph_scale) / 2.0;
        let left = left + centring;
        for (index, character) in text.chars().enumerate() {
            let glyph = font.glyph_id(character).with_scale_and_position(scale, point(left + index as f32 * advance, baseline));
            if let Some(outline) = font.outline_glyph(glyph) {
                let bounds = outline.px_bounds();
                outline.draw(|x, y, coverage| {
                    canvas.blend(x as i32 + bounds.min.x as i32, y as i32 + bounds.min.y as i32, ink, coverage.min(1.0));
                });
            }
        }
    }

    pub fn make(&self, rng: &mut Rng, kind: DocumentKind) -> DocumentPhoto {
        let truth = generate(rng, kind);
        self.make_from(rng, truth)
    }

    /// A photo of a document printing exactly `truth.lines`.
    pub fn make_from(&self, rng: &mut Rng, truth: GeneratedMrz) -> DocumentPhoto {
        let kind = truth.kind;
        let (width_mm, height_mm) = document_size_mm(kind);
        let long_edge = if self.harsh { rng.range(800.0, 1200.0) } else { rng.range(1200.0, 1600.0) };
        let px_per_mm = long_edge / width_mm;
        let (width, height) = (long_edge.round() as usize, (height_mm * px_per_mm).round() as usize);
        let paper = rng.range(190.0, 245.0);
        let mut canvas = Canvas { width, height, pixels: vec![paper; width * height] };

        // Security print: faint wavy lines over the whole page.
        let wave_ink = paper - rng.range(15.0, 45.0);
        let (period, phase) = (rng.range(20.0, 60.0), rng.range(0.0, 6.3));
        for row_index in 0..(height / 12) {
            let base = row_index as f32 * 12.0;
            for x in 0..width {
                let y = base + 5.0 * ((x as f32 / period) + phase + row_index as f32 * 0.3).sin();
                canvas.blend(x as i32, y as i32, wave_ink, 0.5);
            }
        }
        let mm = |v: f32| v * px_per_mm;
        // Portrait block and visual-zone text, in the upper part.
        let portrait_ink = rng.range(60.0, 140.0);
        for y in mm(8.0) as usize..mm(height_mm * 0.62) as usize {
            for x in mm(4.0) as usize..mm(width_mm * 0.3) as usize {
                let shade = portrait_ink + 40.0 * ((x + y) as f32 / 90.0).sin();
                canvas.blend(x as i32, y as i32, shade, 1.0);
            }
        }
        let ink = rng.range(10.0, 70.0);
        let title = *rng.pick(&["PASSPORT", "IDENTITY CARD", "RESIDENCE PERMIT", "VISA"]);
        self.draw_text(&mut canvas, title, mm(width_mm * 0.33), mm(7.0), mm(3.2), ink);
        let visual_lines = [truth.surname.clone(), truth.given_names.clone(), "12 AUG 1974".into(), "UTOPIA".into()];
        for (index, text) in visual_lines.iter().enumerate() {
            self.draw_text(&mut canvas, text, mm(width_mm * 0.33), mm(14.0 + index as f32 * 6.0), mm(1.9), ink);
        }

        // The MRZ: 2.54 mm pitch, 1/6 inch line spacing, bottom line ~4 mm above the edge.
        let pitch = mm(2.54);
        let line_pitch = mm(4.23 + rng.range(-0.2, 0.3));
        let mrz_width = pitch * kind.line_length() as f32;
        let left = (width as f32 - mrz_width) / 2.0 + mm(rng.range(-1.0, 1.0));
        let last_baseline = height as f32 - mm(rng.range(3.5, 5.0));
        let first_baseline = last_baseline - line_pitch * (truth.lines.len() - 1) as f32;
        for (index, line) in truth.lines.iter().enumerate() {
            self.draw_text(&mut canvas, line, left, first_baseline + index as f32 * line_pitch, pitch, ink);
        }

        // Residual misalignment after the photo module's crop: rotation and perspective.
        let angle = rng.range(-3.0, 3.0).to_radians();
        let corner_jitter: Vec<(f32, f32)> = (0..4)
            .map(|_| (rng.range(-0.02, 0.02) * width as f32, rng.range(-0.02, 0.02) * height as f32))
            .collect();
        let table = rng.range(40.0, 120.0);
        // The crop keeps a little of the table around the document, as a
        // corner-finding crop does; the document is scaled down within it.
        let zoom = rng.range(0.90, 0.98);
        let (cx, cy) = (width as f32 / 2.0, height as f32 / 2.0);
        let (sin, cos) = angle.sin_cos();
        let mut warped = Canvas { width, height, pixels: vec![0.0; width * height] };
        for y in 0..height {
            for x in 0..width {
                let (u, v) = (x as f32 / width as f32, y as f32 / height as f32);
                // Bilinear corner displacement approximates a mild perspective.
                let dx = corner_jitter[0].0 * (1.0 - u) * (1.0 - v) + corner_jitter[1].0 * u * (1.0 - v)
                    + corner_jitter[2].0 * (1.0 - u) * v + corner_jitter[3].0 * u * v;
                let dy = corner_jitter[0].1 * (1.0 - u) * (1.0 - v) + corner_jitter[1].1 * u * (1.0 - v)
                    + corner_jitter[2].1 * (1.0 - u) * v + corner_jitter[3].1 * u * v;
                let (px, py) = (x as f32 - cx + dx, y as f32 - cy + dy);
                let (sx, sy) = ((cos * px - sin * py) / zoom + cx, (sin * px + cos * py) / zoom + cy);
                warped.pixels[y * width + x] = canvas.sample(sx, sy, table);
            }
        }
        let mut canvas = warped;

        // Uneven light: a tilted gradient and a soft shadow or glare blob.
        let (gx, gy) = (rng.range(-0.35, 0.35), rng.range(-0.35, 0.35));
        let (blob_x, blob_y, blob_r) = (rng.range(0.0, 1.0), rng.range(0.0, 1.0), rng.range(0.2, 0.5));
        let blob_gain = rng.range(-0.35, 0.25);
        let base_gain = rng.range(0.65, 1.05);
        for y in 0..height {
            for x in 0..width {
                let (u, v) = (x as f32 / width as f32, y as f32 / height as f32);
                let distance2 = ((u - blob_x).powi(2) + (v - blob_y).powi(2)) / (blob_r * blob_r);
                let gain = base_gain * (1.0 + gx * (u - 0.5) + gy * (v - 0.5)) * (1.0 + blob_gain * (-distance2).exp());
                canvas.pixels[y * width + x] *= gain;
            }
        }

        gaussian_blur(&mut canvas, if self.harsh { rng.range(1.0, 2.2) } else { rng.range(0.4, 1.6) });
        let noise = if self.harsh { rng.range(6.0, 16.0) } else { rng.range(2.0, 9.0) };
        let grey: Vec<u8> = canvas
            .pixels
            .iter()
            .map(|&value| (value + noise * gaussian(rng)).round().clamp(0.0, 255.0) as u8)
            .collect();
        let quality = if self.harsh { 20 + rng.below(30) as u8 } else { 40 + rng.below(50) as u8 };
        let grey = jpeg_round_trip(&grey, width as u32, height as u32, quality);
        DocumentPhoto { width: width as u32, height: height as u32, grey, truth }
    }
}

fn gaussian(rng: &mut Rng) -> f32 {
    // Box-Muller.
    let (u1, u2) = (rng.unit().max(1e-12), rng.unit());
    ((-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()) as f32
}

fn gaussian_blur(canvas: &mut Canvas, sigma: f32) {
    let radius = (sigma * 3.0).ceil() as i32;
    let kernel: Vec<f32> = (-radius..=radius).map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp()).collect();
    let total: f32 = kernel.iter().sum();
    let (width, height) = (canvas.width as i32, canvas.height as i32);
    let mut temporary = vec![0f32; canvas.pixels.len()];
    for y in 0..height {
        for x in 0..width {
            let mut sum = 0.0;
            for (k, weight) in kernel.iter().enumerate() {
                let xx = (x + k as i32 - radius).clamp(0, width - 1);
                sum += weight * canvas.pixels[(y * width + xx) as usize];
            }
            temporary[(y * width + x) as usize] = sum / total;
        }
    }
    for y in 0..height {
        for x in 0..width {
            let mut sum = 0.0;
            for (k, weight) in kernel.iter().enumerate() {
                let yy = (y + k as i32 - radius).clamp(0, height - 1);
                sum += weight * temporary[(yy * width + x) as usize];
            }
            canvas.pixels[(y * width + x) as usize] = sum / total;
        }
    }
}

pub fn jpeg_round_trip(grey: &[u8], width: u32, height: u32, quality: u8) -> Vec<u8> {
    let mut encoded = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut encoded, quality)
        .encode(grey, width, height, image::ExtendedColorType::L8)
        .expect("encode JPEG");
    image::load_from_memory_with_format(&encoded, image::ImageFormat::Jpeg).expect("decode JPEG").to_luma8().into_raw()
}

impl PhotoMaker {
    /// A whole phone photo (see [`WildPhoto`]) of a random document of `kind`.
    pub fn make_wild(&self, rng: &mut Rng, kind: DocumentKind, wild: WildPhoto) -> FramePhoto {
        let truth = generate(rng, kind);
        self.make_wild_from(rng, truth, wild)
    }

    /// A whole phone photo of a document printing exactly `truth.lines`.
    pub fn make_wild_from(&self, rng: &mut Rng, truth: GeneratedMrz, wild: WildPhoto) -> FramePhoto {
        use id_capture::photo::warp::Homography;
        use id_capture::photo::Point;
        let kind = truth.kind;
        // The frame: a 4:3 phone photo, landscape or portrait.
        let frame_long = rng.range(1400.0, 1800.0);
        let (frame_width, frame_height) =
            if rng.chance(0.75) { (frame_long, frame_long * 0.75) } else { (frame_long * 0.75, frame_long) };
        let (frame_width, frame_height) = (frame_width.round() as usize, frame_height.round() as usize);
        let quarter_turns = wild.quarter_turns.unwrap_or(rng.below(4) as u8) % 4;
        let skew = wild.skew_degrees.unwrap_or_else(|| rng.range(-wild.max_skew, wild.max_skew));
        let angle = (f32::from(quarter_turns) * 90.0 + skew).to_radians();
        // The document's size in the frame, shrunk until its turned box fits.
        let (width_mm, height_mm) = document_size_mm(kind);
        let mut placed_long = rng.range(wild.document_share.0, wild.document_share.1) * frame_long;
        let (sin, cos) = angle.sin_cos();
        let extent = |long: f32| {
            let (w, h) = (long, long * height_mm / width_mm);
            (w * cos.abs() + h * sin.abs(), w * sin.abs() + h * cos.abs())
        };
        while extent(placed_long).0 > 0.96 * frame_width as f32 || extent(placed_long).1 > 0.96 * frame_height as f32 {
            placed_long *= 0.95;
        }
        let (extent_x, extent_y) = extent(placed_long);
        let centre = (
            rng.range(extent_x / 2.0 + 0.02 * frame_width as f32, frame_width as f32 - extent_x / 2.0 - 0.02 * frame_width as f32),
            rng.range(extent_y / 2.0 + 0.02 * frame_height as f32, frame_height as f32 - extent_y / 2.0 - 0.02 * frame_height as f32),
        );

        // The flat document, rendered a little larger than it is placed.
        let document_long = (placed_long * 1.3).max(500.0);
        let document = self.render_flat(rng, &truth, document_long);
        if std::env::var_os("MRZ_GENERATOR_TRACE").is_some() {
            eprintln!("wild: turns {quarter_turns} skew {skew:.1} placed {placed_long:.0} px of {frame_width}x{frame_height}");
        }
        let (document_width, document_height) = (document.width as f32, document.height as f32);

        // Where its corners land: turned, placed, and pulled in perspective.
        let scale = placed_long / document_width;
        let perspective = rng.range(0.0, 0.07) * placed_long;
        let corner = |x: f32, y: f32, rng: &mut Rng| {
            let (u, v) = ((x - document_width / 2.0) * scale, (y - document_height / 2.0) * scale);
            Point::new(
                centre.0 + cos * u - sin * v + rng.range(-perspective, perspective),
                centre.1 + sin * u + cos * v + rng.range(-perspective, perspective),
            )
        };
        let rectangle = [
            Point::new(0.0, 0.0),
            Point::new(document_width, 0.0),
            Point::new(document_width, document_height),
            Point::new(0.0, document_height),
        ];
        let placed = [corner(0.0, 0.0, rng), corner(document_width, 0.0, rng), corner(document_width, document_height, rng), corner(0.0, document_height, rng)];
        let to_document = Homography::from_points(&placed, &rectangle).expect("a placed document is not degenerate");

        // The table: a tone, a wood-like ripple.
        let table = rng.range(50.0, 170.0);
        let (ripple, ripple_period) = (rng.range(0.0, 25.0), rng.range(15.0, 80.0));
        let mut frame = Canvas { width: frame_width, height: frame_height, pixels: vec![0.0; frame_width * frame_height] };
        for y in 0..frame_height {
            for x in 0..frame_width {
                let p = to_document.apply(Point::new(x as f32 + 0.5, y as f32 + 0.5));
                let inside = p.x >= 0.0 && p.y >= 0.0 && p.x < document_width - 1.0 && p.y < document_height - 1.0;
                frame.pixels[y * frame_width + x] = if inside {
                    document.sample(p.x, p.y, table)
                } else {
                    table + ripple * ((x as f32 + 0.3 * y as f32) / ripple_period).sin()
                };
            }
        }

        // Light, blur, noise and JPEG.
        let (gx, gy) = (rng.range(-0.4, 0.4), rng.range(-0.4, 0.4));
        let base_gain = rng.range(0.6, 1.05);
        for y in 0..frame_height {
            for x in 0..frame_width {
                let (u, v) = (x as f32 / frame_width as f32, y as f32 / frame_height as f32);
                frame.pixels[y * frame_width + x] *= base_gain * (1.0 + gx * (u - 0.5) + gy * (v - 0.5));
            }
        }
        gaussian_blur(&mut frame, rng.range(0.5, 1.8));
        let noise = rng.range(2.0, 10.0);
        let grey: Vec<u8> = frame.pixels.iter().map(|&value| (value + noise * gaussian(rng)).round().clamp(0.0, 255.0) as u8).collect();
        let quality = 30 + rng.below(55) as u8;
        let grey = jpeg_round_trip(&grey, frame_width as u32, frame_height as u32, quality);
        FramePhoto { width: frame_width as u32, height: frame_height as u32, grey, truth }
    }

    /// The flat, upright document `long` px wide: security print, portrait,
    /// visual zone and an MRZ drawn unlike the templates (font cut, stroke
    /// weight, glyph size against the pitch, pitch rounding, faint ink).
    fn render_flat(&self, rng: &mut Rng, truth: &GeneratedMrz, long: f32) -> Canvas {
        let kind = truth.kind;
        let (width_mm, height_mm) = document_size_mm(kind);
        let px_per_mm = long / width_mm;
        let (width, height) = (long.round() as usize, (height_mm * px_per_mm).round() as usize);
        let paper = rng.range(195.0, 245.0);
        let mut canvas = Canvas { width, height, pixels: vec![paper; width * height] };
        let mm = |v: f32| v * px_per_mm;
        let wave_ink = paper - rng.range(10.0, 40.0);
        let (period, phase) = (rng.range(20.0, 60.0), rng.range(0.0, 6.3));
        let spacing = mm(1.5).max(6.0);
        for row_index in 0..(height as f32 / spacing) as usize {
            let base = row_index as f32 * spacing;
            for x in 0..width {
                let y = base + mm(0.6) * ((x as f32 / period) + phase + row_index as f32 * 0.3).sin();
                canvas.blend(x as i32, y as i32, wave_ink, 0.4);
            }
        }
        let portrait_ink = rng.range(60.0, 140.0);
        for y in mm(8.0) as usize..mm(height_mm * 0.62) as usize {
            for x in mm(4.0) as usize..mm(width_mm * 0.3) as usize {
                canvas.blend(x as i32, y as i32, portrait_ink + 40.0 * ((x + y) as f32 / 90.0).sin(), 1.0);
            }
        }
        let faint = rng.chance(0.3);
        let ink = if faint { paper - rng.range(70.0, 110.0) } else { rng.range(10.0, 70.0) };
        let visual_ink = rng.range(10.0, 80.0);
        self.draw_text(&mut canvas, "PASSPORT", mm(width_mm * 0.33), mm(7.0), mm(3.2), visual_ink);
        for (index, text) in [truth.surname.as_str(), truth.given_names.as_str(), "12 AUG 1974", "UTOPIA"].iter().enumerate() {
            self.draw_text(&mut canvas, text, mm(width_mm * 0.33), mm(14.0 + index as f32 * 6.0), mm(1.9), visual_ink);
        }

        // The MRZ on its own coverage layer, so its strokes can be made bolder or thinner.
        let sharp = self.sharp_font_data.as_deref().filter(|_| rng.chance(0.5)).map(|data| FontRef::try_from_slice(data).expect("OCR-B Sharp parses"));
        let sharp_used = sharp.is_some();
        let font = sharp.unwrap_or_else(|| self.font());
        let mut pitch = mm(2.54) * rng.range(0.97, 1.03);
        if rng.chance(0.5) {
            pitch = pitch.round().max(3.0);
        }
        let glyph_scale = rng.range(0.9, 1.08);
        let line_pitch = mm(4.23 + rng.range(-0.3, 0.3));
        let mrz_width = pitch * kind.line_length() as f32;
        let left = (width as f32 - mrz_width) / 2.0 + mm(rng.range(-1.5, 1.5));
        let last_baseline = height as f32 - mm(rng.range(3.5, 5.0));
        let first_baseline = last_baseline - line_pitch * (truth.lines.len() - 1) as f32;
        let mut coverage = Canvas { width, height, pixels: vec![0.0; width * height] };
        for (index, line) in truth.lines.iter().enumerate() {
            self.draw_text_with(&font, &mut coverage, line, left, first_baseline + index as f32 * line_pitch, pitch, glyph_scale, 1.0);
        }
        // Stroke weight: OCR-B strokes are ~14 % of the pitch; each side moves by
        // −2.5 … +3.5 % of the pitch (thinner by a third to bolder by a half).
        let stroke = rng.range(-0.025, 0.035) * pitch;
        let top = (first_baseline - pitch * 1.6).max(0.0) as usize;
        let bottom = ((last_baseline + pitch * 0.8) as usize).min(height);
        morph(&mut coverage, top, bottom, stroke);
        if std::env::var_os("MRZ_GENERATOR_TRACE").is_some() {
            eprintln!("wild: sharp {} pitch {pitch:.2} glyph {glyph_scale:.2} stroke {stroke:.2} faint {faint}", sharp_used);
        }
        for y in top..bottom {
            for x in 0..width {
                let c = coverage.pixels[y * width + x].clamp(0.0, 1.0);
                let pixel = &mut canvas.pixels[y * width + x];
                *pixel = *pixel * (1.0 - c) + ink * c;
            }
        }
        canvas
    }
}

/// Grows (positive `amount`, px) or shrinks the coverage of rows `top..bottom`:
/// whole pixels by max/min filtering, the fraction by blending.
fn morph(coverage: &mut Canvas, top: usize, bottom: usize, amount: f32) {
    let steps = amount.abs().ceil() as usize;
    let grow = amount > 0.0;
    for step in 0..steps {
        let fraction = (amount.abs() - step as f32).min(1.0);
        let before = coverage.pixels.clone();
        let width = coverage.width;
        for y in top.max(1)..bottom.min(coverage.height - 1) {
            for x in 1..width - 1 {
                let mut extreme = before[y * width + x];
                for (dx, dy) in [(-1i32, 0i32), (1, 0), (0, -1), (0, 1)] {
                    let value = before[(y as i32 + dy) as usize * width + (x as i32 + dx) as usize];
                    extreme = if grow { extreme.max(value) } else { extreme.min(value) };
                }
                let pixel = &mut coverage.pixels[y * width + x];
                *pixel = *pixel * (1.0 - fraction) + extreme * fraction;
            }
        }
    }
}
