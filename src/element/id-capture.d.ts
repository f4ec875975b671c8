// <id-capture>: importing "id-capture/element" defines the element (once per document).
import type { IdCaptureErrorCode, StoredIdentity } from "../id_capture.js";

/** The methods the element can offer (its `methods` attribute lists some of them). */
export type IdCaptureMethod = "hms-card" | "document" | "vipps";

/** The five languages of the catalogues (the `lang` attribute). */
export type IdCaptureLanguage = "nb" | "en" | "pl" | "lt" | "uk";

/** `registered`: exactly the registry's answer for the identity just stored. */
export type IdCaptureRegisteredDetail = StoredIdentity;

/** `error`: an error shown to the worker; the element stays usable (they may try again). */
export interface IdCaptureErrorDetail {
    /** The IdCaptureError's code (`err.code`). */
    code: IdCaptureErrorCode;
    /** The IdCaptureError's message (for developers, English, never personal data). */
    message: string;
    /** What the worker read, in the element's language. */
    shown: string;
    /** For `invalid_person`: the field that was refused. */
    field?: "given_names" | "surname" | "date_of_birth" | "nationality";
}

/** `cancelled`: the worker left a method without registering (back, "not me", or cancelled at Vipps). */
export interface IdCaptureCancelledDetail {
    method: IdCaptureMethod;
}

/** The element's own events (its `error` is a CustomEvent, not the DOM's ErrorEvent). */
export interface IdCaptureElementEventMap {
    registered: CustomEvent<IdCaptureRegisteredDetail>;
    error: CustomEvent<IdCaptureErrorDetail>;
    cancelled: CustomEvent<IdCaptureCancelledDetail>;
    /** The element has started (module loaded, registry asked) and shows its first screen; again after a new `registry` or `session`. */
    ready: CustomEvent<Record<string, never>>;
}

/**
 * Attributes: `registry` (the registry's base URL; omitted: the registry serving this page),
 * `session` (the onboarding session token from a partner's link), `methods`
 * (space-separated: hms-card document vipps; default all, Vipps only where the registry has it set up),
 * `lang` (nb, en, pl, lt, uk; default the browser's). One element runs in a document at a time.
 */
export declare class IdCaptureElement extends HTMLElement {
    static readonly observedAttributes: string[];
    /** The language in use (the `lang` attribute when it is one of the five, else the browser's). */
    readonly language: IdCaptureLanguage;
    /** The methods the `methods` attribute offers. */
    readonly methods: IdCaptureMethod[];
    addEventListener<K extends keyof IdCaptureElementEventMap>(type: K, listener: (this: IdCaptureElement, event: IdCaptureElementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
    addEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: HTMLElement, event: HTMLElementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
    addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
    removeEventListener<K extends keyof IdCaptureElementEventMap>(type: K, listener: (this: IdCaptureElement, event: IdCaptureElementEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
    removeEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: HTMLElement, event: HTMLElementEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
    removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

export declare const METHODS: readonly IdCaptureMethod[];
export { catalogues, chooseLanguage, translator } from "./i18n/index.js";

declare global {
    interface HTMLElementTagNameMap {
        "id-capture": IdCaptureElement;
    }
}
