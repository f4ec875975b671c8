// Main-thread side of IdCapture.processPhoto: hands the file to the capture
// worker and turns its reply into { jpeg: Blob, ..., recrop(corners) }.
import { captureError, errorFromMessage } from "./errors.js";
import { WorkerClient } from "./worker_client.js";

let photoWorker = null;

function unwrap(reply, options) {
  if (reply.error) {
    // Its details (`limit`, `width`, `height`, `kind`) come along when the worker sends them.
    throw errorFromMessage(reply.error, "the photo could not be processed");
  }
  const result = { ...reply.result, jpeg: new Blob([reply.jpeg], { type: "image/jpeg" }) };
  if (reply.thumbnail) result.thumbnail = new Blob([reply.thumbnail], { type: "image/jpeg" });
  /** Re-crops the same photo with corners the user moved (no second decode). */
  result.recrop = async (corners, recropOptions = options) => unwrap(await photoWorker.request({ type: "recrop", corners, options: recropOptions }), recropOptions);
  return result;
}

/**
 * Starts the photo worker and has it warm up (module loaded, every step run
 * once on a small photo), so the user's first photo does not pay for that.
 * Resolves when ready; never rejects (a failed warm-up costs only time).
 */
export async function preparePhotoWorker(workerUrl) {
  photoWorker ??= new WorkerClient(workerUrl);
  await photoWorker.request({ type: "prepare" });
}

export async function processPhotoInWorker(file, workerUrl, options) {
  if (!(file instanceof Blob)) throw captureError("image_empty", "no photo was given");
  if (file.size === 0) throw captureError("image_empty", "the photo is empty");
  photoWorker ??= new WorkerClient(workerUrl);
  const plainOptions = options === undefined ? undefined : { ...options };
  return unwrap(await photoWorker.request({ type: "photo", file, options: plainOptions }), plainOptions);
}
