//! Writes invented document photos with an MRZ (JPEG, greyscale) and their
//! ground truth, for `read_mrz` and for looking at.
//! Run: `cargo run --release --example make_mrz_photos -- OUT_DIR [COUNT] [SEED]`
//! (`WILD=1`: whole phone photos rendered unlike the templates, see
//! `tests/support/mrz_photos.rs` `WildPhoto`).

#[path = "../tests/support/mod.rs"]
mod support;

use id_capture::mrz::DocumentKind;
use support::mrz_fixtures::Rng;
use support::mrz_photos::{PhotoMaker, WildPhoto};

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "target/mrz-photos".into());
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    std::fs::create_dir_all(&out).expect("create output directory");
    let maker = PhotoMaker::new();
    let mut rng = Rng::new(seed);
    for index in 0..count {
        let kind = DocumentKind::ALL[index % DocumentKind::ALL.len()];
        let photo = if std::env::var_os("WILD").is_some() {
            let wild = maker.make_wild(&mut rng, kind, WildPhoto::default());
            support::mrz_photos::DocumentPhoto { width: wild.width, height: wild.height, grey: wild.grey, truth: wild.truth }
        } else {
            maker.make(&mut rng, kind)
        };
        let path = format!("{out}/mrz-{seed}-{index:04}.jpg");
        image::save_buffer_with_format(&path, &photo.grey, photo.width, photo.height, image::ExtendedColorType::L8, image::ImageFormat::Jpeg)
            .expect("write photo");
        if std::env::var_os("RAW").is_some() {
            // Raw greyscale `WIDTHxHEIGHT.grey` for timing the reader in a wasm runtime.
            let raw = path.replace(".jpg", &format!("-{}x{}.grey", photo.width, photo.height));
            std::fs::write(&raw, &photo.grey).expect("write raw pixels");
        }
        if std::env::var_os("PNG").is_some() {
            let preview = path.replace(".jpg", ".png");
            image::save_buffer(&preview, &photo.grey, photo.width, photo.height, image::ExtendedColorType::L8).expect("write preview");
        }
        println!(
            "{}",
            serde_json::json!({
                "file": path, "lines": photo.truth.lines, "surname": photo.truth.surname,
                "given_names": photo.truth.given_names,
                "date_of_birth": photo.truth.date_of_birth.map(|d| d.to_string()),
                "nationality": photo.truth.nationality,
            })
        );
    }
}
