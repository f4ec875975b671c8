// The spine end to end: the page, served by the real registry, takes a typed
// person through confirmation into SQLite, in headless Chromium.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { launchBrowser, openPage } from "./support/browser.mjs";
import { ANNA, ANNA_VALUES, assertOneStoredAnna, openTypedEntry, sendAndWaitForReceipt, typeDocumentDetails } from "./support/flows.mjs";
import { PrivacyAudit } from "./support/privacy-audit.mjs";
import { startRegistry } from "./support/registry.mjs";

let browser;
before(async () => (browser = await launchBrowser()));
after(async () => browser?.close());

test("a typed-entry submission lands in SQLite holding only the contract's fields", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(browser, registry.url);
  const audit = new PrivacyAudit(page, { allowedOrigins: [registry.url], personalValues: ANNA_VALUES });
  await typeDocumentDetails(page);
  const receipt = await sendAndWaitForReceipt(page);
  assert.match(receipt, /Eriksson/);
  assert.match(receipt, /1974-08-12/);
  const submissions = audit.submissions();
  assert.equal(submissions.length, 1);
  assert.deepEqual(JSON.parse(submissions[0].body), { person: ANNA, source: "typed", corrected_by_user: false });
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();
  assertOneStoredAnna(await registry.stopAndReadIdentities());
});

test("an impossible birth date is pointed out beside its field and nothing is sent", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(browser, registry.url);
  const audit = new PrivacyAudit(page, { allowedOrigins: [registry.url], personalValues: ANNA_VALUES });
  await openTypedEntry(page);
  await page.fill("#typed-entry [name=surname]", "Eriksson");
  await page.fill("#typed-entry [name=date_of_birth]", "2999-01-01");
  await page.click("#typed-entry button[type=submit]");
  await page.waitForSelector("#typed-entry .field-error:not([hidden])");
  assert.equal(await page.getAttribute("#typed-entry [name=date_of_birth]", "aria-invalid"), "true");
  assert.match(await page.innerText("#typed-entry .field-error"), /date of birth/i);
  assert.equal(audit.submissions().length, 0);
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();
  assert.deepEqual(await registry.stopAndReadIdentities(), []);
});

test("the page speaks Norwegian to a Norwegian browser and switches language on request", async () => {
  const registry = await startRegistry();
  const { page, context } = await openPage(browser, registry.url, { locale: "nb-NO" });
  assert.equal(await page.innerText("#method-hms-card strong"), "HMS-kort");
  assert.equal(await page.getAttribute("html", "lang"), "nb");
  await page.selectOption("#language-select", "uk");
  assert.equal(await page.innerText("#screen-methods h2"), "Як ви хочете підтвердити свою особу?");
  assert.equal(await page.getAttribute("html", "lang"), "uk");
  await page.selectOption("#language-select", "en");
  assert.equal(await page.innerText("#screen-methods h2"), "How do you want to identify yourself?");
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  assert.equal(await page.getAttribute("html", "lang"), "en", "the choice is remembered");
  await context.close();
  await registry.stop();
});

test("a name with markup is shown back as text, never as HTML", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(browser, registry.url);
  await openTypedEntry(page);
  await page.fill("#typed-entry [name=surname]", "<img src=x onerror=alert(1)>");
  await page.fill("#typed-entry [name=date_of_birth]", "1974-08-12");
  await page.click("#typed-entry button[type=submit]");
  await page.waitForSelector("#typed-entry .field-error:not([hidden])");
  assert.equal(await page.locator("img[onerror], img[src=x]").count(), 0, "the markup created no element");
  assert.deepEqual(problems, []);
  await context.close();
  assert.deepEqual(await registry.stopAndReadIdentities(), []);
});

test("a refused field is named in the page's language and linked to its field", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(browser, registry.url, { locale: "pl-PL" });
  assert.equal(await page.getAttribute("html", "lang"), "pl");
  await openTypedEntry(page);
  await page.fill("#typed-entry [name=surname]", "Eriksson");
  await page.fill("#typed-entry [name=date_of_birth]", "2999-01-01");
  await page.click("#typed-entry button[type=submit]");
  await page.waitForSelector("#typed-entry .field-error:not([hidden])");
  const error = await page.innerText("#typed-entry .field-error");
  assert.match(error, /datę urodzenia/);
  assert.doesNotMatch(error, /error\./, "never a raw catalogue key");
  const describedBy = await page.getAttribute("#typed-entry [name=date_of_birth]", "aria-describedby");
  assert.equal(await page.$eval(`#${describedBy}`, (element) => element.textContent), error);
  assert.deepEqual(problems, []);
  await context.close();
  await registry.stop();
});
