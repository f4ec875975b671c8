//! A 1/8-scale preview read straight from a JPEG's DC coefficients. Each
//! 8×8 block's DC term is eight times the block's mean, so the preview needs
//! only the entropy decoding: no inverse DCT, upsampling or full-size colour
//! conversion. The page computes it, and searches it for the document, while
//! the browser decodes the full photo on its own thread (`photo::capture`).
//!
//! Huffman-coded 8-bit frames only: baseline and extended (SOF0/SOF1) scans
//! are decoded in full to step over the AC coefficients; of a progressive
//! frame (SOF2) only the first DC scans are read, the refinement and AC scans
//! are skipped. Arithmetic coding, lossless, 12-bit and CMYK frames are
//! `Unsupported`: the caller then draws its preview the usual way.

use super::decode::DecodeLimits;
use super::error::PhotoError;
use super::exif::orientation_of_file;
use super::geometry::Point;
use super::jpeg_segments::{entropy_data_length, segment_at};
use super::orient::apply_orientation;
use super::raster::RgbImage;

/// Preview pixels per photo pixel, per axis.
pub const PREVIEW_FACTOR: u32 = 8;

/// The preview, upright, and where it lies on the upright photo.
#[derive(Clone, Debug, PartialEq)]
pub struct JpegPreview {
    /// One pixel per 8×8 block of the frame, with the EXIF orientation applied.
    pub image: RgbImage,
    /// The upright photo's size (what `createImageBitmap(file, {imageOrientation: "from-image"})` gives).
    pub photo_width: u32,
    pub photo_height: u32,
    /// Photo x (and y) of preview coordinate 0: a mirrored axis whose frame
    /// side is not a multiple of 8 starts inside the last, partial block.
    pub offset_x: f32,
    pub offset_y: f32,
}

/// The upright DC preview of a JPEG file (orientation from its EXIF).
pub fn jpeg_preview(bytes: &[u8], limits: &DecodeLimits) -> Result<JpegPreview, PhotoError> {
    let stored = dc_preview(bytes, limits)?;
    let orientation = orientation_of_file(bytes);
    let (frame_width, frame_height) = (stored.frame_width, stored.frame_height);
    let image = apply_orientation(stored.image, orientation);
    let (photo_width, photo_height) = if orientation.swaps_axes() { (frame_height, frame_width) } else { (frame_width, frame_height) };
    // Where the upright preview's origin lies on the upright photo: stored,
    // preview pixel i covers frame pixels 8i..8i+8, so on a reversed axis the
    // origin is the far edge of the last, partial block, before the photo's.
    let in_preview = orientation.to_stored(Point::new(0.0, 0.0), image.width as f32, image.height as f32);
    let in_frame = Point::new(in_preview.x * PREVIEW_FACTOR as f32, in_preview.y * PREVIEW_FACTOR as f32);
    let origin = orientation.to_upright(in_frame, photo_width as f32, photo_height as f32);
    Ok(JpegPreview { image, photo_width, photo_height, offset_x: origin.x, offset_y: origin.y })
}

/// The DC preview as stored (no orientation applied).
struct StoredPreview {
    image: RgbImage,
    frame_width: u32,
    frame_height: u32,
}

const fn corrupt(reason: &'static str) -> PhotoError {
    PhotoError::Corrupt { reason }
}

/// Image data cut short or out of step: `image_incomplete`, as the file walk
/// in `jpeg_segments::check_complete` names a cut file.
const fn damaged(reason: &'static str) -> PhotoError {
    PhotoError::Incomplete { reason }
}

/// Bytes of entropy-coded data an interval may leave unread after its last
/// block before it counts as damaged (libjpeg warns of such "extraneous
/// bytes" in some cameras' files; damage leaves far more, or too few).
const EXTRANEOUS_BYTES_TOLERATED: usize = 32;

fn unsupported(format: &'static str) -> PhotoError {
    PhotoError::Unsupported { format }
}

/// One frame component: its sampling factors, quantisation table and the
/// dequantised DC term of each block of its MCU-padded block grid.
struct Component {
    id: u8,
    h: usize,
    v: usize,
    quant_table: usize,
    blocks_wide: usize,
    blocks_high: usize,
    dc: Vec<i32>,
    /// A scan has given this component its DC terms.
    seen: bool,
}

struct Frame {
    width: usize,
    height: usize,
    progressive: bool,
    components: Vec<Component>,
    max_h: usize,
    max_v: usize,
    mcus_wide: usize,
    mcus_high: usize,
}

/// Checks that the image data of a JPEG decodes whole, by the same entropy
/// decoding the preview does, without keeping the preview: every DC scan of a
/// sequential file (AC codes stepped over) or the first DC scans of a
/// progressive one must end where its data ends, with every code valid (see
/// `BitReader::check_interval`). Damage that keeps the file's marker
/// structure (`jpeg_segments::check_complete`) shows up here as codes out of
/// step. `Incomplete` when the data is cut or damaged; variants the preview
/// does not read (arithmetic coding, 12-bit, CMYK) are not checked (`Ok`).
pub fn check_scan_data(bytes: &[u8], limits: &DecodeLimits) -> Result<(), PhotoError> {
    match read_dc_terms(bytes, limits) {
        Ok(_) | Err(PhotoError::Unsupported { .. }) => Ok(()),
        Err(error) => Err(error),
    }
}

fn dc_preview(bytes: &[u8], limits: &DecodeLimits) -> Result<StoredPreview, PhotoError> {
    let (frame, is_rgb) = read_dc_terms(bytes, limits)?;
    Ok(StoredPreview { image: preview_pixels(&frame, is_rgb), frame_width: frame.width as u32, frame_height: frame.height as u32 })
}

/// Every component's DC terms, and whether the three components are RGB rather than YCbCr.
fn read_dc_terms(bytes: &[u8], limits: &DecodeLimits) -> Result<(Frame, bool), PhotoError> {
    if bytes.get(0..2) != Some(&[0xFF, 0xD8][..]) {
        return Err(unsupported("not a JPEG"));
    }
    let mut quant_dc = [None::<i32>; 4];
    let mut dc_tables: [Option<Huffman>; 4] = Default::default();
    let mut ac_tables: [Option<Huffman>; 4] = Default::default();
    let mut frame: Option<Frame> = None;
    let mut restart_interval = 0usize;
    let mut adobe_transform: Option<u8> = None;
    let mut position = 2;
    loop {
        let (segment, next) = segment_at(bytes, position).ok_or(damaged("JPEG is cut short or a segment is malformed"))?;
        let (marker, payload) = (segment.marker, segment.payload);
        position = next;
        match marker {
            0xD9 => break,
            0xDB => read_quant_tables(payload, &mut quant_dc)?,
            0xC4 => read_huffman_tables(payload, &mut dc_tables, &mut ac_tables)?,
            0xDD => restart_interval = u16::from_be_bytes(two(payload, 0)?) as usize,
            0xEE if payload.starts_with(b"Adobe") => adobe_transform = payload.get(11).copied(),
            0xC0..=0xC2 => {
                if frame.is_some() {
                    return Err(corrupt("JPEG has two frame headers"));
                }
                frame = Some(read_frame(payload, marker == 0xC2, limits)?);
            }
            // Lossless, hierarchical and arithmetic-coded frames.
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => return Err(unsupported("this JPEG variant")),
            0xDA => {
                let frame = frame.as_mut().ok_or(corrupt("JPEG scan before its frame header"))?;
                let scan = read_scan_header(payload, frame)?;
                let data = &bytes[position..];
                let consumed = if scan.reads_dc(frame.progressive) {
                    decode_scan(data, frame, &scan, &quant_dc, &dc_tables, &ac_tables, restart_interval)?
                } else {
                    0
                };
                position += consumed + entropy_data_length(&data[consumed..]);
            }
            _ => {}
        }
    }
    let frame = frame.ok_or(corrupt("JPEG has no frame header"))?;
    if frame.components.iter().any(|c| !c.seen) {
        return Err(damaged("JPEG ends before every component's first scan"));
    }
    let is_rgb = adobe_transform == Some(0) || frame.components.iter().map(|c| c.id).eq(*b"RGB");
    Ok((frame, is_rgb))
}

fn two(bytes: &[u8], at: usize) -> Result<[u8; 2], PhotoError> {
    match bytes.get(at..at + 2) {
        Some(pair) => Ok([pair[0], pair[1]]),
        None => Err(corrupt("JPEG segment is too short")),
    }
}

/// Keeps the first (DC) entry of each quantisation table.
fn read_quant_tables(mut payload: &[u8], quant_dc: &mut [Option<i32>; 4]) -> Result<(), PhotoError> {
    while let Some(&info) = payload.first() {
        let (wide, id) = (info >> 4, (info & 15) as usize);
        let length = if wide == 0 { 64 } else { 128 };
        let table = payload.get(1..1 + length).filter(|_| id < 4 && wide < 2).ok_or(corrupt("JPEG quantisation table is malformed"))?;
        quant_dc[id] = Some(if wide == 0 { table[0] as i32 } else { u16::from_be_bytes([table[0], table[1]]) as i32 });
        payload = &payload[1 + length..];
    }
    Ok(())
}

fn read_huffman_tables(mut payload: &[u8], dc: &mut [Option<Huffman>; 4], ac: &mut [Option<Huffman>; 4]) -> Result<(), PhotoError> {
    let malformed = corrupt("JPEG Huffman table is malformed");
    while let Some(&info) = payload.first() {
        let (class, id) = (info >> 4, (info & 15) as usize);
        let counts = payload.get(1..17).ok_or(malformed.clone())?;
        let total: usize = counts.iter().map(|&c| c as usize).sum();
        let symbols = payload.get(17..17 + total).ok_or(malformed.clone())?;
        let table = Huffman::new(counts, symbols).ok_or(malformed.clone())?;
        match (class, id) {
            (0, 0..=3) => dc[id] = Some(table),
            (1, 0..=3) => ac[id] = Some(table),
            _ => return Err(malformed),
        }
        payload = &payload[17 + total..];
    }
    Ok(())
}

fn read_frame(payload: &[u8], progressive: bool, limits: &DecodeLimits) -> Result<Frame, PhotoError> {
    let malformed = corrupt("JPEG frame header is malformed");
    let &precision = payload.first().ok_or(malformed.clone())?;
    if precision != 8 {
        return Err(unsupported("12-bit JPEG"));
    }
    let height = u16::from_be_bytes(two(payload, 1)?) as usize;
    let width = u16::from_be_bytes(two(payload, 3)?) as usize;
    if height == 0 {
        // Height given later by a DNL marker: allowed by the standard, unseen from cameras.
        return Err(unsupported("JPEG without a height in its frame header"));
    }
    limits.check(width as u32, height as u32)?;
    let count = *payload.get(5).ok_or(malformed.clone())? as usize;
    if count == 4 {
        return Err(unsupported("CMYK JPEG"));
    }
    if count != 1 && count != 3 {
        return Err(malformed);
    }
    let mut components = Vec::with_capacity(count);
    for i in 0..count {
        let spec = payload.get(6 + 3 * i..9 + 3 * i).ok_or(malformed.clone())?;
        let (h, v) = ((spec[1] >> 4) as usize, (spec[1] & 15) as usize);
        if !(1..=4).contains(&h) || !(1..=4).contains(&v) || spec[2] > 3 {
            return Err(malformed);
        }
        components.push(Component { id: spec[0], h, v, quant_table: spec[2] as usize, blocks_wide: 0, blocks_high: 0, dc: Vec::new(), seen: false });
    }
    let max_h = components.iter().map(|c| c.h).max().unwrap_or(1);
    let max_v = components.iter().map(|c| c.v).max().unwrap_or(1);
    let mcus_wide = width.div_ceil(8 * max_h);
    let mcus_high = height.div_ceil(8 * max_v);
    for component in &mut components {
        component.blocks_wide = mcus_wide * component.h;
        component.blocks_high = mcus_high * component.v;
        component.dc = vec![0; component.blocks_wide * component.blocks_high];
    }
    Ok(Frame { width, height, progressive, components, max_h, max_v, mcus_wide, mcus_high })
}

/// One scan's header: which components (frame indices and table ids) and,
/// for progressive frames, which coefficients and bits it carries.
struct Scan {
    components: Vec<(usize, usize, usize)>,
    spectral_start: u8,
    successive_high: u8,
    successive_low: u8,
}

impl Scan {
    /// Baseline scans carry the DC terms; progressive ones only when they are a DC scan's first pass.
    fn reads_dc(&self, progressive: bool) -> bool {
        !progressive || (self.spectral_start == 0 && self.successive_high == 0)
    }
}

fn read_scan_header(payload: &[u8], frame: &Frame) -> Result<Scan, PhotoError> {
    let malformed = corrupt("JPEG scan header is malformed");
    let count = *payload.first().ok_or(malformed.clone())? as usize;
    if count == 0 || count > 4 || payload.len() < 4 + 2 * count {
        return Err(malformed);
    }
    let mut components = Vec::with_capacity(count);
    for i in 0..count {
        let (id, tables) = (payload[1 + 2 * i], payload[2 + 2 * i]);
        let index = frame.components.iter().position(|c| c.id == id).ok_or(malformed.clone())?;
        components.push((index, (tables >> 4) as usize, (tables & 15) as usize));
    }
    let tail = &payload[1 + 2 * count..];
    Ok(Scan { components, spectral_start: tail[0], successive_high: tail[2] >> 4, successive_low: tail[2] & 15 })
}

/// Decodes one scan's DC terms into the frame; returns the bytes of entropy data read.
fn decode_scan(
    data: &[u8],
    frame: &mut Frame,
    scan: &Scan,
    quant_dc: &[Option<i32>; 4],
    dc_tables: &[Option<Huffman>; 4],
    ac_tables: &[Option<Huffman>; 4],
    restart_interval: usize,
) -> Result<usize, PhotoError> {
    let missing = corrupt("JPEG scan uses a table it does not define");
    // Per scan component: frame index, DC table, AC table (None: DC only), DC quantiser.
    let mut plan = Vec::with_capacity(scan.components.len());
    for &(index, dc_id, ac_id) in &scan.components {
        let dc = dc_tables.get(dc_id).and_then(Option::as_ref).ok_or(missing.clone())?;
        let ac = if frame.progressive { None } else { Some(ac_tables.get(ac_id).and_then(Option::as_ref).ok_or(missing.clone())?) };
        let quant = quant_dc[frame.components[index].quant_table].ok_or(missing.clone())?;
        plan.push((index, dc, ac, quant << scan.successive_low));
    }
    let mut reader = BitReader::new(data);
    let mut predictions = [0i32; 4];
    // A single-component scan covers that component's own blocks in raster
    // order; an interleaved one goes MCU by MCU.
    let interleaved = plan.len() > 1;
    let (units_wide, units_high) = if interleaved {
        (frame.mcus_wide, frame.mcus_high)
    } else {
        let component = &frame.components[plan[0].0];
        let wide = (frame.width * component.h).div_ceil(frame.max_h).div_ceil(8);
        let high = (frame.height * component.v).div_ceil(frame.max_v).div_ceil(8);
        (wide, high)
    };
    let mut units_since_restart = 0;
    for unit_y in 0..units_high {
        for unit_x in 0..units_wide {
            if restart_interval > 0 && units_since_restart == restart_interval {
                reader.restart()?;
                predictions = [0; 4];
                units_since_restart = 0;
            }
            units_since_restart += 1;
            for (slot, &(index, dc, ac, quant)) in plan.iter().enumerate() {
                let component = &mut frame.components[index];
                let (across, down) = if interleaved { (component.h, component.v) } else { (1, 1) };
                for block_y in 0..down {
                    for block_x in 0..across {
                        let size = reader.decode(dc) as u32;
                        // Over 11 is invalid; capped so the bits read stay within those buffered.
                        reader.invalid |= size > 11;
                        let size = size.min(11);
                        // Saturating: a hostile file's differences and quantisers are unbounded.
                        predictions[slot] = predictions[slot].saturating_add(reader.signed(size));
                        if let Some(ac) = ac {
                            reader.skip_ac(ac);
                        }
                        let (x, y) = (unit_x * across + block_x, unit_y * down + block_y);
                        component.dc[y * component.blocks_wide + x] = predictions[slot].saturating_mul(quant);
                    }
                }
            }
        }
    }
    reader.check_interval()?;
    for &(index, ..) in &plan {
        frame.components[index].seen = true;
    }
    Ok(reader.position)
}

/// Mean colour of each block: preview pixel (x, y) covers frame pixels 8x..8x+8, 8y..8y+8.
fn preview_pixels(frame: &Frame, is_rgb: bool) -> RgbImage {
    let (width, height) = (frame.width.div_ceil(8), frame.height.div_ceil(8));
    // Per component: its block means (the dequantised DC term / 8, around
    // the level shift of 128), and which of its block columns each preview
    // column reads (a subsampled component's block covers several).
    // Valid data keeps means near 0–255; clamping far outside that changes no
    // valid preview and keeps `ycbcr_to_rgb`'s fixed point within i32.
    let means: Vec<Vec<i32>> = frame
        .components
        .iter()
        .map(|c| c.dc.iter().map(|&dc| (dc.saturating_add(4).div_euclid(8) + 128).clamp(MIN_MEAN, MAX_MEAN)).collect())
        .collect();
    let columns: Vec<Vec<usize>> =
        frame.components.iter().map(|c| (0..width).map(|x| (x * c.h / frame.max_h).min(c.blocks_wide - 1)).collect()).collect();
    let mut pixels = vec![0u8; width * height * 3];
    for y in 0..height {
        let rows: Vec<&[i32]> = frame
            .components
            .iter()
            .zip(&means)
            .map(|(c, means)| {
                let row = (y * c.v / frame.max_v).min(c.blocks_high - 1);
                &means[row * c.blocks_wide..(row + 1) * c.blocks_wide]
            })
            .collect();
        let out = &mut pixels[y * width * 3..(y + 1) * width * 3];
        match rows.as_slice() {
            [grey] => {
                for x in 0..width {
                    let value = grey[columns[0][x]].clamp(0, 255) as u8;
                    (out[3 * x], out[3 * x + 1], out[3 * x + 2]) = (value, value, value);
                }
            }
            [first, second, third] => {
                for x in 0..width {
                    let (a, b, c) = (first[columns[0][x]], second[columns[1][x]], third[columns[2][x]]);
                    let rgb = if is_rgb { [a, b, c].map(|v| v.clamp(0, 255) as u8) } else { ycbcr_to_rgb(a, b - 128, c - 128) };
                    (out[3 * x], out[3 * x + 1], out[3 * x + 2]) = (rgb[0], rgb[1], rgb[2]);
                }
            }
            _ => {}
        }
    }
    RgbImage { width: width as u32, height: height as u32, pixels }
}

/// Block means are clamped to this range before colour conversion.
const MIN_MEAN: i32 = -1024;
const MAX_MEAN: i32 = 1280;

/// JFIF's YCbCr → RGB in 16.16 fixed point.
fn ycbcr_to_rgb(y: i32, cb: i32, cr: i32) -> [u8; 3] {
    const HALF: i32 = 1 << 15;
    let y = y << 16;
    let r = y + 91_881 * cr;
    let g = y - 22_554 * cb - 46_802 * cr;
    let b = y + 116_130 * cb;
    [r, g, b].map(|c| ((c + HALF) >> 16).clamp(0, 255) as u8)
}

/// Bits of the fast lookup: most codes of camera tables are this short.
const FAST_BITS: u32 = 9;
const FAST_SIZE: usize = 1 << FAST_BITS;

/// A canonical Huffman table: a `FAST_BITS` lookup for short codes, the
/// per-length code ranges for the rest.
struct Huffman {
    /// `length << 8 | symbol` for codes up to `FAST_BITS` long, 0 otherwise.
    fast: Box<[u16; FAST_SIZE]>,
    /// For AC tables, what skipping the coefficient takes: `bits << 8 | step`,
    /// the code and its extra bits together, and how far the position moves
    /// (0: end of block); 0 when the code is longer than `FAST_BITS`.
    fast_skip: Box<[u16; FAST_SIZE]>,
    /// Largest code of each length (-1: none), and where its symbols start.
    max_code: [i32; 17],
    first_code: [i32; 17],
    first_symbol: [usize; 17],
    symbols: Vec<u8>,
}

/// What skipping AC symbol `symbol` (run << 4 | size) takes after its code:
/// `size` extra bits, and the position moves `run + 1` (16 for a run of
/// sixteen zeros); 0 for the end of the block.
fn ac_step(symbol: u8) -> (u32, u16) {
    let (run, size) = ((symbol >> 4) as u16, (symbol & 15) as u32);
    match (run, size) {
        (15, 0) => (0, 16),
        (_, 0) => (0, 0),
        _ => (size, run + 1),
    }
}

impl Huffman {
    fn new(counts: &[u8], symbols: &[u8]) -> Option<Huffman> {
        let mut fast = Box::new([0u16; FAST_SIZE]);
        let mut fast_skip = Box::new([0u16; FAST_SIZE]);
        let (mut max_code, mut first_code, mut first_symbol) = ([-1i32; 17], [0i32; 17], [0usize; 17]);
        let (mut code, mut k) = (0i32, 0usize);
        for length in 1..=16 {
            let count = counts[length - 1] as usize;
            first_code[length] = code;
            first_symbol[length] = k;
            for _ in 0..count {
                if code >= 1 << length {
                    return None;
                }
                if length as u32 <= FAST_BITS {
                    let spread = FAST_BITS - length as u32;
                    let start = (code as usize) << spread;
                    let symbol = symbols[k];
                    fast[start..start + (1 << spread)].fill(((length as u16) << 8) | symbol as u16);
                    let (extra, step) = ac_step(symbol);
                    fast_skip[start..start + (1 << spread)].fill(((length as u16 + extra as u16) << 8) | step);
                }
                code += 1;
                k += 1;
            }
            if count > 0 {
                max_code[length] = code - 1;
            }
            code <<= 1;
        }
        Some(Huffman { fast, fast_skip, max_code, first_code, first_symbol, symbols: symbols.to_vec() })
    }
}

/// Reads entropy-coded bits MSB first, unstuffing `FF 00`; at a marker it
/// feeds zero bits and counts them, so a truncated scan is noticed. A code
/// that is in no table sets `invalid` (checked once per interval, not per
/// symbol: that check is the hot loop's).
struct BitReader<'a> {
    data: &'a [u8],
    position: usize,
    /// Unread bits, left-aligned.
    bits: u64,
    count: u32,
    at_marker: bool,
    padding_bytes: usize,
    invalid: bool,
}

impl<'a> BitReader<'a> {
    fn new(data: &'a [u8]) -> Self {
        BitReader { data, position: 0, bits: 0, count: 0, at_marker: false, padding_bytes: 0, invalid: false }
    }

    /// At least 57 bits buffered, so any code and its extra bits (≤ 27) fit.
    #[inline(always)]
    fn refill(&mut self) {
        (self.bits, self.count) = self.refilled(self.bits, self.count);
    }

    /// `bits` and `count` topped up to at least 57 bits. By value, so the
    /// hot loops keep them in registers: through `&mut self` they went to
    /// memory on every symbol (measured: twice the time).
    #[inline(never)]
    fn refilled(&mut self, mut bits: u64, mut count: u32) -> (u64, u32) {
        while count <= 56 {
            let mut byte = 0u8;
            if !self.at_marker {
                match self.data.get(self.position) {
                    Some(&0xFF) if self.data.get(self.position + 1) == Some(&0x00) => {
                        byte = 0xFF;
                        self.position += 2;
                    }
                    Some(&0xFF) | None => self.at_marker = true,
                    Some(&value) => {
                        byte = value;
                        self.position += 1;
                    }
                }
            }
            if self.at_marker {
                self.padding_bytes += 1;
            }
            bits |= (byte as u64) << (56 - count);
            count += 8;
        }
        (bits, count)
    }

    #[inline(always)]
    fn consume(&mut self, count: u32) {
        self.bits <<= count;
        self.count -= count;
    }

    /// The next Huffman symbol (0 with `invalid` set for a code in no table).
    #[inline(always)]
    fn decode(&mut self, table: &Huffman) -> u8 {
        if self.count < 32 {
            self.refill();
        }
        let entry = table.fast[(self.bits >> (64 - FAST_BITS)) as usize];
        if entry != 0 {
            self.consume((entry >> 8) as u32);
            return entry as u8;
        }
        self.decode_long(table)
    }

    /// Codes longer than `FAST_BITS`, by the per-length ranges.
    #[inline(never)]
    fn decode_long(&mut self, table: &Huffman) -> u8 {
        for length in FAST_BITS as usize + 1..=16 {
            let code = (self.bits >> (64 - length)) as i32;
            if code <= table.max_code[length] {
                self.consume(length as u32);
                let index = table.first_symbol[length] + (code - table.first_code[length]) as usize;
                if let Some(&symbol) = table.symbols.get(index) {
                    return symbol;
                }
                break;
            }
        }
        self.invalid = true;
        0
    }

    /// The next `size` bits as a signed JPEG value (`size` ≤ 16, bits already buffered by `decode`).
    #[inline(always)]
    fn signed(&mut self, size: u32) -> i32 {
        if size == 0 {
            return 0;
        }
        let value = (self.bits >> (64 - size)) as i32;
        self.consume(size);
        // A leading 0 bit means a negative value.
        if value < 1 << (size - 1) { value - (1 << size) + 1 } else { value }
    }

    /// Steps over one block's 63 AC coefficients without keeping them.
    #[inline(always)]
    fn skip_ac(&mut self, table: &Huffman) {
        let fast_skip = &*table.fast_skip;
        let (mut bits, mut count) = (self.bits, self.count);
        let mut k = 1u32;
        while k < 64 {
            if count < 32 {
                (bits, count) = self.refilled(bits, count);
            }
            let entry = fast_skip[(bits >> (64 - FAST_BITS)) as usize];
            let step = if entry != 0 {
                let used = (entry >> 8) as u32;
                bits <<= used;
                count -= used;
                (entry & 0xFF) as u32
            } else {
                (self.bits, self.count) = (bits, count);
                let (extra, step) = ac_step(self.decode_long(table));
                self.consume(extra);
                (bits, count) = (self.bits, self.count);
                step as u32
            };
            if step == 0 {
                break;
            }
            k += step;
        }
        (self.bits, self.count) = (bits, count);
        self.invalid |= k > 64;
    }

    /// A complete interval ends within its own bytes (its last byte padded
    /// with 1 bits): reading any of the zeros fed past a marker means the
    /// data ran out; many bytes left over after its last block mean the
    /// codes went out of step (damaged data decodes into other codes). Both
    /// are what libjpeg warns of ("premature end", "extraneous bytes").
    fn check_interval(&self) -> Result<(), PhotoError> {
        if self.invalid {
            return Err(damaged("JPEG entropy-coded data is invalid"));
        }
        if self.padding_bytes as u64 * 8 > self.count as u64 {
            return Err(damaged("JPEG scan is truncated or its data is damaged"));
        }
        let unread_bytes = if self.at_marker {
            (self.count as usize / 8).saturating_sub(self.padding_bytes)
        } else {
            let rest = &self.data[self.position..];
            // Up to the next marker, restart markers included.
            let to_marker = (0..rest.len()).find(|&i| rest[i] == 0xFF && rest.get(i + 1).is_some_and(|&b| b != 0x00)).unwrap_or(rest.len());
            (self.count as usize / 8) + to_marker
        };
        // A few extraneous bytes are written by some camera encoders: tolerated.
        if unread_bytes > EXTRANEOUS_BYTES_TOLERATED {
            return Err(damaged("JPEG scan data is damaged: bytes left over after its last block"));
        }
        Ok(())
    }

    /// Drops the partial byte, passes the restart marker that must come next.
    fn restart(&mut self) -> Result<(), PhotoError> {
        self.check_interval()?;
        (self.bits, self.count, self.at_marker, self.padding_bytes) = (0, 0, false, 0);
        let rest = &self.data[self.position..];
        let skipped = rest.iter().take_while(|&&b| b == 0xFF).count();
        match rest.get(skipped) {
            Some(0xD0..=0xD7) if skipped > 0 => {
                self.position += skipped + 1;
                Ok(())
            }
            _ => Err(damaged("JPEG restart marker is missing")),
        }
    }
}
