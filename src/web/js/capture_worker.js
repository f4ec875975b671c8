// The capture worker: holds its own instance of the module and does the heavy
// work off the main thread: HMS card frames, and ID document photos (kept for
// re-cropping). It is a wasm-bindgen snippet, so it sits at
// pkg/snippets/<crate>/src/web/js/ and the package's glue is five levels up.
// The glue is imported only inside the worker (dynamically): the main thread
// imports this file too, for its URL, and must not load a second copy.
const GLUE_URL = new URL("../../../../../id_capture.js", import.meta.url).href;

import { decodeAndProcess, processBitmap, warmUp } from "./photo_pipeline.js";

/** Lets the main thread find this file wherever the package is served from. */
export function workerScriptUrl() {
  return import.meta.url;
}

/** The result with its JPEG moved out, so the bytes are transferred, not copied. */
function photoReply(result) {
  const { jpeg, thumbnail, ...metadata } = result;
  return { reply: { result: metadata, jpeg, thumbnail }, transfer: [jpeg.buffer, ...(thumbnail ? [thumbnail.buffer] : [])] };
}

const inWorker = typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope;
if (inWorker) {
  const ready = import(GLUE_URL).then(async (glue) => {
    await glue.default();
    return glue;
  });
  let module = null;
  // The current photo, kept for re-cropping: the browser's decoded bitmap
  // (browser path), or a PhotoSession holding our own decode.
  let bitmap = null;
  let storedAs = 1;
  let session = null;
  const forgetPhoto = () => {
    bitmap?.close();
    bitmap = null;
    session?.free();
    session = null;
  };
  const handlers = {
    scan({ width, height, pixels, options }) {
      return { reply: { found: module.scanHmsCardFrame(width, height, new Uint8Array(pixels), options) }, transfer: [] };
    },
    async photo({ file, options }) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      // The header is checked before any decoder (the browser's or ours) sees the file.
      module.checkPhotoHeader(bytes);
      forgetPhoto();
      try {
        const decoded = await decodeAndProcess(module, file, options, { bytes });
        if (decoded) {
          ({ bitmap, storedAs } = decoded);
          return photoReply(decoded.result);
        }
      } catch (error) {
        // Our typed errors stand; a browser that cannot draw or encode falls back to our decoder.
        if (error && typeof error.code === "string") throw error;
      }
      session = module.PhotoSession.fromFile(bytes);
      return photoReply(session.process(options));
    },
    async recrop({ corners, options }) {
      if (bitmap) return photoReply(await processBitmap(module, bitmap, options, { corners, storedAs }));
      if (!session) throw Object.assign(new Error("no photo to re-crop"), { code: "invalid_config" });
      return photoReply(session.processWithCorners(corners, options));
    },
    async prepare() {
      await warmUp(module);
      return { reply: {}, transfer: [] };
    },
    forget() {
      forgetPhoto();
      return { reply: {}, transfer: [] };
    },
  };
  self.onmessage = async ({ data }) => {
    const { id, type } = data;
    try {
      module = await ready;
      const { reply, transfer } = await handlers[type](data);
      self.postMessage({ id, ...reply }, transfer);
    } catch (error) {
      if (error && typeof error.code === "string") {
        self.postMessage({ id, error: { code: error.code, kind: error.kind ?? null, message: error.message } });
      } else {
        // A trap (a panic or an engine error) may leave this instance broken:
        // say so, and the client replaces the worker and keeps going.
        self.postMessage({ id, trapped: true });
      }
    }
  };
}
