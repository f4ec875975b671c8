//! MRZ (ICAO Doc 9303): read name, date of birth and nationality from the
//! machine-readable zone of a cropped document photo, on the device.
//!
//! # What the boundary calls
//! - [`read_mrz`]`(width, height, grey, today) -> Result<MrzReading, MrzError>`:
//!   greyscale pixels (row-major, `width × height` bytes) of the upright,
//!   cropped document from the photo module. `Ok` only when every check
//!   digit of the layout passes. Errors map to `invalid_pixels`,
//!   `no_mrz_found`, `mrz_invalid` and `mrz_checks_failed` through
//!   [`crate::error::Coded`].
//! - [`MrzReading::to_person`] prefills the confirmation form;
//!   [`MrzReading::names_need_confirmation`] and
//!   [`MrzReading::name_confidence`] say when the page should ask the user
//!   to check the names (names carry no check digit);
//!   [`MrzReading::date_of_birth_needs_confirmation`] and
//!   [`MrzReading::nationality_needs_confirmation`] the same for a birth date
//!   that repair changed and a nationality that was repaired or read with
//!   low confidence.
//! - [`parse_mrz_text`] / [`parse_mrz_lines`] parse typed or pasted MRZ text.
//!
//! # Privacy
//! The document number and expiry are verified (check digits, dates) and then
//! dropped: no public field or `Debug` output of [`MrzReading`] holds them.
//! [`recognise_mrz`] additionally returns the raw lines for diagnostic tools
//! (`examples/read_mrz.rs`); its `Debug` redacts them and the web boundary
//! must not use it.
//!
//! # How the reader works
//! 1. `binarize`: shrink to ~800 px long edge, local-mean threshold (uneven light).
//! 2. `orientation`: the text-line angle is estimated from each
//!    character-sized blob's nearest like-sized neighbour; when it is more
//!    than 4° off level, the working image (not the photo) is turned to it
//!    and to its opposite, so an MRZ at any quarter turn and ±30° of skew is
//!    found; rows found there are mapped back and cells are sampled from the
//!    photo along the turned direction.
//! 3. `components`, `band`: blobs of character size are chained left to right
//!    (so lines follow ±3° rotation and mild perspective); the lowest 2 or 3
//!    evenly spaced lines of 30/36/44 cells (±1, both ends tried) form the
//!    band; each line's cell centres are fitted by quadratics in the cell index.
//!    [`recognise_mrz_in_photo`] (a whole photo) looks again at twice the
//!    detail when no band is found, for an MRZ a few hundred pixels wide.
//! 4. `classify`: each cell is sampled from the full-resolution photo into a
//!    16×20 frame and scored by normalised cross-correlation against the 37
//!    OCR-B templates (`templates`, 5.9 KB embedded, rendered offline by
//!    `examples/make_mrz_templates.rs`), coarse-to-fine over ±2 sample shifts.
//! 5. `repair`: every position is restricted to what its field allows (digits
//!    in dates and check digits, letters in names and codes). Repair never
//!    invents: if the best characters fail a check, a checked position may
//!    take only the recogniser's own runner-up there, and only when it scored
//!    within `RUNNER_UP_MARGIN` (0.12) of the winner; at most two positions
//!    change (singles, then pairs of the 12 closest). No search for digits
//!    that satisfy a checksum: a document whose printed check digits are
//!    wrong stays `mrz_checks_failed`. Nationality (no check digit) may take
//!    close runner-ups that make it a known code. A repair touching the birth
//!    date or its check digit sets `date_of_birth_needs_confirmation`; a
//!    repaired or low-confidence nationality sets
//!    `nationality_needs_confirmation` (names: `names_need_confirmation`).
//! 6. Level text is tried upright, then upside down; turned text at its
//!    angle, its opposite, then level and upside down.
//!
//! The page's whole path (document search, warp, this reader on the crop,
//! then on the whole photo) is `crate::photo::mrz_read`.
//!
//! # Measured (2026-11-30, native x86-64 release, shared 2-core machine)
//! - `../shared/data/mrz-photos-b` (second generator, check only, never
//!   tuned on), `examples/read_mrz` by the page's path: 60/60 with all four
//!   fields exact (44/60 before, reader alone on the whole photo), 0 wrong
//!   birth dates or nationalities; reader on the crop 24 ms mean (the old
//!   reader on the whole photo: 23 ms in the same run), whole path 91 ms.
//! - `mrz_accuracy WILD=1 100 777` (whole photos unlike the templates: OCR-B
//!   Sharp, stroke weights, glyph size, faint ink, any quarter turn, ±30°
//!   skew, perspective): 96 % exact, 0 wrong readings; seed 4242: 90 %,
//!   1 wrong name (flagged); `SMALL=1` (band ~300–500 px): 36 % of 50.
//!   No wrong birth date or nationality left unflagged in any of them.
//! - Own sets: 100 % of 200 (seed 8675309, ~21 ms mean, as before);
//!   `HARSH=1` 98.7 % of 150 (98.0 % before).
//!
//! # Measured earlier (generated photos, seeds never used for tuning)
//! - `cargo run --release --example mrz_accuracy -- 500 8675309`: 100 % of
//!   500 documents with all three fields exact, 0 wrong readings accepted,
//!   35–65 ms mean per photo natively (x86-64, shared 2-core machine).
//! - `HARSH=1` (800–1200 px, blur ≤ 2.2 px, noise ≤ 16, JPEG 20–50): 99.3 %
//!   of 150 exact; the one wrong reading was a misread name, flagged by
//!   `names_need_confirmation`.
//! - wasm32 (V8 in Node 20, same engine as Chromium), 20 photos: 85 ms mean,
//!   185 ms max. The parser and reader add about 39 KB gzipped to a `.wasm`
//!   (99 KB raw, before wasm-opt), templates included.

mod band;
mod binarize;
mod check_digit;
mod classify;
mod components;
mod document_kind;
mod error;
mod fields;
mod layout;
mod orientation;
mod read;
mod reading;
mod repair;
mod templates;

pub use check_digit::{character_value, check_digit};
pub use document_kind::DocumentKind;
pub use error::{MrzError, MrzShapeProblem};
pub use read::{read_mrz, recognise_mrz, recognise_mrz_in_photo, RecognisedMrz};
pub use reading::{parse_mrz_lines, parse_mrz_text, CheckResults, MrzReading, NameConfidence};
/// The runner-up repair on raw cell scores, for the fuzz targets (`fuzz/`):
/// the reader reaches it only through whole images, too slowly to explore it.
#[doc(hidden)]
pub use classify::CellScores;
#[doc(hidden)]
pub use repair::{repair, RepairedReading};
