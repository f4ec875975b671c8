// A partner's page as a bundler builds it: the package by its npm name, its
// public API only. The end-to-end test calls `window.partnerApp`.
import init, { IdCapture } from "id-capture";

init().then(() => {
  let capture = new IdCapture({});
  window.partnerApp = {
    async processPhoto(file) {
      const photo = await capture.processPhoto(file);
      return { documentFound: photo.documentFound, jpegType: photo.jpeg.type, person: photo.mrz?.person ?? null };
    },
    async scanCardPhoto(file) {
      return (await capture.scanHmsCardPhoto(file)).hmsCardReference;
    },
    async scanCamera() {
      const scan = await capture.scanHmsCard(document.querySelector("#camera"));
      return { hmsCardReference: scan.hmsCardReference, cameraStopped: document.querySelector("#camera").srcObject === null };
    },
    restart() {
      capture.dispose();
      capture = new IdCapture({});
    },
  };
  document.body.dataset.ready = "true";
});
