// <id-capture>: the drop-in that runs the three flows (HMS card, ID document,
// Vipps Login) with their confirm steps, in an open shadow root, on the
// package's public API only. Attributes: registry, session, methods, lang.
// Events: registered, error, cancelled (and ready); see id-capture.d.ts.
import { init, IdCapture } from "./package.js";
import { wireDocumentFlow } from "./flows/document.js";
import { wireHmsCardFlow } from "./flows/hms-card.js";
import { wireStagedFlow } from "./flows/staged.js";
import { resumeVippsLogin, wireVippsFlow } from "./flows/vipps.js";
import { nationalityOptions } from "./countries.js";
import { catalogues, chooseLanguage, translator } from "./i18n/index.js";
import { TEMPLATE } from "./template.js";
import STYLES from "./id-capture.css"; // as text: ./dev's pkg_element bundles it with esbuild's text loader
import { $, emit, emitCancelled, page, show, showMethodsNotice } from "./ui.js";

export { catalogues, chooseLanguage, translator };

export const METHODS = ["hms-card", "document", "vipps"];
// A constructed stylesheet, shared by every element: neither a <style> element nor a style
// attribute, which the registry's CSP (style-src 'self') forbids, and no file for a bundler to
// move or inline (Vite inlines small assets as data: URLs, which that CSP refuses as well).
let sheet = null;
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
  }
  return sheet;
}

/** What the registry says about itself: its public address and whether Vipps Login is set up. */
async function loadRegistryConfig(registry) {
  try {
    const url = registry ? new URL("config.json", registry.endsWith("/") ? registry : `${registry}/`) : new URL("/config.json", location.href);
    const response = await fetch(url, { credentials: "omit" });
    return response.ok ? await response.json() : {};
  } catch {
    return {};
  }
}

export class IdCaptureElement extends HTMLElement {
  static observedAttributes = ["lang", "methods", "registry", "session"];

  #started = false;
  #wired = false; // the flows' listeners, added once (the element may be removed and added again)
  #vippsAvailable = false;
  #registryConfig = {};

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [styles()];
    const frame = document.createElement("div");
    frame.className = "id-capture";
    frame.setAttribute("part", "frame");
    frame.innerHTML = TEMPLATE; // our own constant markup; every value is set as text later
    root.append(frame);
  }

  /** The language in use: the `lang` attribute when it is one of the five, else the browser's. */
  get language() {
    const wanted = this.getAttribute("lang");
    return wanted && wanted in catalogues ? wanted : chooseLanguage(null, navigator.languages);
  }

  /** The methods offered: the `methods` attribute (space- or comma-separated), else all three. */
  get methods() {
    const listed = (this.getAttribute("methods") ?? "").split(/[\s,]+/).filter((method) => METHODS.includes(method));
    return listed.length ? listed : [...METHODS];
  }

  connectedCallback() {
    if (this.#started) return;
    if (page.host && page.host !== this && page.host.isConnected) {
      // The flows keep one capture's state: a second element at the same time would mix them.
      this.#startupError({ code: "invalid_config", message: "only one <id-capture> may run in a document at a time" });
      return;
    }
    this.#started = true;
    page.host = this;
    page.root = this.shadowRoot;
    this.#applyLanguage();
    this.#start();
  }

  disconnectedCallback() {
    // Moved, not removed: keep running.
    queueMicrotask(() => {
      if (this.isConnected || page.host !== this) return;
      page.capture?.dispose();
      page.capture = null;
      page.host = null;
      this.#started = false;
    });
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (!this.#started || page.host !== this || oldValue === newValue) return;
    if (name === "lang") this.#applyLanguage();
    if (name === "methods") this.#applyMethods();
    // While a restart is under way (no capture yet) it reads the attributes as they are by then.
    if ((name === "registry" || name === "session") && page.capture) this.#restart();
  }

  /** Another registry or session is another capture: start over at the methods. */
  async #restart() {
    page.capture.dispose();
    page.capture = null;
    if (!(await this.#connect())) return;
    this.#applyMethods();
    showMethodsNotice("");
    show("screen-methods");
    emit("ready", {});
  }

  /** Reads the registry's configuration and makes the capture; false, once the user is told, when that fails. */
  async #connect() {
    try {
      this.#registryConfig = await loadRegistryConfig(this.getAttribute("registry"));
      await this.#createCapture(this.#registryConfig);
    } catch (error) {
      this.#startupError(error);
      return false;
    }
    this.#vippsAvailable = Boolean(this.#registryConfig.vipps?.enabled);
    return true;
  }

  #applyLanguage() {
    const language = this.language;
    page.language = language;
    page.t = translator(language);
    for (const element of this.shadowRoot.querySelectorAll("[data-i18n]")) element.textContent = page.t(element.dataset.i18n);
    // Country names follow the language; a chosen nationality stays chosen.
    const options = nationalityOptions(language, page.t);
    for (const select of this.shadowRoot.querySelectorAll("select.nationality")) {
      const chosen = select.value;
      select.replaceChildren(...options.map((option) => option.cloneNode(true)));
      select.value = chosen;
    }
  }

  #applyMethods() {
    const offered = this.methods;
    $("#method-hms-card").hidden = !offered.includes("hms-card");
    $("#method-document").hidden = !offered.includes("document");
    $("#method-vipps").hidden = !(offered.includes("vipps") && this.#vippsAvailable);
  }

  async #createCapture(registryConfig) {
    await init();
    // The attribute names the registry; without it, the address the registry serving this page gives.
    const registryUrl = this.getAttribute("registry") || registryConfig.registryUrl || "";
    const session = this.getAttribute("session") || undefined;
    page.capture = new IdCapture({ registryUrl, ...(session ? { session } : {}), ...(registryConfig.hmsRules ? { hmsRules: registryConfig.hmsRules } : {}) });
  }

  #startupError(error) {
    const notice = this.shadowRoot.querySelector("#startup-error");
    notice.textContent = error?.code === "invalid_config" ? page.t("error.invalid_config") : page.t("error.startup");
    notice.hidden = false;
    emit("error", { code: error?.code ?? "internal", message: String(error?.message ?? ""), shown: notice.textContent });
  }

  async #start() {
    if (!(await this.#connect())) return;
    if (!this.#wired) this.#wire();
    this.#applyMethods();
    // A Vipps return lands on the page that holds the element; only when this element offers Vipps.
    const resumed = this.methods.includes("vipps") && (await resumeVippsLogin(this.#vippsAvailable));
    if (!resumed) show("screen-methods");
    this.dataset.ready = "true";
    emit("ready", {});
  }

  #wire() {
    this.#wired = true;
    wireDocumentFlow();
    wireStagedFlow();
    wireHmsCardFlow();
    wireVippsFlow(this.#vippsAvailable);
    for (const back of this.shadowRoot.querySelectorAll("[data-action=back]")) {
      back.addEventListener("click", () => {
        show("screen-methods");
        emitCancelled("document");
      });
    }
    for (const restart of this.shadowRoot.querySelectorAll("[data-action=restart]")) {
      restart.addEventListener("click", () => {
        showMethodsNotice("");
        page.capture.forgetVippsLogin();
        show("screen-methods");
      });
    }
  }
}

if (!customElements.get("id-capture")) customElements.define("id-capture", IdCaptureElement);