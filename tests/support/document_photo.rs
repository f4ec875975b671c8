//! Synthetic phone photos of ID documents for tests and examples: a rendered
//! ID-1 card or passport page (header, photo box, blocks of text, an
//! MRZ-like band, a red emblem top-left so orientation is checkable)
//! composited with rotation and perspective onto a cluttered or a
//! similar-coloured background, stored with any EXIF orientation and
//! carrying GPS EXIF, XMP, ICC, IPTC and a comment, with the true corners.
#![allow(dead_code, clippy::needless_range_loop, clippy::unnecessary_cast)]

use id_capture::photo::orient::{apply_orientation, Orientation};
use id_capture::photo::warp::Homography;
use id_capture::photo::{Point, Quad, RgbImage};

/// Strings planted in the metadata; none may appear in processed output.
pub const PLANTED_SECRETS: [&[u8]; 6] = [
    b"InventedPhone",
    b"InventedXmpSecret",
    b"InventedIccProfile",
    b"InventedIptcCaption",
    b"ERIKSSON ANNA MARIA was here",
    b"GPS-59.9084N",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    Id1Card,
    PassportPage,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Background {
    Cluttered,
    SimilarColour,
}

#[derive(Clone, Debug)]
pub struct PhotoSpec {
    pub kind: DocumentKind,
    pub background: Background,
    pub scene_width: u32,
    pub scene_height: u32,
    /// Document long edge as a share of the scene's shorter... of the scene width.
    pub document_share: f32,
    pub rotation_degrees: f32,
    /// Corner jitter as a share of the document size (perspective).
    pub perspective: f32,
    pub centre_offset: (f32, f32),
    pub orientation: Orientation,
    pub with_metadata: bool,
    pub blur_radius: u32,
    pub brightness: f32,
    /// Sensor noise: each value moves by up to this many levels.
    pub noise: u32,
    /// JPEG quality the phone saves at (real phones: ~90–97, 3–5 MB at 12 MP).
    pub jpeg_quality: u8,
    pub glare: bool,
    pub seed: u64,
}

impl Default for PhotoSpec {
    fn default() -> Self {
        PhotoSpec {
            kind: DocumentKind::Id1Card,
            background: Background::Cluttered,
            scene_width: 1600,
            scene_height: 1200,
            document_share: 0.55,
            rotation_degrees: 8.0,
            perspective: 0.04,
            centre_offset: (0.0, 0.0),
            orientation: Orientation::Normal,
            with_metadata: true,
            blur_radius: 0,
            brightness: 1.0,
            noise: 3,
            jpeg_quality: 90,
            glare: false,
            seed: 1,
        }
    }
}

pub struct GeneratedPhoto {
    pub jpeg: Vec<u8>,
    /// True corners (top-left, top-right, bottom-right, bottom-left of the
    /// upright document) in displayed (oriented) coordinates.
    pub corners: Quad,
    pub displayed_width: u32,
    pub displayed_height: u32,
}

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }
    pub fn range(&mut self, low: f32, high: f32) -> f32 {
        low + (high - low) * self.unit()
    }
}

fn fill_rect(image: &mut RgbImage, x0: i32, y0: i32, w: i32, h: i32, colour: [u8; 3]) {
    for y in y0.max(0)..(y0 + h).min(image.height as i32) {
        for x in x0.max(0)..(x0 + w).min(image.width as i32) {
            let at = (y as usize * image.width as usize + x as usize) * 3;
            image.pixels[at..at + 3].copy_from_slice(&colour);
        }
    }
}

/// The document flat, at `px_per_mm` pixels per millimetre.
pub fn render_document(kind: DocumentKind, px_per_mm: f32, seed: u64) -> RgbImage {
    let mut rng = Rng::new(seed ^ 0xD0C);
    let (width_mm, height_mm) = match kind {
        DocumentKind::Id1Card => (85.60, 53.98),
        DocumentKind::PassportPage => (125.0, 88.0),
    };
    let (w, h) = ((width_mm * px_per_mm) as u32, (height_mm * px_per_mm) as u32);
    let base = match kind {
        DocumentKind::Id1Card => [196, 222, 214],
        DocumentKind::PassportPage => [236, 222, 206],
    };
    let mut doc = RgbImage::new(w, h);
    for y in 0..h {
        for x in 0..w {
            // Guilloche-like security print: fine sinusoidal bands.
            let wave = ((x as f32 * 0.09 + (y as f32 * 0.05).sin() * 6.0).sin() * 7.0) as i32;
            let at = ((y * w + x) * 3) as usize;
            for c in 0..3 {
                doc.pixels[at + c] = (base[c] as i32 - 8 + wave).clamp(0, 255) as u8;
            }
        }
    }
    let mm = |v: f32| (v * px_per_mm) as i32;
    // Emblem top-left, header text to its right.
    fill_rect(&mut doc, mm(4.0), mm(3.0), mm(8.0), mm(8.0), [200, 30, 40]);
    let mut x = mm(15.0);
    while x < mm(width_mm - 25.0) {
        let word = mm(rng.range(5.0, 14.0));
        fill_rect(&mut doc, x, mm(5.0), word, mm(3.0), [30, 50, 110]);
        x += word + mm(2.0);
    }
    // Photo box with a face-like ellipse.
    let (photo_x, photo_y, photo_w, photo_h) = (mm(4.0), mm(14.0), mm(width_mm * 0.28), mm(height_mm * 0.5));
    fill_rect(&mut doc, photo_x, photo_y, photo_w, photo_h, [150, 155, 160]);
    for y in photo_y..photo_y + photo_h {
        for x in photo_x..photo_x + photo_w {
            let (dx, dy) = ((x - photo_x - photo_w / 2) as f32 / (photo_w as f32 * 0.3), (y - photo_y - photo_h * 2 / 5) as f32 / (photo_h as f32 * 0.32));
            if dx * dx + dy * dy < 1.0 {
                fill_rect(&mut doc, x, y, 1, 1, [120, 95, 80]);
            }
        }
    }
    // Field labels and values.
    let text_left = photo_x + photo_w + mm(4.0);
    let mut y = photo_y;
    while y < photo_y + photo_h - mm(3.0) {
        fill_rect(&mut doc, text_left, y, mm(12.0), mm(1.2), [90, 90, 110]);
        let mut x = text_left;
        while x < mm(width_mm - 20.0) {
            let word = mm(rng.range(4.0, 12.0));
            fill_rect(&mut doc, x, y + mm(1.8), word, mm(2.2), [20, 20, 30]);
            x += word + mm(1.5);
        }
        y += mm(6.5);
    }
    // MRZ-like band: monospace random glyphs on 5×7 grids.
    let (lines, chars) = match kind {
        DocumentKind::Id1Card => (3, 30),
        DocumentKind::PassportPage => (2, 44),
    };
    let pitch = (width_mm - 8.0) / chars as f32;
    for line in 0..lines {
        let top = height_mm - 4.0 - (lines - line) as f32 * 4.2;
        for ch in 0..chars {
            let left = 4.0 + ch as f32 * pitch;
            let glyph = rng.next_u64();
            for gy in 0..7 {
                for gx in 0..5 {
                    if glyph >> (gy * 5 + gx) & 1 == 1 {
                        let cell = pitch * 0.7 / 5.0;
                        fill_rect(&mut doc, mm(left + gx as f32 * cell), mm(top + gy as f32 * 0.42), mm(cell).max(1), mm(0.42).max(1), [15, 15, 20]);
                    }
                }
            }
        }
    }
    doc
}

fn background(spec: &PhotoSpec, rng: &mut Rng) -> RgbImage {
    let (w, h) = (spec.scene_width, spec.scene_height);
    let mut scene = RgbImage::new(w, h);
    match spec.background {
        Background::Cluttered => {
            for y in 0..h {
                for x in 0..w {
                    let grain = ((y as f32 * 0.02 + (x as f32 * 0.003).sin() * 3.0).sin() * 18.0) as i32;
                    let at = ((y * w + x) * 3) as usize;
                    let wood = [150 + grain, 105 + grain, 70 + grain / 2];
                    for c in 0..3 {
                        scene.pixels[at + c] = wood[c].clamp(0, 255) as u8;
                    }
                }
            }
            let scale = w.min(h) as f32;
            for _ in 0..45 {
                let colour = [(rng.unit() * 255.0) as u8, (rng.unit() * 255.0) as u8, (rng.unit() * 255.0) as u8];
                let (cx, cy) = (rng.range(0.0, w as f32), rng.range(0.0, h as f32));
                let size = rng.range(0.03, 0.16) * scale;
                match rng.next_u64() % 3 {
                    0 => {
                        let aspect = rng.range(0.2, 1.0);
                        fill_rect(&mut scene, (cx - size / 2.0) as i32, (cy - size * aspect / 2.0) as i32, size as i32, (size * aspect) as i32, colour)
                    }
                    1 => {
                        let r = size / 2.0;
                        for y in (cy - r) as i32..(cy + r) as i32 {
                            for x in (cx - r) as i32..(cx + r) as i32 {
                                if (x as f32 - cx).powi(2) + (y as f32 - cy).powi(2) < r * r {
                                    fill_rect(&mut scene, x, y, 1, 1, colour);
                                }
                            }
                        }
                    }
                    _ => {
                        // A pen or cable: a thick segment at a random angle.
                        let angle = rng.range(0.0, std::f32::consts::PI);
                        let thickness = (scale * 0.006).max(2.0) as i32;
                        for s in 0..(size * 2.0) as i32 {
                            let (x, y) = (cx + angle.cos() * s as f32, cy + angle.sin() * s as f32);
                            fill_rect(&mut scene, x as i32, y as i32, thickness, thickness, colour);
                        }
                    }
                }
            }
        }
        Background::SimilarColour => {
            // A light table a few levels off the card's colour, with soft shading.
            let base = match spec.kind {
                DocumentKind::Id1Card => [206, 212, 226],
                DocumentKind::PassportPage => [226, 226, 218],
            };
            for y in 0..h {
                for x in 0..w {
                    let shade = ((x as f32 / w as f32 - 0.5) * 16.0 + (y as f32 * 0.004).sin() * 5.0) as i32;
                    let at = ((y * w + x) * 3) as usize;
                    for c in 0..3 {
                        scene.pixels[at + c] = (base[c] as i32 + shade).clamp(0, 255) as u8;
                    }
                }
            }
        }
    }
    scene
}

/// The true quad of the document in the scene.
fn place_document(spec: &PhotoSpec, doc_w: f32, doc_h: f32, rng: &mut Rng) -> Quad {
    let (sw, sh) = (spec.scene_width as f32, spec.scene_height as f32);
    let long = spec.document_share * sw.min(sh * 1.33);
    let short = long * doc_h / doc_w;
    let (cx, cy) = (sw / 2.0 + spec.centre_offset.0 * sw, sh / 2.0 + spec.centre_offset.1 * sh);
    let angle = spec.rotation_degrees.to_radians();
    let (cos, sin) = (angle.cos(), angle.sin());
    [(-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)].map(|(u, v)| {
        let jitter = (rng.range(-1.0, 1.0) * spec.perspective * long, rng.range(-1.0, 1.0) * spec.perspective * long);
        let (x, y) = (u * long + jitter.0, v * short + jitter.1);
        Point::new(cx + x * cos - y * sin, cy + x * sin + y * cos)
    })
}

/// Renders the displayed (upright) scene and the document's true corners in it.
pub fn render_scene(spec: &PhotoSpec) -> (RgbImage, Quad) {
    let mut rng = Rng::new(spec.seed);
    let mut scene = background(spec, &mut rng);
    let px_per_mm = 8.0;
    let doc = render_document(spec.kind, px_per_mm, spec.seed);
    let (dw, dh) = (doc.width as f32, doc.height as f32);
    let quad = place_document(spec, dw, dh, &mut rng);
    let doc_rect = [Point::new(0.0, 0.0), Point::new(dw, 0.0), Point::new(dw, dh), Point::new(0.0, dh)];
    let to_doc = Homography::from_points(&quad, &doc_rect).expect("document quad is not degenerate");
    let (min_x, max_x) = quad.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| (lo.min(p.x), hi.max(p.x)));
    let (min_y, max_y) = quad.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| (lo.min(p.y), hi.max(p.y)));
    let doc_px_per_scene_px = dw / quad[0].distance(quad[1]).max(1.0);
    let corner_radius = match spec.kind {
        DocumentKind::Id1Card => 3.18 * px_per_mm,
        DocumentKind::PassportPage => 1.0 * px_per_mm,
    };
    let (sw, sh) = (scene.width as i32, scene.height as i32);
    for y in (min_y.floor() as i32 - 1).max(0)..(max_y.ceil() as i32 + 1).min(sh) {
        for x in (min_x.floor() as i32 - 1).max(0)..(max_x.ceil() as i32 + 1).min(sw) {
            let d = to_doc.apply(Point::new(x as f32 + 0.5, y as f32 + 0.5));
            // Distance inside the document outline (rounded corners), in document pixels.
            let (qx, qy) = ((d.x - dw / 2.0).abs() - (dw / 2.0 - corner_radius), (d.y - dh / 2.0).abs() - (dh / 2.0 - corner_radius));
            let outside = (qx.max(0.0).powi(2) + qy.max(0.0).powi(2)).sqrt() + qx.max(qy).min(0.0) - corner_radius;
            let coverage = (0.5 - outside / doc_px_per_scene_px).clamp(0.0, 1.0);
            if coverage <= 0.0 {
                continue;
            }
            let (ix, iy) = ((d.x.clamp(0.0, dw - 1.0)) as usize, (d.y.clamp(0.0, dh - 1.0)) as usize);
            let source = &doc.pixels[(iy * doc.width as usize + ix) * 3..][..3];
            let at = (y as usize * scene.width as usize + x as usize) * 3;
            for c in 0..3 {
                let under = scene.pixels[at + c] as f32;
                scene.pixels[at + c] = (under + (source[c] as f32 - under) * coverage).round() as u8;
            }
        }
    }
    if spec.glare {
        let centre = Point::new((quad[0].x + quad[2].x) / 2.0, (quad[0].y + quad[2].y) / 2.0);
        let radius = quad[0].distance(quad[1]) * 0.12;
        for y in (centre.y - radius) as i32..(centre.y + radius) as i32 {
            for x in (centre.x - radius * 1.6) as i32..(centre.x + radius * 1.6) as i32 {
                let (dx, dy) = ((x as f32 - centre.x) / (radius * 1.6), (y as f32 - centre.y) / radius);
                if dx * dx + dy * dy < 1.0 {
                    fill_rect(&mut scene, x, y, 1, 1, [255, 255, 255]);
                }
            }
        }
    }
    if spec.blur_radius > 0 {
        scene = box_blur(&scene, spec.blur_radius);
    }
    // Lighting and sensor noise.
    for (i, value) in scene.pixels.iter_mut().enumerate() {
        let noise = (rng.next_u64() % (2 * spec.noise as u64 + 1)) as f32 - spec.noise as f32;
        let _ = i;
        *value = (*value as f32 * spec.brightness + noise).clamp(0.0, 255.0) as u8;
    }
    (scene, quad)
}

pub fn box_blur(image: &RgbImage, radius: u32) -> RgbImage {
    let r = radius as i32;
    let (w, h) = (image.width as i32, image.height as i32);
    let pass = |source: &RgbImage, horizontal: bool| {
        let mut out = source.clone();
        for y in 0..h {
            for x in 0..w {
                let mut sum = [0u32; 3];
                let mut count = 0;
                for k in -r..=r {
                    let (sx, sy) = if horizontal { ((x + k).clamp(0, w - 1), y) } else { (x, (y + k).clamp(0, h - 1)) };
                    let at = (sy as usize * w as usize + sx as usize) * 3;
                    for c in 0..3 {
                        sum[c] += source.pixels[at + c] as u32;
                    }
                    count += 1;
                }
                let at = (y as usize * w as usize + x as usize) * 3;
                for c in 0..3 {
                    out.pixels[at + c] = (sum[c] / count) as u8;
                }
            }
        }
        out
    };
    pass(&pass(image, true), false)
}

/// The photo a phone would save: pixels stored so that `spec.orientation`
/// displays them upright, JPEG at `spec.jpeg_quality`, with metadata planted.
pub fn make_photo(spec: &PhotoSpec) -> GeneratedPhoto {
    let (scene, corners) = render_scene(spec);
    let (displayed_width, displayed_height) = (scene.width, scene.height);
    let stored = apply_orientation(scene, spec.orientation.inverse());
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, spec.jpeg_quality)
        .encode(&stored.pixels, stored.width, stored.height, image::ExtendedColorType::Rgb8)
        .expect("encoding a generated photo");
    let jpeg = if spec.with_metadata {
        insert_metadata(&jpeg, spec.orientation)
    } else if spec.orientation != Orientation::Normal {
        insert_segments(&jpeg, &[(0xE1, exif_app1(spec.orientation))])
    } else {
        jpeg
    };
    GeneratedPhoto { jpeg, corners, displayed_width, displayed_height }
}

/// Inserts segments right after SOI.
pub fn insert_segments(jpeg: &[u8], segments: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    for (marker, payload) in segments {
        out.extend_from_slice(&[0xFF, *marker]);
        out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(payload);
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// GPS EXIF with the orientation tag, XMP, ICC, IPTC and a comment, as a phone (or an editor) writes them.
pub fn insert_metadata(jpeg: &[u8], orientation: Orientation) -> Vec<u8> {
    let xmp = [&b"http://ns.adobe.com/xap/1.0/\0"[..], b"<x:xmpmeta><rdf:Description exif:GPSLatitude=\"59,54.5N\" photoshop:Credit=\"InventedXmpSecret\"/></x:xmpmeta>"].concat();
    let icc = [&b"ICC_PROFILE\0\x01\x01"[..], b"\0\0\x02\x0cInventedIccProfile-not-a-real-profile"].concat();
    let iptc = [&b"Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\x18\x1c\x02\x78\0\x13"[..], b"InventedIptcCaption"].concat();
    let comment = b"ERIKSSON ANNA MARIA was here GPS-59.9084N".to_vec();
    insert_segments(jpeg, &[(0xE1, exif_app1(orientation)), (0xE1, xmp), (0xE2, icc), (0xED, iptc), (0xFE, comment)])
}

/// APP1 payload "Exif\0\0" + little-endian TIFF: IFD0 (Make, Orientation,
/// GPS pointer) and a GPS IFD (latitude/longitude of Oslo).
pub fn exif_app1(orientation: Orientation) -> Vec<u8> {
    let mut tiff: Vec<u8> = Vec::new();
    let u16le = |v: u16| v.to_le_bytes();
    let u32le = |v: u32| v.to_le_bytes();
    tiff.extend_from_slice(b"II");
    tiff.extend_from_slice(&u16le(42));
    tiff.extend_from_slice(&u32le(8));
    // IFD0 at 8: 3 entries → ends at 8 + 2 + 36 + 4 = 50.
    let make = b"InventedPhone\0";
    let make_offset = 50u32;
    let gps_offset = make_offset + make.len() as u32; // 64
    tiff.extend_from_slice(&u16le(3));
    let entry = |tiff: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&count.to_le_bytes());
        tiff.extend_from_slice(&value);
    };
    entry(&mut tiff, 0x010F, 2, make.len() as u32, u32le(make_offset));
    let o = u16le(orientation.exif_value());
    entry(&mut tiff, 0x0112, 3, 1, [o[0], o[1], 0, 0]);
    entry(&mut tiff, 0x8825, 4, 1, u32le(gps_offset));
    tiff.extend_from_slice(&u32le(0));
    tiff.extend_from_slice(make);
    // GPS IFD at 64: 4 entries → ends at 64 + 2 + 48 + 4 = 118.
    let (lat_offset, lon_offset) = (118u32, 142u32);
    tiff.extend_from_slice(&u16le(4));
    entry(&mut tiff, 0x0001, 2, 2, [b'N', 0, 0, 0]);
    entry(&mut tiff, 0x0002, 5, 3, u32le(lat_offset));
    entry(&mut tiff, 0x0003, 2, 2, [b'E', 0, 0, 0]);
    entry(&mut tiff, 0x0004, 5, 3, u32le(lon_offset));
    tiff.extend_from_slice(&u32le(0));
    for (numerator, denominator) in [(59, 1), (54, 1), (3024, 100), (10, 1), (45, 1), (1234, 100)] {
        tiff.extend_from_slice(&u32le(numerator));
        tiff.extend_from_slice(&u32le(denominator));
    }
    [&b"Exif\0\0"[..], &tiff].concat()
}
