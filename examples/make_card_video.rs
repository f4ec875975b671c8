//! Writes a `.y4m` video (YUV 4:2:0, 640×480, 15 fps, 4 s) of an invented HMS
//! card sliding into view, tilting upright and settling: Chromium's fake
//! camera for the E2E test (`--use-fake-device-for-media-stream
//! --use-file-for-fake-video-capture=FILE.y4m`). Checks that our decoder
//! reads the settled frames and exits non-zero if not.
//! `cargo run --release --example make_card_video -- OUT.y4m [REFERENCE | --text TEXT]`
//! The QR text is `https://hmskort.no/kort/<REFERENCE>` (default HMS7F3K9Q2),
//! or TEXT as given (a code that is not an HMS card, for the negative test).

#[path = "../tests/support/qr_card.rs"]
mod qr_card;

use std::io::Write;

use id_capture::hms::{recognise_hms_card, HmsRules};
use id_capture::qr::{decode_grey, ScanOptions};
use qr_card::{card_url, render, Scene};

const WIDTH: usize = 640;
const HEIGHT: usize = 480;
const FPS: usize = 15;
const FRAMES: usize = 60;
/// From this frame on the card is still.
const SETTLED_FROM: usize = 36;

fn scene_at(frame: usize) -> Scene {
    let t = (frame.min(SETTLED_FROM) as f64 / SETTLED_FROM as f64).min(1.0);
    let ease = 1.0 - (1.0 - t).powi(3);
    Scene {
        frame_width: WIDTH,
        frame_height: HEIGHT,
        center: (1.25 - 0.75 * ease, 0.62 - 0.12 * ease),
        card_width_fraction: 0.55 + 0.25 * ease,
        rotation_degrees: 25.0 * (1.0 - ease) - 4.0,
        tilt: 0.3 * (1.0 - ease) + 0.05,
        tilt_direction_degrees: 90.0,
        blur_radius: if frame < SETTLED_FROM - 6 { 2 } else { 0 },
        noise_amplitude: 6,
        seed: frame as u64 + 1,
        ..Scene::default()
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out_path) = args.next() else {
        eprintln!("usage: make_card_video OUT.y4m [REFERENCE | --text TEXT]");
        std::process::exit(2);
    };
    let (text, reference) = match args.next().as_deref() {
        Some("--text") => (args.next().unwrap_or_default(), None),
        Some(reference) => (card_url(reference), Some(reference.to_string())),
        None => (card_url("HMS7F3K9Q2"), Some("HMS7F3K9Q2".to_string())),
    };
    let mut out = std::io::BufWriter::new(std::fs::File::create(&out_path).expect("create output"));
    writeln!(out, "YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg").expect("write header");
    let (mut decoded_settled, mut decoded_moving) = (0, 0);
    for index in 0..FRAMES {
        let frame = render(&text, &scene_at(index));
        // Luma is the grey frame; neutral chroma planes at quarter size.
        out.write_all(b"FRAME\n").expect("write");
        out.write_all(&frame.grey).expect("write");
        out.write_all(&vec![128u8; (WIDTH / 2) * (HEIGHT / 2) * 2]).expect("write");
        let decoded = decode_grey(WIDTH as u32, HEIGHT as u32, &frame.grey, &ScanOptions::default());
        // A card frame counts when it reads as that card; any other code when its text reads back.
        let is_card = decoded.ok().is_some_and(|d| match &reference {
            Some(reference) => recognise_hms_card(&d.text, &HmsRules::default()).is_ok_and(|r| r.as_str() == reference),
            None => d.text == text,
        });
        match (index >= SETTLED_FROM, is_card) {
            (true, true) => decoded_settled += 1,
            (false, true) => decoded_moving += 1,
            _ => {}
        }
    }
    out.flush().expect("flush");
    let settled = FRAMES - SETTLED_FROM;
    println!("wrote {out_path}: {FRAMES} frames {WIDTH}x{HEIGHT} @ {FPS} fps, QR text of {} characters", text.chars().count());
    println!("decoded the code in {decoded_settled}/{settled} settled frames, {decoded_moving}/{SETTLED_FROM} moving frames");
    if decoded_settled != settled {
        std::process::exit(1);
    }
}
