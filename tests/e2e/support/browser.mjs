// Debian's Chromium driven by playwright-core (which never downloads a browser).
import { chromium } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

/** A page that fails the test on any uncaught error or console error. */
export async function openPage(browser, url, { locale = "en-GB", viewport = { width: 390, height: 844 } } = {}) {
  const context = await browser.newContext({ locale, viewport, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    // Failed fetches to a registry that is down are expected in fault tests; the
    // browser reports them as console errors that say nothing about the page.
    if (message.type() === "error" && !/Failed to load resource|ERR_CONNECTION_REFUSED|status of 5\d\d|status of 429/.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
  return { context, page, problems };
}
