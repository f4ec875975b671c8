//! Writes a `.y4m` video (YUV 4:2:0, 1280×720, 10 fps, 2 s) of a document
//! photo held still in front of the camera, for Chromium's fake camera in the
//! E2E test of taking an ID photo with the page's own camera view.
//! `cargo run --release --example make_document_video -- DOCUMENT.jpg OUT.y4m`

use std::io::Write;

const WIDTH: usize = 1280;
const HEIGHT: usize = 720;
const FPS: usize = 10;
const FRAMES: usize = 20;
/// Share of the frame's width the document covers.
const DOCUMENT_SHARE: f64 = 0.8;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(document_path), Some(out_path)) = (args.next(), args.next()) else {
        eprintln!("usage: make_document_video DOCUMENT.jpg OUT.y4m");
        std::process::exit(2);
    };
    let document = image::open(&document_path).expect("read the document photo").to_luma8();
    let scale = (WIDTH as f64 * DOCUMENT_SHARE / document.width() as f64).min(HEIGHT as f64 * 0.9 / document.height() as f64);
    let (doc_width, doc_height) = ((document.width() as f64 * scale) as usize, (document.height() as f64 * scale) as usize);
    let (left, top) = ((WIDTH - doc_width) / 2, (HEIGHT - doc_height) / 2);
    // A darker, lightly textured table around the document, so its edges can be found.
    let mut luma = vec![0u8; WIDTH * HEIGHT];
    for (index, pixel) in luma.iter_mut().enumerate() {
        let (x, y) = (index % WIDTH, index / WIDTH);
        *pixel = (60 + ((x / 16 + y / 16) % 2) * 12) as u8;
        if (left..left + doc_width).contains(&x) && (top..top + doc_height).contains(&y) {
            // Bilinear-free nearest sampling is enough at this downscale.
            let source_x = (((x - left) as f64 / scale) as u32).min(document.width() - 1);
            let source_y = (((y - top) as f64 / scale) as u32).min(document.height() - 1);
            *pixel = document.get_pixel(source_x, source_y)[0];
        }
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(&out_path).expect("create output"));
    writeln!(out, "YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg").expect("write header");
    for _ in 0..FRAMES {
        out.write_all(b"FRAME\n").expect("write");
        out.write_all(&luma).expect("write");
        out.write_all(&vec![128u8; (WIDTH / 2) * (HEIGHT / 2) * 2]).expect("write");
    }
    out.flush().expect("flush");
    println!("wrote {out_path}: {FRAMES} frames {WIDTH}x{HEIGHT}, document {doc_width}x{doc_height} at ({left}, {top})");
}
