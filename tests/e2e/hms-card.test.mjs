// HMS card end to end: Chromium's fake camera plays a video of an invented card
// moving into view; the page scans it in a worker; the worker types the date
// of birth printed on the card; the registry answers the holder only when both
// match, and stores it only when the worker confirms.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { launchBrowser, openPage } from "./support/browser.mjs";
import { makeCardVideo, makeOtherCodeVideo } from "./support/fixtures.mjs";
import { shownText } from "./support/flows.mjs";
import { PrivacyAudit } from "./support/privacy-audit.mjs";
import { startRegistry } from "./support/registry.mjs";

const HOLDER_VALUES = ["Ola Kristian", "Testmann", "1985-03-14"];
// A Wi-Fi code: the kind of QR code a worker might show by mistake. Its
// passphrase must never be echoed, sent or stored.
const WIFI_PASSPHRASE = "invented-site-passphrase-42";
const WIFI_CODE = `WIFI:T:WPA;S:Site Office;P:${WIFI_PASSPHRASE};;`;
let cameraBrowser;
let otherCodeBrowser;

const fakeCamera = (video) => ["--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${video}`];
before(async () => {
  cameraBrowser = await launchBrowser(fakeCamera(makeCardVideo("TEST0000001")));
  otherCodeBrowser = await launchBrowser(fakeCamera(makeOtherCodeVideo(WIFI_CODE)));
});
after(async () => Promise.all([cameraBrowser?.close(), otherCodeBrowser?.close()]));

test("the camera reads an HMS card, the worker gives the date of birth and confirms, and only then is the holder stored", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(cameraBrowser, registry.url);
  await context.grantPermissions(["camera"], { origin: registry.url });
  const audit = new PrivacyAudit(page, { allowedOrigins: [registry.url], personalValues: [...HOLDER_VALUES, "TEST0000001"] });
  await page.click("#method-hms-card");
  await page.waitForSelector("#hms-dob-form:not([hidden])", { timeout: 30000 });
  await page.fill("#hms-dob", "1985-03-14");
  await page.click("#hms-dob-form button[type=submit]");
  await page.waitForSelector("#screen-staged:not([hidden])", { timeout: 15000 });
  assert.match(await page.innerText("#staged-person"), /Testmann/);
  await page.click("#staged-confirm");
  await page.waitForSelector("#screen-done:not([hidden])", { timeout: 15000 });
  const receipt = await page.innerText("#stored-person");
  assert.match(receipt, /Testmann/);
  assert.match(receipt, /Eksempel Bygg AS \(999999999\)/);
  assert.deepEqual(audit.postsTo(/^\/v2\/hms-card\/lookups$/), [{ hms_card_reference: "TEST0000001", date_of_birth: "1985-03-14" }]);
  assert.deepEqual(audit.postsTo(/\/confirm$/), [{}]);
  assert.equal(audit.submissions().length, 2);
  // The reference and the date may travel in the lookup body only: they are personal data everywhere else.
  audit.personalValues = HOLDER_VALUES;
  await audit.assertAll(page);
  assert.equal(await page.evaluate(() => document.querySelector("id-capture").shadowRoot.querySelector("#hms-video").srcObject), null, "the camera is stopped");
  assert.deepEqual(problems, []);
  await context.close();
  const rows = await registry.stopAndReadIdentities();
  assert.equal(rows.length, 1);
  assert.equal(rows[0].method, "hms_card");
  assert.equal(rows[0].hms_card_reference, "TEST0000001");
  assert.equal(rows[0].surname, "Testmann");
  assert.equal(rows[0].employer_organisation_number, "999999999");
  assert.equal(rows[0].nationality, null);
});

test("without camera permission the page explains and offers a photo instead", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(cameraBrowser, registry.url);
  await page.click("#method-hms-card");
  await page.waitForFunction(() => /blocked|No camera/.test(document.querySelector("id-capture").shadowRoot.querySelector("#hms-status").textContent), null, { timeout: 15000 });
  assert.ok(await page.isVisible("#hms-photo"));
  assert.deepEqual(problems, []);
  await context.close();
  assert.deepEqual(await registry.stopAndReadIdentities(), []);
});

test("a QR code that is not an HMS card: the viewfinder says so, keeps scanning, echoes and sends nothing", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(otherCodeBrowser, registry.url);
  await context.grantPermissions(["camera"], { origin: registry.url });
  const audit = new PrivacyAudit(page, { allowedOrigins: [registry.url], personalValues: [WIFI_PASSPHRASE, "Site Office"] });
  await page.click("#method-hms-card");
  await page.waitForFunction(() => /not an HMS card/.test(document.querySelector("id-capture").shadowRoot.querySelector("#hms-status").textContent), null, { timeout: 30000 });
  // The worker goes on reading frames: the right card may come next.
  await page.waitForTimeout(1500);
  assert.ok(await page.evaluate(() => document.querySelector("id-capture").shadowRoot.querySelector("#hms-video").srcObject !== null), "the camera keeps running");
  assert.ok(await page.isVisible("#screen-hms"));
  assert.doesNotMatch(await shownText(page), new RegExp(WIFI_PASSPHRASE), "the code's content is not shown");
  assert.equal(audit.submissions().length, 0, "nothing is sent to the registry");
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();
  assert.deepEqual(await registry.stopAndReadIdentities(), []);
});
