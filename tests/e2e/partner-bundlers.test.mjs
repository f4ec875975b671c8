// A partner's production build: the sample app (tests/e2e/partner-apps/sample)
// with the package installed in node_modules as npm would put it, built by Vite,
// webpack 5 and esbuild, served from dist/ alone under a strict CSP. In each, the
// capture worker must start from what the bundler emitted: a photo is
// processed, a card is read from a photo and from the (fake) camera.
import assert from "node:assert/strict";
import { cpSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { basename, extname, join, normalize } from "node:path";
import { after, before, test } from "node:test";

import { launchBrowser, openPage } from "./support/browser.mjs";
import { makeCardVideo, makeMrzPhotos, scratchDirectory } from "./support/fixtures.mjs";
import { ROOT } from "./support/registry.mjs";

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; img-src 'self' blob: data:; media-src 'self' blob: mediastream:; style-src 'self'; object-src 'none'; base-uri 'none'";
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

/** The sample app in a scratch folder, with pkg/ copied in as node_modules/id-capture. */
function sampleApp() {
  const directory = scratchDirectory();
  cpSync(join(ROOT, "tests/e2e/partner-apps/sample"), directory, { recursive: true });
  cpSync(join(ROOT, "pkg"), join(directory, "node_modules/id-capture"), { recursive: true });
  return directory;
}

async function buildWithVite() {
  const { build } = await import("vite");
  const root = sampleApp();
  await build({ root, configFile: join(root, "vite.config.js") });
  return join(root, "dist");
}

async function buildWithWebpack() {
  const { default: webpack } = await import("webpack");
  const root = sampleApp();
  const { default: config } = await import(join(root, "webpack.config.js"));
  const stats = await new Promise((resolve, reject) => webpack(config, (error, result) => (error ? reject(error) : resolve(result))));
  assert.ok(!stats.hasErrors(), stats.toString("errors-only"));
  cpSync(join(root, "index.html"), join(root, "dist/index.html"));
  return join(root, "dist");
}

/** esbuild does not follow `new Worker(new URL(...))`: the partner copies the .wasm and the worker in one file beside the bundle. */
async function buildWithEsbuild() {
  const { build } = await import("esbuild");
  const root = sampleApp();
  await build({ entryPoints: [join(root, "main.js")], bundle: true, format: "esm", minify: true, outdir: join(root, "dist"), logLevel: "error" });
  for (const file of ["index.html", "node_modules/id-capture/id_capture_bg.wasm", "node_modules/id-capture/capture_worker.js"]) {
    cpSync(join(root, file), join(root, "dist", basename(file)));
  }
  return join(root, "dist");
}

/** dist/ over HTTP with the CSP on every response (the worker's too). */
async function serve(directory) {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    try {
      const body = readFileSync(join(directory, path.endsWith("/") ? `${path}index.html` : path));
      response.writeHead(200, { "Content-Type": TYPES[extname(path) || ".html"] ?? "application/octet-stream", "Content-Security-Policy": CSP });
      response.end(body);
    } catch {
      response.writeHead(404, { "Content-Security-Policy": CSP }).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** The last frame of the card video (card settled in view), its luma as a grey image. */
function lastCardFrame(video) {
  const bytes = readFileSync(video);
  const header = bytes.subarray(0, bytes.indexOf(10)).toString();
  const width = Number(/ W(\d+)/.exec(header)[1]);
  const height = Number(/ H(\d+)/.exec(header)[1]);
  const start = bytes.lastIndexOf(Buffer.from("FRAME\n")) + 6;
  return { width, height, luma: bytes.subarray(start, start + width * height).toString("base64") };
}

let browser;
let passport;
let cardFrame;
before(async () => {
  const video = makeCardVideo("TEST0000001");
  cardFrame = lastCardFrame(video);
  passport = makeMrzPhotos(6, 424242).find((photo) => photo.lines.length === 2 && photo.lines[0].startsWith("P") && photo.date_of_birth && photo.nationality);
  browser = await launchBrowser(["--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${video}`]);
});
after(async () => browser?.close());

for (const [bundler, buildApp] of [["Vite", buildWithVite], ["webpack 5", buildWithWebpack], ["esbuild", buildWithEsbuild]]) {
  test(`a production build by ${bundler} under a strict CSP processes a photo, reads a card from a photo and from the camera`, async () => {
    const server = await serve(await buildApp());
    try {
      const { page, problems, context } = await openPage(browser, server.url);
      await context.grantPermissions(["camera"], { origin: server.url.slice(0, -1) });
      const photo = readFileSync(passport.file).toString("base64");
      const processed = await page.evaluate(async (base64) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        return window.partnerApp.processPhoto(new File([bytes], "passport.jpg", { type: "image/jpeg" }));
      }, photo);
      assert.equal(processed.jpegType, "image/jpeg");
      assert.equal(processed.person?.surname, passport.surname);

      const fromPhoto = await page.evaluate(async ({ width, height, luma }) => {
        const grey = Uint8Array.from(atob(luma), (c) => c.charCodeAt(0));
        const canvas = new OffscreenCanvas(width, height);
        const image = new ImageData(width, height);
        grey.forEach((value, i) => image.data.set([value, value, value, 255], 4 * i));
        canvas.getContext("2d").putImageData(image, 0, 0);
        return window.partnerApp.scanCardPhoto(await canvas.convertToBlob({ type: "image/png" }));
      }, cardFrame);
      assert.equal(fromPhoto, "TEST0000001");

      const fromCamera = await page.evaluate(() => window.partnerApp.scanCamera());
      assert.deepEqual(fromCamera, { hmsCardReference: "TEST0000001", cameraStopped: true });
      assert.deepEqual(problems, []);
      await context.close();
    } finally {
      await server.close();
    }
  });
}
