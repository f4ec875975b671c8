// What every flow of the element shares: screens, messages, the receipt, its events.
// Values from the registry, QR codes or the MRZ are shown with textContent only.
import { translator } from "./i18n/index.js";

/** The <id-capture> element that is running (one per document at a time). */
export const page = {
  /** The IdCapture instance (the package's public API). */
  capture: null,
  /** The element (events are dispatched on it) and its shadow root (the screens). */
  host: null,
  root: null,
  language: "en",
  t: translator("en"),
};

export const $ = (selector) => page.root.querySelector(selector);

/** Tells the embedding page: `registered`, `error` or `cancelled` (id-capture.d.ts). */
export function emit(type, detail) {
  page.host?.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

/**
 * An IdCaptureError shown to the user, also told to the embedding page: its code, its
 * message (the module's, never personal data), its field, and `shown`, what the user read.
 */
export function emitError(error, shown = messageFor(error)) {
  if (error?.name === "AbortError") return;
  emit("error", { code: error?.code ?? "internal", message: String(error?.message ?? ""), shown, ...(error?.field ? { field: error.field } : {}) });
}

/** The worker left a method without registering (back, "not me", Vipps cancelled). */
export function emitCancelled(method) {
  emit("cancelled", { method });
}

export function show(screenId) {
  for (const screen of page.root.querySelectorAll(".screen")) screen.hidden = screen.id !== screenId;
  const heading = page.root.querySelector(`#${screenId} h2`);
  heading?.setAttribute("tabindex", "-1");
  heading?.focus();
}

/**
 * The catalogue's text for an IdCaptureError: for its code and field
 * (`error.invalid_person.surname`), else for its code, else a generic one.
 * Never a raw key, whatever the error carries.
 */
export function messageFor(error) {
  const keys = [error?.field ? `error.${error?.code}.${error.field}` : null, `error.${error?.code}`];
  for (const key of keys) {
    if (!key) continue;
    const text = page.t(key);
    if (text !== key) return text;
  }
  return page.t("error.generic");
}

/** Progress of a submission (`onStatus`), as a sentence. */
export function statusText(status) {
  if (status.state === "waiting") return page.t(`submit.waiting.${status.reason}`, { seconds: Math.max(1, Math.round(status.delay_ms / 1000)) });
  return status.attempt > 1 ? page.t("submit.sending_attempt", { attempt: status.attempt }) : page.t("submit.sending");
}

/** A notice on the method screen (e.g. a Vipps login that could not finish). */
/** A notice above the methods; `code` is the module's error code, kept as
 * `data-error-code` for embedding portals (and tests) to tell causes apart. */
export function showMethodsNotice(text, code) {
  const notice = $("#methods-notice");
  notice.textContent = text;
  notice.hidden = !text;
  if (code) notice.dataset.errorCode = code;
  else delete notice.dataset.errorCode;
}

/** One label and value of a summary list, as text; nothing for an empty value. */
export function addSummaryRow(list, label, value) {
  if (value === null || value === undefined || value === "") return;
  const term = document.createElement("dt");
  term.textContent = label;
  const detail = document.createElement("dd");
  detail.textContent = value;
  list.append(term, detail);
}

/** The registry's answer: who is now registered (and the employer for an HMS card). */
export function showStored(stored) {
  const list = $("#stored-person");
  list.replaceChildren();
  const add = (label, value) => addSummaryRow(list, label, value);
  add(page.t("person.given_names"), stored.person.given_names);
  add(page.t("person.surname"), stored.person.surname);
  add(page.t("person.date_of_birth"), stored.person.date_of_birth);
  add(page.t("person.nationality"), stored.person.nationality);
  if (stored.employer) add(page.t("done.employer"), `${stored.employer.name} (${stored.employer.organisation_number})`);
  show("screen-done");
  // Exactly the registry's answer: nothing the page read or typed beyond it.
  emit("registered", stored);
}
