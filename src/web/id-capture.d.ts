/** Stable error codes: switch on `err.code`, never on the message. */
export type IdCaptureErrorCode =
  | "invalid_config" | "invalid_person"
  | "no_qr_code_found" | "not_an_hms_card" | "invalid_pixels" | "camera_denied" | "camera_unavailable"
  | "image_too_large" | "image_corrupt" | "image_incomplete" | "image_unsupported" | "image_empty" | "no_document_found" | "byte_budget_unreachable"
  | "no_mrz_found" | "mrz_invalid" | "mrz_checks_failed"
  | "vipps_cancelled" | "vipps_provider_error" | "vipps_state_missing"
  | "vipps_issuer_mismatch" | "vipps_code_missing" | "vipps_callback_invalid"
  | "registry_unavailable" | "registry_rejected" | "hms_card_not_valid" | "hms_card_not_found" | "session_invalid" | "session_closed"
  | "vipps_exchange_failed" | "vipps_invalid_token" | "idempotency_conflict"
  | "stage_not_found" | "vipps_login_not_found" | "vipps_login_expired" | "vipps_login_in_progress"
  | "internal";

/** Every error the module throws or rejects with. */
export interface IdCaptureError extends Error {
  name: "IdCaptureError";
  code: IdCaptureErrorCode;
  /** `invalid_person`: the field to correct. */
  field?: "given_names" | "surname" | "date_of_birth" | "nationality";
  /** Registry errors: the last HTTP status seen. */
  status?: number;
  /** `registry_rejected` and friends: the RFC 9457 problem type. */
  problemType?: string;
  /** `registry_unavailable`: how many attempts were made. */
  attempts?: number;
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

export interface RequestOptions {
  onStatus?: (status: SubmissionStatus) => void;
}

export interface IdCaptureConfig {
  /** Registry base URL: https, or http on localhost; omit for the page's own origin. */
  registryUrl?: string;
  /** The onboarding session token from the partner's link (`IdCapture.sessionFromUrl(location.href)`). */
  session?: string;
  /** What counts as an HMS card QR code; defaults to hmskort.no. */
  hmsRules?: HmsRules;
  retry?: {
    maxAttempts?: number;
    baseDelayMs?: number;
    maxDelayMs?: number;
    maxRetryAfterMs?: number;
    attemptTimeoutMs?: number;
  };
}

/** Progress of a submission, for the page to show while it waits. */
export type SubmissionStatus =
  | { state: "sending"; attempt: number }
  | { state: "waiting"; attempt: number; delay_ms: number; reason: "unreachable" | "timed_out" | "busy" | "server_error" };

export interface SubmitOptions {
  /** One key per capture (IdCapture.newIdempotencyKey()); reuse it when the user retries. */
  idempotencyKey?: string;
  onStatus?: (status: SubmissionStatus) => void;
}

export interface SubmitDocumentOptions extends SubmitOptions {
  source: "mrz" | "typed";
  /** True when the user changed anything the module read. */
  correctedByUser?: boolean;
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

export interface ScanFrameOptions {
  scan?: { region?: { x: number; y: number; width: number; height: number }; maxAttempts?: number; maxWorkingEdge?: number };
  hmsRules?: HmsRules;
  /** Time budget for the frame: no further pass starts after it (at most 10 000). */
  maxMilliseconds?: number;
}

export interface HmsCardFrame {
  hmsCardReference: string;
  corners: { x: number; y: number }[];
}

export interface HmsCardScan {
  hmsCardReference: string;
}

export type ScanStatus =
  | { state: "searching"; torchAvailable?: boolean }
  | { state: "found" }
  | { state: "not_an_hms_card"; kind: string };

export interface ScanHmsCardOptions {
  onStatus?: (status: ScanStatus) => void;
  /** Called once the camera runs: a torch switch where the camera has one. */
  onReady?: (controls: { torchAvailable: boolean; setTorch(on: boolean): void }) => void;
  signal?: AbortSignal;
}

export interface DocumentCamera {
  /** A still at the best resolution the camera offers. */
  takePhoto(): Promise<Blob>;
  stop(): void;
}

export interface PhotoOptions {
  maxEdge?: number;
  maxBytes?: number;
  thumbnailMaxEdge?: number;
  /** Do not look for an MRZ (e.g. a driving licence). */
  skipMrz?: boolean;
}

export type PhotoCorners = { x: number; y: number }[];

export interface ProcessedPhotoResult {
  width: number; height: number; bytes: number; jpegQuality: number; shrunkToFit: boolean;
  documentFound: boolean; confidence: number;
  /** Top-left, top-right, bottom-right, bottom-left in the upright photo's pixels. */
  corners: PhotoCorners; sourceWidth: number; sourceHeight: number;
  quality: { tooDark: boolean; tooBlurry: boolean; glare: boolean; documentTooSmall: boolean };
  /** The three fields from an MRZ whose check digits all passed, or null. */
  mrz: { person: Person; kind: "TD1" | "TD2" | "TD3" | "MRV-A" | "MRV-B"; namesNeedConfirmation: boolean; namesTruncated: boolean; dateOfBirthNeedsConfirmation: boolean; nationalityNeedsConfirmation: boolean } | null;
  mrzError: IdCaptureErrorCode | null;
  jpeg: Uint8Array;
}

export interface ProcessedPhoto extends Omit<ProcessedPhotoResult, "jpeg"> {
  /** The cropped, compressed photo without metadata: it stays on the phone. */
  jpeg: Blob;
  thumbnail?: Blob;
  recrop(corners: PhotoCorners, options?: PhotoOptions): Promise<ProcessedPhoto>;
}
