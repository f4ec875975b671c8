// Test media made by the project's own example programs (built by ./dev test).
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { ROOT } from "./registry.mjs";

const EXAMPLES_DIR = process.env.EXAMPLES_DIR ?? join(ROOT, "target/release/examples");

export function scratchDirectory() {
  return mkdtempSync(join(tmpdir(), "id-capture-media-"));
}

/** A .y4m video of an invented HMS card moving into view (Chromium's fake camera). */
export function makeCardVideo(reference) {
  const file = join(scratchDirectory(), `card-${reference}.y4m`);
  execFileSync(join(EXAMPLES_DIR, "make_card_video"), [file, reference], { stdio: ["ignore", "ignore", "inherit"] });
  return file;
}
