// Turns wasm-pack's pkg/ into the package partners install (run by ./dev build_pkg):
// a package.json with `exports`, the partner README, and types that are only the product.
import { readFileSync, writeFileSync, copyFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = `${root}pkg/`;
const manifest = readFileSync(`${root}Cargo.toml`, "utf8");
const field = (name) => manifest.match(new RegExp(`^${name} = "([^"]*)"`, "m"))[1];

const packageJson = {
  name: "id-capture",
  version: field("version"),
  description: field("description"),
  license: field("license"),
  type: "module",
  main: "./id_capture.js",
  types: "./id_capture.d.ts",
  exports: {
    ".": { types: "./id_capture.d.ts", default: "./id_capture.js" },
    "./id_capture_bg.wasm": "./id_capture_bg.wasm",
    // The capture worker in one file (./dev's pkg_worker_in_one_file), for Rollup and esbuild builds.
    "./capture_worker.js": "./capture_worker.js",
    // The <id-capture> element (./dev's pkg_element): importing it defines the element.
    "./element": { types: "./element/id-capture.d.ts", default: "./element/id-capture.js" },
    "./element/i18n": { types: "./element/i18n/index.d.ts", default: "./element/i18n/index.js" },
    "./package.json": "./package.json",
  },
  files: ["id_capture.js", "id_capture.d.ts", "id_capture_bg.wasm", "capture_worker.js", "snippets", "element", "README.md"],
  // The glue only defines; the snippets include the capture worker, which runs on import in a worker;
  // the element's module registers <id-capture> when imported.
  sideEffects: ["./snippets/**", "./element/id-capture.js"],
};
writeFileSync(`${pkg}package.json`, `${JSON.stringify(packageJson, null, 2)}\n`);
copyFileSync(`${root}docs/package-README.md`, `${pkg}README.md`);
// The element's types beside its built module (the JavaScript is built by ./dev's pkg_element).
copyFileSync(`${root}src/element/id-capture.d.ts`, `${pkg}element/id-capture.d.ts`);
copyFileSync(`${root}src/element/i18n/index.d.ts`, `${pkg}element/i18n/index.d.ts`);

// wasm-bindgen lists every raw wasm export (plumbing, with `any`) in InitOutput
// and in id_capture_bg.wasm.d.ts (for its bundler target, unused by ours).
// What init() resolves to is the module's instance: its memory is the only part a page may touch.
const typesPath = `${pkg}id_capture.d.ts`;
const types = readFileSync(typesPath, "utf8");
const initOutput = /export interface InitOutput \{[^}]*\}/;
if (!initOutput.test(types)) throw new Error("pkg/id_capture.d.ts: InitOutput not found; has wasm-bindgen changed its output?");
writeFileSync(typesPath, types.replace(initOutput, "export interface InitOutput {\n    readonly memory: WebAssembly.Memory;\n}"));
rmSync(`${pkg}id_capture_bg.wasm.d.ts`, { force: true });
