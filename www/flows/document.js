// ID document: typed entry (or fields read from the MRZ) → confirmation → submission.
import { IdCapture } from "../pkg/id_capture.js";
import { $, messageFor, page, show, showStored, statusText } from "../ui.js";

const PERSON_FIELDS = ["given_names", "surname", "date_of_birth", "nationality"];

// The capture in progress: what will be sent, where it came from, and its idempotency key.
let draft = null;

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
  for (const field of PERSON_FIELDS) form.elements[field].removeAttribute("aria-invalid");
}

function showFieldError(form, error) {
  const message = form.querySelector(".field-error");
  const field = error?.field;
  message.textContent = field ? page.t(`error.invalid_person.${field}`) : messageFor(error);
  message.hidden = false;
  if (field && form.elements[field]) {
    form.elements[field].setAttribute("aria-invalid", "true");
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
    return null;
  }
}

/** Starts a capture; `readPerson` is what the module read (MRZ), null when typed. */
export function startDocumentCapture(source, readFields = null) {
  draft = { source, readPerson: readFields, idempotencyKey: IdCapture.newIdempotencyKey(), sentBody: null };
}

export function goToConfirmation(person) {
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
    // The capture is done: drop it from memory.
    draft = null;
    showStored(stored);
  } catch (error) {
    status.className = "notice error";
    status.textContent = error?.code === "invalid_person" ? page.t(`error.invalid_person.${error.field}`) : messageFor(error);
    $("#retry-submit").hidden = false;
  } finally {
    controls.forEach((control) => (control.disabled = false));
  }
}

export function wireDocumentFlow() {
  $("#method-document").addEventListener("click", () => {
    startDocumentCapture("typed");
    $("#typed-entry").reset();
    clearFieldError($("#typed-entry"));
    show("screen-document");
  });
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
