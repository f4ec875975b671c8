// Test media made by the project's own example programs (built by ./dev test).
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { ROOT } from "./registry.mjs";

export const EXAMPLES_DIR = process.env.EXAMPLES_DIR ?? join(ROOT, "target/release/examples");

export function scratchDirectory() {
  return mkdtempSync(join(tmpdir(), "id-capture-media-"));
}

/** A .y4m video of an invented HMS card moving into view (Chromium's fake camera). */
export function makeCardVideo(reference) {
  const file = join(scratchDirectory(), `card-${reference}.y4m`);
  execFileSync(join(EXAMPLES_DIR, "make_card_video"), [file, reference], { stdio: ["ignore", "ignore", "inherit"] });
  return file;
}

/** The same video, with a QR code of `text` on the card instead of an HMS card's. */
export function makeOtherCodeVideo(text) {
  const file = join(scratchDirectory(), "other-code.y4m");
  execFileSync(join(EXAMPLES_DIR, "make_card_video"), [file, "--text", text], { stdio: ["ignore", "ignore", "inherit"] });
  return file;
}

/** Invented document photos with an OCR-B MRZ, and their ground truth (one per kind, in turn). */
export function makeMrzPhotos(count, seed) {
  const directory = scratchDirectory();
  const output = execFileSync(join(EXAMPLES_DIR, "make_mrz_photos"), [directory, String(count), String(seed)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return output.trim().split("\n").map((line) => JSON.parse(line));
}

/** A synthetic 12 MP phone photo of a document with GPS and other metadata (make_document_photo). */
export function makeDocumentPhoto(extraArgs = []) {
  const file = join(scratchDirectory(), "document.jpg");
  execFileSync(join(EXAMPLES_DIR, "make_document_photo"), [file, ...extraArgs], { stdio: ["ignore", "ignore", "inherit"] });
  return file;
}

/** A .y4m video of a document photo held still (Chromium's fake camera). */
export function makeDocumentVideo(documentPhoto) {
  const file = join(scratchDirectory(), "document.y4m");
  execFileSync(join(EXAMPLES_DIR, "make_document_video"), [documentPhoto, file], { stdio: ["ignore", "ignore", "inherit"] });
  return file;
}
