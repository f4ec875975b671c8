// The site around <id-capture>: its header (title, language) and the onboarding
// session from a partner's link. Everything else is the element, from the package.
import init, { IdCapture } from "./pkg/id_capture.js";
import { chooseLanguage, saveLanguage, savedLanguage, translator } from "./pkg/element/i18n/index.js"; // the package's "id-capture/element/i18n"

const element = document.querySelector("id-capture");
const SESSION_KEY = "id-capture.session";

/**
 * The onboarding session from the partner's link (`#session=…`). It is taken
 * out of the address bar at once and kept for this tab only, so a reload keeps
 * it and a shared screenshot or bookmark does not carry it.
 */
function takeSession() {
  const fromLink = IdCapture.sessionFromUrl(location.href);
  if (fromLink) {
    history.replaceState(history.state, "", IdCapture.urlWithoutSession(location.href));
    try { sessionStorage.setItem(SESSION_KEY, fromLink); } catch { /* storage off: this load only */ }
    return fromLink;
  }
  try { return sessionStorage.getItem(SESSION_KEY) ?? undefined; } catch { return undefined; }
}

function applyLanguage(language) {
  const t = translator(language);
  document.documentElement.lang = language;
  for (const text of document.querySelectorAll("[data-i18n]")) text.textContent = t(text.dataset.i18n);
  document.querySelector("#language-select").value = language;
  document.title = t("app.title");
  element.setAttribute("lang", language);
}

applyLanguage(chooseLanguage(savedLanguage(), navigator.languages));
document.querySelector("#language-select").addEventListener("change", (event) => {
  saveLanguage(event.target.value);
  applyLanguage(event.target.value);
});
element.addEventListener("ready", () => (document.body.dataset.ready = "true"));
try {
  await init();
  const session = takeSession();
  if (session) element.setAttribute("session", session);
} catch {
  // The element reports a module that cannot start, in the page's language.
}
// Defined only now, so the element starts with the session already set.
await import("./pkg/element/id-capture.js");
