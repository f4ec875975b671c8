//! The image that makes upstream rqrr 0.10.1 panic, shared by the native QR
//! tests (src/qr/tests.rs) and the browser test (tests/web.rs).

/// Draws a finder pattern (7×7 modules: dark ring, light ring, dark 3×3 core).
pub fn draw_finder(dark: &mut [bool], width: usize, (cx, cy, angle): (f64, f64, f64), module: f64) {
    let (s, c) = angle.sin_cos();
    for (index, pixel) in dark.iter_mut().enumerate() {
        let (dx, dy) = ((index % width) as f64 - cx, (index / width) as f64 - cy);
        let (u, v) = ((dx * c + dy * s) / module, (-dx * s + dy * c) / module);
        let ring = u.abs().max(v.abs());
        if ring < 3.5 {
            *pixel = !(1.5..2.5).contains(&ring);
        }
    }
}

/// Five overlapping, rotated finder patterns: found by a random search
/// (examples/find_rqrr_panic.rs) to make upstream rqrr 0.10.1 panic in
/// `detect_grids` with `assertion failed: x <= i32::MAX as f64` (geometry.rs),
/// the panic seen on real photos (rqrr issue #54).
pub fn upstream_panic_bitmap() -> (usize, usize, Vec<bool>) {
    let (width, height) = (200, 200);
    let mut dark = vec![false; width * height];
    for finder in [
        (101.39857041593338, 68.83373277665143, 2.202160826675421),
        (57.62975697649143, 72.33347140765696, 4.653701176453822),
        (64.73839400024801, 147.33883659808265, 1.8675264463350558),
        (29.621375739736457, 122.23974601164124, 0.7781866962576326),
        (52.900642443579855, 91.85488401272373, 6.148414046769945),
    ] {
        draw_finder(&mut dark, width, finder, 2.5);
    }
    (width, height, dark)
}

