// A staged identity (an HMS card holder or a Vipps person): the registry found
// it but stores nothing until the worker confirms here.
import { IdCapture } from "../package.js";
import { $, addSummaryRow, emitCancelled, emitError, messageFor, page, show, showMethodsNotice, showStored, statusText } from "../ui.js";

let pending = null; // { staged, method, idempotencyKey }

function setStatus(text, kind = "") {
  const status = $("#staged-status");
  status.className = `notice ${kind}`.trim();
  status.textContent = text;
  status.hidden = !text;
}

/** Shows who the registry found (by `method`: "hms-card" or "vipps") and asks the worker to confirm. */
export function showStaged(staged, method) {
  // One key per staged identity: a retry after a lost answer stores nothing twice.
  pending = { staged, method, idempotencyKey: IdCapture.newIdempotencyKey() };
  const list = $("#staged-person");
  list.replaceChildren();
  addSummaryRow(list, page.t("person.given_names"), staged.person.given_names);
  addSummaryRow(list, page.t("person.surname"), staged.person.surname);
  addSummaryRow(list, page.t("person.date_of_birth"), staged.person.date_of_birth);
  if (staged.employer) addSummaryRow(list, page.t("done.employer"), `${staged.employer.name} (${staged.employer.organisation_number})`);
  setStatus("");
  $("#staged-confirm").disabled = false;
  show("screen-staged");
}

async function confirm() {
  if (!pending) return;
  const button = $("#staged-confirm");
  button.disabled = true;
  setStatus(page.t("submit.sending"));
  try {
    const stored = await page.capture.confirmIdentity(pending.staged.stage_id, {
      idempotencyKey: pending.idempotencyKey,
      onStatus: (progress) => setStatus(statusText(progress)),
    });
    pending = null;
    showStored(stored);
  } catch (error) {
    setStatus(messageFor(error), "error");
    emitError(error);
    // A used or expired stage cannot be confirmed again: only a new lookup helps.
    button.disabled = error?.code === "stage_not_found" || error?.code === "session_closed";
    button.dataset.errorCode = error?.code ?? "";
    // Confirm lost the focus when it was disabled: back on it to try again, else on "not me".
    (button.disabled ? $("#staged-reject") : button).focus();
  }
}

export function wireStagedFlow() {
  $("#staged-confirm").addEventListener("click", confirm);
  $("#staged-reject").addEventListener("click", () => {
    // Nothing was stored; the stage expires by itself.
    const method = pending?.method;
    pending = null;
    showMethodsNotice("");
    show("screen-methods");
    emitCancelled(method);
  });
}
