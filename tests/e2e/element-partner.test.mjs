// <id-capture> on a partner's own page (issue 16): the page comes from the
// partner's origin, not the registry's, under a strict CSP of its own; the
// package is served from the partner's origin with no bundler; the session
// was created by the partner's backend with its API key; the registry lets
// the partner's origin in because the partner was added with it (CORS), and
// nobody else's. The worker types their details, is refused one, and
// the page hears `error`, `cancelled` and finally `registered`.
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { after, before, test } from "node:test";

import { launchBrowser, openPage } from "./support/browser.mjs";
import { ANNA, ANNA_VALUES, sendAndWaitForReceipt, typeDocumentDetails } from "./support/flows.mjs";
import { PartnerBackend } from "./support/partner-backend.mjs";
import { PrivacyAudit } from "./support/privacy-audit.mjs";
import { ROOT, startRegistry } from "./support/registry.mjs";

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };

// The partner's own CSS tries to restyle every button and sets the element's theme.
const PARTNER_CSS = `
button { background: rgb(255, 0, 0) !important; }
id-capture { --id-capture-accent: rgb(0, 100, 0); }
`;

// The partner's page script: it only listens to the element (and to CSP violations, to prove there are none).
const PARTNER_JS = `
window.partnerEvents = [];
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => window.cspViolations.push(event.violatedDirective + " " + event.blockedURI));
const element = document.querySelector("id-capture");
for (const type of ["registered", "error", "cancelled"]) {
  element.addEventListener(type, (event) => window.partnerEvents.push({ type, detail: event.detail }));
}
element.addEventListener("ready", () => (document.body.dataset.ready = "true"));
await import("/node_modules/id-capture/element/id-capture.js");
`;

/**
 * The partner's web server: its page (the session its backend just created
 * rendered into the element's attribute), its script and CSS, and the package
 * as installed (`node_modules/id-capture/` = pkg/), under its own strict CSP.
 */
function startPartnerSite(registryUrl, renderPage) {
  const csp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; connect-src 'self' ${registryUrl}; img-src 'self' blob: data:; media-src 'self' blob: mediastream:; object-src 'none'; base-uri 'none'`;
  const server = createServer((request, response) => {
    const path = new URL(request.url, "http://partner").pathname;
    const send = (status, type, body) => {
      response.writeHead(status, { "content-type": type, "content-security-policy": csp, "cache-control": "no-store" });
      response.end(body);
    };
    if (path === "/") return send(200, TYPES[".html"], renderPage());
    if (path === "/partner.js") return send(200, TYPES[".js"], PARTNER_JS);
    if (path === "/partner.css") return send(200, TYPES[".css"], PARTNER_CSS);
    if (path.startsWith("/node_modules/id-capture/")) {
      const file = normalize(join(ROOT, "pkg", path.slice("/node_modules/id-capture/".length)));
      if (file.startsWith(join(ROOT, "pkg")) && statSync(file, { throwIfNoEntry: false })?.isFile()) {
        return send(200, TYPES[extname(file)] ?? "application/octet-stream", readFileSync(file));
      }
    }
    return send(404, "text/plain", "not found");
  });
  sites.add(server);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${server.address().port}` })));
}

function partnerPage(registryUrl, sessionToken) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Eksempel Bygg AS: onboarding</title>
<link rel="stylesheet" href="/partner.css"><script type="module" src="/partner.js"></script></head>
<body><h1>Welcome to Eksempel Bygg AS</h1>
<id-capture registry="${registryUrl}" session="${sessionToken}" methods="document" lang="en"></id-capture>
</body></html>`;
}

let browser;
const sites = new Set(); // partner servers, stopped when the file ends (also after a failure)
before(async () => (browser = await launchBrowser()));
after(async () => {
  await browser?.close();
  for (const server of sites) {
    server.close();
    server.closeAllConnections();
  }
});

test("a partner's page on another origin registers a worker through <id-capture>, with its backend's session, under its own strict CSP", async () => {
  const registry = await startRegistry({ serve: false });
  // The partner site needs its port before the partner is added with its origin.
  let session;
  const site = await startPartnerSite(registry.url, () => partnerPage(registry.url, session.session_token));
  const { api_key: apiKey } = registry.addPartner({ name: "Eksempel Bygg AS", origins: [site.url] });
  const partner = new PartnerBackend(registry.url, apiKey);
  session = await partner.createSession("new-hire-0100");
  assert.notEqual(new URL(site.url).origin, new URL(registry.url).origin);

  // CORS: the registry answers the partner's origin, and not another one.
  const preflight = (origin) => fetch(`${registry.url}/v2/identities/document`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type,idempotency-key" },
  });
  assert.equal((await preflight(site.url)).headers.get("access-control-allow-origin"), site.url);
  assert.equal((await preflight("http://127.0.0.1:9")).headers.get("access-control-allow-origin"), null, "no other origin is let in");

  const { page, problems, context } = await openPage(browser, site.url);
  const audit = new PrivacyAudit(page, { allowedOrigins: [site.url, registry.url], personalValues: [...ANNA_VALUES, session.session_token] });
  assert.deepEqual(await page.locator("id-capture .method:visible").evaluateAll((buttons) => buttons.map((button) => button.id)), ["method-document"], "methods=\"document\" offers only the document");

  // Theming reaches in through the custom property; the partner's own button rule does not.
  await page.click("#method-document");
  await page.click("#document-type-instead");
  const submitColour = await page.locator("#typed-entry button[type=submit]").evaluate((button) => getComputedStyle(button).backgroundColor);
  assert.equal(submitColour, "rgb(0, 100, 0)");
  assert.equal(await page.locator("body > h1").evaluate((heading) => getComputedStyle(heading).color), "rgb(0, 0, 0)", "the element's styles stay inside it");

  // Back from a method: `cancelled`.
  await page.click("#typed-entry [data-action=back]");
  await page.waitForSelector("#screen-methods:not([hidden])");

  // A refused date of birth: `error`, with the code and the message the worker saw.
  await page.click("#method-document");
  await page.click("#document-type-instead");
  await page.fill("#typed-entry [name=surname]", "Eriksson");
  await page.fill("#typed-entry [name=date_of_birth]", "2999-01-01");
  await page.click("#typed-entry button[type=submit]");
  await page.waitForSelector("#typed-entry .field-error:not([hidden])");
  const shownError = await page.innerText("#typed-entry .field-error");
  await page.click("#typed-entry [data-action=back]");

  await typeDocumentDetails(page);
  await sendAndWaitForReceipt(page);
  await page.waitForFunction(() => window.partnerEvents.some((event) => event.type === "registered"));
  const events = await page.evaluate(() => window.partnerEvents);
  assert.deepEqual(events.map((event) => event.type), ["cancelled", "error", "cancelled", "registered"]);
  assert.deepEqual(events[0].detail, { method: "document" });
  assert.equal(events[1].detail.code, "invalid_person");
  assert.equal(events[1].detail.field, "date_of_birth");
  assert.equal(events[1].detail.shown, shownError);
  assert.ok(events[1].detail.message.length > 0 && !events[1].detail.message.includes("2999"), "the module's message, without the value");
  const registered = events[3].detail;
  assert.deepEqual(Object.keys(registered).sort(), ["identity_id", "person"], "the registry's answer, nothing more");
  assert.deepEqual(registered.person, ANNA);

  assert.deepEqual(await page.evaluate(() => window.cspViolations), [], "nothing the partner's CSP forbids");
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();

  // The partner's backend reads the same identity from its session.
  const outcome = await partner.outcome(session.session_id);
  assert.equal(outcome.body.status, "completed");
  assert.equal(outcome.body.identity.identity_id, registered.identity_id);
  assert.equal(outcome.body.identity.method, "document");
  assert.deepEqual(outcome.body.identity.person, ANNA);
  const rows = await registry.stopAndReadIdentities();
  assert.equal(rows.length, 1);
  assert.equal(rows[0].surname, "Eriksson");
});

test("the element's attributes take effect at once: lang, methods, and a new session is a new capture", async () => {
  const registry = await startRegistry({ serve: false });
  let first;
  const site = await startPartnerSite(registry.url, () => partnerPage(registry.url, first.session_token));
  const partner = new PartnerBackend(registry.url, registry.addPartner({ origins: [site.url] }).api_key);
  first = await partner.createSession("new-hire-0101");
  const second = await partner.createSession("new-hire-0102");
  const { page, problems, context } = await openPage(browser, site.url);
  const audit = new PrivacyAudit(page, { allowedOrigins: [site.url, registry.url], personalValues: ANNA_VALUES });
  const offered = () => page.locator("id-capture .method:visible").evaluateAll((buttons) => buttons.map((button) => button.id));

  assert.equal(await page.innerText("#screen-methods h2"), "How do you want to identify yourself?");
  await page.locator("id-capture").evaluate((element) => element.setAttribute("lang", "nb"));
  assert.equal(await page.innerText("#screen-methods h2"), "Hvordan vil du identifisere deg?");
  await page.locator("id-capture").evaluate((element) => element.setAttribute("lang", "en"));

  // No Vipps on this registry: asking for it offers nothing that cannot work.
  await page.locator("id-capture").evaluate((element) => element.setAttribute("methods", "hms-card document vipps"));
  assert.deepEqual(await offered(), ["method-hms-card", "method-document"]);
  await page.locator("id-capture").evaluate((element) => element.setAttribute("methods", "document"));
  assert.deepEqual(await offered(), ["method-document"]);

  // The partner hands the element another worker's session: what follows is registered in that one.
  await page.locator("id-capture").evaluate((element, token) => new Promise((ready) => {
    element.addEventListener("ready", ready, { once: true }); // started again, with the new session
    element.setAttribute("session", token);
  }), second.session_token);
  await typeDocumentDetails(page);
  await sendAndWaitForReceipt(page);
  await page.waitForFunction(() => window.partnerEvents.some((event) => event.type === "registered"));
  const [lookup] = audit.postsTo(/^\/v2\/identities\/document$/);
  assert.deepEqual(lookup.person, ANNA);
  const documentPosts = audit.requests.filter((request) => new URL(request.url).pathname === "/v2/identities/document" && request.method === "POST");
  assert.deepEqual(documentPosts.map((request) => request.headers.authorization), [`Session ${second.session_token}`]);
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();
  assert.equal((await partner.outcome(second.session_id)).body.status, "completed");
  assert.equal((await partner.outcome(first.session_id)).body.status, "open", "the first session stays unused");
  await registry.stop();
});
