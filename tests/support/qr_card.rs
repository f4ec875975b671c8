//! Renders invented HMS cards with a QR code into camera-like frames, under
//! controlled conditions (rotation, perspective, blur, noise, light, glare,
//! inversion, scale). Shared by the QR tests and the example generators
//! (`#[path]`-included), so tests and benchmarks see the same images.
#![allow(dead_code)]

use qrcode::{Color, EcLevel, QrCode};

/// Test cards carry this URL shape: `https://hmskort.no/kort/<reference>`.
pub fn card_url(reference: &str) -> String {
    format!("https://hmskort.no/kort/{reference}")
}

/// A greyscale frame.
#[derive(Clone)]
pub struct Frame {
    pub width: usize,
    pub height: usize,
    pub grey: Vec<u8>,
}

impl Frame {
    pub fn to_rgba(&self) -> Vec<u8> {
        // A faint colour cast so RGBA → luma conversion is exercised.
        self.grey.iter().flat_map(|&v| [v, v.saturating_sub(6), v.saturating_add(4), 255]).collect()
    }
}

/// How the card sits in the frame and what the camera does to it.
#[derive(Clone, Debug)]
pub struct Scene {
    pub frame_width: usize,
    pub frame_height: usize,
    /// Card centre as a fraction of the frame.
    pub center: (f64, f64),
    /// Card width as a fraction of the frame width.
    pub card_width_fraction: f64,
    pub rotation_degrees: f64,
    /// Perspective: how much narrower the card's far edge is (0 = none), and
    /// its direction (0 = top edge far, 90 = right edge far).
    pub tilt: f64,
    pub tilt_direction_degrees: f64,
    pub blur_radius: usize,
    pub noise_amplitude: u8,
    /// Multiplies all light (1.0 = unchanged).
    pub exposure: f64,
    /// Light falling from left (full) to right (this fraction).
    pub light_falloff: f64,
    /// Glare: centre as a card fraction and strength 0..255.
    pub glare: Option<((f64, f64), f64)>,
    pub inverted: bool,
    pub seed: u64,
}

impl Default for Scene {
    fn default() -> Self {
        Scene {
            frame_width: 1280,
            frame_height: 720,
            center: (0.5, 0.5),
            card_width_fraction: 0.55,
            rotation_degrees: 0.0,
            tilt: 0.0,
            tilt_direction_degrees: 0.0,
            blur_radius: 0,
            noise_amplitude: 0,
            exposure: 1.0,
            light_falloff: 1.0,
            glare: None,
            inverted: false,
            seed: 1,
        }
    }
}

/// The card face: 856×540 units (ID-1, 0.1 mm), QR on the right half.
struct Card {
    modules: Vec<bool>,
    module_count: usize,
}

const CARD_W: f64 = 856.0;
const CARD_H: f64 = 540.0;
const QR_LEFT: f64 = 476.0;
const QR_TOP: f64 = 120.0;
const QR_SIZE: f64 = 340.0;

impl Card {
    fn new(payload: &str) -> Card {
        let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M).expect("payload fits a QR code");
        let module_count = code.width();
        let modules = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
        Card { modules, module_count }
    }

    /// Reflectance 0..=255 at card coordinates (u, v); None outside the card.
    fn shade(&self, u: f64, v: f64) -> Option<f64> {
        if !(0.0..CARD_W).contains(&u) || !(0.0..CARD_H).contains(&v) {
            return None;
        }
        // Header band, photo box and text lines: dark shapes that are not QR.
        if v < 70.0 {
            return Some(60.0);
        }
        if (40.0..200.0).contains(&u) && (110.0..320.0).contains(&v) {
            return Some(140.0);
        }
        for line in 0..5 {
            let top = 350.0 + line as f64 * 34.0;
            if (40.0..(420.0 - line as f64 * 30.0)).contains(&u) && (top..top + 14.0).contains(&v) {
                return Some(70.0);
            }
        }
        let qx = (u - QR_LEFT) / QR_SIZE * self.module_count as f64;
        let qy = (v - QR_TOP) / QR_SIZE * self.module_count as f64;
        if qx >= 0.0 && qy >= 0.0 && (qx as usize) < self.module_count && (qy as usize) < self.module_count {
            let dark = self.modules[qy as usize * self.module_count + qx as usize];
            return Some(if dark { 25.0 } else { 235.0 });
        }
        Some(235.0)
    }
}

/// Render `payload` on a card into a frame as described by `scene`.
pub fn render(payload: &str, scene: &Scene) -> Frame {
    let card = Card::new(payload);
    let (fw, fh) = (scene.frame_width as f64, scene.frame_height as f64);
    let card_w_px = scene.card_width_fraction * fw;
    let scale = card_w_px / CARD_W;
    let (cx, cy) = (scene.center.0 * fw, scene.center.1 * fh);
    let angle = scene.rotation_degrees.to_radians();
    // Card corners in the frame, then a tilt shrinks one edge toward its middle.
    let corners_card = [(0.0, 0.0), (CARD_W, 0.0), (CARD_W, CARD_H), (0.0, CARD_H)];
    let tilt_dir = scene.tilt_direction_degrees.to_radians();
    let (tx, ty) = (tilt_dir.sin(), -tilt_dir.cos());
    let corners_frame: Vec<(f64, f64)> = corners_card
        .iter()
        .map(|&(u, v)| {
            let (mut x, mut y) = ((u - CARD_W / 2.0) * scale, (v - CARD_H / 2.0) * scale);
            // Points on the far side (positive along tilt direction) move inward.
            let along = (x * tx + y * ty) / (card_w_px / 2.0);
            let shrink = 1.0 - scene.tilt * along.max(0.0);
            let perp = (-ty, tx);
            let p = x * perp.0 + y * perp.1;
            let a = x * tx + y * ty;
            x = perp.0 * p * shrink + tx * a;
            y = perp.1 * p * shrink + ty * a;
            let (s, c) = angle.sin_cos();
            (cx + x * c - y * s, cy + x * s + y * c)
        })
        .collect();
    let to_card = homography(&corners_frame, &corners_card);
    let mut rng = scene.seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut grey = vec![0u8; scene.frame_width * scene.frame_height];
    for y in 0..scene.frame_height {
        for x in 0..scene.frame_width {
            // 2×2 supersampling keeps edges camera-like rather than aliased.
            let mut sum = 0.0;
            for (dx, dy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
                let (u, v) = apply(&to_card, x as f64 + dx, y as f64 + dy);
                sum += card.shade(u, v).unwrap_or_else(|| background(x as f64 + dx, y as f64 + dy));
            }
            let (u, v) = apply(&to_card, x as f64 + 0.5, y as f64 + 0.5);
            let mut value = sum / 4.0;
            if scene.inverted {
                value = 255.0 - value;
            }
            let light = 1.0 - (1.0 - scene.light_falloff) * (x as f64 / fw);
            value *= light * scene.exposure;
            if let Some(((gu, gv), strength)) = scene.glare {
                let (du, dv) = ((u - gu * CARD_W) / 140.0, (v - gv * CARD_H) / 110.0);
                value += strength * (-(du * du + dv * dv)).exp();
            }
            grey[y * scene.frame_width + x] = value.clamp(0.0, 255.0) as u8;
        }
    }
    let mut frame = Frame { width: scene.frame_width, height: scene.frame_height, grey };
    for _ in 0..2 {
        box_blur(&mut frame, scene.blur_radius);
    }
    if scene.noise_amplitude > 0 {
        let amplitude = scene.noise_amplitude as i32;
        for value in frame.grey.iter_mut() {
            rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let noise = ((rng >> 33) % (2 * amplitude as u64 + 1)) as i32 - amplitude;
            *value = (*value as i32 + noise).clamp(0, 255) as u8;
        }
    }
    frame
}

/// A cluttered desk: soft stripes and blobs, so the code is not alone.
fn background(x: f64, y: f64) -> f64 {
    110.0 + 40.0 * ((x / 53.0).sin() * (y / 41.0).cos()) + 20.0 * ((x + y) / 17.0).sin()
}

fn box_blur(frame: &mut Frame, radius: usize) {
    if radius == 0 {
        return;
    }
    let (w, h) = (frame.width, frame.height);
    let mut tmp = vec![0u8; w * h];
    for y in 0..h {
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(radius), (x + radius + 1).min(w));
            let sum: u32 = frame.grey[y * w + x0..y * w + x1].iter().map(|&v| v as u32).sum();
            tmp[y * w + x] = (sum / (x1 - x0) as u32) as u8;
        }
    }
    for y in 0..h {
        for x in 0..w {
            let (y0, y1) = (y.saturating_sub(radius), (y + radius + 1).min(h));
            let sum: u32 = (y0..y1).map(|yy| tmp[yy * w + x] as u32).sum();
            frame.grey[y * w + x] = (sum / (y1 - y0) as u32) as u8;
        }
    }
}

/// 3×3 homography mapping `from[i]` to `to[i]` (four point pairs).
#[allow(clippy::needless_range_loop)] // Gaussian elimination reads clearer with indices.
fn homography(from: &[(f64, f64)], to: &[(f64, f64)]) -> [f64; 9] {
    let mut m = [[0.0f64; 9]; 8];
    for i in 0..4 {
        let ((x, y), (u, v)) = (from[i], to[i]);
        m[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
        m[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
    }
    for col in 0..8 {
        let pivot = (col..8).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs())).unwrap();
        m.swap(col, pivot);
        for row in 0..8 {
            if row != col {
                let f = m[row][col] / m[col][col];
                for k in col..9 {
                    m[row][k] -= f * m[col][k];
                }
            }
        }
    }
    let h: Vec<f64> = (0..8).map(|i| m[i][8] / m[i][i]).collect();
    [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0]
}

fn apply(h: &[f64; 9], x: f64, y: f64) -> (f64, f64) {
    let d = h[6] * x + h[7] * y + h[8];
    ((h[0] * x + h[1] * y + h[2]) / d, (h[3] * x + h[4] * y + h[5]) / d)
}

/// Invented card references: 10 characters, upper-case letters and digits.
pub fn invented_reference(index: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut state = index.wrapping_mul(0x9E3779B97F4A7C15).wrapping_add(0x2545F4914F6CDD1D);
    (0..10)
        .map(|_| {
            state ^= state >> 29;
            state = state.wrapping_mul(0xBF58476D1CE4E5B9);
            ALPHABET[(state >> 40) as usize % ALPHABET.len()] as char
        })
        .collect()
}

/// The named conditions every QR test and benchmark frame set covers.
pub fn named_scenes() -> Vec<(&'static str, Scene)> {
    let base = Scene::default();
    vec![
        ("straight", base.clone()),
        ("rotated_30", Scene { rotation_degrees: 30.0, ..base.clone() }),
        ("upside_down", Scene { rotation_degrees: 180.0, ..base.clone() }),
        ("rotated_75_small", Scene { rotation_degrees: 75.0, card_width_fraction: 0.35, ..base.clone() }),
        ("perspective_top_far", Scene { tilt: 0.35, ..base.clone() }),
        ("perspective_side_far", Scene { tilt: 0.3, tilt_direction_degrees: 90.0, rotation_degrees: 12.0, ..base.clone() }),
        ("blurred", Scene { blur_radius: 2, ..base.clone() }),
        ("noisy", Scene { noise_amplitude: 40, ..base.clone() }),
        ("dark", Scene { exposure: 0.25, noise_amplitude: 6, ..base.clone() }),
        ("uneven_light", Scene { light_falloff: 0.2, ..base.clone() }),
        ("glare", Scene { glare: Some(((0.75, 0.45), 170.0)), ..base.clone() }),
        ("inverted", Scene { inverted: true, ..base.clone() }),
        ("small_in_frame", Scene { card_width_fraction: 0.22, center: (0.3, 0.6), ..base.clone() }),
        ("close_up", Scene { card_width_fraction: 1.6, center: (0.05, 0.5), ..base.clone() }),
        ("blurred_noisy_tilted", Scene { blur_radius: 1, noise_amplitude: 20, tilt: 0.25, rotation_degrees: -20.0, ..base.clone() }),
        ("dim_glare_rotated", Scene { exposure: 0.5, glare: Some(((0.6, 0.3), 120.0)), rotation_degrees: 200.0, ..base }),
    ]
}

/// A random mix of conditions (deterministic per seed), harder on average
/// than the named scenes: for decode-rate measurement and benchmark frames.
pub fn random_scene(seed: u64) -> Scene {
    let mut state = seed.wrapping_mul(0x9E3779B97F4A7C15) ^ 0xD1B54A32D192ED03;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    // The whole card (any rotation) stays in the frame: its half-diagonal is
    // 0.59 card widths, so the ground truth is always decodable in principle.
    let card_width_fraction = 0.15 + next() * 0.32;
    let half_diagonal = 0.59 * card_width_fraction * 1280.0;
    let cx = half_diagonal + next() * (1280.0 - 2.0 * half_diagonal);
    let cy = half_diagonal + next() * (720.0 - 2.0 * half_diagonal).max(0.0);
    Scene {
        frame_width: 1280,
        frame_height: 720,
        center: (cx / 1280.0, cy / 720.0),
        card_width_fraction,
        rotation_degrees: next() * 360.0,
        tilt: if next() < 0.5 { next() * 0.45 } else { 0.0 },
        tilt_direction_degrees: next() * 360.0,
        blur_radius: if next() < 0.35 { 1 + (next() * 2.5) as usize } else { 0 },
        noise_amplitude: (next() * next() * 60.0) as u8,
        exposure: if next() < 0.3 { 0.2 + next() * 0.5 } else { 0.8 + next() * 0.4 },
        light_falloff: if next() < 0.4 { 0.15 + next() * 0.6 } else { 1.0 },
        glare: if next() < 0.3 { Some(((next(), next()), 80.0 + next() * 150.0)) } else { None },
        inverted: next() < 0.1,
        seed,
    }
}
