// ID document: photo → crop, compress and MRZ read on the device (the image
// never leaves the phone) → confirmation or typed entry beside the photo → submission.
import { IdCapture } from "../package.js";
import { $, emitError, messageFor, page, show, showStored, statusText } from "../ui.js";
import { editCorners } from "./corner-editor.js";

const PERSON_FIELDS = ["given_names", "surname", "date_of_birth", "nationality"];

// The capture in progress: what will be sent, where it came from, and its idempotency key.
let draft = null;
// The processed photo on screen (its JPEG stays in memory on the phone) and its object URLs.
let photo = null;
let photoUrls = [];

function forgetPhoto() {
  for (const url of photoUrls) URL.revokeObjectURL(url);
  photoUrls = [];
  photo = null;
}

function objectUrl(blob) {
  const url = URL.createObjectURL(blob);
  photoUrls.push(url);
  return url;
}

function readPerson(form) {
  const value = (name) => form.elements[name].value;
  const nationality = value("nationality").trim();
  return { given_names: value("given_names"), surname: value("surname"), date_of_birth: value("date_of_birth"), nationality: nationality === "" ? null : nationality };
}

function fillPerson(form, person) {
  for (const field of PERSON_FIELDS) form.elements[field].value = person[field] ?? "";
}

function samePerson(a, b) {
  return PERSON_FIELDS.every((field) => (a?.[field] ?? null) === (b?.[field] ?? null));
}

function clearFieldError(form) {
  const message = form.querySelector(".field-error");
  message.hidden = true;
  message.textContent = "";
  for (const field of PERSON_FIELDS) {
    form.elements[field].removeAttribute("aria-invalid");
    form.elements[field].removeAttribute("aria-describedby");
  }
}

function showFieldError(form, error) {
  const message = form.querySelector(".field-error");
  const field = error?.field;
  message.textContent = messageFor(error);
  message.hidden = false;
  if (field && form.elements[field]) {
    // The message is the field's description, so a screen reader reads it with the field.
    message.id ||= `${form.id}-error`;
    form.elements[field].setAttribute("aria-invalid", "true");
    form.elements[field].setAttribute("aria-describedby", message.id);
    form.elements[field].focus();
  }
}

/** The module's normalised person, or an invalid_person error shown beside the field. */
function checkedPerson(form) {
  clearFieldError(form);
  try {
    return page.capture.checkPerson(readPerson(form));
  } catch (error) {
    showFieldError(form, error);
    emitError(error);
    return null;
  }
}

/** Starts a capture; `readPerson` is what the module read (MRZ), null when typed. */
export function startDocumentCapture(source, readFields = null) {
  draft = { source, readPerson: readFields, idempotencyKey: IdCapture.newIdempotencyKey(), sentBody: null };
}

export function goToConfirmation(person, { namesNeedConfirmation = false, dateOfBirthNeedsConfirmation = false, nationalityNeedsConfirmation = false } = {}) {
  $("#confirm-names-note").hidden = !namesNeedConfirmation;
  // A repaired or uncertain birth date or nationality is pointed out, as names are.
  $("#confirm-date-note").hidden = !dateOfBirthNeedsConfirmation;
  $("#confirm-nationality-note").hidden = !nationalityNeedsConfirmation;
  const confirmPhoto = $("#confirm-photo");
  confirmPhoto.hidden = !photo;
  if (photo) confirmPhoto.src = $("#photo-crop").src;
  fillPerson($("#confirm-form"), person);
  clearFieldError($("#confirm-form"));
  $("#submit-status").hidden = true;
  $("#retry-submit").hidden = true;
  show("screen-confirm");
}

async function submitConfirmed() {
  const form = $("#confirm-form");
  const person = checkedPerson(form);
  if (!person || !draft) return;
  const correctedByUser = draft.readPerson !== null && !samePerson(draft.readPerson, person);
  // The same capture keeps its key across retries; changed details are a new request.
  const body = JSON.stringify({ person, correctedByUser });
  if (draft.sentBody !== null && draft.sentBody !== body) draft.idempotencyKey = IdCapture.newIdempotencyKey();
  draft.sentBody = body;

  const status = $("#submit-status");
  const controls = [...form.querySelectorAll("button, input"), $("#retry-submit")];
  controls.forEach((control) => (control.disabled = true));
  $("#retry-submit").hidden = true;
  status.className = "notice";
  status.hidden = false;
  try {
    const stored = await page.capture.submitDocument(person, {
      source: draft.source,
      correctedByUser,
      idempotencyKey: draft.idempotencyKey,
      onStatus: (progress) => (status.textContent = statusText(progress)),
    });
    // The capture is done: drop it (and the photo) from memory.
    draft = null;
    forgetPhoto();
    showStored(stored);
  } catch (error) {
    status.className = "notice error";
    status.textContent = messageFor(error);
    emitError(error);
    $("#retry-submit").hidden = false;
  } finally {
    controls.forEach((control) => (control.disabled = false));
  }
  // Send lost the focus when it was disabled: a keyboard user lands on what can be done next.
  if (!$("#retry-submit").hidden) $("#retry-submit").focus();
}

function setPhotoStatus(text, kind = "") {
  const status = $("#photo-status");
  status.className = `notice ${kind}`.trim();
  status.textContent = text;
  status.hidden = !text;
}

function showTypedEntry() {
  $("#typed-entry").reset();
  clearFieldError($("#typed-entry"));
  $("#typed-entry").hidden = false;
  $("#typed-entry [name=given_names]").focus();
}

function resetDocumentScreen() {
  forgetPhoto();
  $("#document-camera").hidden = true;
  $("#photo-step").hidden = false;
  $("#photo-result").hidden = true;
  $("#corner-editor").hidden = true;
  $("#typed-entry").hidden = true;
  setPhotoStatus("");
}

/** Shows the crop and its advice, then goes on with the MRZ fields or typed entry. */
function showProcessedPhoto(result, file) {
  photo = { result, file };
  $("#photo-crop").src = objectUrl(result.jpeg);
  const advice = Object.entries(result.quality).filter(([, flagged]) => flagged).map(([flag]) => page.t(`document.advice.${flag.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`));
  if (!result.documentFound) advice.unshift(page.t("document.not_found"));
  $("#photo-advice").textContent = advice.join(" ");
  $("#photo-result").hidden = false;
  $("#photo-step").hidden = true;
  setPhotoStatus("");
  if (result.mrz) {
    startDocumentCapture("mrz", result.mrz.person);
    goToConfirmation(result.mrz.person, {
      namesNeedConfirmation: result.mrz.namesNeedConfirmation,
      dateOfBirthNeedsConfirmation: result.mrz.dateOfBirthNeedsConfirmation,
      nationalityNeedsConfirmation: result.mrz.nationalityNeedsConfirmation,
    });
    return;
  }
  // No MRZ (a driving licence) or none read reliably: type beside the photo.
  startDocumentCapture("typed");
  setPhotoStatus(page.t(result.mrzError === "mrz_checks_failed" ? "document.mrz_failed" : "document.no_mrz"));
  $("#photo-step").hidden = false;
  showTypedEntry();
}

async function processPicked(file) {
  resetDocumentScreen();
  setPhotoStatus(page.t("document.processing"));
  $("#document-photo").disabled = true;
  try {
    showProcessedPhoto(await page.capture.processPhoto(file), file);
  } catch (error) {
    setPhotoStatus(messageFor(error), "error");
    emitError(error);
  } finally {
    $("#document-photo").disabled = false;
  }
}

async function adjustCorners() {
  if (!photo) return;
  $("#photo-result").hidden = true;
  const corners = await editCorners($("#corner-editor"), objectUrl(photo.file), photo.result);
  $("#photo-result").hidden = false;
  if (!corners) {
    $("#photo-adjust").focus(); // back where the keyboard was before the editor
    return;
  }
  setPhotoStatus(page.t("document.processing"));
  try {
    showProcessedPhoto(await photo.result.recrop(corners), photo.file);
  } catch (error) {
    setPhotoStatus(messageFor(error), "error");
    emitError(error);
  }
}

let documentCamera = null;

function closeDocumentCamera() {
  documentCamera?.stop();
  documentCamera = null;
  $("#document-camera").hidden = true;
}

async function openDocumentCamera() {
  resetDocumentScreen();
  try {
    documentCamera = await page.capture.openDocumentCamera($("#document-video"));
    $("#document-camera").hidden = false;
    $("#photo-step").hidden = true;
  } catch (error) {
    const key = error?.code === "camera_denied" ? "document.camera_denied" : error?.code === "camera_unavailable" ? "document.camera_unavailable" : null;
    setPhotoStatus(key ? page.t(key) : messageFor(error), "error");
    emitError(error, $("#photo-status").textContent);
  }
}

async function takeDocumentPhoto() {
  if (!documentCamera) return;
  $("#document-take-photo").disabled = true;
  try {
    const still = await documentCamera.takePhoto();
    closeDocumentCamera();
    await processPicked(still);
  } finally {
    $("#document-take-photo").disabled = false;
  }
}

export function wireDocumentFlow() {
  $("#document-use-camera").addEventListener("click", openDocumentCamera);
  $("#document-take-photo").addEventListener("click", takeDocumentPhoto);
  $("#document-camera-cancel").addEventListener("click", () => {
    closeDocumentCamera();
    resetDocumentScreen();
  });
  $("#method-document").addEventListener("click", () => {
    // While the user reads the screen and frames the photo.
    page.capture.preparePhoto();
    resetDocumentScreen();
    startDocumentCapture("typed");
    show("screen-document");
  });
  $("#document-photo").addEventListener("change", (event) => {
    const [file] = event.target.files;
    event.target.value = "";
    if (file) processPicked(file);
  });
  $("#document-type-instead").addEventListener("click", () => {
    startDocumentCapture("typed");
    showTypedEntry();
  });
  $("#photo-retake").addEventListener("click", () => {
    resetDocumentScreen();
    $("#document-photo").click();
  });
  $("#photo-adjust").addEventListener("click", adjustCorners);
  $("#typed-entry").addEventListener("submit", (event) => {
    event.preventDefault();
    const person = checkedPerson(event.target);
    if (person) goToConfirmation(person);
  });
  $("#confirm-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submitConfirmed();
  });
  $("#retry-submit").addEventListener("click", submitConfirmed);
}
