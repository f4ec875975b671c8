// Manual corner adjustment: four draggable handles over the whole photo.
// Corners are in the oriented photo's pixels (what an <img> shows, EXIF applied).
import { $ } from "../ui.js";

/** Resolves the adjusted corners, or null when the user goes back. */
export function editCorners(editor, photoUrl, result) {
  const image = $("#corner-photo");
  const stage = editor.querySelector(".corner-stage");
  const polygon = editor.querySelector("polygon");
  const corners = result.corners.map((corner) => ({ x: corner.x, y: corner.y }));
  editor.hidden = false;
  image.src = photoUrl;
  for (const old of stage.querySelectorAll(".corner-handle")) old.remove();

  const scale = () => image.clientWidth / result.sourceWidth;
  const handles = corners.map((corner, index) => {
    const handle = document.createElement("button");
    handle.type = "button";
    handle.className = "corner-handle";
    handle.setAttribute("aria-label", `corner ${index + 1}`);
    handle.addEventListener("pointerdown", (event) => {
      handle.setPointerCapture(event.pointerId);
      const move = (moveEvent) => {
        const box = stage.getBoundingClientRect();
        corner.x = Math.min(result.sourceWidth, Math.max(0, (moveEvent.clientX - box.left) / scale()));
        corner.y = Math.min(result.sourceHeight, Math.max(0, (moveEvent.clientY - box.top) / scale()));
        place();
      };
      const stop = () => {
        handle.removeEventListener("pointermove", move);
        handle.removeEventListener("pointerup", stop);
      };
      handle.addEventListener("pointermove", move);
      handle.addEventListener("pointerup", stop);
    });
    stage.append(handle);
    return handle;
  });

  function place() {
    const factor = scale();
    corners.forEach((corner, index) => {
      handles[index].style.left = `${corner.x * factor}px`;
      handles[index].style.top = `${corner.y * factor}px`;
    });
    polygon.setAttribute("points", corners.map((corner) => `${corner.x * factor},${corner.y * factor}`).join(" "));
  }
  image.onload = place;
  if (image.complete) place();

  return new Promise((resolve) => {
    const finish = (value) => {
      editor.hidden = true;
      $("#corner-apply").onclick = null;
      $("#corner-cancel").onclick = null;
      resolve(value);
    };
    $("#corner-apply").onclick = () => finish(corners);
    $("#corner-cancel").onclick = () => finish(null);
  });
}
