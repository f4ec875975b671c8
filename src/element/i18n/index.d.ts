// The element's catalogues and language choice, for a page's own text around it.
import type { IdCaptureLanguage } from "../id-capture.js";

/** Every message of the element, by key, in each of the five languages. */
export declare const catalogues: Record<IdCaptureLanguage, Record<string, string>>;
/** A saved choice when it is one of the five, else the first of the browser's languages that is (nn/no → nb), else en. */
export declare function chooseLanguage(saved: string | null | undefined, browserLanguages: readonly string[] | undefined): IdCaptureLanguage;
/** The language a page saved with saveLanguage (localStorage "id-capture.language"), or null. */
export declare function savedLanguage(): string | null;
export declare function saveLanguage(language: string): void;
/** Messages in `language`, `{name}` placeholders filled from `params`; English, then the key, where one is missing. */
export declare function translator(language: string): (key: string, params?: Record<string, string | number>) => string;
