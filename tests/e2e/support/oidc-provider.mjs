// Starts the local OpenID provider that stands in for Vipps (tests/oidc-provider).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after } from "node:test";

import { ROOT } from "./registry.mjs";

export const CLIENT_ID = "id-capture-local";
export const CLIENT_SECRET = "local-test-secret-not-for-production";

/** Runs the provider on a free loopback port until stop(); `redirectUris` are the page URLs it may return to. */
export async function startOidcProvider({ redirectUris }) {
  const args = [join(ROOT, "tests/oidc-provider/provider.mjs"), "--port", "0", "--client-id", CLIENT_ID];
  for (const uri of redirectUris) args.push("--redirect-uri", uri);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, OIDC_CLIENT_SECRET: CLIENT_SECRET } });
  after(() => child.kill("SIGKILL"));
  const log = [];
  child.stderr.on("data", (chunk) => log.push(chunk.toString()));
  const ready = await new Promise((resolveReady, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error(`OpenID provider did not start:\n${log.join("")}`)), 15000);
    child.stdout.on("data", (chunk) => {
      buffered += chunk;
      const line = buffered.split("\n").find((candidate) => candidate.includes("issuer"));
      if (line) {
        clearTimeout(timer);
        resolveReady(JSON.parse(line));
      }
    });
    child.once("exit", (code) => reject(new Error(`OpenID provider exited with ${code}:\n${log.join("")}`)));
  });
  return {
    issuer: ready.issuer,
    origin: new URL(ready.issuer).origin,
    async stop() {
      const exited = new Promise((resolveExit) => child.once("exit", resolveExit));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
