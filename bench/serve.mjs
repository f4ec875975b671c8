// A read-only static file server on a free loopback port for the browser
// benchmarks: the repository root (so /pkg/, /node_modules/ and /bench/ load)
// plus extra directories mounted under a prefix (the generated frames and
// photos live in a temp directory, never in the repository).
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, resolve, sep } from "node:path";

export const ROOT = resolve(import.meta.dirname, "..");

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

/** The file a URL path names inside `base`, or null if it would escape it. */
function fileInside(base, urlPath) {
  const file = resolve(base, "." + urlPath);
  return file === base || file.startsWith(base + sep) ? file : null;
}

/**
 * Serves `root` at / and each `mounts[prefix]` directory at that prefix
 * (prefix like "/data/"). Returns { url, close }.
 */
export async function startServer({ root = ROOT, mounts = {} } = {}) {
  const server = createServer((request, response) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    let base = root;
    for (const [prefix, directory] of Object.entries(mounts)) {
      if (urlPath.startsWith(prefix)) {
        base = resolve(directory);
        urlPath = "/" + urlPath.slice(prefix.length);
        break;
      }
    }
    const file = fileInside(resolve(base), urlPath);
    let stat = null;
    try {
      stat = file && statSync(file);
    } catch {
      stat = null;
    }
    if (!stat || !stat.isFile()) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    response.writeHead(200, {
      "content-type": MIME[extname(file).toLowerCase()] ?? "application/octet-stream",
      "content-length": stat.size,
      "cache-control": "no-store",
    });
    if (request.method === "HEAD") response.end();
    else createReadStream(file).pipe(response);
  });
  await new Promise((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolveListen);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolveClose) => server.close(resolveClose)),
  };
}
