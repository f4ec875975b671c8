// A partner's use of <id-capture> (the element in pkg/element), checked by
// `tsc --strict --noEmit` against the shipped types (./dev test). Never run.
import "id-capture/element";
import type { IdCaptureCancelledDetail, IdCaptureElement, IdCaptureErrorDetail, IdCaptureMethod } from "id-capture/element";
import { chooseLanguage, translator } from "id-capture/element/i18n";
import type { StoredIdentity } from "id-capture";

declare function done(identityId: string, surname: string): void;
declare function log(text: string): void;

const element: IdCaptureElement | null = document.querySelector("id-capture");
if (element) {
  const language = chooseLanguage(null, navigator.languages);
  element.setAttribute("lang", language);
  document.title = translator(language)("app.title");
  element.addEventListener("registered", (event) => {
    const stored: StoredIdentity = event.detail;
    done(stored.identity_id, stored.person.surname);
  });
  element.addEventListener("error", (event) => {
    const detail: IdCaptureErrorDetail = event.detail;
    log(`${detail.code} ${detail.field ?? ""}: ${detail.message} (shown: ${detail.shown})`);
  });
  element.addEventListener("cancelled", (event) => {
    const detail: IdCaptureCancelledDetail = event.detail;
    const method: IdCaptureMethod = detail.method;
    log(`left ${method}`);
  });
  const offered: IdCaptureMethod[] = element.methods;
  log(`${element.language}: ${offered.join(" ")}`);
}
const created = document.createElement("id-capture");
created.setAttribute("registry", "https://registry.example");
