// The element's markup: every screen of the three flows, in its shadow root.
// Texts come from the catalogues (data-i18n); values are only ever set as text.
export const TEMPLATE = `
  <p id="startup-error" class="notice error" role="alert" hidden></p>

  <!-- 1. Choose how to identify -->
  <section id="screen-methods" class="screen" hidden>
    <h2 data-i18n="methods.heading"></h2>
    <p id="methods-notice" class="notice error" role="alert" hidden></p>
    <p data-i18n="methods.intro"></p>
    <div class="methods">
      <button type="button" class="method" id="method-hms-card"><strong data-i18n="methods.hms_card"></strong><span data-i18n="methods.hms_card_hint"></span></button>
      <button type="button" class="method" id="method-document"><strong data-i18n="methods.document"></strong><span data-i18n="methods.document_hint"></span></button>
      <button type="button" class="method" id="method-vipps"><strong data-i18n="methods.vipps"></strong><span data-i18n="methods.vipps_hint"></span></button>
    </div>
    <p class="small" data-i18n="privacy.summary"></p>
  </section>

  <!-- 2b. HMS card: camera viewfinder, with a photo as the fallback -->
  <section id="screen-hms" class="screen" hidden>
    <h2 data-i18n="hms.heading"></h2>
    <div class="viewfinder">
      <video id="hms-video" playsinline muted></video>
      <div class="scan-box" aria-hidden="true"></div>
    </div>
    <p id="hms-status" class="notice" role="status" aria-live="polite"></p>
    <div class="actions">
      <button type="button" class="secondary" id="hms-cancel" data-i18n="common.back"></button>
      <button type="button" class="secondary" id="hms-torch" hidden data-i18n="hms.torch"></button>
      <button type="button" id="hms-restart" hidden data-i18n="common.try_again"></button>
    </div>
    <form id="hms-dob-form" novalidate hidden>
      <p data-i18n="hms.dob_intro"></p>
      <label><span data-i18n="hms.dob_label"></span><input id="hms-dob" name="date_of_birth" type="date" required aria-describedby="hms-dob-error"></label>
      <p id="hms-dob-error" class="field-error" role="alert" hidden></p>
      <div class="actions"><button type="submit" data-i18n="common.continue"></button></div>
    </form>
    <label class="file-fallback"><span data-i18n="hms.photo_instead"></span>
      <input type="file" id="hms-photo" accept="image/*" capture="environment"></label>
  </section>

  <!-- 3b. The person the registry found (HMS card, Vipps): nothing is stored before the worker confirms -->
  <section id="screen-staged" class="screen" hidden>
    <h2 data-i18n="staged.heading"></h2>
    <p data-i18n="staged.intro"></p>
    <dl id="staged-person" class="summary"></dl>
    <p id="staged-status" class="notice" role="status" aria-live="polite" hidden></p>
    <div class="actions">
      <button type="button" class="secondary" id="staged-reject" data-i18n="staged.not_me"></button>
      <button type="button" id="staged-confirm" data-i18n="staged.confirm"></button>
    </div>
  </section>

  <!-- 2a. ID document: a photo read on the device, or typed entry beside it -->
  <section id="screen-document" class="screen" hidden>
    <h2 data-i18n="document.heading"></h2>
    <div id="photo-step">
      <p data-i18n="document.photo_intro"></p>
      <div class="actions">
        <label class="button-like"><span data-i18n="document.take_or_choose"></span>
          <input type="file" id="document-photo" class="visually-hidden" accept="image/*" capture="environment"></label>
        <button type="button" class="secondary" id="document-use-camera" data-i18n="document.use_camera"></button>
        <button type="button" class="secondary" id="document-type-instead" data-i18n="document.type_instead"></button>
      </div>
      <p id="photo-status" class="notice" role="status" aria-live="polite" hidden></p>
    </div>
    <div id="document-camera" hidden>
      <div class="viewfinder document"><video id="document-video" playsinline muted></video></div>
      <div class="actions">
        <button type="button" class="secondary" id="document-camera-cancel" data-i18n="common.back"></button>
        <button type="button" id="document-take-photo" data-i18n="document.take_photo"></button>
      </div>
    </div>
    <figure id="photo-result" hidden>
      <img id="photo-crop" alt="">
      <figcaption id="photo-advice" class="small"></figcaption>
      <div class="actions">
        <button type="button" class="secondary" id="photo-retake" data-i18n="document.retake"></button>
        <button type="button" class="secondary" id="photo-adjust" data-i18n="document.adjust"></button>
      </div>
    </figure>
    <div id="corner-editor" hidden>
      <p class="small" id="corner-help" data-i18n="document.adjust_intro"></p>
      <div class="corner-stage"><img id="corner-photo" alt=""><svg id="corner-outline" aria-hidden="true"><polygon></polygon></svg></div>
      <div class="actions">
        <button type="button" class="secondary" id="corner-cancel" data-i18n="common.back"></button>
        <button type="button" id="corner-apply" data-i18n="document.apply_corners"></button>
      </div>
    </div>
    <form id="typed-entry" novalidate hidden>
      <p data-i18n="document.typed_intro"></p>
      <label><span data-i18n="person.given_names"></span><input name="given_names" autocomplete="off" maxlength="100"></label>
      <label><span data-i18n="person.surname"></span><input name="surname" autocomplete="off" maxlength="100" required></label>
      <label><span data-i18n="person.date_of_birth"></span><input name="date_of_birth" type="date" required></label>
      <label><span data-i18n="person.nationality"></span><select name="nationality" class="nationality"></select></label>
      <p class="field-error" role="alert" hidden></p>
      <div class="actions">
        <button type="button" class="secondary" data-action="back" data-i18n="common.back"></button>
        <button type="submit" data-i18n="common.continue"></button>
      </div>
    </form>
  </section>

  <!-- 3. Confirm (and correct) exactly what will be sent -->
  <section id="screen-confirm" class="screen" hidden>
    <h2 data-i18n="confirm.heading"></h2>
    <p data-i18n="confirm.intro"></p>
    <p id="confirm-names-note" class="notice" hidden data-i18n="confirm.check_names"></p>
    <p id="confirm-date-note" class="notice" hidden data-i18n="confirm.check_date_of_birth"></p>
    <p id="confirm-nationality-note" class="notice" hidden data-i18n="confirm.check_nationality"></p>
    <img id="confirm-photo" alt="" hidden>
    <form id="confirm-form" novalidate>
      <label><span data-i18n="person.given_names"></span><input name="given_names" autocomplete="off" maxlength="100"></label>
      <label><span data-i18n="person.surname"></span><input name="surname" autocomplete="off" maxlength="100"></label>
      <label><span data-i18n="person.date_of_birth"></span><input name="date_of_birth" type="date"></label>
      <label><span data-i18n="person.nationality"></span><select name="nationality" class="nationality"></select></label>
      <p class="field-error" role="alert" hidden></p>
      <p class="small" data-i18n="confirm.only_these"></p>
      <div class="actions">
        <button type="button" class="secondary" data-action="back" data-i18n="common.back"></button>
        <button type="submit" id="send" data-i18n="confirm.send"></button>
      </div>
    </form>
    <p id="submit-status" class="notice" role="status" aria-live="polite" hidden></p>
    <button type="button" id="retry-submit" hidden data-i18n="common.try_again"></button>
  </section>

  <!-- 2c. Back from Vipps: the registry exchanges the code -->
  <section id="screen-vipps" class="screen" hidden>
    <h2 data-i18n="vipps.heading"></h2>
    <p id="vipps-status" class="notice" role="status" aria-live="polite"></p>
    <button type="button" id="vipps-done-elsewhere" hidden data-action="restart" data-i18n="done.again"></button>
  </section>

  <!-- 4. The registry's answer -->
  <section id="screen-done" class="screen" hidden>
    <h2 data-i18n="done.heading"></h2>
    <dl id="stored-person" class="summary"></dl>
    <button type="button" data-action="restart" data-i18n="done.again"></button>
  </section>
`;
