//! Helpers shared by the fuzz targets: a fixed "today", a tiny executor for
//! the registry client's async loop, and the project's own MRZ generator.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use id_capture::date::Date;

/// The invented MRZs of the native tests (invented holders only), reused so
/// the fuzzer starts from documents whose check digits pass.
#[path = "../../tests/support/mrz_fixtures.rs"]
pub mod mrz_fixtures;

/// The same "today" as the native tests: results must not depend on the clock.
pub fn today() -> Date {
    Date::new(2026, 11, 23).unwrap()
}

/// Runs a future whose awaits are all immediately ready (the fake transports
/// here never wait); a future that stays pending is a harness bug.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    for _ in 0..1_000_000 {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
    panic!("the future never finished: a fake transport must not wait");
}

/// `width × height` grey pixels from the input: the first two bytes choose
/// the size within `max_width × max_height`, the rest (repeated) are pixels.
pub fn small_grey(data: &[u8], min_side: u32, max_width: u32, max_height: u32) -> Option<(u32, u32, Vec<u8>)> {
    let (&w, rest) = data.split_first()?;
    let (&h, pixels) = rest.split_first()?;
    let width = min_side + u32::from(w) % (max_width - min_side + 1);
    let height = min_side + u32::from(h) % (max_height - min_side + 1);
    let count = (width * height) as usize;
    let grey = if pixels.is_empty() { vec![255; count] } else { pixels.iter().copied().cycle().take(count).collect() };
    Some((width, height, grey))
}

/// A real JPEG with a few bytes changed: a small image (size, pixels,
/// quality and layout from the input: baseline or progressive, restart
/// intervals, 4:4:4 to 4:2:0 or grey) from `jpeg-encoder` (the encoder the
/// native tests use for these variants), an EXIF orientation segment when
/// the input asks for one, then up to 8 `(offset, byte)` overwrites. Deep
/// states of a decoder (Huffman tables, progressive scans, restarts) are
/// reached this way far sooner than from noise.
pub fn damaged_jpeg(data: &[u8]) -> Vec<u8> {
    use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
    let byte = |at: usize| data.get(at).copied().unwrap_or(0);
    let (width, height) = (1 + u16::from(byte(0)) % 48, 1 + u16::from(byte(1)) % 48);
    let quality = 1 + byte(2) % 100;
    let orientation = byte(3) % 10; // 0 and 9: no EXIF segment
    let layout = byte(4);
    let edits = usize::from(byte(5) % 9);
    let edits_at = 6;
    let pixels_at = edits_at + edits * 3;
    let source = data.get(pixels_at..).filter(|p| !p.is_empty()).unwrap_or(&[128]);
    let grey = layout & 0x08 != 0;
    let channels = if grey { 1 } else { 3 };
    let pixels: Vec<u8> = source.iter().copied().cycle().take(usize::from(width) * usize::from(height) * channels).collect();
    let mut jpeg = Vec::new();
    let mut encoder = Encoder::new(&mut jpeg, quality);
    encoder.set_progressive(layout & 0x01 != 0);
    encoder.set_restart_interval(u16::from(layout >> 4 & 0x03));
    encoder.set_sampling_factor([SamplingFactor::R_4_4_4, SamplingFactor::R_4_2_2, SamplingFactor::R_4_2_0, SamplingFactor::R_4_4_0][usize::from(layout >> 1 & 0x03)]);
    let color = if grey { ColorType::Luma } else { ColorType::Rgb };
    if encoder.encode(&pixels, width, height, color).is_err() {
        return data.to_vec();
    }
    if (1..=8).contains(&orientation) {
        let mut app1 = vec![0xFF, 0xE1, 0, 0];
        app1.extend_from_slice(b"Exif\0\0MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0");
        app1.extend_from_slice(&[orientation, 0, 0, 0, 0, 0, 0]);
        let length = (app1.len() - 2) as u16;
        app1[2..4].copy_from_slice(&length.to_be_bytes());
        jpeg.splice(2..2, app1);
    }
    for edit in 0..edits {
        let at = edits_at + edit * 3;
        let offset = usize::from(u16::from_le_bytes([byte(at), byte(at + 1)])) % jpeg.len();
        jpeg[offset] = byte(at + 2);
    }
    jpeg
}

/// The bytes an image target works on: a file as it is when the input
/// starts like a JPEG (`FF`) or a PNG (`89`), so seeds are plain files;
/// otherwise a damaged real JPEG made from the input ([`damaged_jpeg`]).
pub fn photo_input(data: &[u8]) -> Vec<u8> {
    match data.first() {
        None | Some(0xFF) | Some(0x89) => data.to_vec(),
        Some(_) => damaged_jpeg(&data[1..]),
    }
}
