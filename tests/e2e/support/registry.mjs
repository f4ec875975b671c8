// Starts the real registry binary on a loopback port with its own SQLite file.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after } from "node:test";

import initSqlJs from "sql.js";

export const ROOT = resolve(import.meta.dirname, "../../..");

// Servers a failed test did not stop are stopped when its file ends, so a failure never hangs the run.
const running = new Set();
after(() => {
  for (const child of running) child.kill("SIGKILL");
});
const REGISTRY_BIN = process.env.REGISTRY_BIN ?? join(ROOT, "target/release/id-capture-registry");

/** A free loopback port (for a server the test starts later). */
export function reservePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Runs the registry until stop(). Options: port (0 = any), serve (page and pkg),
 * allowOrigins, publicRegistryUrl, env (e.g. the VIPPS_* settings).
 */
export async function startRegistry({ port = 0, serve = true, allowOrigins = [], publicRegistryUrl = "", env = {}, extraArgs = [] } = {}) {
  const directory = mkdtempSync(join(tmpdir(), "id-capture-e2e-"));
  const database = join(directory, "registry.sqlite");
  const args = ["--listen", `127.0.0.1:${port}`, "--db", database];
  if (serve) args.push("--www", join(ROOT, "www"), "--pkg", join(ROOT, "pkg"));
  for (const origin of allowOrigins) args.push("--allow-origin", origin);
  if (publicRegistryUrl) args.push("--public-registry-url", publicRegistryUrl);
  args.push(...extraArgs);
  const child = spawn(REGISTRY_BIN, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  running.add(child);
  child.once("exit", () => running.delete(child));
  const log = [];
  child.stderr.on("data", (chunk) => log.push(chunk.toString()));
  const url = await new Promise((resolveUrl, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error(`registry did not start:\n${log.join("")}`)), 15000);
    child.stdout.on("data", (chunk) => {
      buffered += chunk;
      const line = buffered.split("\n").find((candidate) => candidate.includes("listening"));
      if (line) {
        clearTimeout(timer);
        resolveUrl(JSON.parse(line).listening);
      }
    });
    child.once("exit", (code) => reject(new Error(`registry exited with ${code}:\n${log.join("")}`)));
  });
  let stopped = false;
  return {
    url,
    log,
    database,
    /** Adds a partner with the operator's CLI; answers `{ partner, api_key }` (the key is shown once). */
    addPartner({ name = "Eksempel Portal AS", origins = [] } = {}) {
      const cli = ["partners", "--db", database, "add", "--name", name, ...origins.flatMap((origin) => ["--origin", origin])];
      return JSON.parse(execFileSync(REGISTRY_BIN, cli, { encoding: "utf8" }));
    },

    /** Stops the server (SQLite checkpoints its WAL on close) and returns the identities rows. */
    async stopAndReadIdentities() {
      if (!stopped) {
        stopped = true;
        const exited = new Promise((resolveExit) => child.once("exit", resolveExit));
        child.kill("SIGTERM");
        await exited;
      }
      const rows = await readTable(database, "identities");
      rmSync(directory, { recursive: true, force: true });
      return rows;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const exited = new Promise((resolveExit) => child.once("exit", resolveExit));
      child.kill("SIGTERM");
      await exited;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Every row of a table, read straight from the SQLite file with sql.js. */
export async function readTable(databasePath, table) {
  const SQL = await initSqlJs();
  const database = new SQL.Database(readFileSync(databasePath));
  try {
    const result = database.exec(`SELECT * FROM ${table}`);
    if (result.length === 0) return [];
    const [{ columns, values }] = result;
    return values.map((row) => Object.fromEntries(columns.map((column, index) => [column, row[index]])));
  } finally {
    database.close();
  }
}
