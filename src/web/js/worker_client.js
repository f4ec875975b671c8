// The one capture worker of an IdCapture, one policy for scans and photos:
// started on first use; requests wait until it has loaded the module; one that
// traps or cannot load is replaced, twice at most; after that, and once
// disposed, calls fail with `capture_unavailable` (no respawn loop under a CSP).

import { captureError, errorFromMessage } from "./errors.js";

const MAX_STARTS = 3;
const unavailable = (why) => captureError("capture_unavailable", why);

export class CaptureWorker {
  /** `wasmModule`: this module compiled, so the worker neither looks for the .wasm nor compiles it again. */
  constructor(wasmModule) {
    Object.assign(this, { wasmModule, worker: null, ready: false, starts: 0, nextId: 1, queued: [], sent: new Map(), scans: 0, released: false });
    /** Aborted by dispose(): the cameras opened for this IdCapture stop. */
    this.signal = (this.lifetime = new AbortController()).signal;
  }

  /** The worker's reply; rejects with its typed error, `internal` when it trapped, or `capture_unavailable`. */
  request(message, transfer = []) {
    return new Promise((resolve, reject) => {
      if (this.signal.aborted) return reject(this.signal.reason);
      if (!this.worker && this.starts >= MAX_STARTS) return reject(unavailable("the capture worker cannot run"));
      this.queued.push({ id: this.nextId++, message, transfer, resolve, reject });
      if (!this.worker) this.start();
      else if (this.ready) this.flush();
    });
  }

  start() {
    this.starts += 1;
    this.ready = false;
    try {
      // A literal URL beside import.meta.url: the pattern Vite and webpack 5 follow to build and emit the worker.
      this.worker = new Worker(new URL("./capture_worker.js", import.meta.url), { type: "module" });
    } catch {
      return this.lost();
    }
    const worker = this.worker;
    worker.onmessage = ({ data }) => {
      if (worker !== this.worker) return;
      if (data.trapped || data.failed) return this.lost();
      if (data.ready) return this.flush();
      const entry = this.sent.get(data.id);
      this.sent.delete(data.id);
      if (!data.error) entry?.resolve(data);
      else entry?.reject(errorFromMessage(data.error));
      if (this.released) this.release();
    };
    worker.onerror = (event) => worker === this.worker && (event.preventDefault(), this.lost());
    worker.postMessage({ type: "init", module: this.wasmModule });
  }

  /** The worker has loaded the module: what waits is sent. */
  flush() {
    this.ready = true;
    for (const entry of this.queued.splice(0)) {
      this.sent.set(entry.id, entry);
      this.worker.postMessage({ id: entry.id, ...entry.message }, entry.transfer);
    }
  }

  /** The worker trapped or could not load: what it held fails; what waits goes to the next one, if any. */
  lost(error = this.starts < MAX_STARTS ? captureError("internal", "the capture worker stopped") : unavailable("the capture worker cannot run")) {
    this.worker?.terminate();
    this.worker = null;
    for (const entry of this.sent.values()) entry.reject(error);
    this.sent.clear();
    if (this.starts >= MAX_STARTS || this.signal.aborted) for (const entry of this.queued.splice(0)) entry.reject(error);
    else if (this.queued.length > 0) this.start();
  }

  /** Drops the photos kept for re-cropping (the person was sent). */
  forgetPhotos() {
    if (this.ready) this.request({ type: "forget" }).catch(() => {});
  }

  /** free() or the garbage collector (Drop in Rust): dispose() once no call or scan runs (checked again as each ends). */
  release() {
    this.released = true;
    if (this.scans === 0 && this.sent.size === 0 && this.queued.length === 0) this.dispose();
  }

  /** Terminates the worker and its photos, stops this capture's cameras, fails what waits. */
  dispose() {
    if (this.signal.aborted) return;
    this.lifetime.abort(unavailable("the capture was disposed"));
    this.lost(this.signal.reason);
  }
}
