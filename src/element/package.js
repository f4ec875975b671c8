// The one door from the element to the package's public API (pkg/id_capture.js),
// so the element's build keeps a single import of the glue (tools/finish-pkg.mjs).
export { default as init, IdCapture, IdCaptureError } from "../id_capture.js";
