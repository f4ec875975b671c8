// HMS card end to end: Chromium's fake camera plays a video of an invented card
// moving into view; the page scans it in a worker, sends only the card
// reference, and the registry resolves and stores the holder.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { launchBrowser, openPage } from "./support/browser.mjs";
import { makeCardVideo } from "./support/fixtures.mjs";
import { PrivacyAudit } from "./support/privacy-audit.mjs";
import { startRegistry } from "./support/registry.mjs";

const HOLDER_VALUES = ["Ola Kristian", "Testmann", "1985-03-14"];
let cameraBrowser;

before(async () => {
  const video = makeCardVideo("TEST0000001");
  cameraBrowser = await launchBrowser(["--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${video}`]);
});
after(async () => cameraBrowser?.close());

test("the camera reads an HMS card and the registry stores its holder; only the reference leaves the page", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(cameraBrowser, registry.url);
  await context.grantPermissions(["camera"], { origin: registry.url });
  const audit = new PrivacyAudit(page, { allowedOrigins: [registry.url], personalValues: [...HOLDER_VALUES, "TEST0000001"] });
  await page.click("#method-hms-card");
  await page.waitForSelector("#screen-done:not([hidden])", { timeout: 30000 });
  const receipt = await page.innerText("#stored-person");
  assert.match(receipt, /Testmann/);
  assert.match(receipt, /Eksempel Bygg AS \(999999999\)/);
  const submissions = audit.submissions();
  assert.equal(submissions.length, 1);
  assert.deepEqual(JSON.parse(submissions[0].body), { hms_card_reference: "TEST0000001" });
  // The reference may travel in that body only: it is personal data everywhere else.
  audit.personalValues = HOLDER_VALUES;
  await audit.assertAll(page);
  assert.equal(await page.evaluate(() => document.querySelector("#hms-video").srcObject), null, "the camera is stopped");
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
  await page.waitForFunction(() => /blocked|No camera/.test(document.querySelector("#hms-status").textContent), null, { timeout: 15000 });
  assert.ok(await page.isVisible("#hms-photo"));
  assert.deepEqual(problems, []);
  await context.close();
  assert.deepEqual(await registry.stopAndReadIdentities(), []);
});
