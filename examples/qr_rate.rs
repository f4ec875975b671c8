//! Decode rate and time on generated camera frames: our decoder at the camera
//! budget (3 passes) and the still budget (12), optionally against rqrr alone,
//! on the same frames as the browser benchmark (`make_qr_frames`: 16 named +
//! N random, references 1000 + index).
//! `cargo run --release --example qr_rate -- [RANDOM_FRAMES (84) [FIRST_SEED (0)]]`
//! (FIRST_SEED 5000: the held-out set of `bench/qr.mjs --first-seed 5000`).
//! Env: `QR_RATE_BUDGETS=3,12`, `QR_RATE_BASELINE=1` (rqrr alone),
//! `QR_RATE_PASSES=1` (which pass wins with an unlimited budget),
//! `QR_RATE_REPEATS=3` (median of timed runs per frame), `QR_RATE_STILL=1` (12 MP still), `QR_RATE_ONLY=random_005` (one frame),
//! `QR_RATE_RGBA=1` (hand over RGBA, as the browser does, instead of grey).
//! Times are wall clock and, on Linux, the thread's CPU time (less noisy on a
//! shared machine: it leaves out time the thread waited for a core).

#[path = "../tests/support/qr_card.rs"]
mod qr_card;

use std::time::Instant;

use id_capture::qr::{decode_grey, decode_rgba, ScanOptions};
use qr_card::{card_url, invented_reference, named_scenes, random_scene, render};

fn quantile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(index).copied().unwrap_or(0.0)
}

fn rqrr_alone(width: usize, height: usize, grey: &[u8]) -> Option<String> {
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey[y * width + x]);
    prepared.detect_grids().iter().find_map(|grid| grid.decode().ok().map(|(_, text)| text))
}

/// This thread's CPU time in ms (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`;
/// Linux's schedstat file only advances per scheduler tick, 4 ms).
#[cfg(target_os = "linux")]
fn thread_cpu_ms() -> Option<f64> {
    #[repr(C)]
    struct Timespec {
        seconds: i64,
        nanoseconds: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut time = Timespec { seconds: 0, nanoseconds: 0 };
    // SAFETY: libc writes one timespec (two 64-bit fields on 64-bit Linux) into `time`.
    let status = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut time) };
    (status == 0 && cfg!(target_pointer_width = "64")).then(|| time.seconds as f64 * 1e3 + time.nanoseconds as f64 / 1e6)
}

#[cfg(not(target_os = "linux"))]
fn thread_cpu_ms() -> Option<f64> {
    None
}

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1")
}

fn main() {
    let random_frames: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(84);
    let first_seed: u64 = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(0);
    let budgets: Vec<u32> = std::env::var("QR_RATE_BUDGETS")
        .unwrap_or_else(|_| "3,12".into())
        .split(',')
        .filter_map(|b| b.trim().parse().ok())
        .collect();
    let mut scenes: Vec<(String, qr_card::Scene)> = named_scenes().into_iter().map(|(n, s)| (n.to_string(), s)).collect();
    scenes.extend((first_seed..first_seed + random_frames).map(|seed| (format!("random_{seed:03}"), random_scene(seed))));
    let frames: Vec<(String, String, qr_card::Frame)> = scenes
        .iter()
        .enumerate()
        .map(|(index, (name, scene))| {
            let url = card_url(&invented_reference(1000 + index as u64));
            let frame = render(&url, scene);
            (name.clone(), url, frame)
        })
        .filter(|(name, _, _)| std::env::var("QR_RATE_ONLY").map_or(true, |only| *name == only))
        .collect();
    let total = frames.len();
    let repeats: usize = std::env::var("QR_RATE_REPEATS").ok().and_then(|r| r.parse().ok()).unwrap_or(1).max(1);

    let mut labels: Vec<String> = Vec::new();
    if flag("QR_RATE_BASELINE") {
        labels.push("rqrr alone".into());
    }
    labels.extend(budgets.iter().map(|b| format!("ours ({b} passes)")));
    let mut decoded = vec![0usize; labels.len()];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); labels.len()];
    let mut cpu_times: Vec<Vec<f64>> = vec![Vec::new(); labels.len()];
    let mut missed: Vec<Vec<String>> = vec![Vec::new(); labels.len()];
    let mut winning_pass = std::collections::BTreeMap::new();
    for (name, url, frame) in &frames {
        let (w, h) = (frame.width, frame.height);
        let rgba = if flag("QR_RATE_RGBA") { frame.to_rgba() } else { Vec::new() };
        let rgba = &rgba;
        let mut runs: Vec<Box<dyn Fn() -> Option<String> + '_>> = Vec::new();
        if flag("QR_RATE_BASELINE") {
            runs.push(Box::new(|| rqrr_alone(w, h, &frame.grey)));
        }
        for &budget in &budgets {
            let options = ScanOptions { max_attempts: Some(budget), ..ScanOptions::default() };
            runs.push(Box::new(move || {
                let decoded = if rgba.is_empty() {
                    decode_grey(w as u32, h as u32, &frame.grey, &options)
                } else {
                    decode_rgba(w as u32, h as u32, rgba, &options)
                };
                decoded.ok().map(|d| d.text)
            }));
        }
        for (slot, run) in runs.iter().enumerate() {
            // Median of `repeats` timed runs per frame, as the browser bench does.
            let mut runs_ms = Vec::new();
            let mut cpu_ms = Vec::new();
            let mut ok = false;
            for _ in 0..repeats {
                let (start, cpu_start) = (Instant::now(), thread_cpu_ms());
                ok = run().as_deref() == Some(url.as_str());
                runs_ms.push(start.elapsed().as_secs_f64() * 1000.0);
                if let (Some(before), Some(after)) = (cpu_start, thread_cpu_ms()) {
                    cpu_ms.push(after - before);
                }
            }
            times[slot].push(quantile(&runs_ms, 0.5));
            if !cpu_ms.is_empty() {
                cpu_times[slot].push(quantile(&cpu_ms, 0.5));
            }
            if ok {
                decoded[slot] += 1;
            } else {
                missed[slot].push(name.clone());
            }
        }
        if flag("QR_RATE_PASSES") {
            let unlimited = ScanOptions { max_attempts: Some(32), ..ScanOptions::default() };
            let outcome = decode_grey(w as u32, h as u32, &frame.grey, &unlimited);
            let pass = outcome.ok().filter(|d| d.text == *url).map(|d| d.attempt).unwrap_or(0);
            winning_pass.entry(pass).or_insert_with(Vec::new).push(name.clone());
        }
    }
    for (slot, label) in labels.iter().enumerate() {
        println!(
            "{label:>18}: {}/{total} = {:.1}%  median {:.1} ms  p90 {:.1} ms  max {:.1} ms{}",
            decoded[slot],
            100.0 * decoded[slot] as f64 / total as f64,
            quantile(&times[slot], 0.5),
            quantile(&times[slot], 0.9),
            quantile(&times[slot], 1.0),
            if cpu_times[slot].is_empty() {
                String::new()
            } else {
                format!(
                    "  (CPU: median {:.1} ms  p90 {:.1} ms)",
                    quantile(&cpu_times[slot], 0.5),
                    quantile(&cpu_times[slot], 0.9)
                )
            },
        );
    }
    for (slot, label) in labels.iter().enumerate() {
        println!("{label} missed: {}", missed[slot].join(" "));
    }
    if flag("QR_RATE_PASSES") {
        for (pass, names) in &winning_pass {
            println!("first decoding pass {pass} (0 = none): {} {}", names.len(), names.join(" "));
        }
    }
    if flag("QR_RATE_STILL") {
        // A 12 MP still (4000×3000) goes through the pyramid: bounded work.
        let full = ScanOptions::default();
        let url = card_url("STILL12MP0");
        let still = render(&url, &qr_card::Scene { frame_width: 4000, frame_height: 3000, card_width_fraction: 0.3, ..Default::default() });
        let start = Instant::now();
        let found = decode_grey(4000, 3000, &still.grey, &full);
        let found_ms = start.elapsed().as_secs_f64() * 1000.0;
        let blank = vec![128u8; 4000 * 3000];
        let start = Instant::now();
        let _ = decode_grey(4000, 3000, &blank, &full);
        println!(
            "12 MP still: decoded {} in {found_ms:.1} ms; blank 12 MP frame ({} passes) {:.1} ms",
            found.map(|d| d.text == url).unwrap_or(false),
            full.max_attempts(),
            start.elapsed().as_secs_f64() * 1000.0
        );
    }
}
