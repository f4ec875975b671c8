// Vipps Login: the registry holds the login. This page asks it to start one and
// goes to Vipps; the return may arrive in this tab, a new tab or another
// browser, and any of them finishes it: the registry answers the person, the
// worker confirms (flows/staged.js). A tab that started a login and is shown
// again learns only the login's state.
import { $, emitCancelled, emitError, messageFor, page, show, showMethodsNotice, statusText } from "../ui.js";
import { showStaged } from "./staged.js";

const POLL_INTERVAL_MS = 2000;
const POLL_LIMIT_MS = 11 * 60 * 1000; // a login lives 10 minutes

/** Messages for the ways a Vipps login can end without a person. */
function vippsMessage(error) {
  switch (error?.code) {
    case "vipps_cancelled": return page.t("vipps.cancelled");
    case "vipps_login_not_found": return page.t("vipps.flow_missing");
    case "vipps_login_expired": return page.t("vipps.flow_expired");
    case "vipps_state_missing":
    case "vipps_issuer_mismatch":
    case "vipps_code_missing":
    case "vipps_callback_invalid": return page.t("vipps.not_trusted");
    case "vipps_provider_error": return page.t("vipps.provider_error");
    default: return messageFor(error);
  }
}

/** A login the worker cancelled at Vipps is `cancelled`; any other end is an `error`. */
function endedWithout(error) {
  if (error?.code === "vipps_cancelled") emitCancelled("vipps");
  else emitError(error, vippsMessage(error));
}

function setStatus(text) {
  $("#vipps-status").textContent = text;
}

/** This page load is Vipps's redirect back (here or in any other tab or browser). */
async function finishCallback() {
  show("screen-vipps");
  setStatus(page.t("vipps.checking"));
  try {
    const staged = await page.capture.completeVippsLogin(location.href, { onStatus: (progress) => setStatus(statusText(progress)) });
    if (staged === null || staged === undefined) return false;
    showStaged(staged, "vipps");
  } catch (error) {
    show("screen-methods");
    showMethodsNotice(vippsMessage(error), error?.code);
    endedWithout(error);
  }
  return true;
}

/** This tab started a login and is shown again: say where to go on, then how it ended. */
async function followStartedLogin() {
  let status;
  try {
    status = await page.capture.vippsLoginStatus();
  } catch {
    return false; // the registry cannot tell now; the page starts as usual
  }
  if (status === null || status === undefined) return false;
  show("screen-vipps");
  const started = Date.now();
  while (status?.status === "waiting" && Date.now() - started < POLL_LIMIT_MS) {
    setStatus(page.t("vipps.continue_elsewhere"));
    $("#vipps-status").dataset.loginStatus = "waiting";
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    try {
      status = await page.capture.vippsLoginStatus();
    } catch {
      // Keep waiting through a passing registry outage.
    }
  }
  const ended = status?.status ?? "expired";
  $("#vipps-status").dataset.loginStatus = ended;
  if (ended === "completed") {
    setStatus(page.t("vipps.completed_elsewhere"));
    $("#vipps-done-elsewhere").hidden = false;
    return true;
  }
  show("screen-methods");
  const key = ended === "cancelled" ? "vipps.cancelled" : ended === "waiting" || ended === "expired" ? "vipps.flow_expired" : "vipps.provider_error";
  showMethodsNotice(page.t(key), `vipps_login_${ended}`);
  if (ended === "cancelled") emitCancelled("vipps");
  return true;
}

/** Called once at start-up: true when this page load belongs to a Vipps login. */
export async function resumeVippsLogin(vippsConfigured) {
  if (!vippsConfigured) return false;
  if (await finishCallback()) return true;
  return followStartedLogin();
}

export function wireVippsFlow(vippsConfigured) {
  const button = $("#method-vipps");
  button.hidden = !vippsConfigured;
  button.addEventListener("click", async () => {
    showMethodsNotice("");
    button.disabled = true;
    try {
      await page.capture.startVippsLogin();
    } catch (error) {
      showMethodsNotice(vippsMessage(error), error?.code);
      endedWithout(error);
    } finally {
      button.disabled = false;
    }
  });
}
