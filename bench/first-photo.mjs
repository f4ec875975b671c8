// The first photo after a page load: what a worker registering on a phone
// waits for, since most take one photo. Each trial loads the benchmark page
// afresh and times one photo from the File to the result:
// - ours, as a page calls it: IdCapture.processPhoto (the capture worker is
//   started, loads the module and processes);
// - ours after IdCapture.preparePhoto() was awaited (the page calls it when
//   the document step opens, while the user frames the photo);
// - browser-image-compression's first call in the page.
// Prints medians and ratios against the peer, never asserts a time.
//
//   node bench/first-photo.mjs [--trials N]   (default 5 per path and photo)
//
// Photos: examples/make_document_photo (12 MP card, EXIF 1 and 6), built in
// release under $EXAMPLES_DIR (default $CARGO_TARGET_DIR/release/examples).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "./serve.mjs";
import { flags, median, openBenchPage, ratio, table } from "./support.mjs";

const options = flags();
const trials = Number(options.trials ?? 5);
const examplesDir = process.env.EXAMPLES_DIR ?? join(process.env.CARGO_TARGET_DIR ?? "target", "release", "examples");
const photosDir = mkdtempSync(join(tmpdir(), "id-capture-bench-first-"));
process.on("exit", () => rmSync(photosDir, { recursive: true, force: true }));
const PHOTOS = [
  { file: "card.jpg", args: ["--orientation", "1", "--seed", "1"] },
  { file: "card_exif6.jpg", args: ["--orientation", "6", "--seed", "2"] },
];
for (const photo of PHOTOS) execFileSync(join(examplesDir, "make_document_photo"), [join(photosDir, photo.file), ...photo.args], { stdio: "ignore" });

const PATHS = [
  { mode: "ours", label: "ours: processPhoto, first call" },
  { mode: "oursPrepared", label: "ours: preparePhoto() awaited, then processPhoto" },
  { mode: "bic", label: "browser-image-compression 2.0.2, first call" },
];
const server = await startServer({ mounts: { "/photos/": photosDir } });
const times = new Map(PATHS.map(({ mode }) => [mode, []]));
let version = "";
try {
  for (let trial = 0; trial < trials; trial++) {
    for (const photo of PHOTOS) {
      // Rotate the order so no path always runs first on a cold machine.
      for (let offset = 0; offset < PATHS.length; offset++) {
        const { mode } = PATHS[(offset + trial) % PATHS.length];
        const { browser, page, checkProblems, version: v } = await openBenchPage(`${server.url}/bench/photo.html`);
        version = v;
        try {
          times.get(mode).push(await page.evaluate(([url, m]) => firstPhoto(url, m), [`/photos/${photo.file}`, mode]));
          checkProblems();
        } finally {
          await browser.close();
        }
      }
    }
    process.stderr.write(`  trial ${trial + 1}/${trials} done\n`);
  }
} finally {
  await server.close();
}
const peer = median(times.get("bic"));
console.log(`First photo after a page load, ${PHOTOS.length} synthetic 12 MP photos (EXIF 1 and 6) × ${trials} fresh pages per path, Chromium ${version}`);
console.log(
  table(
    ["path", "median ms", "min ms", "max ms", "ms / bic"],
    PATHS.map(({ mode, label }) => {
      const t = times.get(mode);
      return [label, median(t).toFixed(0), Math.min(...t).toFixed(0), Math.max(...t).toFixed(0), ratio(median(t), peer)];
    }),
  ),
);
