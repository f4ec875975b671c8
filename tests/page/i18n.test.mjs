// The message catalogues of <id-capture> (src/element/, shipped in pkg/element/):
// one per language, the same keys in each, and every key the element and the page use is in them.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";

import { NATIONALITIES } from "../../src/element/countries.js";
import { catalogues, chooseLanguage, translator } from "../../src/element/i18n/index.js";

const ROOT = resolve(import.meta.dirname, "../..");
const ELEMENT = join(ROOT, "src/element");

function pageSources() {
  const element = ["template.js", "id-capture.js", "ui.js", ...readdirSync(join(ELEMENT, "flows")).map((name) => join("flows", name))].map((file) => join(ELEMENT, file));
  const site = ["index.html", "site.js"].map((file) => join(ROOT, "www", file));
  return [...element, ...site].map((file) => readFileSync(file, "utf8")).join("\n");
}

test("the page speaks the five languages of most of the workforce", () => {
  assert.deepEqual(Object.keys(catalogues).sort(), ["en", "lt", "nb", "pl", "uk"]);
});

test("every catalogue has exactly the English keys", () => {
  const english = Object.keys(catalogues.en).sort();
  for (const [language, catalogue] of Object.entries(catalogues)) assert.deepEqual(Object.keys(catalogue).sort(), english, language);
});

test("every key the page names is in the catalogues", () => {
  const sources = pageSources();
  const named = new Set([...sources.matchAll(/data-i18n="([\w.]+)"/g), ...sources.matchAll(/\bt\("([\w.]+)"/g)].map((match) => match[1]));
  assert.ok(named.size > 20);
  for (const key of named) assert.ok(key in catalogues.en, `missing key ${key}`);
});

test("Norwegian browsers get bokmål, a saved choice wins, others get English", () => {
  assert.equal(chooseLanguage(null, ["nb-NO", "en"]), "nb");
  assert.equal(chooseLanguage(null, ["nn-NO"]), "nb");
  assert.equal(chooseLanguage(null, ["no"]), "nb");
  assert.equal(chooseLanguage(null, ["pl-PL", "en-GB"]), "pl");
  assert.equal(chooseLanguage(null, ["lt"]), "lt");
  assert.equal(chooseLanguage(null, ["uk-UA"]), "uk");
  assert.equal(chooseLanguage(null, ["de-DE"]), "en");
  assert.equal(chooseLanguage("en", ["nb-NO"]), "en");
  assert.equal(chooseLanguage("xx", ["nb-NO"]), "nb");
});

test("messages fill in their parameters", () => {
  assert.equal(translator("en")("submit.sending_attempt", { attempt: 3 }), "Sending (attempt 3)…");
  assert.equal(translator("nb")("submit.waiting.busy", { seconds: 2 }), "Registeret er opptatt. Prøver igjen om 2 s. Opplysningene dine er tatt vare på.");
});

test("every message keeps its placeholders in every language", () => {
  for (const [key, english] of Object.entries(catalogues.en)) {
    const wanted = [...english.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [language, catalogue] of Object.entries(catalogues)) {
      assert.deepEqual([...catalogue[key].matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort(), wanted, `${language} ${key}`);
    }
  }
});

test("the nationality list is exactly the codes the module and registry accept", () => {
  // The accepted codes live in Rust (country.rs); the page lists each by name.
  const source = [resolve(ROOT, "src/country.rs"), resolve(ROOT, "contract/src/country.rs")]
    .map((file) => { try { return readFileSync(file, "utf8"); } catch { return ""; } })
    .find((text) => text.includes("ISO_3166_ALPHA_3"));
  assert.ok(source, "country.rs found");
  const table = (name) => source.slice(source.indexOf(`${name}: [`), source.indexOf("];", source.indexOf(`${name}: [`)));
  const accepted = ["ISO_3166_ALPHA_3", "ICAO_SPECIAL"].flatMap((name) => [...table(name).matchAll(/"([A-Z]{3})"/g)].map((m) => m[1])).sort();
  assert.deepEqual(NATIONALITIES.map(([code]) => code).sort(), accepted);
  for (const [code, { region, key }] of NATIONALITIES) {
    if (key) for (const catalogue of Object.values(catalogues)) assert.ok(key in catalogue, `${code}: ${key}`);
    else assert.match(region, /^[A-Z]{2}$/, code);
  }
});

test("country names come from the browser's Intl data in the page's language", async () => {
  const { nationalityOptions } = await import("../../src/element/countries.js");
  globalThis.Option ??= class { constructor(text, value) { Object.assign(this, { text, value }); } };
  for (const [language, sweden] of [["nb", "Sverige (SWE)"], ["pl", "Szwecja (SWE)"], ["lt", "Švedija (SWE)"], ["uk", "Швеція (SWE)"], ["en", "Sweden (SWE)"]]) {
    const options = nationalityOptions(language, translator(language));
    assert.equal(options[0].value, "", "not given comes first");
    assert.equal(options.find((option) => option.value === "SWE").text, sweden);
    assert.equal(options.length, NATIONALITIES.length + 1);
  }
});

// Every code the module can reject with (src/error.rs) has words on the page:
// its own `error.<code>` message, or the flow that receives it names the code
// and shows its own message, or it is a bug or a result field, never a
// rejection the page can act on, and shows the generic message.
const SHOWN_BY_FLOW = {
  no_qr_code_found: ["flows/hms-card.js", "hms.no_code_in_photo"],
  not_an_hms_card: ["flows/hms-card.js", "hms.not_an_hms_card"],
  camera_denied: ["flows/hms-card.js", "hms.camera_denied"],
  camera_unavailable: ["flows/hms-card.js", "hms.camera_unavailable"],
  mrz_checks_failed: ["flows/document.js", "document.mrz_failed"],
  vipps_cancelled: ["flows/vipps.js", "vipps.cancelled"],
  vipps_provider_error: ["flows/vipps.js", "vipps.provider_error"],
  vipps_state_missing: ["flows/vipps.js", "vipps.not_trusted"],
  vipps_issuer_mismatch: ["flows/vipps.js", "vipps.not_trusted"],
  vipps_code_missing: ["flows/vipps.js", "vipps.not_trusted"],
  vipps_callback_invalid: ["flows/vipps.js", "vipps.not_trusted"],
  vipps_login_not_found: ["flows/vipps.js", "vipps.flow_missing"],
  vipps_login_expired: ["flows/vipps.js", "vipps.flow_expired"],
};
/** Never a rejection the page can explain better than "something went wrong". */
const GENERIC = {
  internal: "a bug to report",
  invalid_pixels: "the page hands over its own canvas pixels",
  no_document_found: "a result field (found: false), not a rejection",
  no_mrz_found: "a result field (mrzError), shown as document.no_mrz",
  mrz_invalid: "a result field (mrzError), shown as document.no_mrz",
};

test("every error code the module has is worded on the page, in every language", () => {
  const table = readFileSync(resolve(ROOT, "src/error.rs"), "utf8");
  const codes = [...table.matchAll(/^\s+[A-Z]\w+ => "([a-z_]+)",$/gm)].map((m) => m[1]);
  assert.ok(codes.length > 30, `read ${codes.length} codes from src/error.rs`);
  for (const code of codes) {
    const own = `error.${code}`;
    if (own in catalogues.en) {
      for (const [language, catalogue] of Object.entries(catalogues)) assert.ok(own in catalogue, `${language}: ${own}`);
    } else if (SHOWN_BY_FLOW[code]) {
      const [file, key] = SHOWN_BY_FLOW[code];
      assert.ok(readFileSync(join(ELEMENT, file), "utf8").includes(`"${code}"`), `${file} names ${code}`);
      for (const [language, catalogue] of Object.entries(catalogues)) assert.ok(key in catalogue, `${language}: ${key} for ${code}`);
    } else {
      assert.ok(code in GENERIC, `${code} has no message on the page: add error.${code} to the catalogues`);
    }
  }
});
