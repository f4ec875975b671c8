// The employer case (issue 13): a partner's backend creates an onboarding
// session with its API key; the worker opens the link on the phone, scans the
// HMS card, types the date of birth printed on it, sees the holder and
// confirms; the partner reads the outcome. Nothing is stored before the
// confirmation, and the link's token never reaches a server or the address bar.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { launchBrowser, openPage } from "./support/browser.mjs";
import { makeCardVideo } from "./support/fixtures.mjs";
import { shownText } from "./support/flows.mjs";
import { PartnerBackend } from "./support/partner-backend.mjs";
import { PrivacyAudit } from "./support/privacy-audit.mjs";
import { startRegistry } from "./support/registry.mjs";

const HOLDER_VALUES = ["Ola Kristian", "Testmann", "1985-03-14"];
let cameraBrowser;

before(async () => {
  cameraBrowser = await launchBrowser(["--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${makeCardVideo("TEST0000001")}`]);
});
after(async () => cameraBrowser?.close());

async function scanAndLookUp(page, dateOfBirth) {
  await page.click("#method-hms-card");
  await page.waitForSelector("#hms-dob-form:not([hidden])", { timeout: 30000 });
  await page.fill("#hms-dob", dateOfBirth);
  await page.click("#hms-dob-form button[type=submit]");
}

test("a partner's session: the worker scans, confirms, and the partner reads who registered", async () => {
  const registry = await startRegistry();
  const { api_key: apiKey } = registry.addPartner({ name: "Eksempel Bygg AS" });
  const partner = new PartnerBackend(registry.url, apiKey);
  const session = await partner.createSession("new-hire-0042");
  assert.match(session.link, /#session=idc_ses_[A-Za-z0-9_-]{43}$/, "the token rides in the fragment");
  assert.equal(new URL(session.link).search, "");

  const before = await partner.outcome(session.session_id);
  assert.equal(before.status, 200);
  assert.equal(before.body.status, "open");
  assert.equal(before.body.identity, null);
  assert.equal(before.headers.get("cache-control"), "no-store");

  const { page, problems, context } = await openPage(cameraBrowser, session.link);
  await context.grantPermissions(["camera"], { origin: registry.url });
  const audit = new PrivacyAudit(page, { allowedOrigins: [registry.url], personalValues: [...HOLDER_VALUES, session.session_token] });
  assert.equal(new URL(page.url()).hash, "", "the token left the address bar");

  await scanAndLookUp(page, "1985-03-14");
  await page.waitForSelector("#screen-staged:not([hidden])", { timeout: 15000 });
  const shown = await page.innerText("#staged-person");
  assert.match(shown, /Ola Kristian/);
  assert.match(shown, /Eksempel Bygg AS \(999999999\)/);
  const pending = await partner.outcome(session.session_id);
  assert.equal(pending.body.status, "open", "nothing is stored before the worker confirms");
  assert.equal(pending.body.identity, null);

  await page.click("#staged-confirm");
  await page.waitForSelector("#screen-done:not([hidden])", { timeout: 15000 });
  assert.match(await page.innerText("#stored-person"), /Testmann/);

  const [lookup] = audit.postsTo(/^\/v2\/hms-card\/lookups$/);
  assert.deepEqual(lookup, { hms_card_reference: "TEST0000001", date_of_birth: "1985-03-14" });
  assert.equal(audit.postsTo(/\/confirm$/).length, 1);
  for (const request of audit.requests.filter((each) => new URL(each.url).pathname.startsWith("/v2/"))) {
    assert.equal(request.headers.authorization, `Session ${session.session_token}`, "every call carries the session");
  }
  audit.personalValues = HOLDER_VALUES; // the token may sit in this tab's sessionStorage
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();

  const outcome = await partner.outcome(session.session_id);
  assert.equal(outcome.body.status, "completed");
  assert.equal(outcome.body.partner_reference, "new-hire-0042");
  assert.equal(outcome.body.identity.method, "hms_card");
  assert.equal(outcome.body.identity.hms_card_reference, "TEST0000001");
  assert.deepEqual(outcome.body.identity.person, { given_names: "Ola Kristian", surname: "Testmann", date_of_birth: "1985-03-14", nationality: null });
  assert.deepEqual(outcome.body.identity.employer, { name: "Eksempel Bygg AS", organisation_number: "999999999" });

  // One identity per session: the same link cannot register a second person.
  const again = await fetch(`${registry.url}/v2/hms-card/lookups`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Session ${session.session_token}` },
    body: JSON.stringify({ hms_card_reference: "TEST0000004", date_of_birth: "1992-07-09" }),
  });
  assert.equal(again.status, 409);
  assert.equal((await again.json()).type, "/problems/session-closed");

  const rows = await registry.stopAndReadIdentities();
  assert.equal(rows.length, 1);
  assert.equal(rows[0].hms_card_reference, "TEST0000001");
});

test("a wrong date of birth reveals nothing, stores nothing, and counts against the session", async () => {
  const registry = await startRegistry();
  const partner = new PartnerBackend(registry.url, registry.addPartner().api_key);
  const session = await partner.createSession("new-hire-0043");
  const { page, problems, context } = await openPage(cameraBrowser, session.link);
  await context.grantPermissions(["camera"], { origin: registry.url });
  const audit = new PrivacyAudit(page, { allowedOrigins: [registry.url], personalValues: HOLDER_VALUES });
  await scanAndLookUp(page, "1985-03-15");
  await page.waitForSelector("#hms-dob-error:not([hidden])", { timeout: 15000 });
  assert.equal(await page.getAttribute("#hms-dob-error", "data-error-code"), "hms_card_not_found");
  assert.doesNotMatch(await shownText(page), /Testmann|Ola Kristian/);
  assert.ok(await page.isHidden("#screen-staged"));
  await audit.assertAll(page);
  assert.deepEqual(problems, []);
  await context.close();
  const outcome = await partner.outcome(session.session_id);
  assert.equal(outcome.body.status, "open");
  assert.equal(outcome.body.attempts_left, 4);
  assert.deepEqual(await registry.stopAndReadIdentities(), []);
});
