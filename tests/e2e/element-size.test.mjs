// What <id-capture> adds to a partner's page (issue 16): its JavaScript, its
// stylesheet (bundled into it as text) and all five catalogues, each file as
// built in pkg/element/ and gzipped at level 9, summed. The budget is 30 KB;
// ./dev build prints the figure.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";

import { ROOT } from "./support/registry.mjs";

const BUDGET_BYTES = 30_000;
const ELEMENT = join(ROOT, "pkg/element");

test("<id-capture> with its CSS and all five catalogues is at most 30 KB gzipped", () => {
  const files = readdirSync(ELEMENT, { recursive: true }).filter((name) => /\.(js|css)$/.test(name));
  assert.ok(files.includes("id-capture.js"), `built files: ${files}`);
  const source = files.map((name) => readFileSync(join(ELEMENT, name), "utf8")).join("\n");
  assert.match(source, /--id-capture-accent/, "the stylesheet is in what is measured");
  // Every language's catalogue is in what is measured (a key's text in each of the five).
  const catalogues = [...source.matchAll(/"methods\.heading":"([^"]+)"/g)].map((match) => match[1]);
  assert.equal(new Set(catalogues).size, 5, `five catalogues in pkg/element, found ${catalogues.length}`);
  const gzipped = files.reduce((sum, name) => sum + gzipSync(readFileSync(join(ELEMENT, name)), { level: 9 }).length, 0);
  console.log(`<id-capture> gzip -9: ${gzipped} B over ${files.length} files`);
  assert.ok(gzipped <= BUDGET_BYTES, `<id-capture> is ${gzipped} B gzipped, over its ${BUDGET_BYTES} B budget`);
});
