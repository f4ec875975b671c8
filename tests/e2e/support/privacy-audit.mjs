// The privacy audit every end-to-end test runs: it records every request the
// page makes and fails if a URL or body carries anything outside the contract
// (docs/registry-api.md, v2), and if storage holds personal data afterwards.
import assert from "node:assert/strict";

const PERSON_FIELDS = ["date_of_birth", "given_names", "nationality", "surname"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** Exactly the fields each POST of the worker's page may carry, and whether it needs an Idempotency-Key. */
const CONTRACT = [
  { path: /^\/v2\/hms-card\/lookups$/, keyed: false, check: (body) => {
    assert.deepEqual(Object.keys(body).sort(), ["date_of_birth", "hms_card_reference"]);
  } },
  { path: /^\/v2\/stages\/[A-Za-z0-9_-]+\/confirm$/, keyed: true, check: (body) => assert.deepEqual(body, {}) },
  { path: /^\/v2\/vipps\/logins$/, keyed: false, check: (body) => assert.deepEqual(body, {}) },
  { path: /^\/v2\/vipps\/callbacks$/, keyed: true, check: (body) => {
    const keys = Object.keys(body);
    assert.ok(keys.includes("state") && keys.every((key) => ["state", "code", "iss", "error"].includes(key)), `callback fields: ${keys}`);
  } },
  { path: /^\/v2\/identities\/document$/, keyed: true, check: (body) => {
    assert.deepEqual(Object.keys(body).sort(), ["corrected_by_user", "person", "source"]);
    assert.deepEqual(Object.keys(body.person).sort(), PERSON_FIELDS);
    assert.ok(["mrz", "typed"].includes(body.source));
    assert.equal(typeof body.corrected_by_user, "boolean");
  } },
];
const isApiPost = (request, url) => request.method === "POST" && url.pathname.startsWith("/v2/");
/** Storage keys the page may keep: preferences, never personal data (the camera that read a card last is a device id). */
const ALLOWED_STORAGE_KEYS = new Set(["id-capture.language", "id-capture.camera", "id-capture.session", "id-capture.vipps-login"]);
const LARGEST_CONTRACT_BODY = 4096;

export class PrivacyAudit {
  /**
   * @param page Playwright page
   * @param allowedOrigins origins the page may talk to (its own, the registry, the OpenID provider)
   * @param personalValues strings that identify the test person (names, birth date, card reference)
   */
  constructor(page, { allowedOrigins, personalValues }) {
    this.requests = [];
    this.allowedOrigins = new Set(allowedOrigins);
    this.personalValues = personalValues.filter(Boolean);
    page.on("request", (request) => {
      this.requests.push({ url: request.url(), method: request.method(), body: request.postDataBuffer(), headers: request.headers() });
    });
  }

  /** The page's POSTs to the registry API (lookups, confirmations, submissions, Vipps). */
  submissions() {
    return this.requests.filter((request) => isApiPost(request, new URL(request.url)));
  }

  /** The POSTs to one endpoint, bodies parsed. */
  postsTo(pattern) {
    return this.submissions().filter((request) => pattern.test(new URL(request.url).pathname)).map((request) => JSON.parse(request.body.toString("utf8")));
  }

  assertRequestsKeptToTheContract() {
    for (const request of this.requests) {
      const url = new URL(request.url);
      if (url.protocol === "data:" || url.protocol === "blob:") continue;
      assert.ok(this.allowedOrigins.has(url.origin), `request to an unexpected origin: ${url.origin}`);
      for (const value of this.personalValues) {
        assert.ok(!decodeURIComponent(request.url).includes(value), `a URL carries personal data: ${url.pathname}`);
      }
      if (!isApiPost(request, url)) {
        assert.ok(!request.body || request.body.length === 0 || this.isOidcForm(url), `unexpected request body to ${url.pathname}`);
        continue;
      }
      assert.equal(url.search, "", "submissions carry nothing in the query");
      const endpoint = CONTRACT.find((candidate) => candidate.path.test(url.pathname));
      assert.ok(endpoint, `not a contract endpoint: ${url.pathname}`);
      assert.ok(request.body && request.body.length <= LARGEST_CONTRACT_BODY, `a ${request.body?.length}-byte body cannot be contract fields alone (an image?)`);
      assert.match(request.headers["content-type"] ?? "", /^application\/json/);
      if (endpoint.keyed) assert.match(request.headers["idempotency-key"] ?? "", UUID);
      // Only an onboarding session's token may ride along, never a partner's API key.
      const authorization = request.headers.authorization;
      if (authorization !== undefined) assert.match(authorization, /^Session idc_ses_[A-Za-z0-9_-]{43}$/);
      endpoint.check(JSON.parse(request.body.toString("utf8")));
    }
  }

  /** The OpenID provider's own login forms (issue 5) post to the provider's origin only. */
  isOidcForm(url) {
    return this.oidcOrigin !== undefined && url.origin === this.oidcOrigin;
  }

  async assertStorageClean(page) {
    const storage = await page.evaluate(() => {
      const dump = (area) => Object.fromEntries(Array.from({ length: area.length }, (_, index) => area.key(index)).map((key) => [key, area.getItem(key)]));
      return { local: dump(localStorage), session: dump(sessionStorage), cookie: document.cookie };
    });
    for (const [area, entries] of [["localStorage", storage.local], ["sessionStorage", storage.session]]) {
      for (const [key, value] of Object.entries(entries)) {
        assert.ok(ALLOWED_STORAGE_KEYS.has(key), `${area} keeps an unexpected key after the flow: ${key}`);
        for (const personal of this.personalValues) assert.ok(!value.includes(personal), `${area} keeps personal data`);
      }
    }
    assert.equal(storage.cookie, "", "the page sets no cookies");
  }

  async assertAll(page) {
    this.assertRequestsKeptToTheContract();
    await this.assertStorageClean(page);
  }
}
