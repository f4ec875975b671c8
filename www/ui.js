// What every flow of the page shares: screens, messages, the receipt.
// Values from the registry, QR codes or the MRZ are shown with textContent only.
import { translator } from "./i18n/index.js";

export const page = {
  /** The IdCapture instance (the package's public API). */
  capture: null,
  language: "en",
  t: translator("en"),
};

export const $ = (selector) => document.querySelector(selector);

export function show(screenId) {
  for (const screen of document.querySelectorAll(".screen")) screen.hidden = screen.id !== screenId;
  const heading = document.querySelector(`#${screenId} h2`);
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
}
