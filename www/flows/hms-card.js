// HMS card: the module scans the card's QR code with the camera (or a photo),
// then sends only the card reference; the registry answers with the holder and employer.
import { IdCapture } from "../pkg/id_capture.js";
import { $, messageFor, page, show, showStored, statusText } from "../ui.js";

let scan = null; // { abort: AbortController } while the camera runs

function setStatus(text, kind = "") {
  const status = $("#hms-status");
  status.className = `notice ${kind}`.trim();
  status.textContent = text;
}

function scanStatusText(status) {
  if (status.state === "not_an_hms_card") return page.t("hms.not_an_hms_card");
  if (status.state === "found") return page.t("hms.found");
  return page.t("hms.searching");
}

function stopScan() {
  scan?.abort.abort();
  scan = null;
}

async function resolveCard(hmsCardReference) {
  const idempotencyKey = IdCapture.newIdempotencyKey();
  setStatus(page.t("submit.sending"));
  try {
    const stored = await page.capture.submitHmsCard(hmsCardReference, { idempotencyKey, onStatus: (progress) => setStatus(statusText(progress)) });
    showStored(stored);
  } catch (error) {
    setStatus(messageFor(error), "error");
    $("#hms-restart").hidden = false;
  }
}

async function startCamera() {
  stopScan();
  $("#hms-restart").hidden = true;
  $("#hms-torch").hidden = true;
  const abort = new AbortController();
  scan = { abort };
  setStatus(page.t("hms.starting_camera"));
  try {
    const card = await page.capture.scanHmsCard($("#hms-video"), {
      signal: abort.signal,
      onStatus: (status) => setStatus(scanStatusText(status), status.state === "not_an_hms_card" ? "error" : ""),
      onReady: (controls) => {
        const torch = $("#hms-torch");
        torch.hidden = !controls.torchAvailable;
        let on = false;
        torch.onclick = () => controls.setTorch((on = !on));
      },
    });
    scan = null;
    $("#hms-torch").hidden = true;
    await resolveCard(card.hmsCardReference);
  } catch (error) {
    if (error?.name === "AbortError") return;
    scan = null;
    const key = error?.code === "camera_denied" ? "hms.camera_denied" : error?.code === "camera_unavailable" ? "hms.camera_unavailable" : null;
    setStatus(key ? page.t(key) : messageFor(error), "error");
    $("#hms-restart").hidden = false;
  }
}

async function scanPhoto(file) {
  stopScan();
  setStatus(page.t("hms.reading_photo"));
  try {
    const card = await page.capture.scanHmsCardPhoto(file);
    await resolveCard(card.hmsCardReference);
  } catch (error) {
    setStatus(error?.code === "not_an_hms_card" ? page.t("hms.not_an_hms_card") : error?.code === "no_qr_code_found" ? page.t("hms.no_code_in_photo") : messageFor(error), "error");
    $("#hms-restart").hidden = false;
  }
}

export function wireHmsCardFlow() {
  $("#method-hms-card").addEventListener("click", () => {
    show("screen-hms");
    startCamera();
  });
  $("#hms-restart").addEventListener("click", startCamera);
  $("#hms-photo").addEventListener("change", (event) => {
    const [file] = event.target.files;
    event.target.value = "";
    if (file) scanPhoto(file);
  });
  $("#hms-cancel").addEventListener("click", () => {
    stopScan();
    show("screen-methods");
  });
}
