// What the accessibility tests check on a screen: axe-core's WCAG 2.1 A/AA
// rules, sideways scrolling (at the viewport's width and at 200 % text), and
// where the keyboard focus is and whether it can be seen. Every look at the
// page's controls goes through Playwright locators, which reach into open
// shadow roots (the page may be one <id-capture> element).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { ROOT } from "./registry.mjs";

/** The five languages of the page, and a browser locale that picks each. */
export const LANGUAGES = { nb: "nb-NO", en: "en-GB", pl: "pl-PL", lt: "lt-LT", uk: "uk-UA" };

const AXE_SOURCE = readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * axe-core's violations on the page as it is now: rule ids and the elements'
 * selectors only (never their text, which may be a person's name).
 * The script is evaluated through the DevTools protocol, which the page's
 * strict CSP does not govern: the page keeps its real CSP during the test,
 * where an injected <script> tag would need bypassCSP.
 */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, targets: violation.nodes.map((node) => node.target.flat().join(" >> ")) }));
  }, WCAG_21_AA);
}

export async function assertNoAxeViolations(page, step) {
  const violations = await axeViolations(page);
  if (violations.length > 0) assert.fail(`${step}: axe found ${violations.map((violation) => `${violation.id} (${violation.impact}) at ${violation.targets.join(", ")}`).join("; ")}`);
}

/**
 * How wide the page is against its viewport, and the first elements that
 * stick out (ids or classes only, for the failure message), shadow roots included.
 */
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const wide = [];
    const visit = (node) => {
      for (const element of node.querySelectorAll("*")) {
        if (element.getClientRects().length && element.getBoundingClientRect().right > width + 0.5) wide.push(element.id ? `#${element.id}` : `${element.tagName.toLowerCase()}.${element.className}`);
        if (element.shadowRoot) visit(element.shadowRoot);
      }
    };
    visit(document.body);
    return { scrollWidth: root.scrollWidth, clientWidth: width, wide: wide.slice(0, 6) };
  });
}

export async function assertNoHorizontalOverflow(page, step) {
  const measured = await horizontalOverflow(page);
  if (measured.scrollWidth > measured.clientWidth) assert.fail(`${step}: the page scrolls sideways ${JSON.stringify(measured)}`);
}

/**
 * 200 % text, as a browser's font-size setting does it: the root font size
 * doubles, so everything sized in rem or em (text, controls, spacing) doubles
 * while the viewport stays as wide. Set through the CSSOM, which the page's
 * CSP allows (a <style> tag would be refused).
 */
export async function withDoubleText(page, check) {
  await page.evaluate(() => (document.documentElement.style.fontSize = "200%"));
  try {
    await check();
  } finally {
    await page.evaluate(() => document.documentElement.style.removeProperty("font-size"));
  }
}

/** Every check of one screen: axe, and no sideways scrolling at normal and at 200 % text. */
export async function checkScreen(page, step) {
  await assertNoAxeViolations(page, step);
  await assertNoHorizontalOverflow(page, step);
  await withDoubleText(page, () => assertNoHorizontalOverflow(page, `${step} at 200 % text`));
}

/** True when the control `locator` names has the keyboard focus (inside a shadow root too). */
export async function isFocused(locator) {
  return locator.evaluate((element) => element.matches(":focus"));
}

/** Waits until the page itself moves the focus to `locator` (e.g. the first field of a form it opened). */
export async function waitForFocus(locator, timeout = 30000) {
  const started = Date.now();
  while (!(await isFocused(locator).catch(() => false))) {
    if (Date.now() - started > timeout) throw new Error(`the focus never reached ${locator}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Presses Tab (or Shift+Tab) until `locator` has the focus, as a keyboard
 * user would; fails when it is not reached within `limit` presses.
 */
export async function tabTo(page, locator, { backwards = false, limit = 25 } = {}) {
  for (let presses = 0; presses <= limit; presses += 1) {
    if (await isFocused(locator).catch(() => false)) return presses;
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
  }
  throw new Error(`not reached by ${backwards ? "Shift+Tab" : "Tab"} within ${limit} presses: ${locator}`);
}

/**
 * The focused control shows where the focus is: a solid outline at least 2 px
 * wide on it, or on `indicator` (a file input out of sight draws it on its label).
 */
export async function assertFocusVisible(locator, what, indicator = locator) {
  assert.ok(await isFocused(locator), `${what} has the focus`);
  const outline = await indicator.evaluate((element) => {
    const style = getComputedStyle(element);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  assert.ok(outline.style !== "none" && outline.width >= 2, `${what} shows where the focus is: outline ${JSON.stringify(outline)}`);
}

/**
 * The order Chromium's date field takes day, month and year: its own UI
 * locale decides (not the page's), so it is asked once, on a scratch page,
 * by typing 01 02 2000 and reading which date that made.
 */
let dateOrder;
async function dateFieldOrder(context) {
  if (dateOrder) return dateOrder;
  const scratch = await context.newPage();
  try {
    await scratch.setContent('<input type="date">');
    await scratch.locator("input").focus();
    await scratch.keyboard.type("01022000");
    const value = await scratch.locator("input").inputValue();
    dateOrder = { "2000-01-02": ["month", "day", "year"], "2000-02-01": ["day", "month", "year"] }[value];
    // A year-first locale takes the year's digits first: 2000 then 01 then 02 make nothing valid above.
    dateOrder ??= ["year", "month", "day"];
    return dateOrder;
  } finally {
    await scratch.close();
  }
}

/** Types an ISO date into the focused date field, with the keyboard, in the field's own order. */
export async function typeDate(page, iso) {
  const [year, month, day] = iso.split("-");
  const parts = { year, month, day };
  for (const part of await dateFieldOrder(page.context())) await page.keyboard.type(parts[part]);
}
