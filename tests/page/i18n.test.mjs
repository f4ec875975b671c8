// The page's message catalogues: one per language, the same keys in each, and
// every key the page uses is in them.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";

import { catalogues, chooseLanguage, translator } from "../../www/i18n/index.js";

const WWW = resolve(import.meta.dirname, "../../www");

function pageSources() {
  const files = ["index.html", "app.js", "ui.js", ...readdirSync(join(WWW, "flows")).map((name) => join("flows", name))];
  return files.map((file) => readFileSync(join(WWW, file), "utf8")).join("\n");
}

test("every catalogue has exactly the English keys", () => {
  const english = Object.keys(catalogues.en).sort();
  for (const [language, catalogue] of Object.entries(catalogues)) assert.deepEqual(Object.keys(catalogue).sort(), english, language);
});

test("every key the page names is in the catalogues", () => {
  const sources = pageSources();
  const named = new Set([...sources.matchAll(/data-i18n="([\w.]+)"/g), ...sources.matchAll(/page\.t\("([\w.]+)"/g)].map((match) => match[1]));
  assert.ok(named.size > 20);
  for (const key of named) assert.ok(key in catalogues.en, `missing key ${key}`);
});

test("Norwegian browsers get bokmål, a saved choice wins, others get English", () => {
  assert.equal(chooseLanguage(null, ["nb-NO", "en"]), "nb");
  assert.equal(chooseLanguage(null, ["nn-NO"]), "nb");
  assert.equal(chooseLanguage(null, ["no"]), "nb");
  assert.equal(chooseLanguage(null, ["pl-PL", "en-GB"]), "en");
  assert.equal(chooseLanguage("en", ["nb-NO"]), "en");
  assert.equal(chooseLanguage("xx", ["nb-NO"]), "nb");
});

test("messages fill in their parameters", () => {
  assert.equal(translator("en")("submit.sending_attempt", { attempt: 3 }), "Sending (attempt 3)…");
  assert.equal(translator("nb")("submit.waiting.busy", { seconds: 2 }), "Registeret er opptatt. Prøver igjen om 2 s. Opplysningene dine er tatt vare på.");
});
