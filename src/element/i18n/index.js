// Picks the language (saved choice, else the browser's), and formats messages.
import en from "./en.js";
import lt from "./lt.js";
import nb from "./nb.js";
import pl from "./pl.js";
import uk from "./uk.js";

/** Bokmål, English, Polish, Lithuanian, Ukrainian: most of the construction workforce. */
export const catalogues = { nb, en, pl, lt, uk };
const STORAGE_KEY = "id-capture.language";
const NORWEGIAN = ["nb", "nn", "no"];

export function chooseLanguage(saved, browserLanguages) {
  if (saved && saved in catalogues) return saved;
  for (const tag of browserLanguages ?? []) {
    const primary = String(tag).toLowerCase().split("-")[0];
    if (NORWEGIAN.includes(primary)) return "nb";
    if (primary in catalogues) return primary;
  }
  return "en";
}

export function savedLanguage() {
  try { return localStorage.getItem(STORAGE_KEY); } catch { return null; }
}

export function saveLanguage(language) {
  // Only the language choice is ever stored, never anything about the person.
  try { localStorage.setItem(STORAGE_KEY, language); } catch { /* private mode */ }
}

export function translator(language) {
  const catalogue = catalogues[language] ?? en;
  return (key, params = {}) => {
    const template = catalogue[key] ?? en[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
  };
}
