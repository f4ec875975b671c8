// Vite's defaults, as a partner starts: nothing here is needed by <id-capture>.
export default { logLevel: "warn" };
