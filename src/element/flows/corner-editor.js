// Manual corner adjustment: four handles over the whole photo, dragged by
// pointer or moved with the arrow keys (Shift for bigger steps).
// Corners are in the oriented photo's pixels (what an <img> shows, EXIF applied).
import { $, page } from "../ui.js";

const CORNER_KEYS = ["document.corner.top_left", "document.corner.top_right", "document.corner.bottom_right", "document.corner.bottom_left"];
const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

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
    handle.setAttribute("aria-label", page.t(CORNER_KEYS[index] ?? CORNER_KEYS[0]));
    // The editor's intro says how to move a corner by keyboard: read with each handle.
    handle.setAttribute("aria-describedby", "corner-help");
    handle.addEventListener("keydown", (event) => {
      const arrow = ARROWS[event.key];
      if (!arrow) return;
      event.preventDefault();
      // One step is about one screen pixel, ten with Shift.
      const step = (event.shiftKey ? 10 : 1) / scale();
      corner.x = Math.min(result.sourceWidth, Math.max(0, corner.x + arrow[0] * step));
      corner.y = Math.min(result.sourceHeight, Math.max(0, corner.y + arrow[1] * step));
      place();
    });
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
