// The page's own camera view for ID document photos: a live preview and a
// still at the best resolution the camera offers (ImageCapture where the
// browser has it, else the preview's full-size frame).
import { attachStream, openCamera, stopStream } from "./camera.js";

const STILL_TIMEOUT_MS = 3000;

async function stillFromImageCapture(track) {
  if (typeof ImageCapture !== "function") return null;
  try {
    const imageCapture = new ImageCapture(track);
    const capabilities = await imageCapture.getPhotoCapabilities();
    const still = imageCapture.takePhoto({ imageWidth: capabilities.imageWidth?.max, imageHeight: capabilities.imageHeight?.max });
    const timeout = new Promise((resolve) => setTimeout(() => resolve(null), STILL_TIMEOUT_MS));
    return await Promise.race([still, timeout]);
  } catch {
    return null;
  }
}

function stillFromPreview(video) {
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d").drawImage(video, 0, 0);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.95));
}

/** `lifetime`: the IdCapture's signal; its dispose() stops this camera too. */
export async function openDocumentCamera(video, lifetime) {
  // Ask for the largest frames the camera gives: documents need detail.
  const stream = await openCamera(null, { width: 4096, height: 3072 });
  const stop = () => {
    stopStream(stream);
    video.srcObject = null;
  };
  if (lifetime.aborted) throw (stop(), lifetime.reason);
  lifetime.addEventListener("abort", stop, { once: true });
  await attachStream(video, stream);
  const track = stream.getVideoTracks()[0];
  return {
    /** A still photo as a Blob, for IdCapture.processPhoto. */
    async takePhoto() {
      return (await stillFromImageCapture(track)) ?? (await stillFromPreview(video));
    },
    stop,
  };
}
