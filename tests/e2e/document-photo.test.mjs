// ID document photo end to end: a photo picked through the file input is
// cropped, compressed and read on the device; only the three fields (confirmed
// or corrected by the user) reach the registry, never the image.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { launchBrowser, openPage } from "./support/browser.mjs";
import { makeDocumentPhoto, makeMrzPhotos, scratchDirectory } from "./support/fixtures.mjs";
import { PrivacyAudit } from "./support/privacy-audit.mjs";
import { ROOT, startRegistry } from "./support/registry.mjs";

let browser;
let passport;
before(async () => {
  browser = await launchBrowser();
  // Seeds the reader was not tuned on; the TD3 (passport) one is used.
  const photos = makeMrzPhotos(6, 424242);
  passport = photos.find((photo) => photo.lines.length === 2 && photo.lines[0].length === 44 && photo.lines[0].startsWith("P") && photo.date_of_birth && photo.nationality);
  assert.ok(passport, "a passport photo was generated");
});
after(async () => browser?.close());

function personalValues(truth) {
  return [truth.surname, truth.given_names, truth.date_of_birth].filter((value) => value && value.length > 2);
}

async function pickPhoto(page, file) {
  await page.click("#method-document");
  await page.setInputFiles("#document-photo", file);
}

test("a passport photo is read on the device and exactly the three fields are stored", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(browser, registry.url);
  const audit = new PrivacyAudit(page, { allowedOrigins: [registry.url], personalValues: personalValues(passport) });
  await pickPhoto(page, passport.file);
  await page.waitForSelector("#screen-confirm:not([hidden])", { timeout: 60000 });
  const shown = await page.locator("#confirm-form").evaluate((form) => Object.fromEntries(["given_names", "surname", "date_of_birth", "nationality"].map((name) => [name, form.elements[name].value])));
  assert.deepEqual(shown, { given_names: passport.given_names, surname: passport.surname, date_of_birth: passport.date_of_birth, nationality: passport.nationality });
  assert.ok(await page.isVisible("#confirm-photo"), "the cropped photo is shown while confirming");
  await page.click("#send");
  await page.waitForSelector("#screen-done:not([hidden])", { timeout: 30000 });
  const [submission] = audit.submissions();
  assert.deepEqual(JSON.parse(submission.body), {
    person: { given_names: passport.given_names, surname: passport.surname, date_of_birth: passport.date_of_birth, nationality: passport.nationality },
    source: "mrz",
    corrected_by_user: false,
  });
  const documentNumberLine = passport.lines[1].slice(0, 9);
  assert.ok(!submission.body.toString().includes(documentNumberLine), "no document number leaves the page");
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();
  const rows = await registry.stopAndReadIdentities();
  assert.equal(rows.length, 1);
  assert.equal(rows[0].document_source, "mrz");
  assert.equal(rows[0].corrected_by_user, 0);
  assert.equal(rows[0].surname, passport.surname);
});

test("a correction on the confirmation screen is sent as corrected_by_user", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(browser, registry.url);
  const audit = new PrivacyAudit(page, { allowedOrigins: [registry.url], personalValues: personalValues(passport) });
  await pickPhoto(page, passport.file);
  await page.waitForSelector("#screen-confirm:not([hidden])", { timeout: 60000 });
  await page.fill("#confirm-form [name=given_names]", "Corrected Name");
  await page.click("#send");
  await page.waitForSelector("#screen-done:not([hidden])", { timeout: 30000 });
  const body = JSON.parse(audit.submissions()[0].body);
  assert.equal(body.corrected_by_user, true);
  assert.equal(body.person.given_names, "Corrected Name");
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();
  const rows = await registry.stopAndReadIdentities();
  assert.equal(rows[0].corrected_by_user, 1);
});

test("a document without an MRZ goes to typed entry with the photo visible, and its metadata never leaves", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(browser, registry.url);
  const audit = new PrivacyAudit(page, { allowedOrigins: [registry.url], personalValues: ["Eriksson", "1974-08-12"] });
  // A 12 MP phone photo with EXIF orientation 6 and GPS, XMP, ICC and a comment; its band is not a real MRZ.
  await pickPhoto(page, makeDocumentPhoto(["--orientation", "6", "--seed", "7"]));
  await page.waitForSelector("#typed-entry:not([hidden])", { timeout: 60000 });
  assert.ok(await page.isVisible("#photo-crop"), "the photo stays visible beside the form");
  const crop = await page.evaluate(async () => {
    const blob = await (await fetch(document.querySelector("id-capture").shadowRoot.querySelector("#photo-crop").src)).blob();
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const markers = [];
    for (let offset = 2; offset + 4 <= bytes.length && bytes[offset] === 0xff; ) {
      const marker = bytes[offset + 1];
      markers.push(marker);
      if (marker === 0xda) break;
      offset += 2 + ((bytes[offset + 2] << 8) | bytes[offset + 3]);
    }
    return { size: bytes.length, markers, width: document.querySelector("id-capture").shadowRoot.querySelector("#photo-crop").naturalWidth, height: document.querySelector("id-capture").shadowRoot.querySelector("#photo-crop").naturalHeight };
  });
  assert.ok(crop.size <= 300000, `within the byte budget (${crop.size})`);
  assert.ok(crop.width > crop.height, "upright, landscape document");
  assert.ok(Math.max(crop.width, crop.height) <= 1600);
  const metadataMarkers = crop.markers.filter((marker) => (marker >= 0xe1 && marker <= 0xef) || marker === 0xfe);
  assert.deepEqual(metadataMarkers, [], "no EXIF, XMP, ICC, IPTC or comment segment in the output");
  await page.fill("#typed-entry [name=given_names]", "Anna Maria");
  await page.fill("#typed-entry [name=surname]", "Eriksson");
  await page.fill("#typed-entry [name=date_of_birth]", "1974-08-12");
  await page.selectOption("#typed-entry [name=nationality]", "SWE");
  await page.click("#typed-entry button[type=submit]");
  await page.waitForSelector("#screen-confirm:not([hidden])");
  await page.click("#send");
  await page.waitForSelector("#screen-done:not([hidden])", { timeout: 30000 });
  assert.equal(JSON.parse(audit.submissions()[0].body).source, "typed");
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();
  const rows = await registry.stopAndReadIdentities();
  assert.equal(rows.length, 1);
  assert.equal(rows[0].document_source, "typed");
});

test("a file that is not an image gets a clear message and nothing is sent", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(browser, registry.url);
  const audit = new PrivacyAudit(page, { allowedOrigins: [registry.url], personalValues: [] });
  await page.click("#method-document");
  await page.setInputFiles("#document-photo", { name: "broken.jpg", mimeType: "image/jpeg", buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]) });
  await page.waitForFunction(() => /could not be read|not supported|incomplete or damaged/.test(document.querySelector("id-capture").shadowRoot.querySelector("#photo-status").textContent), null, { timeout: 30000 });
  assert.equal(audit.submissions().length, 0);
  assert.deepEqual(problems, []);
  await context.close();
  assert.deepEqual(await registry.stopAndReadIdentities(), []);
});

test("a phone photo cut to half its length is named incomplete on the browser path, never shown half grey", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(browser, registry.url);
  const whole = readFileSync(makeDocumentPhoto(["--orientation", "6", "--seed", "7"]));
  await page.click("#method-document");
  await page.setInputFiles("#document-photo", { name: "cut.jpg", mimeType: "image/jpeg", buffer: whole.subarray(0, Math.floor(whole.length / 2)) });
  await page.waitForFunction(() => /incomplete or damaged/.test(document.querySelector("id-capture").shadowRoot.querySelector("#photo-status").textContent), null, { timeout: 30000 });
  assert.ok(await page.isHidden("#photo-result"), "no crop is shown");
  assert.deepEqual(problems, []);
  await context.close();
  assert.deepEqual(await registry.stopAndReadIdentities(), []);
});

/** Largest distance between matched corners, over the four starting corners and both directions. */
function worstCornerError(found, truth) {
  let best = Infinity;
  for (const direction of [1, -1]) {
    for (let shift = 0; shift < 4; shift++) {
      const worst = Math.max(...found.map((p, i) => {
        const [x, y] = truth[(((shift + direction * i) % 4) + 4) % 4];
        return Math.hypot(p.x - x, p.y - y);
      }));
      best = Math.min(best, worst);
    }
  }
  return best;
}

test("the capture worker finds the corners of a 12 MP photo, and a re-crop at moved corners keeps the budget and carries no metadata", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(browser, registry.url);
  const file = join(scratchDirectory(), "corners.jpg");
  const examples = process.env.EXAMPLES_DIR ?? join(ROOT, "target/release/examples");
  // EXIF orientation 6, with GPS, XMP, ICC, IPTC and a comment; prints the true corners of the displayed photo.
  const truth = JSON.parse(execFileSync(join(examples, "make_document_photo"), [file, "--orientation", "6", "--seed", "9"], { encoding: "utf8" }));
  const outcome = await page.evaluate(async (base64) => {
    const { IdCapture } = await import("/pkg/id_capture.js");
    const capture = new IdCapture({});
    const photo = new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: "image/jpeg" });
    const describe = async (result) => {
      const bytes = new Uint8Array(await result.jpeg.arrayBuffer());
      const markers = [];
      let lumaSampling = null;
      for (let offset = 2; offset + 4 <= bytes.length && bytes[offset] === 0xff; ) {
        markers.push(bytes[offset + 1]);
        // The frame header's first component: its sampling factors (H << 4 | V).
        if (bytes[offset + 1] === 0xc0) lumaSampling = bytes[offset + 4 + 7];
        if (bytes[offset + 1] === 0xda) break;
        offset += 2 + ((bytes[offset + 2] << 8) | bytes[offset + 3]);
      }
      const bitmap = await createImageBitmap(result.jpeg);
      const size = { width: bitmap.width, height: bitmap.height };
      bitmap.close();
      return { corners: result.corners, documentFound: result.documentFound, sourceWidth: result.sourceWidth, sourceHeight: result.sourceHeight, bytes: bytes.length, markers, lumaSampling, ...size };
    };
    const first = await capture.processPhoto(photo, { skipMrz: true });
    // The user pulls every corner 5 % of the way towards the centre.
    const centre = first.corners.reduce((c, p) => ({ x: c.x + p.x / 4, y: c.y + p.y / 4 }), { x: 0, y: 0 });
    const moved = first.corners.map((p) => ({ x: p.x + 0.05 * (centre.x - p.x), y: p.y + 0.05 * (centre.y - p.y) }));
    const second = await first.recrop(moved, { skipMrz: true });
    return { first: await describe(first), second: await describe(second), moved };
  }, readFileSync(file).toString("base64"));
  const { first, second, moved } = outcome;
  assert.deepEqual([first.sourceWidth, first.sourceHeight], [truth.displayed_width, truth.displayed_height], "corners refer to the displayed photo");
  assert.ok(first.documentFound);
  const error = worstCornerError(first.corners, truth.corners);
  assert.ok(error <= 3, `corners within 3 px of the truth (worst ${error.toFixed(1)} px)`);
  for (const result of [first, second]) {
    assert.ok(result.bytes <= 300000, `within the byte budget (${result.bytes})`);
    assert.ok(Math.max(result.width, result.height) <= 1600 && result.width > result.height);
    assert.deepEqual(result.markers.filter((marker) => (marker >= 0xe1 && marker <= 0xef) || marker === 0xfe), [], "no metadata segment");
    // Chromium's encoder writes 4:2:0 (luma 2×2), the module's fallback 4:4:4:
    // the browser's encoder served, so handing it the crop's pixels worked.
    assert.equal(result.lumaSampling, 0x22, "encoded by the browser's JPEG encoder");
  }
  second.corners.forEach((p, i) => assert.ok(Math.hypot(p.x - moved[i].x, p.y - moved[i].y) < 0.5, "the re-crop uses the moved corners"));
  assert.deepEqual(problems, []);
  await context.close();
  await registry.stopAndReadIdentities();
});

test("the photo is picked and its corners moved by keyboard alone, with labels in the page's language", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(browser, registry.url, { locale: "nb-NO" });
  await page.focus("#method-document");
  await page.keyboard.press("Enter");
  // The file input inside the button-like label is in the tab order.
  await page.focus("#document-photo");
  assert.equal(await page.evaluate(() => document.querySelector("id-capture").shadowRoot.activeElement?.id), "document-photo");
  await page.setInputFiles("#document-photo", makeDocumentPhoto(["--orientation", "1", "--seed", "11"]));
  await page.waitForSelector("#photo-adjust:not([hidden])", { timeout: 60000 });
  await page.focus("#photo-adjust");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#corner-editor:not([hidden]) .corner-handle");
  // The outline is drawn once the photo has loaded into the editor.
  await page.waitForSelector("#corner-outline polygon[points]");
  const handle = page.locator(".corner-handle").first();
  assert.equal(await handle.getAttribute("aria-label"), "Øvre venstre hjørne");
  const before = await page.getAttribute("#corner-outline polygon", "points");
  await handle.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press("Shift+ArrowRight");
  await page.keyboard.press("ArrowDown");
  const after = await page.getAttribute("#corner-outline polygon", "points");
  const [x0, y0] = before.split(" ")[0].split(",").map(Number);
  const [x1, y1] = after.split(" ")[0].split(",").map(Number);
  assert.ok(Math.abs(x1 - x0 - 30) < 1.5 && Math.abs(y1 - y0 - 1) < 1.5, `moved by keys: ${before.split(" ")[0]} → ${after.split(" ")[0]}`);
  await page.focus("#corner-apply");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#corner-editor", { state: "hidden" });
  await page.waitForSelector("#photo-result:not([hidden])");
  assert.deepEqual(problems, []);
  await context.close();
  await registry.stop();
});
