// <id-capture> in a partner's production build: the element sample
// (tests/e2e/partner-apps/element) with the package installed as npm would put
// it, built by Vite and by webpack 5, served from dist/ alone under a strict CSP
// on another origin than the registry. The element, its catalogues chunk, its
// stylesheet (found by `new URL(..., import.meta.url)`) and the capture worker
// must all come from what the bundler emitted; a worker registers in Norwegian.
import assert from "node:assert/strict";
import { cpSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { after, before, test } from "node:test";

import { launchBrowser, openPage } from "./support/browser.mjs";
import { scratchDirectory } from "./support/fixtures.mjs";
import { ANNA, ANNA_VALUES, sendAndWaitForReceipt, typeDocumentDetails } from "./support/flows.mjs";
import { PartnerBackend } from "./support/partner-backend.mjs";
import { PrivacyAudit } from "./support/privacy-audit.mjs";
import { ROOT, startRegistry } from "./support/registry.mjs";

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };

/** The element sample in a scratch folder, with pkg/ copied in as node_modules/id-capture. */
function elementApp() {
  const directory = scratchDirectory();
  cpSync(join(ROOT, "tests/e2e/partner-apps/element"), directory, { recursive: true });
  cpSync(join(ROOT, "pkg"), join(directory, "node_modules/id-capture"), { recursive: true });
  return directory;
}

async function buildWithVite() {
  const { build } = await import("vite");
  const root = elementApp();
  await build({ root, configFile: join(root, "vite.config.js") });
  return join(root, "dist");
}

async function buildWithWebpack() {
  const { default: webpack } = await import("webpack");
  const root = elementApp();
  const { default: config } = await import(join(root, "webpack.config.js"));
  const stats = await new Promise((resolve, reject) => webpack(config, (error, result) => (error ? reject(error) : resolve(result))));
  assert.ok(!stats.hasErrors(), stats.toString("errors-only"));
  cpSync(join(root, "index.html"), join(root, "dist/index.html"));
  return join(root, "dist");
}

/** dist/ over HTTP under the partner's CSP; the page gets the registry and the session (`fill.session`, read per request) filled in. */
async function serve(directory, registryUrl, fill) {
  const csp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; connect-src 'self' ${registryUrl}; img-src 'self' blob: data:; media-src 'self' blob: mediastream:; object-src 'none'; base-uri 'none'`;
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    try {
      let body = readFileSync(join(directory, path.endsWith("/") ? `${path}index.html` : path));
      if (path.endsWith("/") || path.endsWith(".html")) body = body.toString("utf8").replace("REGISTRY_URL", registryUrl).replace("SESSION_TOKEN", fill.session);
      response.writeHead(200, { "Content-Type": TYPES[extname(path) || ".html"] ?? "application/octet-stream", "Content-Security-Policy": csp });
      response.end(body);
    } catch {
      response.writeHead(404, { "Content-Security-Policy": csp }).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }) };
}

let browser;
before(async () => (browser = await launchBrowser()));
after(async () => browser?.close());

for (const [bundler, buildApp] of [["Vite", buildWithVite], ["webpack 5", buildWithWebpack]]) {
  test(`<id-capture> built by ${bundler} for production registers a worker from another origin under a strict CSP`, async () => {
    const dist = await buildApp();
    const registry = await startRegistry({ serve: false });
    // The site's port first (the partner is added with its origin), then the session its backend creates.
    const fill = { session: "" };
    const site = await serve(dist, registry.url, fill);
    try {
      const partner = new PartnerBackend(registry.url, registry.addPartner({ origins: [site.url] }).api_key);
      const session = await partner.createSession(`element-${bundler}`);
      fill.session = session.session_token;
      {
        const { page, problems, context } = await openPage(browser, site.url);
        const audit = new PrivacyAudit(page, { allowedOrigins: [site.url, registry.url], personalValues: [...ANNA_VALUES, session.session_token] });
        assert.equal(await page.innerText("#screen-methods h2"), "Hvordan vil du identifisere deg?", "the catalogues came with the bundle");
        // The stylesheet the bundler emitted is the element's: its default accent on the method button.
        assert.equal(await page.locator("#method-document").evaluate((button) => getComputedStyle(button).borderTopLeftRadius), "12px");
        await typeDocumentDetails(page);
        assert.equal(await page.locator("#send").evaluate((button) => getComputedStyle(button).backgroundColor), "rgb(11, 92, 173)");
        await sendAndWaitForReceipt(page);
        await page.waitForFunction(() => window.partnerEvents.some((event) => event.type === "registered"));
        const [registered] = await page.evaluate(() => window.partnerEvents);
        assert.equal(registered.type, "registered");
        assert.deepEqual(registered.detail.person, ANNA);
        await audit.assertAll(page);
        assert.deepEqual(problems, []);
        await context.close();
        const outcome = await partner.outcome(session.session_id);
        assert.equal(outcome.body.identity.identity_id, registered.detail.identity_id);
      }
    } finally {
      await site.close();
      await registry.stop();
    }
  });
}
