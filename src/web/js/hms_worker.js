// The HMS card scanning worker: holds its own instance of the module and
// decodes one frame per message. It is a wasm-bindgen snippet, so it sits at
// pkg/snippets/<crate>/src/web/js/ and the package's glue is five levels up.
import init, { scanHmsCardFrame } from "../../../../../id_capture.js";

/** Lets the scanner find this file wherever the package is served from. */
export function workerScriptUrl() {
  return import.meta.url;
}

const inWorker = typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope;
if (inWorker) {
  const ready = init();
  self.onmessage = async ({ data }) => {
    const { id, width, height, pixels, options } = data;
    try {
      await ready;
      const found = scanHmsCardFrame(width, height, new Uint8Array(pixels), options);
      self.postMessage({ id, found });
    } catch (error) {
      if (error && typeof error.code === "string") {
        self.postMessage({ id, error: { code: error.code, kind: error.kind ?? null, message: error.message } });
      } else {
        // A trap (a panic or an engine error) may leave this instance broken:
        // say so, and the scanner replaces the worker and keeps going.
        self.postMessage({ id, trapped: true });
      }
    }
  };
}
