// The one error class of id-capture. The module's own errors (made in Rust,
// src/web/js_error.rs) and those made in these snippets are all built here, so
// `err instanceof IdCaptureError` holds for every failure and `err.code` is one
// of the stable codes (src/error.rs). The package re-exports the class.

/** The details an error may carry besides `code`, and the only ones copied. */
const DETAILS = ["field", "kind", "limit", "width", "height", "status", "attempts", "problemType"];

export class IdCaptureError extends Error {
  constructor(code, message, details) {
    super(message);
    this.name = "IdCaptureError";
    this.code = code;
    for (const key of DETAILS) {
      const value = details?.[key];
      if (value !== undefined && value !== null) this[key] = value;
    }
  }
}

/** An error with a stable code: the one way these snippets make errors. */
export function captureError(code, message, details) {
  return new IdCaptureError(code, message, details);
}

/**
 * An error as a plain object for `postMessage` (structured cloning keeps an
 * Error's message but drops `code` and its details).
 */
export function errorAsMessage(error) {
  const message = { code: error.code, message: String(error.message ?? "") };
  for (const key of DETAILS) if (error[key] !== undefined && error[key] !== null) message[key] = error[key];
  return message;
}

/** The error a worker sent with `errorAsMessage`, on this side. */
export function errorFromMessage(message, fallbackMessage = "the capture worker failed") {
  return new IdCaptureError(message?.code ?? "internal", message?.message || fallbackMessage, message);
}
