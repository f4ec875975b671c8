// Vipps Login: the module redirects to Vipps; on return it checks the callback,
// cleans the address bar and hands the code to the registry, which exchanges it.
import { $, messageFor, page, show, showMethodsNotice, showStored, statusText } from "../ui.js";

/** Messages for the ways a Vipps login can end without a person. */
function vippsMessage(error) {
  switch (error?.code) {
    case "vipps_cancelled": return page.t("vipps.cancelled");
    case "vipps_flow_missing": return page.t("vipps.flow_missing");
    case "vipps_flow_expired": return page.t("vipps.flow_expired");
    case "vipps_state_missing":
    case "vipps_state_mismatch":
    case "vipps_issuer_mismatch":
    case "vipps_code_missing":
    case "vipps_callback_invalid": return page.t("vipps.not_trusted");
    case "vipps_provider_error": return page.t("vipps.provider_error");
    default: return messageFor(error);
  }
}

/** Called once at start-up: finishes a login when this page load is Vipps's redirect back. */
export async function resumeVippsLogin(vippsConfigured) {
  if (!vippsConfigured) return false;
  const status = $("#vipps-status");
  try {
    show("screen-vipps");
    status.textContent = page.t("vipps.checking");
    const stored = await page.capture.completeVippsLogin(location.href, { onStatus: (progress) => (status.textContent = statusText(progress)) });
    if (stored === null || stored === undefined) return false;
    showStored(stored);
  } catch (error) {
    show("screen-methods");
    showMethodsNotice(vippsMessage(error), error?.code);
  }
  return true;
}

export function wireVippsFlow(vippsConfigured) {
  const button = $("#method-vipps");
  button.hidden = !vippsConfigured;
  button.addEventListener("click", () => {
    showMethodsNotice("");
    try {
      page.capture.startVippsLogin();
    } catch (error) {
      showMethodsNotice(vippsMessage(error), error?.code);
    }
  });
}
