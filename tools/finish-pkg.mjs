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
    "./package.json": "./package.json",
  },
  files: ["id_capture.js", "id_capture.d.ts", "id_capture_bg.wasm", "capture_worker.js", "snippets", "README.md"],
  // The glue only defines; the snippets include the capture worker, which runs on import in a worker.
  sideEffects: ["./snippets/**"],
};
writeFileSync(`${pkg}package.json`, `${JSON.stringify(packageJson, null, 2)}\n`);
copyFileSync(`${root}docs/package-README.md`, `${pkg}README.md`);

// wasm-bindgen lists every raw wasm export (plumbing, with `any`) in InitOutput
// and in id_capture_bg.wasm.d.ts (for its bundler target, unused by ours).
// What init() resolves to is the module's instance: its memory is the only part a page may touch.
const typesPath = `${pkg}id_capture.d.ts`;
const types = readFileSync(typesPath, "utf8");
const initOutput = /export interface InitOutput \{[^}]*\}/;
if (!initOutput.test(types)) throw new Error("pkg/id_capture.d.ts: InitOutput not found; has wasm-bindgen changed its output?");
writeFileSync(typesPath, types.replace(initOutput, "export interface InitOutput {\n    readonly memory: WebAssembly.Memory;\n}"));
rmSync(`${pkg}id_capture_bg.wasm.d.ts`, { force: true });
