// Every flow by keyboard alone (issue 16, item 5): Tab and Shift+Tab to move,
// Enter and Space to press, arrow keys for the corner handles, typing into the
// focused field; no clicks, no fill(). Each flow ends in the registry's
// receipt, and the focus ring is checked on the way. The page's files (the
// document photo) come through the chooser the keyboard opened.
import assert from "node:assert/strict";
import { test } from "node:test";

import { assertFocusVisible, isFocused, tabTo, typeDate, waitForFocus } from "./support/a11y.mjs";
import { openPage } from "./support/browser.mjs";
import { CARD, startEveryFlowWorld } from "./support/every-flow.mjs";
import { makeDocumentPhoto } from "./support/fixtures.mjs";
import { ANNA } from "./support/flows.mjs";

const { browser, registry } = await startEveryFlowWorld();

/** A refusal the page does not retry (a 400), to reach its error states at once. */
const REFUSAL = { status: 400, contentType: "application/problem+json", body: JSON.stringify({ type: "/problems/invalid-request", title: "Bad request", status: 400 }) };
const visible = (page, selector, timeout = 30000) => page.locator(selector).first().waitFor({ state: "visible", timeout });

/** Moves to `selector` with Tab and presses Enter on it. */
async function press(page, selector, { key = "Enter", backwards = false } = {}) {
  await tabTo(page, page.locator(selector), { backwards });
  await page.keyboard.press(key);
}

/**
 * Types a person into the focused form, field by field with Tab: given names
 * (already focused), surname, date of birth, nationality (by the country's
 * name: a select's type-ahead), then Tab to the form's submit button and Enter.
 */
async function typePerson(page, form, person) {
  assert.ok(await isFocused(page.locator(`${form} [name=given_names]`)), "the form opens with the focus on its first field");
  await page.keyboard.type(person.given_names);
  await page.keyboard.press("Tab");
  await page.keyboard.type(person.surname);
  await page.keyboard.press("Tab");
  await typeDate(page, person.date_of_birth);
  assert.equal(await page.locator(`${form} [name=date_of_birth]`).inputValue(), person.date_of_birth);
  await tabTo(page, page.locator(`${form} [name=nationality]`));
  await page.keyboard.type("Sweden");
  assert.equal(await page.locator(`${form} [name=nationality]`).inputValue(), person.nationality);
  await press(page, `${form} button[type=submit]`);
}

/** On the confirmation: Tab to Send, Enter, and read the receipt. */
async function sendByKeyboard(page) {
  await visible(page, "#screen-confirm");
  await tabTo(page, page.locator("#send"));
  await assertFocusVisible(page.locator("#send"), "Send");
  await page.keyboard.press("Enter");
  await visible(page, "#screen-done");
  return page.locator("#stored-person").innerText();
}

test("typed entry by keyboard alone, to the receipt", async () => {
  const { page, problems, context } = await openPage(browser, registry.url);
  await tabTo(page, page.locator("#method-document"));
  await assertFocusVisible(page.locator("#method-document"), "the ID document method");
  await page.keyboard.press("Enter");
  await visible(page, "#screen-document");
  await tabTo(page, page.locator("#document-type-instead"));
  await assertFocusVisible(page.locator("#document-type-instead"), "Type instead");
  await page.keyboard.press("Space");
  await visible(page, "#typed-entry");
  await typePerson(page, "#typed-entry", ANNA);
  // The registry refuses the first send (a 400 is not retried): the focus goes to "Try again".
  await page.route("**/v2/identities/document", (route) => route.fulfill(REFUSAL), { times: 1 });
  await visible(page, "#screen-confirm");
  await press(page, "#send");
  await visible(page, "#retry-submit", 30000);
  await assertFocusVisible(page.locator("#retry-submit"), "Try again, after a refused send");
  await page.keyboard.press("Enter");
  await visible(page, "#screen-done");
  const receipt = await page.locator("#stored-person").innerText();
  assert.match(receipt, /Eriksson/);
  assert.match(receipt, /1974-08-12/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a document photo chosen by keyboard, its corners moved with the arrow keys, to the receipt", async () => {
  const { page, problems, context } = await openPage(browser, registry.url);
  await press(page, "#method-document");
  await visible(page, "#screen-document");
  // The file input is out of sight inside its button-like label; the label shows the focus.
  await tabTo(page, page.locator("#document-photo"));
  await assertFocusVisible(page.locator("#document-photo"), "Take or choose a photo", page.locator("#photo-step label:has(#document-photo)"));
  const chooser = page.waitForEvent("filechooser");
  await page.keyboard.press("Space");
  await (await chooser).setFiles(makeDocumentPhoto(["--orientation", "1", "--seed", "11"]));
  // No MRZ on this photo: the page offers typed entry beside it, and the corner editor.
  await visible(page, "#photo-result", 60000);
  await waitForFocus(page.locator("#typed-entry [name=given_names]"));
  await press(page, "#photo-adjust", { backwards: true });
  await page.locator("#corner-outline polygon[points]").waitFor({ state: "attached" });
  // Back from the corner editor: the focus returns to the button that opened it.
  await press(page, "#corner-cancel");
  await visible(page, "#photo-result");
  await assertFocusVisible(page.locator("#photo-adjust"), "Adjust corners, after going back from the editor");
  await page.keyboard.press("Enter");
  await page.locator("#corner-editor .corner-handle").first().waitFor();
  const handle = page.locator(".corner-handle").first();
  const before = await page.locator("#corner-outline polygon").getAttribute("points");
  await tabTo(page, handle);
  await assertFocusVisible(handle, "the first corner handle");
  // A screen reader reads the handle with how to move it.
  assert.match(await page.locator(`#${await handle.getAttribute("aria-describedby")}`).innerText(), /arrow keys/);
  for (let step = 0; step < 3; step += 1) await page.keyboard.press("Shift+ArrowRight");
  await page.keyboard.press("ArrowDown");
  const after = await page.locator("#corner-outline polygon").getAttribute("points");
  const [x0, y0] = before.split(" ")[0].split(",").map(Number);
  const [x1, y1] = after.split(" ")[0].split(",").map(Number);
  assert.ok(Math.abs(x1 - x0 - 30) < 1.5 && Math.abs(y1 - y0 - 1) < 1.5, `moved by keys: ${before.split(" ")[0]} → ${after.split(" ")[0]}`);
  await press(page, "#corner-apply");
  // The photo is cropped again at the new corners; typed entry opens beside it once more.
  await waitForFocus(page.locator("#typed-entry [name=given_names]"), 60000);
  await typePerson(page, "#typed-entry", ANNA);
  assert.match(await sendByKeyboard(page), /Eriksson/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("an HMS card scanned from the camera, the date of birth typed, confirmed by keyboard, to the receipt", async () => {
  const { page, problems, context } = await openPage(browser, registry.url);
  await context.grantPermissions(["camera"], { origin: registry.url });
  await press(page, "#method-hms-card");
  // The card read, the page puts the focus on the date of birth.
  await waitForFocus(page.locator("#hms-dob"));
  await assertFocusVisible(page.locator("#hms-dob"), "the date of birth");
  await typeDate(page, CARD.date_of_birth);
  assert.equal(await page.locator("#hms-dob").inputValue(), CARD.date_of_birth);
  await page.keyboard.press("Enter");
  await visible(page, "#screen-staged", 15000);
  // The registry refuses the first confirmation (a 400 is not retried): the focus comes back to Confirm.
  await page.route("**/v2/stages/*/confirm", (route) => route.fulfill(REFUSAL), { times: 1 });
  await tabTo(page, page.locator("#staged-confirm"));
  await assertFocusVisible(page.locator("#staged-confirm"), "Confirm");
  await page.keyboard.press("Enter");
  await page.locator("#staged-status.error").waitFor({ timeout: 30000 });
  await assertFocusVisible(page.locator("#staged-confirm"), "Confirm, after a refused confirmation");
  await page.keyboard.press("Enter");
  await visible(page, "#screen-done", 15000);
  assert.match(await page.locator("#stored-person").innerText(), new RegExp(CARD.surname));
  assert.deepEqual(problems, []);
  await context.close();
});

test("Vipps by keyboard, on our page and on the provider's login and consent pages, to the receipt", async () => {
  const { page, problems, context } = await openPage(browser, registry.url);
  await tabTo(page, page.locator("#method-vipps"));
  await assertFocusVisible(page.locator("#method-vipps"), "the Vipps method");
  await page.keyboard.press("Enter");
  // The provider's login form focuses its login field itself.
  const login = page.locator("input[name=login]");
  await login.waitFor({ timeout: 15000 });
  await tabTo(page, login);
  await page.keyboard.type("kari");
  await page.keyboard.press("Tab");
  await page.keyboard.type("any");
  await page.keyboard.press("Enter");
  // The consent page: its Continue button (focused by the page itself, else reached by Tab).
  await press(page, "input[name=prompt][value=consent] ~ button[type=submit]");
  await visible(page, "#screen-staged", 30000);
  await tabTo(page, page.locator("#staged-confirm"));
  await page.keyboard.press("Enter");
  await visible(page, "#screen-done", 15000);
  assert.match(await page.locator("#stored-person").innerText(), /Nordmann-Testesen/);
  assert.deepEqual(problems, []);
  await context.close();
});
