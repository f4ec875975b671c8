// Vipps Login end to end against a real OpenID provider (npm oidc-provider,
// configured like Vipps): the page redirects with PKCE, the user logs in and
// consents, the module checks the callback and hands the code to the registry,
// which exchanges it with the client secret. Every forged, replayed, expired
// or cancelled callback ends in its own typed error with nothing stored.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { launchBrowser, openPage } from "./support/browser.mjs";
import { CLIENT_ID, CLIENT_SECRET, startOidcProvider } from "./support/oidc-provider.mjs";
import { PrivacyAudit } from "./support/privacy-audit.mjs";
import { reservePort, startRegistry } from "./support/registry.mjs";

const KARI = ["Nordmann-Testesen", "1988-04-17"];
let browser;
before(async () => (browser = await launchBrowser()));
after(async () => browser?.close());

/** A provider and a registry that trust each other, the page on the registry. */
async function vippsWorld() {
  const port = await reservePort();
  const pageUrl = `http://127.0.0.1:${port}/`;
  const provider = await startOidcProvider({ redirectUris: [pageUrl] });
  const registry = await startRegistry({
    port,
    env: { VIPPS_ISSUER: provider.issuer, VIPPS_CLIENT_ID: CLIENT_ID, VIPPS_CLIENT_SECRET: CLIENT_SECRET, VIPPS_REDIRECT_URIS: pageUrl },
  });
  return { provider, registry, pageUrl };
}

async function stopWorld({ provider, registry }) {
  const rows = await registry.stopAndReadIdentities();
  await provider.stop();
  return rows;
}

async function logInAtProvider(page) {
  await page.click("#method-vipps");
  await page.waitForSelector("input[name=login]", { timeout: 15000 });
  await page.fill("input[name=login]", "kari");
  await page.fill("input[name=password]", "any");
  await page.click("button[type=submit]");
  await page.waitForSelector("button[type=submit]");
  await page.click("button[type=submit]");
}

/**
 * Logs in, but stops the browser at the redirect back: the callback URL, unused.
 * Chromium follows redirects without showing them to Playwright's routes, and
 * the provider reaches the callback by redirect. So the form posts of the
 * provider's login and consent pages are routed, and their redirects followed
 * here (with the context's cookies) until one leaves the provider: a redirect
 * to the page is the callback, kept and not delivered; any other is handed
 * back to the browser as it came.
 */
async function interceptCallback(page) {
  let callback;
  // The page's origin is read now: while the provider's pages are shown, page.url() is theirs.
  const pageOrigin = new URL(page.url()).origin;
  const isProviderForm = (url) => url.origin !== pageOrigin && url.pathname.includes("/interaction/");
  await page.route(isProviderForm, async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    let response = await route.fetch({ maxRedirects: 0 });
    for (let hops = 0; hops < 5; hops += 1) {
      const location = response.headers().location;
      if (!location) break;
      const next = new URL(location, response.url());
      if (next.origin === pageOrigin) {
        callback = next.href;
        return route.fulfill({ status: 200, contentType: "text/plain", body: "stopped before the callback" });
      }
      if (next.pathname.includes("/interaction/")) {
        return route.fulfill({ status: 303, headers: { location: next.href } });
      }
      response = await page.context().request.get(next.href, { maxRedirects: 0 });
    }
    return route.fulfill({ response });
  });
  await logInAtProvider(page).catch(() => {});
  await waitFor(() => callback);
  await page.unroute(isProviderForm);
  return new URL(callback);
}

async function waitFor(condition, timeout = 15000) {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeout) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The page's notice says `pattern`, for the typed error `code`. */
async function expectNotice(page, pattern, code) {
  await page.waitForSelector("#methods-notice:not([hidden])", { timeout: 20000 });
  assert.match(await page.innerText("#methods-notice"), pattern);
  assert.equal(await page.getAttribute("#methods-notice", "data-error-code"), code);
}

test("log in with Vipps: redirect, login and consent, back, exchange in the registry, person stored", async () => {
  const world = await vippsWorld();
  const { page, problems, context } = await openPage(browser, world.registry.url);
  const audit = new PrivacyAudit(page, { allowedOrigins: [world.registry.url, world.provider.origin], personalValues: KARI });
  audit.oidcOrigin = world.provider.origin;
  await logInAtProvider(page);
  await page.waitForSelector("#screen-done:not([hidden])", { timeout: 30000 });
  assert.match(await page.innerText("#stored-person"), /Nordmann-Testesen/);
  assert.match(await page.innerText("#stored-person"), /1988-04-17/);
  const address = new URL(page.url());
  assert.equal(address.search, "", "code and state are gone from the address bar");
  const [submission] = audit.submissions();
  const sent = JSON.parse(submission.body);
  assert.equal(new URL(submission.url).pathname, "/v1/identities/vipps");
  assert.equal(sent.redirect_uri, world.pageUrl);
  assert.match(sent.code_verifier, /^[A-Za-z0-9_-]{43}$/);
  for (const request of audit.requests.filter((r) => new URL(r.url).origin === world.provider.origin)) {
    assert.ok(!request.url.includes(sent.code_verifier) && !(request.body ?? "").toString().includes(sent.code_verifier), "the verifier goes to the registry only");
  }
  const authorization = audit.requests.map((r) => new URL(r.url)).find((url) => url.pathname.endsWith("/oauth2/auth") && url.searchParams.has("code_challenge"));
  assert.equal(authorization.searchParams.get("code_challenge_method"), "S256");
  assert.ok(authorization.searchParams.get("state").length >= 43 && authorization.searchParams.get("nonce").length >= 43);
  assert.equal(authorization.searchParams.get("scope"), "openid name birthDate");
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();
  const rows = await stopWorld(world);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].method, "vipps");
  assert.deepEqual([rows[0].given_names, rows[0].surname, rows[0].date_of_birth, rows[0].nationality], ["Kari", "Nordmann-Testesen", "1988-04-17", null]);
});

test("a replayed callback URL and a callback in another browser both end in 'start again', storing nothing more", { timeout: 60000 }, async () => {
  const world = await vippsWorld();
  const { page, context } = await openPage(browser, world.registry.url);
  const callback = await interceptCallback(page);
  await page.goto(callback.href);
  await page.waitForSelector("#screen-done:not([hidden])", { timeout: 30000 });
  await page.goto(callback.href);
  await expectNotice(page, /another browser or tab, or has already been used/, "vipps_flow_missing");
  const other = await openPage(browser, callback.href);
  await expectNotice(other.page, /another browser or tab, or has already been used/, "vipps_flow_missing");
  await other.context.close();
  await context.close();
  assert.equal((await stopWorld(world)).length, 1, "the replay stored nothing");
});

test("cancelling at Vipps comes back as vipps_cancelled and stores nothing", async () => {
  const world = await vippsWorld();
  const { page, context } = await openPage(browser, world.registry.url);
  await page.click("#method-vipps");
  await page.waitForSelector("input[name=login]");
  await page.click("text=Cancel");
  await expectNotice(page, /cancelled the Vipps login/, "vipps_cancelled");
  assert.equal(new URL(page.url()).search, "");
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await context.close();
  assert.deepEqual(await stopWorld(world), []);
});

const FORGERIES = [
  ["a wrong state", (url) => url.searchParams.set("state", "A".repeat(43)), /could not be trusted/, "vipps_state_mismatch"],
  ["a missing state", (url) => url.searchParams.delete("state"), /could not be trusted/, "vipps_state_missing"],
  ["a missing code", (url) => url.searchParams.delete("code"), /could not be trusted/, "vipps_code_missing"],
  ["another issuer (RFC 9207)", (url) => url.searchParams.set("iss", "https://evil.example/access/"), /could not be trusted/, "vipps_issuer_mismatch"],
  ["a provider error (server_error)", (url) => { url.searchParams.delete("code"); url.searchParams.set("error", "server_error"); }, /Vipps could not complete the login/, "vipps_provider_error"],
  ["a duplicated state", (url) => url.searchParams.append("state", url.searchParams.get("state")), /could not be trusted/, "vipps_callback_invalid"],
];

for (const [name, forge, message, code] of FORGERIES) {
  test(`a callback with ${name} is refused, the flow is consumed and nothing is stored`, { timeout: 60000 }, async () => {
    const world = await vippsWorld();
    const { page, problems, context } = await openPage(browser, world.registry.url);
    const audit = new PrivacyAudit(page, { allowedOrigins: [world.registry.url, world.provider.origin], personalValues: KARI });
    audit.oidcOrigin = world.provider.origin;
    const callback = await interceptCallback(page);
    forge(callback);
    await page.goto(callback.href);
    await expectNotice(page, message, code);
    assert.equal(new URL(page.url()).search, "", "the address bar is cleaned even when refused");
    assert.equal(audit.submissions().length, 0, "nothing is sent to the registry");
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, "the stored flow is consumed");
    await audit.assertAll(page);
    assert.deepEqual(problems, []);
    await context.close();
    assert.deepEqual(await stopWorld(world), []);
  });
}

test("a callback with a code the provider never issued passes the page's checks, the registry's exchange refuses it, nothing is stored", { timeout: 60000 }, async () => {
  const world = await vippsWorld();
  const { page, problems, context } = await openPage(browser, world.registry.url);
  const audit = new PrivacyAudit(page, { allowedOrigins: [world.registry.url, world.provider.origin], personalValues: KARI });
  audit.oidcOrigin = world.provider.origin;
  const callback = await interceptCallback(page);
  callback.searchParams.set("code", "forged-" + "x".repeat(36));
  await page.goto(callback.href);
  await expectNotice(page, /registry could not finish the Vipps login/, "vipps_exchange_failed");
  const submissions = audit.submissions();
  assert.equal(submissions.length, 1, "a single-use code is not retried");
  const [submission] = submissions;
  assert.equal(new URL(submission.url).pathname, "/v1/identities/vipps", "the code went to the registry, and only there");
  assert.equal(JSON.parse(submission.body).code, callback.searchParams.get("code"));
  assert.equal(new URL(page.url()).search, "");
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();
  assert.deepEqual(await stopWorld(world), []);
});

test("a callback after the 10-minute expiry is refused as expired", { timeout: 60000 }, async () => {
  const world = await vippsWorld();
  const { page, context } = await openPage(browser, world.registry.url);
  const callback = await interceptCallback(page);
  // Age the stored flow by 11 minutes, on a page load that is not a callback.
  await page.goto(world.pageUrl);
  await page.waitForSelector("body[data-ready=true]");
  await page.evaluate(() => {
    const key = "id-capture.vipps-flow";
    const flow = JSON.parse(sessionStorage.getItem(key));
    flow.created_at_ms -= 11 * 60 * 1000;
    sessionStorage.setItem(key, JSON.stringify(flow));
  });
  await page.goto(callback.href);
  await expectNotice(page, /more than 10 minutes/, "vipps_flow_expired");
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await context.close();
  assert.deepEqual(await stopWorld(world), []);
});
