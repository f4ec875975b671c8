// The page's start: language, the module, the registry's page settings, the flows.
// It uses only the public API of the id-capture package (./pkg).
import init, { IdCapture } from "./pkg/id_capture.js";
import { wireDocumentFlow } from "./flows/document.js";
import { wireHmsCardFlow } from "./flows/hms-card.js";
import { wireStagedFlow } from "./flows/staged.js";
import { resumeVippsLogin, wireVippsFlow } from "./flows/vipps.js";
import { nationalityOptions } from "./countries.js";
import { chooseLanguage, saveLanguage, savedLanguage, translator } from "./i18n/index.js";
import { $, page, show, showMethodsNotice } from "./ui.js";

function applyLanguage(language) {
  page.language = language;
  page.t = translator(language);
  document.documentElement.lang = language;
  for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = page.t(element.dataset.i18n);
  $("#language-select").value = language;
  // Country names follow the language; a chosen nationality stays chosen.
  const options = nationalityOptions(language, page.t);
  for (const select of document.querySelectorAll("select.nationality")) {
    const chosen = select.value;
    select.replaceChildren(...options.map((option) => option.cloneNode(true)));
    select.value = chosen;
  }
  document.title = page.t("app.title");
}

/** What the registry serving this page says: where to submit, and the Vipps client. */
async function loadPageConfig() {
  try {
    const response = await fetch("./config.json", { credentials: "omit" });
    return response.ok ? await response.json() : {};
  } catch {
    return {};
  }
}

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

async function main() {
  applyLanguage(chooseLanguage(savedLanguage(), navigator.languages));
  $("#language-select").addEventListener("change", (event) => {
    saveLanguage(event.target.value);
    applyLanguage(event.target.value);
  });
  let config;
  try {
    await init();
    config = await loadPageConfig();
    const session = takeSession();
    page.capture = new IdCapture({ registryUrl: config.registryUrl ?? "", ...(session ? { session } : {}), ...(config.hmsRules ? { hmsRules: config.hmsRules } : {}) });
  } catch (error) {
    const notice = $("#startup-error");
    notice.textContent = error?.code === "invalid_config" ? page.t("error.invalid_config") : page.t("error.startup");
    notice.hidden = false;
    return;
  }
  const vippsConfigured = Boolean(config.vipps?.enabled);
  wireDocumentFlow();
  wireStagedFlow();
  wireHmsCardFlow();
  wireVippsFlow(vippsConfigured);
  for (const back of document.querySelectorAll("[data-action=back]")) back.addEventListener("click", () => show("screen-methods"));
  for (const restart of document.querySelectorAll("[data-action=restart]")) {
    restart.addEventListener("click", () => {
      showMethodsNotice("");
      page.capture.forgetVippsLogin();
      show("screen-methods");
    });
  }
  const resumed = await resumeVippsLogin(vippsConfigured);
  if (!resumed) show("screen-methods");
  document.body.dataset.ready = "true";
}

main();
