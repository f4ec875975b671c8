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
import { captureError } from "./worker_client.js";

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

/** Settles on the next video frame, or rejects when `aborted` does. */
function nextFrame(video, aborted) {
  const frame = new Promise((resolve) => ("requestVideoFrameCallback" in video ? video.requestVideoFrameCallback(resolve) : requestAnimationFrame(resolve)));
  return Promise.race([frame, aborted]);
}

/** Any failure (camera, worker, a throwing callback, abort, dispose) rejects the scan; the camera always stops. */
export async function scanWithCamera(video, worker, settings, options = {}) {
  const onStatus = typeof options?.onStatus === "function" ? options.onStatus : () => {};
  const signal = options?.signal;
  const abortError = () => (signal?.aborted ? new DOMException("The scan was aborted", "AbortError") : worker.signal.reason);
  if (signal?.aborted || worker.signal.aborted) throw abortError();
  const aborted = new Promise((_, reject) => {
    for (const source of [signal, worker.signal]) source?.addEventListener("abort", () => reject(abortError()), { once: true });
  });
  aborted.catch(() => {});
  const until = (promise) => Promise.race([promise, aborted]);
  let stream = null;
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const attach = async () => {
    await until(attachStream(video, stream));
    const track = stream.getVideoTracks()[0];
    const torchAvailable = Boolean(track?.getCapabilities?.().torch);
    onStatus({ state: "searching", torchAvailable });
    options?.onReady?.({
      torchAvailable,
      setTorch: (on) => track?.applyConstraints({ advanced: [{ torch: Boolean(on) }] }).catch(() => {}),
    });
  };
  let finished = false;
  const open = (deviceId) => {
    const opening = openCamera(deviceId);
    // A camera that opens only after the scan ended is stopped at once.
    opening.then((opened) => finished && stopStream(opened), () => {});
    return until(opening);
  };
  try {
    stream = await open(rememberedCamera());
    await attach();
    const cameras = await until(rearCameraIds());
    let lastReadAt = performance.now();
    for (;;) {
      await nextFrame(video, aborted);
      if (document.hidden || video.readyState < 2 || video.videoWidth === 0) continue;
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      // The whole frame: the viewfinder box is guidance, and a card held off-centre still reads.
      context.drawImage(video, 0, 0);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      // One frame in flight: the next is taken only once this one is decoded.
      const pixels = frame.data.buffer;
      const scanOptions = { scan: { maxAttempts: CAMERA_PASSES }, maxMilliseconds: CAMERA_FRAME_MS, hmsRules: settings.hmsRules };
      let found = null;
      try {
        ({ found } = await until(worker.request({ type: "scan", width: frame.width, height: frame.height, pixels, options: scanOptions }, [pixels])));
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
          stream = await open(next);
          await attach();
        }
      }
    }
  } finally {
    finished = true;
    stopStream(stream);
    video.srcObject = null;
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
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const frame = context.getImageData(0, 0, canvas.width, canvas.height);
  const pixels = frame.data.buffer;
  const { found } = await worker.request({ type: "scan", width: frame.width, height: frame.height, pixels, options: { scan: { maxAttempts: 12 }, hmsRules: settings.hmsRules } }, [pixels]);
  return { hmsCardReference: found.hmsCardReference };
}
