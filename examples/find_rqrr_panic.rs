//! Random search for images that make upstream rqrr 0.10.1 panic, to get a
//! trigger for the trap-survival tests (tests/support/rqrr_trigger.rs holds the one found).
//! `cargo run --release --example find_rqrr_panic [TRIALS]`

#[path = "../tests/support/rqrr_trigger.rs"]
#[allow(dead_code)]
mod rqrr_trigger;
use rqrr_trigger::draw_finder;

// 6.28 rather than TAU: the trigger recorded in src/qr/tests.rs came from this exact stream.
#[allow(clippy::approx_constant)]
fn main() {
    let trials: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    std::panic::set_hook(Box::new(|_| {}));
    let (width, height) = (200usize, 200usize);
    let mut state: u64 = 7;
    let mut next = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for trial in 0..trials {
        let mut dark = vec![false; width * height];
        let module = 2.0 + next() * 4.0;
        let mut finders = vec![];
        for _ in 0..3 + (next() * 3.0) as usize {
            let finder = (20.0 + next() * 160.0, 20.0 + next() * 160.0, next() * 6.28);
            draw_finder(&mut dark, width, finder, module);
            finders.push(finder);
        }
        let upstream = std::panic::catch_unwind(|| {
            let mut prepared = rqrr_upstream::PreparedImage::prepare_from_bitmap(width, height, |x, y| dark[y * width + x]);
            prepared.detect_grids().len()
        });
        if upstream.is_err() {
            println!("trial {trial}: module {module} finders {finders:?}");
        }
    }
}
