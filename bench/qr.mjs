// QR benchmark: our wasm decoder (scanHmsCardFrame) against jsQR and
// zxing-wasm on the same 1280×720 frames in one headless Chromium page.
// Prints ratios against those peers, never asserts a time.
//
//   node bench/qr.mjs [--frames DIR] [--random N] [--first-seed S] [--repeats R] [--max-attempts 3,12] [--throttle 4]
//   node bench/qr.mjs --real ../shared/data/qr-real [--repeats R] [--throttle 4]
//
// Without --frames it runs examples/make_qr_frames (built in release under
// $EXAMPLES_DIR, default $CARGO_TARGET_DIR/release/examples) into a temp dir.
// --real: photos that are not ours, with truth.json ({file: {text, from}}).
// Our module only ever returns an HMS card reference, so on those it counts
// as decoded when it found a code (not_an_hms_card); its exact text is
// checked natively by tests/qr_real.rs, on the same decoder.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "./serve.mjs";
import { flags, median, openBenchPage, quantile, ratio, table } from "./support.mjs";

const options = flags();
// Median of three timed runs per frame (about 7 minutes on a busy 2-core
// machine: jsQR spends seconds on each miss); --repeats 1 for a quick look.
const repeats = Number(options.repeats ?? 3);
// Without --max-attempts: the two budgets the module uses (src/web/hms_scan.rs).
const maxAttempts = options["max-attempts"] ? String(options["max-attempts"]).split(",").map(Number) : null;
const examplesDir = process.env.EXAMPLES_DIR ?? join(process.env.CARGO_TARGET_DIR ?? "target", "release", "examples");
const throttle = Number(options.throttle ?? 1);
const real = options.real ?? null;

let framesDir = real ?? options.frames;
let temporary = null;
if (!framesDir) {
  temporary = mkdtempSync(join(tmpdir(), "id-capture-bench-qr-"));
  framesDir = temporary;
  process.on("exit", () => rmSync(temporary, { recursive: true, force: true }));
  // --first-seed N: random frames from another seed range than the one the pass plan was tuned on.
  const args = [framesDir, String(options.random ?? 84), ...(options["first-seed"] ? [String(options["first-seed"])] : [])];
  execFileSync(join(examplesDir, "make_qr_frames"), args, { stdio: ["ignore", "ignore", "inherit"] });
}
const truth = real ? realTruth(framesDir) : JSON.parse(readFileSync(join(framesDir, "ground_truth.json"), "utf8"));

/** qr-real's truth as frames: { file, text, from, condition }. */
function realTruth(dir) {
  const entries = JSON.parse(readFileSync(join(dir, "truth.json"), "utf8"));
  return Object.keys(entries).sort().map((file) => ({ file, condition: file, ...entries[file] }));
}

// The live camera loop: 6 passes and 150 ms per frame; a still photo: 12 passes.
const ourSpecs = maxAttempts
  ? maxAttempts.map((n) => ({ name: `ours (maxAttempts ${n})`, kind: "ours", maxAttempts: n }))
  : [
      { name: "ours, camera loop (6 passes, 150 ms)", kind: "ours", maxAttempts: 6, maxMilliseconds: 150 },
      { name: "ours, still photo (12 passes)", kind: "ours", maxAttempts: 12 },
    ];
const specs = [
  ...ourSpecs,
  { name: "jsQR 1.4.0", kind: "jsqr" },
  { name: "zxing-wasm 3.1.4", kind: "zxing" },
];

// Where truth.json cannot be the text (jsQR recorded "" for non-UTF-8 data),
// the expected text's SHA-256, as tests/qr_real.rs uses them.
const otherExpected = JSON.parse(readFileSync(new URL("../tests/qr_real_other_expected.json", import.meta.url), "utf8"));
const ZXING_NAMES = "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US".split(" ");
/** zxing-cpp's text as its Python binding prints it (truth.json's `from: zxing-cpp` entries). */
const zxingPrinted = (text) =>
  [...text]
    .map((c) => {
      const code = c.codePointAt(0);
      if (code < 0x20) return `<${ZXING_NAMES[code]}>`;
      if (code === 0x7f) return "<DEL>";
      if (code >= 0x80 && code <= 0xa0) return `<U+${code.toString(16).toUpperCase()}>`;
      return c;
    })
    .join("");

/** The rule of tests/qr_real.rs: the text byte for byte, as printed, or by its hash. */
function isRealCorrect(spec, outcome, expected) {
  if (spec.kind === "ours") return outcome.code === "not_an_hms_card";
  const text = outcome.found;
  if (text === undefined) return false;
  if (text === expected.text || (expected.from === "zxing-cpp" && zxingPrinted(text) === expected.text)) return true;
  return otherExpected[expected.file] === createHash("sha256").update(text, "utf8").digest("hex");
}

/** Ours returns the card reference; the peers return the QR text (the card URL). */
function isCorrect(spec, found, expected) {
  if (found === undefined) return false;
  if (spec.kind === "ours") return found === expected.hms_card_reference;
  return found.split("\n").some((text) => text === expected.text || text.replace(/\/+$/, "").split("/").pop() === expected.hms_card_reference);
}

const server = await startServer({ mounts: { "/frames/": framesDir } });
const { browser, page, checkProblems, version } = await openBenchPage(`${server.url}/bench/qr.html`, { throttle });
const perSpec = specs.map(() => ({ ms: [], hitMs: [], missMs: [], correct: 0, wrong: [], missed: [], codes: {} }));
try {
  // Warm-up: JIT, wasm instantiation and allocations, on three frames, untimed.
  for (const frame of truth.slice(0, 3)) await page.evaluate(([url, s]) => benchFrame(url, s, { repeats: 0, untimed: 2 }), [`/frames/${frame.file}`, specs]);
  for (const [index, frame] of truth.entries()) {
    const { outcomes } = await page.evaluate(([url, s, r]) => benchFrame(url, s, { repeats: r }), [`/frames/${frame.file}`, specs, repeats]);
    outcomes.forEach((outcome, i) => {
      const tally = perSpec[i];
      const ms = median(outcome.ms);
      tally.ms.push(ms);
      if (real ? isRealCorrect(specs[i], outcome, frame) : isCorrect(specs[i], outcome.found, frame)) {
        tally.correct++;
        tally.hitMs.push(ms);
        return;
      }
      tally.missMs.push(ms);
      if (outcome.found !== undefined) tally.wrong.push(index);
      else {
        tally.missed.push(index);
        tally.codes[outcome.code] = (tally.codes[outcome.code] ?? 0) + 1;
      }
    });
    if ((index + 1) % 20 === 0) process.stderr.write(`  ${index + 1}/${truth.length} frames\n`);
  }
  checkProblems();
} finally {
  await browser.close();
  await server.close();
}

const total = truth.length;
const summary = specs.map((spec, i) => ({
  spec,
  rate: perSpec[i].correct / total,
  medianMs: median(perSpec[i].ms),
  p90Ms: quantile(perSpec[i].ms, 0.9),
  ...perSpec[i],
}));
const fixed = (value) => (Number.isFinite(value) ? value.toFixed(1) : "-");
const jsqr = summary.find((s) => s.spec.kind === "jsqr");
const zxing = summary.find((s) => s.spec.kind === "zxing");

const setName = real ? `${total} real photos and scans (${real})` : `${total} frames 1280×720 (examples/make_qr_frames)`;
const throttled = throttle > 1 ? `, CPU throttled ${throttle}×` : "";
console.log(`QR decode, ${setName}, Chromium ${version}${throttled}, median of ${repeats} timed runs per frame, ms per frame`);
console.log(
  table(
    ["decoder", "decoded", "rate", "median ms", "p90 ms", "median ms decoded", "median ms missed"],
    summary.map((s) => [s.spec.name, `${s.correct}/${total}`, `${(100 * s.rate).toFixed(0)} %`, s.medianMs.toFixed(1), s.p90Ms.toFixed(1), fixed(median(s.hitMs)), fixed(median(s.missMs))]),
  ),
);
console.log("");
console.log(
  table(
    ["ours", "rate / jsQR", "rate / zxing", "median / jsQR", "median / zxing"],
    summary
      .filter((s) => s.spec.kind === "ours")
      .map((s) => [s.spec.name, ratio(s.rate, jsqr.rate), ratio(s.rate, zxing.rate), ratio(s.medianMs, jsqr.medianMs), ratio(s.medianMs, zxing.medianMs)]),
  ),
);
console.log("");
const name = (index) => `${index} ${truth[index].condition}`;
for (const s of summary) {
  const codes = Object.entries(s.codes).map(([code, n]) => `${code} ×${n}`).join(", ");
  console.log(`${s.spec.name} missed ${s.missed.length}${codes ? ` (${codes})` : ""}: ${s.missed.map(name).join(", ") || "none"}`);
  if (s.wrong.length) console.log(`${s.spec.name} decoded WRONG text on: ${s.wrong.map(name).join(", ")}`);
}
const nobody = truth.map((_, index) => index).filter((index) => summary.every((s) => s.missed.includes(index) || s.wrong.includes(index)));
console.log(`missed by every decoder: ${nobody.map(name).join(", ") || "none"}`);
