// Photo benchmark: our ID-photo pipeline (browser decode + wasm, and wasm
// alone from the file's bytes) against browser-image-compression on the same
// synthetic 12 MP phone photos in one headless Chromium page. Prints ratios
// against that peer, never asserts a time.
//
//   node bench/photo.mjs [--photos DIR] [--repeats R] [--options JSON] [--only KEYS] [--stages]
//
// --stages prints where the time of our page's path goes instead (median ms
// per stage over the photos), with no peer.
//
// Without --photos it runs examples/make_document_photo (built in release
// under $EXAMPLES_DIR, default $CARGO_TARGET_DIR/release/examples) into a temp
// dir. --options is passed to processPhotoPixels/processPhotoFile as is (the
// defaults are already long edge 1600 and 300 000 bytes).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "./serve.mjs";
import { flags, median, openBenchPage, ratio, table } from "./support.mjs";

const options = flags();
const repeats = Number(options.repeats ?? 3);
// --throttle N: Chromium's CPU throttling, a phone-class figure (support.mjs).
const throttle = Number(options.throttle ?? 1);
const ourOptions = options.options ? JSON.parse(options.options) : undefined;
// --only KEY,KEY (oursBrowser, oursPixels, oursFile, bic, oursBrowserMrz): run just those entries.
const only = options.only ? new Set(String(options.only).split(",")) : null;
const examplesDir = process.env.EXAMPLES_DIR ?? join(process.env.CARGO_TARGET_DIR ?? "target", "release", "examples");

// Five phone photos: both document kinds, upright and EXIF-rotated.
const PHOTOS = [
  { file: "1_card.jpg", args: ["--orientation", "1", "--seed", "1"] },
  { file: "2_card_exif6.jpg", args: ["--orientation", "6", "--seed", "2"] },
  { file: "3_passport.jpg", args: ["--passport", "--orientation", "1", "--seed", "3"] },
  { file: "4_card_exif3.jpg", args: ["--orientation", "3", "--seed", "4"] },
  { file: "5_passport_exif8.jpg", args: ["--passport", "--orientation", "8", "--seed", "5"] },
];

let photosDir = options.photos;
let temporary = null;
if (!photosDir) {
  temporary = mkdtempSync(join(tmpdir(), "id-capture-bench-photo-"));
  photosDir = temporary;
  process.on("exit", () => rmSync(temporary, { recursive: true, force: true }));
  for (const photo of PHOTOS) {
    const printed = execFileSync(join(examplesDir, "make_document_photo"), [join(photosDir, photo.file), ...photo.args], { encoding: "utf8" });
    writeFileSync(join(photosDir, photo.file.replace(/\.jpg$/, ".json")), printed);
  }
}
const photos = readdirSync(photosDir).filter((name) => /\.jpe?g$/i.test(name)).sort();
if (photos.length === 0) throw new Error(`no .jpg photos in ${photosDir}`);
const truthOf = (name) => {
  try {
    return JSON.parse(readFileSync(join(photosDir, name.replace(/\.jpe?g$/i, ".json")), "utf8"));
  } catch {
    return null;
  }
};

// skipMrz makes ours do what the peer does (photo in, JPEG out) plus finding
// and cropping the document; the last row is what the page runs (with the MRZ read).
const crop = { skipMrz: true, ...ourOptions };
const ENTRIES = [
  { key: "oursBrowser", path: "oursBrowser", options: crop, label: "ours: browser path (as the worker runs it)" },
  { key: "oursPixels", path: "oursPixels", options: crop, label: "ours: browser decode + processPhotoPixels" },
  { key: "oursFile", path: "oursFile", options: crop, label: "ours: processPhotoFile (wasm decode)" },
  { key: "bic", path: "browserImageCompression", label: "browser-image-compression 2.0.2" },
  { key: "oursBrowserMrz", path: "oursBrowser", options: { ...ourOptions }, label: "ours: browser path + MRZ read" },
];

const point = (p) => (Array.isArray(p) ? { x: p[0], y: p[1] } : { x: p?.x, y: p?.y });
/** Largest corner distance in px, over the four cyclic matchings (start corner may differ). */
function cornerError(found, truth) {
  if (!Array.isArray(found) || found.length !== 4 || !Array.isArray(truth) || truth.length !== 4) return NaN;
  const a = found.map(point);
  const b = truth.map(point);
  let best = Infinity;
  for (const direction of [1, -1]) {
    for (let shift = 0; shift < 4; shift++) {
      const worst = Math.max(...a.map((p, i) => Math.hypot(p.x - b[(((shift + direction * i) % 4) + 4) % 4].x, p.y - b[(((shift + direction * i) % 4) + 4) % 4].y)));
      best = Math.min(best, worst);
    }
  }
  return best;
}

const server = await startServer({ mounts: { "/photos/": photosDir } });
const { browser, page, checkProblems, version } = await openBenchPage(`${server.url}/bench/photo.html`, { throttle });
if (options.stages) {
  const perStage = new Map();
  const totals = [];
  try {
    for (const photo of photos) {
      const runs = await page.evaluate(([url, o, r]) => stagesPhoto(url, o, r), [`/photos/${photo}`, { skipMrz: true, ...ourOptions }, repeats]);
      const stageNames = [...new Set(runs.flatMap((run) => Object.keys(run)))];
      for (const name of stageNames) {
        if (!perStage.has(name)) perStage.set(name, []);
        perStage.get(name).push(runs.map((run) => run[name] ?? 0));
      }
      totals.push(median(runs.map((run) => Object.values(run).reduce((a, b) => a + b, 0))));
      process.stderr.write(`  ${photo} done\n`);
    }
    checkProblems();
  } finally {
    await browser.close();
    await server.close();
  }
  const total = median(totals);
  console.log(`Where our page's path spends its time, ${photos.length} photos, Chromium ${version}, median over photos of the median (and of the fastest) of ${repeats} runs`);
  // The fastest run of each stage is the least disturbed by other work on a busy machine.
  const medianOf = (runsPerPhoto) => median(runsPerPhoto.map((runs) => median(runs)));
  const fastestOf = (runsPerPhoto) => median(runsPerPhoto.map((runs) => Math.min(...runs)));
  const fastestTotal = [...perStage.values()].reduce((sum, runsPerPhoto) => sum + fastestOf(runsPerPhoto), 0);
  console.log(
    table(
      ["stage", "median ms", "share", "fastest ms"],
      [...perStage]
        .map(([name, runsPerPhoto]) => [name, medianOf(runsPerPhoto).toFixed(1), `${((100 * medianOf(runsPerPhoto)) / total).toFixed(0)} %`, fastestOf(runsPerPhoto).toFixed(1)])
        .concat([["total", total.toFixed(1), "", fastestTotal.toFixed(1)]]),
    ),
  );
  process.exit(0);
}
const perEntry = new Map();
let entries;
try {
  const available = await page.evaluate(() => available());
  entries = ENTRIES.filter((entry) => available[entry.path] && (!only || only.has(entry.key)));
  for (const entry of ENTRIES) perEntry.set(entry.key, { ms: [], bytes: [], sizes: [], errors: [], cornerErrors: [], mrz: [], qualities: [], missing: !available[entry.path], skipped: Boolean(only && !only.has(entry.key)) });
  const plain = entries.map(({ path, options }) => ({ path, options }));
  // Warm-up: one untimed round on the first photo.
  await page.evaluate(([url, e]) => benchPhoto(url, e, { repeats: 0, untimed: 1 }), [`/photos/${photos[0]}`, plain]);
  for (const photo of photos) {
    const { outcomes } = await page.evaluate(([url, e, r]) => benchPhoto(url, e, { repeats: r }), [`/photos/${photo}`, plain, repeats]);
    outcomes.forEach((outcome, i) => {
      const tally = perEntry.get(entries[i].key);
      if (outcome.error || !Number.isFinite(outcome.bytes)) {
        tally.errors.push(`${photo}: ${outcome.error ?? "no JPEG in the result"}`);
        return;
      }
      tally.ms.push(median(outcome.ms));
      tally.bytes.push(outcome.bytes);
      tally.sizes.push(`${outcome.width}×${outcome.height}`);
      if (outcome.mrz !== undefined) tally.mrz.push(outcome.mrz ?? "none");
      if (outcome.jpegQuality !== undefined) tally.qualities.push(outcome.jpegQuality);
      const truth = truthOf(photo);
      if (outcome.corners && truth) tally.cornerErrors.push(cornerError(outcome.corners, truth.corners));
    });
    process.stderr.write(`  ${photo} (${(statSync(join(photosDir, photo)).size / 1e6).toFixed(1)} MB) done\n`);
  }
  checkProblems();
} finally {
  await browser.close();
  await server.close();
}

const peer = perEntry.get("bic");
const peerMs = median(peer.ms);
const peerBytes = median(peer.bytes);
console.log(`ID photo → JPEG ≤ 300 000 B, long edge 1600, ${photos.length} synthetic 12 MP photos (examples/make_document_photo), Chromium ${version}${throttle > 1 ? `, CPU throttled ${throttle}×` : ""}, median of ${repeats} timed runs per photo`);
console.log(
  table(
    ["path", "ok", "median ms", "max ms", "median bytes", "output px", "ms / bic", "bytes / bic"],
    ENTRIES.map(({ key, label }) => {
      const t = perEntry.get(key);
      if (t.missing) return [label, "not exported by this build", "", "", "", "", "", ""];
      if (t.skipped) return [label, "not run (--only)", "", "", "", "", "", ""];
      const ms = median(t.ms);
      const bytes = median(t.bytes);
      const sizes = [...new Set(t.sizes)].join(", ");
      return [label, `${t.ms.length}/${photos.length}`, ms.toFixed(0), Math.max(...t.ms).toFixed(0), bytes.toFixed(0), sizes, ratio(ms, peerMs), ratio(bytes, peerBytes)];
    }),
  ),
);
// Per photo: the rotated ones and the upright ones differ (docs/photo.md).
const shown = ENTRIES.filter(({ key }) => !perEntry.get(key).missing && !perEntry.get(key).skipped && perEntry.get(key).ms.length === photos.length);
console.log(
  table(
    ["photo", ...shown.map(({ key }) => `${key} ms`), "oursBrowser / bic"],
    photos.map((photo, i) => [
      photo,
      ...shown.map(({ key }) => perEntry.get(key).ms[i].toFixed(0)),
      perEntry.get("oursBrowser").ms.length === photos.length && peer.ms.length === photos.length ? ratio(perEntry.get("oursBrowser").ms[i], peer.ms[i]) : "",
    ]),
  ),
);
for (const { key, label } of ENTRIES) {
  const t = perEntry.get(key);
  for (const error of t.errors) console.log(`${label} failed on ${error}`);
  if (t.mrz.some((m) => m !== "none")) console.log(`${label}: MRZ per photo: ${t.mrz.join(", ")}`);
  if (t.qualities.length) console.log(`${label}: JPEG quality per photo: ${t.qualities.join(", ")}`);
  if (t.cornerErrors.length) console.log(`${label}: worst-corner error vs the generator's true corners, px: ${t.cornerErrors.map((e) => (Number.isFinite(e) ? e.toFixed(1) : "n/a")).join(", ")}`);
}
console.log("(browser-image-compression resizes and re-encodes the whole photo; ours also finds, straightens and crops the document.)");
