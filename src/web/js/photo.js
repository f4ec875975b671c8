// Main-thread side of IdCapture.processPhoto: hands the file to the capture's
// worker and turns its reply into { jpeg: Blob, ..., recrop(corners) }, the
// re-crop bound to its own photo (refused with `photo_released` once it is gone).
import { captureError } from "./errors.js";

let lastPhotoId = 0;

function unwrap(worker, photoId, reply, options) {
  const result = { ...reply.result, jpeg: new Blob([reply.jpeg], { type: "image/jpeg" }) };
  if (reply.thumbnail) result.thumbnail = new Blob([reply.thumbnail], { type: "image/jpeg" });
  /** Re-crops this photo with corners the user moved (no second decode). */
  result.recrop = async (corners, recropOptions = options) =>
    unwrap(worker, photoId, await worker.request({ type: "recrop", photoId, corners, options: recropOptions }), recropOptions);
  return result;
}

/** Starts the worker and has it warm up (every step once on a small photo); never rejects. */
export const preparePhoto = (worker) => worker.request({ type: "prepare" }).then(() => {}, () => {});

export async function processPhoto(worker, file, options) {
  if (!(file instanceof Blob)) throw captureError("image_empty", "no photo was given");
  if (file.size === 0) throw captureError("image_empty", "the photo is empty");
  const plainOptions = options === undefined ? undefined : { ...options };
  const photoId = ++lastPhotoId;
  return unwrap(worker, photoId, await worker.request({ type: "photo", photoId, file, options: plainOptions }), plainOptions);
}
