// Camera and worker plumbing for IdCapture.scanHmsCard (called from Rust,
// src/web/hms_scan.rs). Everything decided about pixels or payloads happens in
// the module (the core's qr and hms), inside the worker.

const CAMERA_KEY = "id-capture.camera";
/** Without a read for this long, try the next rear camera (phones have several). */
const SWITCH_CAMERA_AFTER_MS = 4000;
// The live loop's budget per frame: 6 passes decode as many of the benchmark's frames
// as zxing-wasm (bench/README.md); the time budget keeps the frame rate on slow phones.
const CAMERA_PASSES = 6;
const CAMERA_FRAME_MS = 150;

import { attachStream, openCamera, stopStream } from "./camera.js";
import { callPage, captureError } from "./errors.js";

function rememberedCamera() {
  try { return localStorage.getItem(CAMERA_KEY); } catch { return null; }
}

function rememberCamera(deviceId) {
  // A device id names a camera, not a person; it is the only thing kept.
  try { if (deviceId) localStorage.setItem(CAMERA_KEY, deviceId); } catch { /* private mode */ }
}

async function rearCameraIds() {
  try {
    const devices = await navigator.mediaDevices.enumerateDevices();
    const cameras = devices.filter((device) => device.kind === "videoinput" && device.deviceId);
    const rear = cameras.filter((camera) => /back|rear|environment|bak/i.test(camera.label));
    return (rear.length > 0 ? rear : cameras).map((camera) => camera.deviceId);
  } catch {
    return [];
  }
}

/** `source` drawn whole at `width × height`, as the worker's scan request (its pixels transferred). */
function scanRequest(source, width, height, options, context = document.createElement("canvas").getContext("2d", { willReadFrequently: true })) {
  Object.assign(context.canvas, { width, height });
  context.drawImage(source, 0, 0, width, height);
  const pixels = context.getImageData(0, 0, width, height).data.buffer;
  return [{ type: "scan", width, height, pixels, options }, [pixels]];
}

/** Any failure (camera, worker, a throwing callback, abort, dispose) rejects the scan; the camera always stops. */
export async function scanWithCamera(video, worker, settings, options = {}) {
  const onStatus = (status) => callPage(options?.onStatus, status);
  const signal = options?.signal;
  const abortError = () => (signal?.aborted ? new DOMException("The scan was aborted", "AbortError") : worker.signal.reason);
  if (signal?.aborted || worker.signal.aborted) throw abortError();
  const aborted = new Promise((_, reject) => [signal, worker.signal].forEach((source) => source?.addEventListener("abort", () => reject(abortError()), { once: true })));
  aborted.catch(() => {});
  const until = (promise) => Promise.race([promise, aborted]);
  let stream = null;
  const context = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
  const attach = async () => {
    await until(attachStream(video, stream));
    const track = stream.getVideoTracks()[0];
    const torchAvailable = Boolean(track?.getCapabilities?.().torch);
    onStatus({ state: "searching", torchAvailable });
    callPage(options?.onReady, {
      torchAvailable,
      setTorch: (on) => track?.applyConstraints({ advanced: [{ torch: Boolean(on) }] }).catch(() => {}),
    });
  };
  worker.scans += 1;
  try {
    // Not raced with an abort: the stream must be in hand to be stopped.
    stream = await openCamera(rememberedCamera());
    await attach();
    const cameras = await until(rearCameraIds());
    let lastReadAt = performance.now();
    for (;;) {
      await until(new Promise((resolve) => ("requestVideoFrameCallback" in video ? video.requestVideoFrameCallback(resolve) : requestAnimationFrame(resolve))));
      if (document.hidden || video.readyState < 2 || video.videoWidth === 0) continue;
      // The whole frame (the viewfinder box is guidance: a card held off-centre still reads),
      // one in flight: the next is taken only once this one is decoded.
      const scanOptions = { scan: { maxAttempts: CAMERA_PASSES }, maxMilliseconds: CAMERA_FRAME_MS, hmsRules: settings.hmsRules };
      let found = null;
      try {
        ({ found } = await until(worker.request(...scanRequest(video, video.videoWidth, video.videoHeight, scanOptions, context))));
      } catch (error) {
        if (error?.code === "not_an_hms_card") onStatus({ state: "not_an_hms_card", kind: error.kind });
        else if (error?.code === "no_qr_code_found") onStatus({ state: "searching" });
        // A frame that trapped the worker is dropped (its restarts are bounded); anything else ends the scan.
        else if (error?.code !== "internal") throw error;
      }
      if (found) {
        rememberCamera(stream.getVideoTracks()[0]?.getSettings?.().deviceId);
        onStatus({ state: "found" });
        navigator.vibrate?.(80);
        return { hmsCardReference: found.hmsCardReference };
      }
      if (performance.now() - lastReadAt > SWITCH_CAMERA_AFTER_MS && cameras.length > 1) {
        lastReadAt = performance.now();
        const current = stream.getVideoTracks()[0]?.getSettings?.().deviceId;
        const next = cameras[(cameras.indexOf(current) + 1) % cameras.length];
        if (next && next !== current) {
          stopStream(stream);
          stream = await openCamera(next);
          await attach();
        }
      }
    }
  } finally {
    stopStream(stream);
    video.srcObject = null;
    worker.scans -= 1;
    if (worker.released) worker.release();
  }
}

/** A picked or taken photo: decoded by the browser, scanned by the worker with a bigger budget. */
export async function scanImageFile(file, worker, settings) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    throw captureError("image_corrupt", "the photo could not be read");
  }
  const scale = Math.min(1, 2048 / Math.max(bitmap.width, bitmap.height));
  const [width, height] = [bitmap.width, bitmap.height].map((side) => Math.max(1, Math.round(side * scale)));
  const request = scanRequest(bitmap, width, height, { scan: { maxAttempts: 12 }, hmsRules: settings.hmsRules });
  bitmap.close();
  const { found } = await worker.request(...request);
  return { hmsCardReference: found.hmsCardReference };
}
