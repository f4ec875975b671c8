// Taking the ID photo with the page's own camera view: Chromium's fake camera
// shows a passport page; the still goes through the same on-device pipeline.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { launchBrowser, openPage } from "./support/browser.mjs";
import { makeDocumentVideo, makeMrzPhotos } from "./support/fixtures.mjs";
import { PrivacyAudit } from "./support/privacy-audit.mjs";
import { startRegistry } from "./support/registry.mjs";

let browser;
let passport;
before(async () => {
  const photos = makeMrzPhotos(6, 424242);
  passport = photos.find((photo) => photo.lines.length === 2 && photo.lines[0].length === 44 && photo.lines[0].startsWith("P") && photo.date_of_birth && photo.nationality);
  browser = await launchBrowser(["--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${makeDocumentVideo(passport.file)}`]);
});
after(async () => browser?.close());

test("a still from the camera view is cropped and read on the device, and only the fields are sent", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(browser, registry.url);
  await context.grantPermissions(["camera"], { origin: registry.url });
  const audit = new PrivacyAudit(page, { allowedOrigins: [registry.url], personalValues: [passport.surname, passport.date_of_birth] });
  await page.click("#method-document");
  await page.click("#document-use-camera");
  await page.waitForSelector("#document-camera:not([hidden])");
  await page.waitForFunction(() => document.querySelector("id-capture").shadowRoot.querySelector("#document-video").videoWidth > 0);
  await page.click("#document-take-photo");
  await page.waitForSelector("#screen-confirm:not([hidden])", { timeout: 60000 });
  assert.equal(await page.inputValue("#confirm-form [name=surname]"), passport.surname);
  assert.equal(await page.inputValue("#confirm-form [name=date_of_birth]"), passport.date_of_birth);
  assert.equal(await page.evaluate(() => document.querySelector("id-capture").shadowRoot.querySelector("#document-video").srcObject), null, "the camera is stopped");
  await page.click("#send");
  await page.waitForSelector("#screen-done:not([hidden])", { timeout: 30000 });
  assert.equal(JSON.parse(audit.submissions()[0].body).source, "mrz");
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();
  const rows = await registry.stopAndReadIdentities();
  assert.equal(rows.length, 1);
  assert.equal(rows[0].surname, passport.surname);
});
