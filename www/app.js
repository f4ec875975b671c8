// The page: uses only the public API of the id-capture package (./pkg).
// Values from the registry, QR codes or the MRZ are shown with textContent only.
import init, { IdCapture } from "./pkg/id_capture.js";
import { chooseLanguage, saveLanguage, savedLanguage, translator } from "./i18n/index.js";

const NATIONALITY_SUGGESTIONS = ["NOR", "SWE", "DNK", "FIN", "ISL", "POL", "LTU", "LVA", "EST", "DEU", "ROU", "BGR", "UKR", "GBR", "ESP", "PRT", "ITA", "FRA", "NLD", "CZE", "SVK", "HRV", "SRB", "BIH", "PHL", "ERI", "SYR", "AFG", "XXA"];
const PERSON_FIELDS = ["given_names", "surname", "date_of_birth", "nationality"];

const page = {
  capture: null,
  language: "en",
  t: translator("en"),
  // The capture in progress: what will be sent, where it came from, and its idempotency key.
  draft: null,
};

const $ = (selector) => document.querySelector(selector);

function show(screenId) {
  for (const screen of document.querySelectorAll(".screen")) screen.hidden = screen.id !== screenId;
  const heading = document.querySelector(`#${screenId} h2`);
  heading?.setAttribute("tabindex", "-1");
  heading?.focus();
}

function applyLanguage(language) {
  page.language = language;
  page.t = translator(language);
  document.documentElement.lang = language === "nb" ? "nb" : "en";
  for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = page.t(element.dataset.i18n);
  $("#language-switch").textContent = page.t("language.switch_to");
  document.title = page.t("app.title");
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

function messageFor(error) {
  const key = `error.${error?.code}`;
  const text = page.t(key);
  return text === key ? page.t("error.generic") : text;
}

/** The module's answer, or an invalid_person error shown beside the field. */
function checkedPerson(form) {
  clearFieldError(form);
  try {
    return page.capture.checkPerson(readPerson(form));
  } catch (error) {
    showFieldError(form, error);
    return null;
  }
}

function startCapture(source) {
  page.draft = { source, readPerson: null, person: null, idempotencyKey: IdCapture.newIdempotencyKey(), sentBody: null };
}

function goToConfirmation(person) {
  page.draft.person = person;
  fillPerson($("#confirm-form"), person);
  clearFieldError($("#confirm-form"));
  $("#submit-status").hidden = true;
  $("#retry-submit").hidden = true;
  show("screen-confirm");
}

function statusText(status) {
  if (status.state === "waiting") return page.t(`submit.waiting.${status.reason}`, { seconds: Math.max(1, Math.round(status.delay_ms / 1000)) });
  return status.attempt > 1 ? page.t("submit.sending_attempt", { attempt: status.attempt }) : page.t("submit.sending");
}

async function submitConfirmed() {
  const form = $("#confirm-form");
  const person = checkedPerson(form);
  if (!person) return;
  const draft = page.draft;
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
    showStored(stored);
  } catch (error) {
    status.className = "notice error";
    status.textContent = error?.code === "invalid_person" ? page.t(`error.invalid_person.${error.field}`) : messageFor(error);
    $("#retry-submit").hidden = false;
  } finally {
    controls.forEach((control) => (control.disabled = false));
  }
}

function showStored(stored) {
  const list = $("#stored-person");
  list.replaceChildren();
  const add = (label, value) => {
    if (value === null || value === undefined || value === "") return;
    const term = document.createElement("dt");
    term.textContent = label;
    const detail = document.createElement("dd");
    detail.textContent = value;
    list.append(term, detail);
  };
  add(page.t("person.given_names"), stored.person.given_names);
  add(page.t("person.surname"), stored.person.surname);
  add(page.t("person.date_of_birth"), stored.person.date_of_birth);
  add(page.t("person.nationality"), stored.person.nationality);
  if (stored.employer) add(page.t("done.employer"), `${stored.employer.name} (${stored.employer.organisation_number})`);
  // The capture is done: drop it from memory.
  page.draft = null;
  show("screen-done");
}

function wireEvents() {
  $("#language-switch").addEventListener("click", () => {
    const next = page.language === "nb" ? "en" : "nb";
    saveLanguage(next);
    applyLanguage(next);
  });
  $("#method-document").addEventListener("click", () => {
    startCapture("typed");
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
  for (const back of document.querySelectorAll("[data-action=back]")) back.addEventListener("click", () => show("screen-methods"));
  for (const restart of document.querySelectorAll("[data-action=restart]")) restart.addEventListener("click", () => show("screen-methods"));
}

async function loadPageConfig() {
  try {
    const response = await fetch("./config.json", { credentials: "omit" });
    return response.ok ? await response.json() : {};
  } catch {
    return {};
  }
}

async function main() {
  applyLanguage(chooseLanguage(savedLanguage(), navigator.languages));
  const codes = $("#nationality-codes");
  for (const code of NATIONALITY_SUGGESTIONS) codes.append(new Option(code, code));
  try {
    await init();
    const config = await loadPageConfig();
    page.capture = new IdCapture({ registryUrl: config.registryUrl ?? "" });
  } catch (error) {
    const notice = $("#startup-error");
    notice.textContent = error?.code === "invalid_config" ? page.t("error.invalid_config") : page.t("error.startup");
    notice.hidden = false;
    return;
  }
  wireEvents();
  show("screen-methods");
  document.body.dataset.ready = "true";
}

main();
