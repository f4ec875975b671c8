// What a test file needs to run every flow of the page: a browser whose fake
// camera shows an invented HMS card, and a registry that serves the page with
// Vipps Login through the local OpenID provider. Call it at a file's top level
// (not in before()): the helpers register their own after() hooks, which
// inside a before() hook would stop the servers as soon as that hook ends.
import { after } from "node:test";

import { launchBrowser } from "./browser.mjs";
import { makeCardVideo } from "./fixtures.mjs";
import { CLIENT_ID, CLIENT_SECRET, startOidcProvider } from "./oidc-provider.mjs";
import { reservePort, startRegistry } from "./registry.mjs";

/** The card the fake camera shows, and its holder's date of birth (invented, registry/src/invented_hms_cards.json). */
export const CARD = { reference: "TEST0000001", date_of_birth: "1985-03-14", surname: "Testmann" };

export async function startEveryFlowWorld() {
  const browser = await launchBrowser(["--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${makeCardVideo(CARD.reference)}`]);
  const port = await reservePort();
  const pageUrl = `http://127.0.0.1:${port}/`;
  const provider = await startOidcProvider({ redirectUris: [pageUrl] });
  const registry = await startRegistry({
    port,
    // Every flow, several times, from one address: the per-address limit on creating calls would stop them.
    extraArgs: ["--rate-limit-burst", "1000", "--rate-limit-per-minute", "6000"],
    env: { VIPPS_ISSUER: provider.issuer, VIPPS_CLIENT_ID: CLIENT_ID, VIPPS_CLIENT_SECRET: CLIENT_SECRET, VIPPS_REDIRECT_URIS: pageUrl },
  });
  after(async () => {
    await browser.close();
    await registry.stop();
    await provider.stop();
  });
  return { browser, registry, provider };
}
