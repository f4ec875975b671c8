// A partner's page that drops in <id-capture>, as a bundler builds it: the
// element by its package export, listened to for what happened.
import "id-capture/element";

window.partnerEvents = [];
const element = document.querySelector("id-capture");
for (const type of ["registered", "error", "cancelled"]) {
  element.addEventListener(type, (event) => window.partnerEvents.push({ type, detail: event.detail }));
}
if (element.dataset.ready) document.body.dataset.ready = "true";
else element.addEventListener("ready", () => (document.body.dataset.ready = "true"), { once: true });
