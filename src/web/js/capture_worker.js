// The capture worker of one IdCapture (started by js/worker_client.js): its own
// instance of the module for HMS card frames and ID document photos. It only
// routes messages: the capture pipeline and the photos kept for re-cropping
// live in the module (src/web/photo.rs). A snippet in
// pkg/snippets/<crate>/src/web/js/, so the glue is five levels up; the main
// thread never imports this file, and bundlers reach it through
// `new Worker(new URL(...))` and bundle the glue with it.
import * as glue from "../../../../../id_capture.js";
import { errorAsMessage } from "./errors.js";

const done = { reply: {}, transfer: [] };

/** The result with its JPEG moved out, so the bytes are transferred, not copied. */
function photoReply(result) {
  const { jpeg, thumbnail, ...metadata } = result;
  return { reply: { result: metadata, jpeg, thumbnail }, transfer: [jpeg.buffer, ...(thumbnail ? [thumbnail.buffer] : [])] };
}

const handlers = {
  scan: ({ width, height, pixels, options }) => ({ reply: { found: glue.scanHmsCardFrame(width, height, new Uint8Array(pixels), options) }, transfer: [] }),
  photo: async ({ photoId, file, options }) => photoReply(await glue.capturePhoto(photoId, file, options)),
  recrop: async ({ photoId, corners, options }) => photoReply(await glue.recropPhoto(photoId, corners, options)),
  prepare: async () => (await glue.preparePhotoCapture(), done),
  forget: () => (glue.forgetPhotos(), done),
};

self.onmessage = async ({ data }) => {
  if (data.type === "init") {
    // The main thread's compiled module when it sent one; else the .wasm beside the glue.
    const loading = glue.default(data.module ? { module_or_path: data.module } : undefined);
    return loading.then(() => self.postMessage({ ready: true }), () => self.postMessage({ failed: true }));
  }
  const { id, type } = data;
  try {
    const { reply, transfer } = await handlers[type](data);
    self.postMessage({ id, ...reply }, transfer);
  } catch (error) {
    if (error && typeof error.code === "string") {
      // The whole error crosses: code, message and its details (limit, width, height, kind, field).
      self.postMessage({ id, error: errorAsMessage(error) });
    } else {
      // A trap (a panic or an engine error) may leave this instance broken: say so, and the client replaces it.
      self.postMessage({ id, trapped: true });
    }
  }
};
