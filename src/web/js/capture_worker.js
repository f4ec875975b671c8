// The capture worker of one IdCapture (started by js/worker_client.js): its own
// instance of the module for HMS card frames and ID document photos, each photo
// kept for re-cropping under its own id. A snippet in pkg/snippets/<crate>/src/web/js/,
// so the glue is five levels up; the main thread never imports this file, and
// bundlers reach it through `new Worker(new URL(...))` and bundle the glue with it.
import * as glue from "../../../../../id_capture.js";
import { errorAsMessage } from "./errors.js";
import { decodeAndProcess, processBitmap, warmUp } from "./photo_pipeline.js";

/** Photos kept for re-cropping, oldest first: the last two (a 12 MP photo is ~48 MB decoded). */
const KEPT_PHOTOS = 2;
const photos = new Map();
const release = (photo) => (photo.bitmap ? photo.bitmap.close() : photo.session.free());

function keep(photoId, photo) {
  photos.set(photoId, photo);
  while (photos.size > KEPT_PHOTOS) {
    const [oldest] = photos.keys();
    release(photos.get(oldest));
    photos.delete(oldest);
  }
}

/** The result with its JPEG moved out, so the bytes are transferred, not copied. */
function photoReply(result) {
  const { jpeg, thumbnail, ...metadata } = result;
  return { reply: { result: metadata, jpeg, thumbnail }, transfer: [jpeg.buffer, ...(thumbnail ? [thumbnail.buffer] : [])] };
}

const handlers = {
  scan({ width, height, pixels, options }) {
    return { reply: { found: glue.scanHmsCardFrame(width, height, new Uint8Array(pixels), options) }, transfer: [] };
  },
  async photo({ photoId, file, options }) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    // The header is checked before any decoder (the browser's or ours) sees the file.
    glue.checkPhotoHeader(bytes);
    try {
      const decoded = await decodeAndProcess(glue, file, options, { bytes });
      if (decoded) {
        keep(photoId, { bitmap: decoded.bitmap, storedAs: decoded.storedAs });
        return photoReply(decoded.result);
      }
    } catch (error) {
      // Our typed errors stand; a browser that cannot draw or encode falls back to our decoder.
      if (error && typeof error.code === "string") throw error;
    }
    const session = glue.PhotoSession.fromFile(bytes);
    keep(photoId, { session });
    return photoReply(session.process(options));
  },
  async recrop({ photoId, corners, options }) {
    const photo = photos.get(photoId);
    if (!photo) throw { code: "photo_released", message: "this photo is no longer kept: take or pick it again" };
    if (photo.bitmap) return photoReply(await processBitmap(glue, photo.bitmap, options, { corners, storedAs: photo.storedAs }));
    return photoReply(photo.session.processWithCorners(corners, options));
  },
  async prepare() {
    await warmUp(glue);
    return { reply: {}, transfer: [] };
  },
  forget() {
    photos.forEach(release);
    photos.clear();
    return { reply: {}, transfer: [] };
  },
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
