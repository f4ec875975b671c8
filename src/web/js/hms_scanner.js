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
import { WorkerClient, captureError } from "./worker_client.js";


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


/** The whole frame: the viewfinder box is guidance, and a card held off-centre still reads. */
function scanBox(width, height) {
  return { x: 0, y: 0, width, height };
}

export async function scanWithCamera(video, settings, options = {}) {
  const onStatus = typeof options?.onStatus === "function" ? options.onStatus : () => {};
  const signal = options?.signal;
  if (signal?.aborted) throw new DOMException("The scan was aborted", "AbortError");
  let stream = await openCamera(rememberedCamera());
  const decoder = new WorkerClient(settings.workerUrl);
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  let cameras = [];
  let stopped = false;
  let hidden = document.hidden;
  let lastReadAt = performance.now();

  const cleanUp = () => {
    stopped = true;
    stopStream(stream);
    decoder.close();
    video.srcObject = null;
    document.removeEventListener("visibilitychange", onVisibility);
  };
  const onVisibility = () => { hidden = document.hidden; };
  document.addEventListener("visibilitychange", onVisibility);

  const attach = async () => {
    await attachStream(video, stream);
    const track = stream.getVideoTracks()[0];
    const torchAvailable = Boolean(track?.getCapabilities?.().torch);
    onStatus({ state: "searching", torchAvailable });
    options?.onReady?.({
      torchAvailable,
      setTorch: (on) => track?.applyConstraints({ advanced: [{ torch: Boolean(on) }] }).catch(() => {}),
    });
  };

  try {
    await attach();
    cameras = await rearCameraIds();
    return await new Promise((resolve, reject) => {
      signal?.addEventListener("abort", () => reject(new DOMException("The scan was aborted", "AbortError")), { once: true });
      const nextFrame = (callback) => {
        if (stopped) return;
        if ("requestVideoFrameCallback" in video) video.requestVideoFrameCallback(callback);
        else requestAnimationFrame(callback);
      };
      const scanOneFrame = async () => {
        if (stopped || signal?.aborted) return;
        if (hidden || video.readyState < 2 || video.videoWidth === 0) return nextFrame(scanOneFrame);
        const box = scanBox(video.videoWidth, video.videoHeight);
        canvas.width = box.width;
        canvas.height = box.height;
        context.drawImage(video, box.x, box.y, box.width, box.height, 0, 0, box.width, box.height);
        const frame = context.getImageData(0, 0, box.width, box.height);
        // One frame in flight: the next is taken only once this one is decoded.
        const pixels = frame.data.buffer;
        const result = await decoder.request({ type: "scan", width: frame.width, height: frame.height, pixels, options: { scan: { maxAttempts: CAMERA_PASSES }, maxMilliseconds: CAMERA_FRAME_MS, hmsRules: settings.hmsRules } }, [pixels]);
        if (stopped) return;
        if (result.found) {
          rememberCamera(stream.getVideoTracks()[0]?.getSettings?.().deviceId);
          onStatus({ state: "found" });
          navigator.vibrate?.(80);
          return resolve({ hmsCardReference: result.found.hmsCardReference });
        }
        if (result.error?.code === "not_an_hms_card") onStatus({ state: "not_an_hms_card", kind: result.error.kind });
        else if (result.error?.code === "no_qr_code_found") onStatus({ state: "searching" });
        if (performance.now() - lastReadAt > SWITCH_CAMERA_AFTER_MS && cameras.length > 1) {
          lastReadAt = performance.now();
          const current = stream.getVideoTracks()[0]?.getSettings?.().deviceId;
          const next = cameras[(cameras.indexOf(current) + 1) % cameras.length];
          if (next && next !== current) {
            stopStream(stream);
            stream = await openCamera(next).catch(reject);
            if (!stream) return;
            await attach();
          }
        }
        nextFrame(scanOneFrame);
      };
      nextFrame(scanOneFrame);
    });
  } finally {
    cleanUp();
  }
}

/** A picked or taken photo: decoded by the browser, scanned by the worker with a bigger budget. */
export async function scanImageFile(file, settings) {
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
  const decoder = new WorkerClient(settings.workerUrl);
  try {
    const frame = context.getImageData(0, 0, canvas.width, canvas.height);
    const pixels = frame.data.buffer;
    const result = await decoder.request({ type: "scan", width: frame.width, height: frame.height, pixels, options: { scan: { maxAttempts: 12 }, hmsRules: settings.hmsRules } }, [pixels]);
    if (result.found) return { hmsCardReference: result.found.hmsCardReference };
    throw captureError(result.error.code, result.error.code === "not_an_hms_card" ? "the code is not an HMS card" : "no HMS card QR code was found", result.error.kind ? { kind: result.error.kind } : {});
  } finally {
    decoder.close();
  }
}
