// IdCapture.scanHmsCard's camera loop (src/web/camera_scan.rs) through the
// package's public API, with Chromium's fake camera showing an invented card:
// it reads the card, hands the page its torch switch, and stops the camera
// when the page aborts or disposes the capture mid-scan.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { launchBrowser, openPage } from "./support/browser.mjs";
import { makeCardVideo } from "./support/fixtures.mjs";
import { startRegistry } from "./support/registry.mjs";

let browser;
let registry;
before(async () => {
  browser = await launchBrowser(["--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${makeCardVideo("TEST0000001")}`]);
  registry = await startRegistry();
});
after(async () => Promise.all([browser?.close(), registry?.stop()]));

/** Runs `scan(IdCapture, video)` on the page the registry serves, with camera permission. */
async function onPage(scan) {
  const { page, context, problems } = await openPage(browser, registry.url);
  await context.grantPermissions(["camera"], { origin: registry.url });
  const result = await page.evaluate(scan);
  await context.close();
  assert.deepEqual(problems, []);
  return result;
}

test("the camera scan reads the card, hands the page its torch switch, and stops the camera", async () => {
  const result = await onPage(async () => {
    const { IdCapture } = await import("/pkg/id_capture.js");
    const video = document.createElement("video");
    const states = [];
    let controls = null;
    let track = null;
    const found = await new IdCapture({}).scanHmsCard(video, {
      onStatus: (status) => states.push(status.state),
      onReady: (ready) => {
        controls = { torchAvailable: ready.torchAvailable, setTorch: typeof ready.setTorch };
        track = video.srcObject.getVideoTracks()[0];
      },
    });
    return { found, states: [states[0], states.at(-1)], controls, trackState: track?.readyState, srcObject: video.srcObject };
  });
  assert.deepEqual(result, {
    found: { hmsCardReference: "TEST0000001" },
    states: ["searching", "found"],
    // The fake camera has no torch.
    controls: { torchAvailable: false, setTorch: "function" },
    trackState: "ended",
    srcObject: null,
  });
});

test("aborting the page's signal mid-scan rejects with the platform's AbortError and stops the camera track", async () => {
  const result = await onPage(async () => {
    const { IdCapture } = await import("/pkg/id_capture.js");
    const video = document.createElement("video");
    const controller = new AbortController();
    let track = null;
    const onReady = () => {
      track = video.srcObject.getVideoTracks()[0];
      controller.abort();
    };
    const error = await new IdCapture({}).scanHmsCard(video, { onReady, signal: controller.signal }).then(() => null, (error) => error);
    return { isDomException: error instanceof DOMException, name: error?.name, trackState: track?.readyState, srcObject: video.srcObject };
  });
  assert.deepEqual(result, { isDomException: true, name: "AbortError", trackState: "ended", srcObject: null });
});

test("a signal aborted before the scan rejects at once with AbortError and opens no camera", async () => {
  const result = await onPage(async () => {
    const { IdCapture } = await import("/pkg/id_capture.js");
    const video = document.createElement("video");
    let statuses = 0;
    const error = await new IdCapture({})
      .scanHmsCard(video, { signal: AbortSignal.abort(), onStatus: () => (statuses += 1) })
      .then(() => null, (error) => error);
    return { name: error?.name, statuses, srcObject: video.srcObject };
  });
  assert.deepEqual(result, { name: "AbortError", statuses: 0, srcObject: null });
});

test("dispose() mid-scan rejects the scan with capture_unavailable and stops the camera track", async () => {
  const result = await onPage(async () => {
    const { IdCapture } = await import("/pkg/id_capture.js");
    const video = document.createElement("video");
    const capture = new IdCapture({});
    let track = null;
    const onReady = () => {
      track = video.srcObject.getVideoTracks()[0];
      capture.dispose();
    };
    const error = await capture.scanHmsCard(video, { onReady }).then(() => null, (error) => error);
    return { code: error?.code, trackState: track?.readyState, srcObject: video.srcObject };
  });
  assert.deepEqual(result, { code: "capture_unavailable", trackState: "ended", srcObject: null });
});
