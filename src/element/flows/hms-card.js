// HMS card: the module scans the card's QR code with the camera (or a photo);
// the worker types the date of birth printed on the same card; the registry
// answers with the holder only when both match, and stores nothing until the
// worker confirms (flows/staged.js).
import { $, emitCancelled, emitError, messageFor, page, show, statusText } from "../ui.js";
import { showStaged } from "./staged.js";

let scan = null; // { abort: AbortController } while the camera runs
let cardReference = null; // read from the QR code, until the lookup is done

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

/** The card is read: ask for the date of birth printed on it. */
function askDateOfBirth(hmsCardReference) {
  cardReference = hmsCardReference;
  setStatus(page.t("hms.found"));
  const form = $("#hms-dob-form");
  form.hidden = false;
  showDateError("");
  $("#hms-dob").focus();
}

/**
 * The message under the date of birth (the field's description); "" hides it.
 * The field is marked invalid only when the date is what to change (not when the registry is down).
 */
function showDateError(text, dateIsWrong = Boolean(text)) {
  const error = $("#hms-dob-error");
  error.textContent = text;
  error.hidden = !text;
  if (dateIsWrong) $("#hms-dob").setAttribute("aria-invalid", "true");
  else $("#hms-dob").removeAttribute("aria-invalid");
}

async function lookUp(event) {
  event.preventDefault();
  const dateOfBirth = $("#hms-dob").value;
  const error = $("#hms-dob-error");
  if (!cardReference) return;
  if (!dateOfBirth) {
    showDateError(page.t("error.invalid_person.date_of_birth"));
    $("#hms-dob").focus();
    return;
  }
  const button = $("#hms-dob-form button[type=submit]");
  button.disabled = true;
  showDateError("");
  setStatus(page.t("hms.looking_up"));
  try {
    const staged = await page.capture.lookUpHmsCard(cardReference, dateOfBirth, { onStatus: (progress) => setStatus(statusText(progress)) });
    cardReference = null;
    $("#hms-dob-form").hidden = true;
    showStaged(staged, "hms-card");
  } catch (failure) {
    setStatus("");
    const dateIsWrong = failure?.code === "invalid_person" || failure?.code === "hms_card_not_found";
    showDateError(failure?.code === "invalid_person" ? page.t("error.invalid_person.date_of_birth") : messageFor(failure), dateIsWrong);
    error.dataset.errorCode = failure?.code ?? "";
    emitError(failure, error.textContent);
    $("#hms-restart").hidden = false;
  } finally {
    button.disabled = false;
  }
}

async function startCamera() {
  stopScan();
  cardReference = null;
  $("#hms-dob-form").hidden = true;
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
    askDateOfBirth(card.hmsCardReference);
  } catch (error) {
    if (error?.name === "AbortError") return;
    scan = null;
    const key = error?.code === "camera_denied" ? "hms.camera_denied" : error?.code === "camera_unavailable" ? "hms.camera_unavailable" : null;
    setStatus(key ? page.t(key) : messageFor(error), "error");
    emitError(error, $("#hms-status").textContent);
    $("#hms-restart").hidden = false;
  }
}

async function scanPhoto(file) {
  stopScan();
  setStatus(page.t("hms.reading_photo"));
  try {
    const card = await page.capture.scanHmsCardPhoto(file);
    askDateOfBirth(card.hmsCardReference);
  } catch (error) {
    setStatus(error?.code === "not_an_hms_card" ? page.t("hms.not_an_hms_card") : error?.code === "no_qr_code_found" ? page.t("hms.no_code_in_photo") : messageFor(error), "error");
    emitError(error, $("#hms-status").textContent);
    $("#hms-restart").hidden = false;
  }
}

export function wireHmsCardFlow() {
  $("#method-hms-card").addEventListener("click", () => {
    show("screen-hms");
    startCamera();
  });
  $("#hms-restart").addEventListener("click", startCamera);
  $("#hms-dob-form").addEventListener("submit", lookUp);
  $("#hms-photo").addEventListener("change", (event) => {
    const [file] = event.target.files;
    event.target.value = "";
    if (file) scanPhoto(file);
  });
  $("#hms-cancel").addEventListener("click", () => {
    stopScan();
    cardReference = null;
    show("screen-methods");
    emitCancelled("hms-card");
  });
}
