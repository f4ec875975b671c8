// One CaptureWorker per IdCapture, driven through the package's public API on
// the page the registry serves: bounded restarts, scans that always settle
// and stop the camera, re-crops bound to their own photo, and dispose().
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { launchBrowser, openPage } from "./support/browser.mjs";
import { EXAMPLES_DIR, makeCardVideo, makeDocumentPhoto, makeMrzPhotos } from "./support/fixtures.mjs";
import { startRegistry } from "./support/registry.mjs";

let browser;
let registry;
let photos;
let passportSurname;
let passportFile;
before(async () => {
  browser = await launchBrowser(["--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${makeCardVideo("TEST0000001")}`]);
  registry = await startRegistry();
  // Two different photos: a passport whose MRZ reads, and a 12 MP phone photo of a card without one.
  const passport = makeMrzPhotos(6, 424242).find((photo) => photo.lines.length === 2 && photo.lines[0].startsWith("P") && photo.date_of_birth && photo.nationality);
  photos = [passport.file, makeDocumentPhoto()].map((file) => readFileSync(file).toString("base64"));
  passportSurname = passport.surname;
  passportFile = passport.file;
});
after(async () => Promise.all([browser?.close(), registry?.stop()]));

/** Puts `{ IdCapture, files, outcome }` on `window.t` (the package the page itself loaded; the CSP allows no eval). */
function setUp(page) {
  return page.evaluate(async (photos) => {
    const { IdCapture } = await import("/pkg/id_capture.js");
    const files = photos.map((base64) => new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], "document.jpg", { type: "image/jpeg" }));
    const outcome = (promise) => promise.then((value) => ({ value }), (error) => ({ code: error.code ?? null, message: error.message }));
    window.t = { IdCapture, files, outcome };
  }, photos);
}

test("a worker that cannot load is restarted twice, then every call fails with capture_unavailable", async () => {
  const { page, context } = await openPage(browser, registry.url);
  let workerRequests = 0;
  await context.route("**/capture_worker.js", (route) => {
    workerRequests += 1;
    return route.fulfill({ status: 404, body: "" });
  });
  const [first, second] = await setUp(page).then(() => page.evaluate(async () => {
    const { IdCapture, files, outcome } = window.t;
    const capture = new IdCapture({});
    return [await outcome(capture.processPhoto(files[0])), await outcome(capture.scanHmsCardPhoto(files[0]))];
  }));
  assert.equal(first.code, "capture_unavailable");
  assert.equal(second.code, "capture_unavailable");
  assert.equal(workerRequests, 3, "the first start and two restarts, then no more");
  await context.close();
});

test("a throwing onStatus rejects the scan with its error and stops the camera track", async () => {
  const { page, context } = await openPage(browser, registry.url);
  await context.grantPermissions(["camera"], { origin: registry.url });
  const outcome = await setUp(page).then(() => page.evaluate(async () => {
    const { IdCapture, files, outcome } = window.t;
    const video = document.createElement("video");
    let track = null;
    const onStatus = () => {
      track = video.srcObject.getVideoTracks()[0];
      throw new Error("the page's status handler failed");
    };
    const scan = await outcome(new IdCapture({}).scanHmsCard(video, { onStatus }));
    return { scan, trackState: track?.readyState, srcObject: video.srcObject };
  }));
  assert.deepEqual(outcome, { scan: { code: null, message: "the page's status handler failed" }, trackState: "ended", srcObject: null });
  await context.close();
});

test("a re-crop crops its own photo after another was taken, and is refused once the photo is released", async () => {
  const { page, context } = await openPage(browser, registry.url);
  const crops = await setUp(page).then(() => page.evaluate(async () => {
    const { IdCapture, files, outcome } = window.t;
    const capture = new IdCapture({});
    const seen = (photo) => ({ source: [photo.sourceWidth, photo.sourceHeight], surname: photo.mrz?.person.surname ?? null });
    const first = await capture.processPhoto(files[0]);
    const second = await capture.processPhoto(files[1]);
    const firstAgain = await first.recrop(first.corners);
    const secondAgain = await second.recrop(second.corners);
    // A third and a fourth photo: the first two are no longer kept.
    await capture.processPhoto(files[1]);
    await capture.processPhoto(files[1]);
    const released = await outcome(first.recrop(first.corners));
    return { first: seen(first), second: seen(second), firstAgain: seen(firstAgain), secondAgain: seen(secondAgain), released: released.code };
  }));
  assert.equal(crops.first.surname, passportSurname);
  assert.notDeepEqual(crops.first.source, crops.second.source, "two different photos");
  assert.deepEqual(crops.firstAgain, crops.first, "the first photo's re-crop crops the first photo");
  assert.deepEqual(crops.secondAgain, crops.second);
  assert.equal(crops.released, "photo_released");
  await context.close();
});

test("the page's pipeline and the native one give the same corners and the same MRZ on one photo", async () => {
  // examples/read_mrz runs the core's capture pipeline over our own backend; the page runs it over the browser's.
  const native = JSON.parse(execFileSync(join(EXAMPLES_DIR, "read_mrz"), [passportFile], { encoding: "utf8" }).trim());
  const { page, context } = await openPage(browser, registry.url);
  const browserResult = await setUp(page).then(() => page.evaluate(async () => {
    const photo = await new window.t.IdCapture({}).processPhoto(window.t.files[0]);
    return { corners: photo.corners, source: [photo.sourceWidth, photo.sourceHeight], person: photo.mrz?.person ?? null };
  }));
  assert.ok(browserResult.person, "the page read the MRZ");
  const fields = ["given_names", "surname", "date_of_birth", "nationality"];
  assert.deepEqual(Object.fromEntries(fields.map((f) => [f, browserResult.person[f]])), Object.fromEntries(fields.map((f) => [f, native[f]])));
  // The two backends scale with different filters: the corners agree within 1 % of the photo's long edge.
  const tolerance = 0.01 * Math.max(...browserResult.source);
  const apart = Math.max(...browserResult.corners.map((p, i) => Math.hypot(p.x - native.corners[i][0], p.y - native.corners[i][1])));
  assert.ok(apart <= tolerance, `corners ${apart.toFixed(1)} px apart (tolerance ${tolerance.toFixed(1)})`);
  await context.close();
});

test("the photo is forgotten once the person is sent", async () => {
  const { page, context } = await openPage(browser, registry.url);
  const codes = await setUp(page).then(() => page.evaluate(async () => {
    const { IdCapture, files, outcome } = window.t;
    const capture = new IdCapture({});
    const photo = await capture.processPhoto(files[0]);
    const person = { given_names: "Anna Maria", surname: "Eriksson", date_of_birth: "1974-08-12", nationality: "SWE" };
    await capture.submitDocument(person, { source: "typed" });
    return (await outcome(photo.recrop(photo.corners))).code;
  }));
  assert.equal(codes, "photo_released");
  await context.close();
});

test("dispose() terminates the worker, and later scans and photos fail with capture_unavailable", async () => {
  const { page, context } = await openPage(browser, registry.url);
  const workerStarted = page.waitForEvent("worker");
  await setUp(page).then(() => page.evaluate(async () => {
    const { IdCapture, files } = window.t;
    window.disposableCapture = new IdCapture({});
    await window.disposableCapture.processPhoto(files[0]);
  }));
  const worker = await workerStarted;
  const workerClosed = new Promise((resolve) => worker.once("close", resolve));
  const codes = await setUp(page).then(() => page.evaluate(async () => {
    const { IdCapture, files, outcome } = window.t;
    const capture = window.disposableCapture;
    capture.dispose();
    return [(await outcome(capture.processPhoto(files[0]))).code, (await outcome(capture.scanHmsCard(document.createElement("video")))).code];
  }));
  await workerClosed;
  assert.deepEqual(codes, ["capture_unavailable", "capture_unavailable"]);
  assert.equal(page.workers().length, 0);
  await context.close();
});

test("free() (and the garbage collector) lets a running photo finish, then ends the worker", async () => {
  const { page, context } = await openPage(browser, registry.url);
  const workerClosed = page.waitForEvent("worker").then((worker) => new Promise((resolve) => worker.once("close", resolve)));
  const outcome = await setUp(page).then(() => page.evaluate(async () => {
    const { IdCapture, files, outcome } = window.t;
    const capture = new IdCapture({});
    const photo = capture.processPhoto(files[0]);
    capture.free();
    return (await outcome(photo)).value?.jpeg instanceof Blob;
  }));
  assert.equal(outcome, true, "the photo was processed");
  await workerClosed;
  assert.equal(page.workers().length, 0);
  await context.close();
});
