// Talks to the capture worker: one request, one reply, matched by id. A worker
// that traps is replaced, so no input takes scanning or photo processing down.

export function captureError(code, message, extra = {}) {
  return Object.assign(new Error(message), { name: "IdCaptureError", code }, extra);
}

const LOST = { error: { code: "internal", kind: null, message: "the capture worker stopped" } };

export class WorkerClient {
  constructor(workerUrl) {
    this.workerUrl = workerUrl;
    this.nextId = 1;
    this.pending = new Map();
    this.restarts = 0;
    this.start();
  }

  start() {
    this.worker = new Worker(new URL(this.workerUrl), { type: "module" });
    this.worker.onmessage = ({ data }) => {
      const settle = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (data.trapped) {
        this.restart();
        settle?.(LOST);
      } else {
        settle?.(data);
      }
    };
    this.worker.onerror = () => this.restart();
  }

  restart() {
    this.restarts += 1;
    this.worker.terminate();
    for (const settle of this.pending.values()) settle(LOST);
    this.pending.clear();
    this.start();
  }

  /** Resolves the worker's reply (`{error}` on failure); never rejects. */
  request(message, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ id, ...message }, transfer);
    });
  }

  close() {
    this.worker.terminate();
    for (const settle of this.pending.values()) settle(LOST);
    this.pending.clear();
  }
}
