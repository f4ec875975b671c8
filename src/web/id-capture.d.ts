/** Stable error codes: switch on `err.code`, never on the message. Never renamed. */
export type IdCaptureErrorCode =
  | "invalid_config" | "invalid_person"
  | "no_qr_code_found" | "not_an_hms_card" | "invalid_pixels" | "camera_denied" | "camera_unavailable" | "capture_unavailable"
  | "image_too_large" | "image_corrupt" | "image_incomplete" | "image_unsupported" | "image_empty" | "no_document_found" | "byte_budget_unreachable" | "photo_released"
  | "no_mrz_found" | "mrz_invalid" | "mrz_checks_failed"
  | "vipps_cancelled" | "vipps_provider_error" | "vipps_state_missing"
  | "vipps_issuer_mismatch" | "vipps_code_missing" | "vipps_callback_invalid"
  | "registry_unavailable" | "registry_rejected" | "hms_card_not_valid" | "hms_card_not_found" | "session_invalid" | "session_closed"
  | "vipps_exchange_failed" | "vipps_invalid_token" | "idempotency_conflict"
  | "stage_not_found" | "vipps_login_not_found" | "vipps_login_expired" | "vipps_login_in_progress"
  | "internal";

/** The field of a `Person` to correct. */
export type PersonField = "given_names" | "surname" | "date_of_birth" | "nationality";

/** Details an `IdCaptureError` may carry besides its code. */
export interface IdCaptureErrorDetails {
  /** `invalid_person`: the field to correct. */
  field?: PersonField;
  /** `not_an_hms_card`: what the code was instead (`"wifi_config"`, `"other_url"`, …), never its content. */
  kind?: string;
  /** `image_too_large`: the most pixels a photo may have, and the photo's size. */
  limit?: number;
  width?: number;
  height?: number;
  /** Registry errors: the last HTTP status seen. */
  status?: number;
  /** `registry_unavailable`: how many attempts were made. */
  attempts?: number;
  /** `registry_rejected` and the registry's other refusals: the RFC 9457 problem type. */
  problemType?: string;
}

/**
 * Every error the module throws or rejects with (except an `AbortError` when
 * the page's own `signal` aborts a scan). Test with `instanceof`, switch on `code`.
 */
export class IdCaptureError extends Error implements IdCaptureErrorDetails {
  /** Made by the module; a page may make one to test its own error handling. */
  constructor(code: IdCaptureErrorCode, message: string, details?: IdCaptureErrorDetails);
  name: "IdCaptureError";
  code: IdCaptureErrorCode;
  field?: PersonField;
  kind?: string;
  limit?: number;
  width?: number;
  height?: number;
  status?: number;
  attempts?: number;
  problemType?: string;
}

/** The only facts about a person that leave the phone (Registry API v2, docs/registry-api.md). */
export interface Person {
  given_names: string;
  surname: string;
  /** ISO `YYYY-MM-DD`. */
  date_of_birth: string;
  /** ICAO 9303 / ISO 3166-1 alpha-3, e.g. "NOR"; null where unknown. */
  nationality: string | null;
}

export interface Employer {
  name: string;
  organisation_number: string;
}

export interface StoredIdentity {
  identity_id: string;
  person: Person;
  employer?: Employer;
}

/** A person the registry found (HMS card) or was told (Vipps), not yet stored:
 * show it, and store it with `confirmIdentity(stage_id)` within 10 minutes. */
export interface StagedIdentity {
  stage_id: string;
  /** RFC 3339, UTC. */
  expires_at: string;
  person: Person;
  employer?: Employer;
}

/** What the tab that started a Vipps login may learn of it: never the person. */
export interface VippsLoginStatus {
  status: "waiting" | "completed" | "cancelled" | "failed" | "expired";
}

export interface IdCaptureConfig {
  /** Registry base URL: https, or http on localhost; omit for the page's own origin. */
  registryUrl?: string;
  /** The onboarding session token from the partner's link (`IdCapture.sessionFromUrl(location.href)`). */
  session?: string;
  /** What counts as an HMS card QR code; defaults to hmskort.no. */
  hmsRules?: HmsRules;
  /** Registry calls retry network errors, timeouts, 408, 429 and 5xx with backoff. */
  retry?: RetryOptions;
}

export interface RetryOptions {
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxRetryAfterMs?: number;
  attemptTimeoutMs?: number;
}

/** What counts as an HMS card QR code (docs/qr-and-hms.md); defaults: https URLs on hmskort.no and its subdomains. */
export interface HmsRules {
  allowedHosts?: string[];
  requireHttps?: boolean;
  pathPrefix?: string;
  queryParameter?: string | null;
  referenceMinLength?: number;
  referenceMaxLength?: number;
  referenceCharset?: "alphanumeric" | "alphanumericDashUnderscore" | "digits";
}

/** Progress of a registry call, for the page to show while it waits. */
export type SubmissionStatus =
  | { state: "sending"; attempt: number }
  | { state: "waiting"; attempt: number; delay_ms: number; reason: "unreachable" | "timed_out" | "busy" | "server_error" };

export interface RequestOptions {
  onStatus?: (status: SubmissionStatus) => void;
}

export interface SubmitOptions extends RequestOptions {
  /** One key per capture (`IdCapture.newIdempotencyKey()`); reuse it when the user retries. */
  idempotencyKey?: string;
}

export interface SubmitDocumentOptions extends SubmitOptions {
  source: "mrz" | "typed";
  /** True when the user changed anything the module read. */
  correctedByUser?: boolean;
}

export interface HmsCardScan {
  hmsCardReference: string;
}

export type ScanStatus =
  | { state: "searching"; torchAvailable?: boolean }
  | { state: "found" }
  | { state: "not_an_hms_card"; kind: string };

export interface TorchControls {
  torchAvailable: boolean;
  setTorch(on: boolean): void;
}

export interface ScanHmsCardOptions {
  onStatus?: (status: ScanStatus) => void;
  /** Called once the camera runs: a torch switch where the camera has one. */
  onReady?: (controls: TorchControls) => void;
  /** Aborting stops the camera; the scan then rejects with the platform's `AbortError`. */
  signal?: AbortSignal;
}

export interface DocumentCamera {
  /** A still at the best resolution the camera offers. */
  takePhoto(): Promise<Blob>;
  stop(): void;
}

export interface PhotoOptions {
  /** Longest edge of the JPEG, in pixels. */
  maxEdge?: number;
  /** Most bytes the JPEG may have. */
  maxBytes?: number;
  /** Also make a thumbnail this long at most. */
  thumbnailMaxEdge?: number;
  /** Do not look for an MRZ (e.g. a driving licence). */
  skipMrz?: boolean;
}

export interface PhotoPoint {
  x: number;
  y: number;
}

/** Top-left, top-right, bottom-right, bottom-left in the upright photo's pixels. */
export type PhotoCorners = PhotoPoint[];

export interface PhotoQuality {
  tooDark: boolean;
  tooBlurry: boolean;
  glare: boolean;
  documentTooSmall: boolean;
}

/** The three fields read from an MRZ whose check digits all passed. */
export interface MrzFields {
  person: Person;
  kind: "TD1" | "TD2" | "TD3" | "MRV-A" | "MRV-B";
  /** Names carry no check digit: ask the user to look at them when true. */
  namesNeedConfirmation: boolean;
  namesTruncated: boolean;
  dateOfBirthNeedsConfirmation: boolean;
  nationalityNeedsConfirmation: boolean;
}

export interface ProcessedPhoto {
  /** The cropped, compressed photo without metadata: it stays on the phone. */
  jpeg: Blob;
  /** With `thumbnailMaxEdge`. */
  thumbnail?: Blob;
  width: number;
  height: number;
  bytes: number;
  jpegQuality: number;
  shrunkToFit: boolean;
  documentFound: boolean;
  confidence: number;
  corners: PhotoCorners;
  sourceWidth: number;
  sourceHeight: number;
  quality: PhotoQuality;
  /** Null when no MRZ was read (see `mrzError`) or with `skipMrz`. */
  mrz: MrzFields | null;
  /** Why `mrz` is null: `no_mrz_found`, `mrz_invalid`, `mrz_checks_failed`; null otherwise. */
  mrzError: IdCaptureErrorCode | null;
  /** The same photo again with corners the user moved (no second decode); `photo_released` once it is no longer kept. */
  recrop(corners: PhotoCorners, options?: PhotoOptions): Promise<ProcessedPhoto>;
}

/**
 * Made once per page with its configuration. Methods reject with an
 * `IdCaptureError` (`err.code` lists below). `dispose()` stops its capture
 * worker and camera; after it, capture methods reject with `capture_unavailable`.
 */
export class IdCapture {
  /** Throws `invalid_config` when an option is unknown or out of range. */
  constructor(config?: IdCaptureConfig);
  /** Stops the capture worker and frees the module's memory for this object. */
  dispose(): void;
  /** Frees the module's memory for this object (`dispose()` does this too). */
  free(): void;

  /** A fresh idempotency key: one per capture, reused when the user retries it. */
  static newIdempotencyKey(): string;
  /** The onboarding session token in a partner's link (`#session=…`), or null. */
  static sessionFromUrl(href: string): string | null;
  /** `href` without the session token in its fragment, for `history.replaceState`. */
  static urlWithoutSession(href: string): string;

  /** The person as it would be sent (trimmed, nationality upper-case). Throws `invalid_person` with `field`. */
  checkPerson(person: Person): Person;

  /** Scans with the rear camera into `video` until an HMS card's QR code is read.
   * Rejects with `camera_denied`, `camera_unavailable`, `capture_unavailable`, or `AbortError`. */
  scanHmsCard(video: HTMLVideoElement, options?: ScanHmsCardOptions): Promise<HmsCardScan>;
  /** Reads an HMS card from a photo: `no_qr_code_found`, `not_an_hms_card` (with `kind`), `image_corrupt`. */
  scanHmsCardPhoto(file: Blob): Promise<HmsCardScan>;
  /** The holder printed on the card when the reference and the date of birth (`YYYY-MM-DD`) match;
   * `hms_card_not_found` whatever else, `invalid_person` (field `date_of_birth`) for a malformed date. */
  lookUpHmsCard(hmsCardReference: string, dateOfBirth: string, options?: RequestOptions): Promise<StagedIdentity>;
  /** Stores a staged identity the worker confirmed: `stage_not_found` when it expired or was used. */
  confirmIdentity(stageId: string, options?: SubmitOptions): Promise<StoredIdentity>;

  /** A live rear-camera preview in `video` for photographing a document: `camera_denied`, `camera_unavailable`. */
  openDocumentCamera(video: HTMLVideoElement): Promise<DocumentCamera>;
  /** Starts the capture worker and warms it up; resolves when ready, never rejects. */
  preparePhoto(): Promise<void>;
  /** Crops, compresses and reads the MRZ of a document photo in a worker: `image_*`, `byte_budget_unreachable`, `invalid_config`. */
  processPhoto(file: Blob, options?: PhotoOptions): Promise<ProcessedPhoto>;
  /** Sends a confirmed person read from (or typed beside) an ID document: `invalid_person`, registry codes. */
  submitDocument(person: Person, options: SubmitDocumentOptions): Promise<StoredIdentity>;

  /** Starts Vipps Login and leaves the page for Vipps. */
  startVippsLogin(): Promise<void>;
  /** On return from Vipps, in any tab: null when `href` is not a callback, else the staged person to confirm. */
  completeVippsLogin(href: string, options?: SubmitOptions): Promise<StagedIdentity | null>;
  /** In the tab that started a login: its status, or null when this tab started none. */
  vippsLoginStatus(): Promise<VippsLoginStatus | null>;
  /** Forgets a started login in this tab (the user chose another method). */
  forgetVippsLogin(): void;
}
