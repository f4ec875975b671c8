//! Why one image does not decode: for each binarisation rqrr's own search
//! runs on, the grids found and what became of each (codewords, text).
//! `cargo run --release --example qr_probe -- FILE...`
use id_capture::qr::decode_text;
use rqrr::BitGrid;

fn main() {
    for file in std::env::args().skip(1) {
        let Ok(image) = image::open(&file) else { continue };
        let grey = image.to_luma8();
        let (w, h) = (grey.width() as usize, grey.height() as usize);
        for invert in [false, true] {
            let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
                let v = grey.get_pixel(x as u32, y as u32).0[0];
                if invert { 255 - v } else { v }
            });
            let grids = prepared.detect_grids();
            println!("{file} invert={invert}: {} grids", grids.len());
            for grid in grids {
                match grid.decode_codewords() {
                    Ok((meta, codewords)) => {
                        println!("  v{} ecc{} bounds {:?}: {:?}", meta.version.0, meta.ecc_level, grid.bounds, decode_text(meta.version.0, &codewords).map(|t| t.chars().take(40).collect::<String>()))
                    }
                    Err(error) => println!("  size {} bounds {:?}: {error}", grid.grid.size(), grid.bounds),
                }
            }
        }
    }
}
