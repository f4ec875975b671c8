// Opening and closing cameras, with the typed errors the page switches on.
import { captureError } from "./errors.js";

export function cameraError(error) {
  const name = error?.name;
  if (name === "NotAllowedError" || name === "SecurityError") return captureError("camera_denied", "camera permission was denied");
  return captureError("camera_unavailable", "no usable camera");
}

/** A rear camera stream; `deviceId` picks one, `ideal` asks for a resolution. */
export async function openCamera(deviceId, ideal = { width: 1280, height: 720 }) {
  if (!navigator.mediaDevices?.getUserMedia) throw captureError("camera_unavailable", "this browser has no camera access");
  const video = { width: { ideal: ideal.width }, height: { ideal: ideal.height } };
  if (deviceId) video.deviceId = { exact: deviceId };
  else video.facingMode = { ideal: "environment" };
  try {
    return await navigator.mediaDevices.getUserMedia({ video, audio: false });
  } catch (error) {
    if (deviceId && (error?.name === "OverconstrainedError" || error?.name === "NotFoundError")) return openCamera(null, ideal);
    throw cameraError(error);
  }
}

export function stopStream(stream) {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

export async function attachStream(video, stream) {
  video.setAttribute("playsinline", "");
  video.muted = true;
  video.srcObject = stream;
  await video.play().catch(() => {});
}
