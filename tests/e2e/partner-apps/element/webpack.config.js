// webpack 5's defaults for a production build; index.html is copied beside the bundle.
import { resolve } from "node:path";

export default {
  mode: "production",
  context: import.meta.dirname,
  entry: "./main.js",
  output: { path: resolve(import.meta.dirname, "dist"), filename: "main.js", clean: true },
  stats: "errors-warnings",
};
