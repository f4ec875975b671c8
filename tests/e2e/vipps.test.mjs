// Vipps Login end to end against a real OpenID provider (npm oidc-provider,
// configured like Vipps). The registry holds the login (state, nonce, PKCE
// verifier): the page asks it for the authorization URL, the user logs in and
// consents, and the callback, in the same tab, a new tab or another browser,
// goes to the registry, which exchanges the code and answers the person for
// the worker to confirm. Every replayed, expired, cancelled or doubled
// callback ends in its own typed error with nothing stored and at most one
// token request.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { launchBrowser, openPage } from "./support/browser.mjs";
import { CLIENT_ID, CLIENT_SECRET, startOidcProvider } from "./support/oidc-provider.mjs";
import { PartnerBackend } from "./support/partner-backend.mjs";
import { PrivacyAudit } from "./support/privacy-audit.mjs";
import { reservePort, startRegistry } from "./support/registry.mjs";
import { checkScreen, LANGUAGES } from "./support/a11y.mjs";

const KARI = ["Nordmann-Testesen", "1988-04-17"];
let browser;
before(async () => (browser = await launchBrowser()));
after(async () => browser?.close());

/** A provider and a registry that trust each other, the page on the registry. */
async function vippsWorld({ extraArgs = [] } = {}) {
  const port = await reservePort();
  const pageUrl = `http://127.0.0.1:${port}/`;
  const provider = await startOidcProvider({ redirectUris: [pageUrl] });
  const registry = await startRegistry({
    port,
    extraArgs,
    env: { VIPPS_ISSUER: provider.issuer, VIPPS_CLIENT_ID: CLIENT_ID, VIPPS_CLIENT_SECRET: CLIENT_SECRET, VIPPS_REDIRECT_URIS: pageUrl },
  });
  return { provider, registry, pageUrl };
}

/** How often the registry asked the provider's endpoints (the stand-in counts them). */
async function providerCounts(world) {
  return (await fetch(`${world.provider.origin}/test/counts`)).json();
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

/** The staged person is shown; nothing is stored until the worker confirms. */
async function confirmStaged(page) {
  await page.waitForSelector("#screen-staged:not([hidden])", { timeout: 30000 });
  const shown = await page.innerText("#staged-person");
  assert.match(shown, /Nordmann-Testesen/);
  assert.match(shown, /1988-04-17/);
  await page.click("#staged-confirm");
  await page.waitForSelector("#screen-done:not([hidden])", { timeout: 30000 });
  assert.match(await page.innerText("#stored-person"), /Nordmann-Testesen/);
}

/** Records every response body a page receives, to prove a tab never learns the person. */
function recordResponses(page) {
  const bodies = [];
  page.on("response", async (response) => {
    try {
      bodies.push({ url: response.url(), text: (await response.body()).toString("utf8") });
    } catch {
      // Redirects and aborted loads have no body.
    }
  });
  return bodies;
}

test("log in with Vipps in the same tab: the registry holds the login, the worker confirms, then the person is stored", async () => {
  const world = await vippsWorld();
  const partner = new PartnerBackend(world.registry.url, world.registry.addPartner().api_key);
  const session = await partner.createSession("vipps-1");
  const { page, problems, context } = await openPage(browser, session.link);
  const audit = new PrivacyAudit(page, { allowedOrigins: [world.registry.url, world.provider.origin], personalValues: KARI });
  audit.oidcOrigin = world.provider.origin;
  await logInAtProvider(page);
  await page.waitForSelector("#screen-staged:not([hidden])", { timeout: 30000 });
  assert.equal(new URL(page.url()).search, "", "code and state are gone from the address bar");
  assert.equal((await partner.outcome(session.session_id)).body.status, "open", "nothing is stored before the worker confirms");
  await confirmStaged(page);
  assert.equal((await partner.outcome(session.session_id)).body.identity.method, "vipps");

  const authorization = audit.requests.map((r) => new URL(r.url)).find((url) => url.pathname.endsWith("/oauth2/auth") && url.searchParams.has("code_challenge"));
  assert.equal(authorization.searchParams.get("code_challenge_method"), "S256");
  assert.equal(authorization.searchParams.get("prompt"), "login", "a new person always logs in");
  assert.equal(authorization.searchParams.get("scope"), "openid name birthDate");
  assert.ok(authorization.searchParams.get("state").length >= 43 && authorization.searchParams.get("nonce").length >= 43);
  const [callback] = audit.postsTo(/^\/v2\/vipps\/callbacks$/);
  assert.equal(callback.state, authorization.searchParams.get("state"));
  assert.equal(typeof callback.code, "string");
  assert.ok(!("code_verifier" in callback) && !("nonce" in callback), "no secret of the login is in the browser");
  assert.equal((await providerCounts(world)).token, 1);
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();
  const rows = await stopWorld(world);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].method, "vipps");
  assert.deepEqual([rows[0].given_names, rows[0].surname, rows[0].date_of_birth, rows[0].nationality], ["Kari", "Nordmann-Testesen", "1988-04-17", null]);
});

test("the callback opened in a new tab completes; the starting tab learns only that it completed", { timeout: 90000 }, async () => {
  const world = await vippsWorld();
  const { page: starting, problems, context } = await openPage(browser, world.registry.url);
  const startingResponses = recordResponses(starting);
  const startingAudit = new PrivacyAudit(starting, { allowedOrigins: [world.registry.url, world.provider.origin], personalValues: KARI });
  startingAudit.oidcOrigin = world.provider.origin;
  const callback = await interceptCallback(starting);

  // The Vipps app opens the return in a new tab of the same browser.
  const returning = await context.newPage();
  const returningAudit = new PrivacyAudit(returning, { allowedOrigins: [world.registry.url], personalValues: KARI });
  await returning.goto(callback.href);
  await confirmStaged(returning);
  await returningAudit.assertAll(returning);

  // The user switches back to the starting tab, which shows our page again.
  await starting.goto(world.pageUrl);
  await starting.waitForSelector("#vipps-status[data-login-status=completed]", { timeout: 20000 });
  assert.match(await starting.innerText("#vipps-status"), /completed in another window/);
  // This screen is reached only through a second tab: its accessibility is checked here, in every language.
  for (const language of Object.keys(LANGUAGES)) {
    await starting.selectOption("#language-select", language);
    await checkScreen(starting, `vipps completed in another window (${language})`);
  }
  for (const { url, text } of startingResponses) {
    for (const value of ["Kari", ...KARI]) assert.ok(!text.includes(value), `the starting tab received the person from ${new URL(url).pathname}`);
  }
  await startingAudit.assertAll(starting);
  assert.deepEqual(problems, []);
  await context.close();
  assert.equal((await stopWorld(world)).length, 1);
});

test("the callback opened in another browser (a second context) completes, with nothing from the starting tab", { timeout: 90000 }, async () => {
  const world = await vippsWorld();
  const { page: starting, context } = await openPage(browser, world.registry.url);
  const callback = await interceptCallback(starting);
  const other = await browser.newContext({ locale: "en-GB", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const returning = await other.newPage();
  const audit = new PrivacyAudit(returning, { allowedOrigins: [world.registry.url], personalValues: KARI });
  await returning.goto(callback.href);
  await confirmStaged(returning);
  await audit.assertAll(returning);
  await other.close();
  await context.close();
  const rows = await stopWorld(world);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].surname, "Nordmann-Testesen");
});

test("'register someone else' after a Vipps registration makes the provider ask for a login again", { timeout: 90000 }, async () => {
  const world = await vippsWorld();
  const { page, problems, context } = await openPage(browser, world.registry.url);
  await logInAtProvider(page);
  await confirmStaged(page);
  await page.click("#screen-done [data-action=restart]");
  await page.waitForSelector("#screen-methods:not([hidden])");
  await page.click("#method-vipps");
  // The provider still has Kari's login session, but prompt=login asks again.
  await page.waitForSelector("input[name=login]", { timeout: 15000 });
  assert.deepEqual(problems, []);
  await context.close();
  assert.equal((await stopWorld(world)).length, 1, "the second person was not signed in as the first");
});

test("a replayed callback URL, here or in another browser, is refused; nothing more is stored and the code reaches Vipps once", { timeout: 90000 }, async () => {
  const world = await vippsWorld();
  const { page, context } = await openPage(browser, world.registry.url);
  const callback = await interceptCallback(page);
  await page.goto(callback.href);
  await confirmStaged(page);
  await page.goto(callback.href);
  await expectNotice(page, /already been used or has expired/, "vipps_login_not_found");
  const other = await openPage(browser, callback.href);
  await expectNotice(other.page, /already been used or has expired/, "vipps_login_not_found");
  await other.context.close();
  await context.close();
  assert.equal((await providerCounts(world)).token, 1);
  assert.equal((await stopWorld(world)).length, 1, "the replay stored nothing");
});

test("cancelling at Vipps comes back as vipps_cancelled, the starting tab learns 'cancelled', nothing is stored", { timeout: 60000 }, async () => {
  const world = await vippsWorld();
  const { page, context } = await openPage(browser, world.registry.url);
  await page.click("#method-vipps");
  await page.waitForSelector("input[name=login]");
  await page.click("text=Cancel");
  await expectNotice(page, /cancelled the Vipps login/, "vipps_cancelled");
  assert.equal(new URL(page.url()).search, "");
  await context.close();
  assert.equal((await providerCounts(world)).token, 0);
  assert.deepEqual(await stopWorld(world), []);
});

test("a login not finished within its lifetime is refused as expired, with no token request", { timeout: 60000 }, async () => {
  const world = await vippsWorld({ extraArgs: ["--vipps-login-lifetime-seconds", "2"] });
  const { page, context } = await openPage(browser, world.registry.url);
  const callback = await interceptCallback(page);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  await page.goto(callback.href);
  await expectNotice(page, /took more than 10 minutes/, "vipps_login_expired");
  await context.close();
  assert.equal((await providerCounts(world)).token, 0);
  assert.deepEqual(await stopWorld(world), []);
});

test("the same callback in two tabs at once: one exchange, one staged person, the other told it is in progress", { timeout: 90000 }, async () => {
  const world = await vippsWorld();
  const { page, context } = await openPage(browser, world.registry.url);
  const callback = await interceptCallback(page);
  const [first, second] = [await context.newPage(), await context.newPage()];
  await Promise.all([first.goto(callback.href), second.goto(callback.href)]);
  const outcome = async (tab) => {
    await tab.waitForSelector("#screen-staged:not([hidden]), #methods-notice:not([hidden])", { timeout: 30000 });
    return (await tab.isVisible("#screen-staged")) ? "staged" : tab.getAttribute("#methods-notice", "data-error-code");
  };
  const outcomes = (await Promise.all([outcome(first), outcome(second)])).sort();
  assert.equal(outcomes.filter((each) => each === "staged").length, 1, `outcomes: ${outcomes}`);
  assert.ok(["vipps_login_in_progress", "vipps_login_not_found"].includes(outcomes.find((each) => each !== "staged")), `outcomes: ${outcomes}`);
  assert.equal((await providerCounts(world)).token, 1, "one token request");
  await context.close();
  assert.deepEqual(await stopWorld(world), [], "nothing is stored without a confirmation");
});

// [what is wrong, how the callback is forged, the notice, its code, callbacks the
// registry receives (0: refused in the page), token requests the provider sees]
const REFUSED_CALLBACKS = [
  ["a missing state", (url) => url.searchParams.delete("state"), /could not be trusted/, "vipps_state_missing", 0, 0],
  ["a missing code", (url) => url.searchParams.delete("code"), /could not be trusted/, "vipps_code_missing", 0, 0],
  ["a duplicated state", (url) => url.searchParams.append("state", url.searchParams.get("state")), /could not be trusted/, "vipps_callback_invalid", 0, 0],
  ["a wrong state", (url) => url.searchParams.set("state", "A".repeat(43)), /already been used or has expired/, "vipps_login_not_found", 1, 0],
  ["another issuer (RFC 9207)", (url) => url.searchParams.set("iss", "https://evil.example/access/"), /could not be trusted/, "vipps_issuer_mismatch", 1, 0],
  ["a provider error (server_error)", (url) => { url.searchParams.delete("code"); url.searchParams.set("error", "server_error"); }, /Vipps could not complete the login/, "vipps_provider_error", 1, 0],
  ["a code the provider never issued", (url) => url.searchParams.set("code", "forged-" + "x".repeat(36)), /registry could not finish the Vipps login/, "vipps_exchange_failed", 1, 1],
];

for (const [name, forge, message, code, callbacksSent, tokenRequests] of REFUSED_CALLBACKS) {
  const where = callbacksSent === 0 ? "in the page, before anything is sent" : "by the registry";
  test(`a callback with ${name} is refused ${where}; nothing is stored`, { timeout: 60000 }, async () => {
    const world = await vippsWorld();
    const { page, problems, context } = await openPage(browser, world.registry.url);
    const audit = new PrivacyAudit(page, { allowedOrigins: [world.registry.url, world.provider.origin], personalValues: KARI });
    audit.oidcOrigin = world.provider.origin;
    const callback = await interceptCallback(page);
    forge(callback);
    await page.goto(callback.href);
    await expectNotice(page, message, code);
    assert.equal(new URL(page.url()).search, "", "the address bar is cleaned before anything else");
    assert.equal(audit.postsTo(/^\/v2\/vipps\/callbacks$/).length, callbacksSent, "a single-use code is sent once at most");
    await audit.assertAll(page);
    assert.deepEqual(problems, []);
    await context.close();
    assert.equal((await providerCounts(world)).token, tokenRequests);
    assert.deepEqual(await stopWorld(world), []);
  });
}
