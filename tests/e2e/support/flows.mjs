// Steps of the page a test repeats, done as a user would: through the UI.
import assert from "node:assert/strict";

/** An invented person (ICAO's specimen name), typed exactly as a user would. */
export const ANNA = { given_names: "Anna Maria", surname: "Eriksson", date_of_birth: "1974-08-12", nationality: "SWE" };
export const ANNA_VALUES = ["Anna Maria", "Eriksson", "1974-08-12"];

/** Opens the ID document method and chooses to type instead of taking a photo. */
export async function openTypedEntry(page) {
  await page.click("#method-document");
  await page.click("#document-type-instead");
  await page.waitForSelector("#typed-entry:not([hidden])");
}

export async function typeDocumentDetails(page, person = ANNA) {
  await openTypedEntry(page);
  const form = page.locator("#typed-entry");
  await form.locator("[name=given_names]").fill(person.given_names);
  await form.locator("[name=surname]").fill(person.surname);
  await form.locator("[name=date_of_birth]").fill(person.date_of_birth);
  await form.locator("[name=nationality]").selectOption(person.nationality ?? "");
  await form.locator("button[type=submit]").click();
  await page.waitForSelector("#screen-confirm:not([hidden])");
  const shown = await page.locator("#confirm-form").evaluate((confirm) =>
    Object.fromEntries(["given_names", "surname", "date_of_birth", "nationality"].map((name) => [name, confirm.elements[name].value])));
  assert.deepEqual(shown, { ...person, nationality: person.nationality ?? "" }, "the confirmation screen shows what will be sent");
}

export async function sendAndWaitForReceipt(page, timeout = 30000) {
  await page.click("#send");
  await page.waitForSelector("#screen-done:not([hidden])", { timeout });
  return page.locator("#stored-person").innerText();
}

export function assertOneStoredAnna(rows, { source = "typed", corrected = 0 } = {}) {
  assert.equal(rows.length, 1, "exactly one identity is stored");
  const [row] = rows;
  assert.equal(row.method, "document");
  assert.equal(row.given_names, "Anna Maria");
  assert.equal(row.surname, "Eriksson");
  assert.equal(row.date_of_birth, "1974-08-12");
  assert.equal(row.nationality, "SWE");
  assert.equal(row.document_source, source);
  assert.equal(row.corrected_by_user, corrected);
  assert.equal(row.hms_card_reference, null);
  assert.equal(row.employer_name, null);
}

/** Everything the page shows as text: the site's own and the <id-capture> element's (its shadow root). */
export async function shownText(page) {
  return `${await page.innerText("body")}\n${await page.innerText("id-capture .id-capture")}`;
}
