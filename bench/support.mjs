// What both benchmark runners share: the headless Chromium page (loopback
// only, so no peer can quietly fetch its code from a CDN), order statistics
// and a plain-text table.
import { launchBrowser } from "../tests/e2e/support/browser.mjs";

// Seen on 2026-11-23: binaryen 108's wasm-opt (Debian's) writes the export
// "__wbindgen_externrefs" pointing at the funcref table (even at -O0; its
// in-memory IR is right, the binary writer is not), so the glue's table.grow
// fails and nothing of pkg/ can be called.
const TABLE_GROW_HINT =
  "pkg/id_capture_bg.wasm does not instantiate: its __wbindgen_externrefs export points at the wrong table " +
  "(check with: wasm-dis pkg/id_capture_bg.wasm | grep __wbindgen_externrefs). " +
  "Binaryen 108's wasm-opt does this; the npm package binaryen@132.0.0's wasm-opt, same flags, keeps the export right.";

/**
 * Launches Debian's Chromium, opens `url` and waits for `body[data-ready=true]`.
 * Any request that leaves the loopback server is aborted and reported as an
 * error, as is any page error. `throttle` > 1 slows the page's CPU that many
 * times (CDP Emulation.setCPUThrottlingRate), as a phone-class figure; it
 * slows every decoder in the page alike, so ratios stay comparable.
 */
export async function openBenchPage(url, { throttle = 1 } = {}) {
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = [];
  const origin = new URL(url).origin;
  await page.route("**/*", (route) => {
    const requested = route.request().url();
    if (requested.startsWith(origin + "/") || requested.startsWith("blob:") || requested.startsWith("data:")) return route.continue();
    problems.push(`blocked a request outside the local server: ${requested}`);
    return route.abort();
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  // A page error before the page is ready (e.g. a wasm that fails to
  // instantiate) ends the run at once instead of after the timeout.
  const failed = new Promise((_, reject) => page.on("pageerror", (error) => reject(error)));
  failed.catch(() => {});
  await page.goto(url);
  try {
    await Promise.race([page.waitForSelector("body[data-ready=true]", { timeout: 60000 }), failed]);
  } catch (error) {
    await browser.close();
    const hint = /Table\.grow/.test(error.message) ? `\n${TABLE_GROW_HINT}` : "";
    throw new Error(`the benchmark page did not start: ${error.message}\n${problems.join("\n")}${hint}`);
  }
  if (throttle > 1) {
    const session = await page.context().newCDPSession(page);
    await session.send("Emulation.setCPUThrottlingRate", { rate: throttle });
  }
  const checkProblems = () => {
    if (problems.length) throw new Error(`the benchmark page reported problems:\n${problems.join("\n")}`);
  };
  return { browser, page, checkProblems, version: browser.version() };
}

/** The q-quantile (0..1) by nearest rank over a copy of `values`. */
export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

export const median = (values) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** "a / b" with two decimals, or "n/a" when b is zero or either is not a number. */
export function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? (a / b).toFixed(2) : "n/a";
}

/** Rows of cells as a left-aligned plain-text table with a header rule. */
export function table(header, rows) {
  const all = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column].length)));
  const line = (row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd();
  return [line(all[0]), widths.map((w) => "-".repeat(w)).join("  "), ...all.slice(1).map(line)].join("\n");
}

/** Parses `--name value` flags into an object of strings. */
export function flags(argv = process.argv.slice(2)) {
  const parsed = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith("--")) parsed[argv[i].slice(2)] = argv[i + 1] && !argv[i + 1].startsWith("--") ? argv[++i] : "true";
  }
  return parsed;
}
