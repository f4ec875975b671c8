// The one capture worker of an IdCapture, with one policy for scans and
// photos: started on first use; requests wait until it has loaded the module;
// a worker that traps or cannot load is replaced, at most MAX_STARTS - 1
// times; after that, and once disposed, every call fails with
// `capture_unavailable` (no respawning loop under a CSP that blocks it).

export function captureError(code, message, extra = {}) {
  return Object.assign(new Error(message), { name: "IdCaptureError", code }, extra);
}

const MAX_STARTS = 3;
const unavailable = (why) => captureError("capture_unavailable", why);

export class CaptureWorker {
  /** `wasmModule`: this module's WebAssembly.Module, so the worker neither looks for nor compiles the .wasm again. */
  constructor(wasmModule) {
    Object.assign(this, { wasmModule, worker: null, ready: false, starts: 0, nextId: 1, queued: [], sent: new Map() });
    /** Aborted by dispose(): cameras opened for this IdCapture stop. */
    this.lifetime = new AbortController();
  }

  get signal() {
    return this.lifetime.signal;
  }

  /** The worker's reply; rejects with its typed error, `internal` when it trapped, or `capture_unavailable`. */
  request(message, transfer = []) {
    return new Promise((resolve, reject) => {
      if (this.signal.aborted) return reject(unavailable("the capture was disposed"));
      if (!this.worker && this.starts >= MAX_STARTS) return reject(unavailable("the capture worker cannot run"));
      this.queued.push({ id: this.nextId++, message, transfer, resolve, reject });
      if (!this.worker) this.start();
      else if (this.ready) this.flush();
    });
  }

  start() {
    this.starts += 1;
    this.ready = false;
    let worker;
    try {
      // A literal URL beside import.meta.url: the pattern Vite and webpack 5 follow to build and emit the worker.
      worker = new Worker(new URL("./capture_worker.js", import.meta.url), { type: "module" });
    } catch {
      return this.lost();
    }
    this.worker = worker;
    worker.onmessage = ({ data }) => {
      if (worker !== this.worker) return;
      if (data.ready) {
        this.ready = true;
        return this.flush();
      }
      if (data.trapped || data.failed) return this.lost();
      const entry = this.sent.get(data.id);
      this.sent.delete(data.id);
      if (data.error) entry?.reject(captureError(data.error.code, data.error.message, data.error.kind ? { kind: data.error.kind } : {}));
      else entry?.resolve(data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (worker === this.worker) this.lost();
    };
    worker.postMessage({ type: "init", module: this.wasmModule });
  }

  flush() {
    for (const entry of this.queued.splice(0)) {
      this.sent.set(entry.id, entry);
      this.worker.postMessage({ id: entry.id, ...entry.message }, entry.transfer);
    }
  }

  /** The worker trapped or could not load: what it held fails; what waits goes to the next one, if any. */
  lost() {
    this.worker?.terminate();
    this.worker = null;
    const last = this.starts >= MAX_STARTS;
    const error = () => (last ? unavailable("the capture worker cannot run") : captureError("internal", "the capture worker stopped"));
    for (const entry of this.sent.values()) entry.reject(error());
    this.sent.clear();
    if (last) for (const entry of this.queued.splice(0)) entry.reject(error());
    else if (this.queued.length > 0) this.start();
  }

  /** Drops every photo kept for re-cropping (after the person was sent). */
  forgetPhotos() {
    if (this.ready) this.request({ type: "forget" }).catch(() => {});
  }

  /** Terminates the worker (its photos with it), stops this capture's cameras, fails what waits. */
  dispose() {
    if (this.signal.aborted) return;
    this.lifetime.abort(unavailable("the capture was disposed"));
    this.worker?.terminate();
    this.worker = null;
    for (const entry of [...this.sent.values(), ...this.queued.splice(0)]) entry.reject(unavailable("the capture was disposed"));
    this.sent.clear();
  }
}
