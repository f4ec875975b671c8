// Submission under faults: the capture is never lost, retried with the same
// idempotency key, and each case ends with exactly one stored row.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { launchBrowser, openPage } from "./support/browser.mjs";
import { ANNA_VALUES, assertOneStoredAnna, sendAndWaitForReceipt, typeDocumentDetails } from "./support/flows.mjs";
import { PrivacyAudit } from "./support/privacy-audit.mjs";
import { reservePort, startRegistry } from "./support/registry.mjs";

const DOCUMENT = "**/v2/identities/document";
let browser;
before(async () => (browser = await launchBrowser()));
after(async () => browser?.close());

function sameKeyEverywhere(audit) {
  const keys = new Set(audit.submissions().map((request) => request.headers["idempotency-key"]));
  assert.equal(keys.size, 1, "every attempt carries the capture's one idempotency key");
}

test("registry down at first, then up: the page keeps the capture, tells the user, and stores it once", async () => {
  // The page comes from one server; the registry it submits to starts only after the first failure.
  const registryPort = await reservePort();
  const registryUrl = `http://127.0.0.1:${registryPort}`;
  const pageServerPort = await reservePort();
  const pageOrigin = `http://127.0.0.1:${pageServerPort}`;
  const pageServer = await startRegistry({ port: pageServerPort, publicRegistryUrl: registryUrl });
  const { page, problems, context } = await openPage(browser, pageServer.url);
  const audit = new PrivacyAudit(page, { allowedOrigins: [pageOrigin, registryUrl], personalValues: ANNA_VALUES });
  await typeDocumentDetails(page);
  await page.click("#send");
  await page.waitForFunction(() => /cannot be reached/.test(document.querySelector("id-capture").shadowRoot.querySelector("#submit-status").textContent), null, { timeout: 15000 });
  const registry = await startRegistry({ port: registryPort, serve: false, allowOrigins: [pageOrigin] });
  await page.waitForSelector("#screen-done:not([hidden])", { timeout: 30000 });
  assert.ok(audit.submissions().length >= 2);
  sameKeyEverywhere(audit);
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();
  assertOneStoredAnna(await registry.stopAndReadIdentities());
  assert.deepEqual(await pageServer.stopAndReadIdentities(), []);
});

test("a 500 and then a 201: retried once with the same key, one row", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(browser, registry.url);
  const audit = new PrivacyAudit(page, { allowedOrigins: [registry.url], personalValues: ANNA_VALUES });
  let calls = 0;
  await page.route(DOCUMENT, (route) => {
    calls += 1;
    if (calls === 1) return route.fulfill({ status: 500, contentType: "application/problem+json", body: JSON.stringify({ type: "/problems/internal", title: "Internal error", status: 500 }) });
    return route.continue();
  });
  await typeDocumentDetails(page);
  await sendAndWaitForReceipt(page);
  assert.equal(calls, 2);
  sameKeyEverywhere(audit);
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();
  assertOneStoredAnna(await registry.stopAndReadIdentities());
});

test("a 429 with Retry-After: the page waits at least that long, then stores once", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(browser, registry.url);
  const audit = new PrivacyAudit(page, { allowedOrigins: [registry.url], personalValues: ANNA_VALUES });
  const attemptTimes = [];
  await page.route(DOCUMENT, (route) => {
    attemptTimes.push(Date.now());
    if (attemptTimes.length === 1) {
      return route.fulfill({ status: 429, headers: { "Retry-After": "2" }, contentType: "application/problem+json", body: JSON.stringify({ type: "/problems/rate-limited", title: "Too many requests", status: 429 }) });
    }
    return route.continue();
  });
  await typeDocumentDetails(page);
  await page.click("#send");
  await page.waitForFunction(() => /busy/.test(document.querySelector("id-capture").shadowRoot.querySelector("#submit-status").textContent));
  await page.waitForSelector("#screen-done:not([hidden])", { timeout: 30000 });
  assert.equal(attemptTimes.length, 2);
  assert.ok(attemptTimes[1] - attemptTimes[0] >= 2000, "Retry-After: 2 is honoured");
  sameKeyEverywhere(audit);
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();
  assertOneStoredAnna(await registry.stopAndReadIdentities());
});

test("a duplicated request (stored, but the answer was lost) stores one row", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(browser, registry.url);
  const audit = new PrivacyAudit(page, { allowedOrigins: [registry.url], personalValues: ANNA_VALUES });
  const identityIds = [];
  await page.route(DOCUMENT, async (route) => {
    // The request reaches the registry either way; the first answer is lost on the way back.
    const response = await route.fetch();
    identityIds.push((await response.json()).identity_id);
    if (identityIds.length === 1) return route.fulfill({ status: 503, headers: { "Retry-After": "0" }, body: "" });
    return route.fulfill({ response });
  });
  await typeDocumentDetails(page);
  await sendAndWaitForReceipt(page);
  assert.equal(identityIds.length, 2);
  assert.equal(identityIds[0], identityIds[1], "the repeat returned the first result");
  sameKeyEverywhere(audit);
  // A third copy of the same request, sent outside the page, changes nothing either.
  const [first] = audit.submissions();
  const replay = await page.request.post(first.url, { headers: { "content-type": "application/json", "idempotency-key": first.headers["idempotency-key"] }, data: first.body });
  assert.equal(replay.status(), 201);
  assert.equal((await replay.json()).identity_id, identityIds[0]);
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();
  assertOneStoredAnna(await registry.stopAndReadIdentities());
});

test("a registry that refuses (4xx) is not retried, and the user can correct and resend", async () => {
  const registry = await startRegistry();
  const { page, problems, context } = await openPage(browser, registry.url);
  const audit = new PrivacyAudit(page, { allowedOrigins: [registry.url], personalValues: ANNA_VALUES });
  let calls = 0;
  await page.route(DOCUMENT, (route) => {
    calls += 1;
    if (calls === 1) return route.fulfill({ status: 400, contentType: "application/problem+json", body: JSON.stringify({ type: "/problems/invalid-request", title: "Bad", status: 400 }) });
    return route.continue();
  });
  await typeDocumentDetails(page);
  await page.click("#send");
  await page.waitForSelector("#retry-submit:not([hidden])");
  assert.match(await page.innerText("#submit-status"), /did not accept/);
  assert.equal(calls, 1, "a 4xx is not retried by the module");
  assert.equal(await page.inputValue("#confirm-form [name=surname]"), "Eriksson", "the capture is kept");
  await page.click("#retry-submit");
  await page.waitForSelector("#screen-done:not([hidden])");
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();
  assertOneStoredAnna(await registry.stopAndReadIdentities());
});
