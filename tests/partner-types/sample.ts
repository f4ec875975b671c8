// A partner's use of every public method and option of the package, checked by
// `tsc --strict --noEmit` against the shipped pkg/ types (./dev test). Never run.
import init, { IdCapture, IdCaptureError } from "id-capture";
import type {
  DocumentCamera, HmsCardScan, IdCaptureConfig, IdCaptureErrorCode, MrzFields, Person, PhotoCorners, PhotoOptions, ProcessedPhoto,
  ScanStatus, StagedIdentity, StoredIdentity, SubmissionStatus, VippsLoginStatus,
} from "id-capture";

declare const video: HTMLVideoElement;
declare const file: File;
declare function show(text: string): void;

function messageFor(error: unknown): string {
  if (!(error instanceof IdCaptureError)) return "unexpected";
  const code: IdCaptureErrorCode = error.code;
  switch (code) {
    case "invalid_person":
      return `correct ${error.field ?? "the person"}`;
    case "not_an_hms_card":
      return `not an HMS card: ${error.kind ?? "unknown"}`;
    case "image_too_large":
      return `at most ${error.limit ?? 0} pixels, not ${error.width ?? 0} × ${error.height ?? 0}`;
    case "registry_unavailable":
      return `tried ${error.attempts ?? 0} times, last status ${error.status ?? "none"}`;
    case "registry_rejected":
      return error.problemType ?? "refused";
    case "capture_unavailable":
      return "capture stopped";
    case "photo_released":
      return "take the photo again";
    default:
      return `${error.name}: ${error.code} ${error.message}`;
  }
}

async function main(): Promise<void> {
  await init();
  const session: string | undefined = IdCapture.sessionFromUrl(location.href) ?? undefined;
  history.replaceState(null, "", IdCapture.urlWithoutSession(location.href));
  const config: IdCaptureConfig = {
    registryUrl: "https://registry.example",
    ...(session ? { session } : {}),
    hmsRules: { allowedHosts: ["hmskort.no"], requireHttps: true, pathPrefix: "/kort/", queryParameter: null, referenceMinLength: 6, referenceMaxLength: 20, referenceCharset: "alphanumeric" },
    retry: { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 30000, attemptTimeoutMs: 15000 },
  };
  const capture = new IdCapture(config);
  new IdCapture().free();

  // HMS card.
  const controller = new AbortController();
  const onStatus = (status: ScanStatus): void => {
    if (status.state === "not_an_hms_card") show(status.kind);
    else if (status.state === "searching") show(String(status.torchAvailable));
  };
  const scanned: HmsCardScan = await capture.scanHmsCard(video, {
    onStatus,
    onReady: ({ torchAvailable, setTorch }) => { if (torchAvailable) setTorch(true); },
    signal: controller.signal,
  });
  const fromPhoto: HmsCardScan = await capture.scanHmsCardPhoto(file);
  const onSubmission = (status: SubmissionStatus): void => show(status.state === "waiting" ? `${status.reason} ${status.delay_ms}` : `${status.attempt}`);
  const staged: StagedIdentity = await capture.lookUpHmsCard(scanned.hmsCardReference || fromPhoto.hmsCardReference, "1985-03-14", { onStatus: onSubmission });
  show(`${staged.stage_id} ${staged.expires_at} ${staged.person.surname} ${staged.employer?.organisation_number ?? ""}`);
  const stored: StoredIdentity = await capture.confirmIdentity(staged.stage_id, { idempotencyKey: IdCapture.newIdempotencyKey(), onStatus: onSubmission });
  show(stored.identity_id);

  // ID document.
  const camera: DocumentCamera = await capture.openDocumentCamera(video);
  const still: Blob = await camera.takePhoto();
  camera.stop();
  await capture.preparePhoto();
  const options: PhotoOptions = { maxEdge: 1600, maxBytes: 300000, thumbnailMaxEdge: 320, skipMrz: false };
  const photo: ProcessedPhoto = await capture.processPhoto(still, options);
  const jpeg: Blob = photo.jpeg;
  const thumbnail: Blob | undefined = photo.thumbnail;
  show(`${jpeg.size} ${thumbnail?.size} ${photo.width}×${photo.height} ${photo.bytes} ${photo.jpegQuality} ${photo.shrunkToFit} ${photo.confidence}`);
  show(`${photo.documentFound} ${photo.sourceWidth}×${photo.sourceHeight} ${photo.quality.tooDark} ${photo.quality.tooBlurry} ${photo.quality.glare} ${photo.quality.documentTooSmall}`);
  const mrz: MrzFields | null = photo.mrz;
  const mrzError: IdCaptureErrorCode | null = photo.mrzError;
  const corners: PhotoCorners = photo.corners.map(({ x, y }) => ({ x: x + 1, y }));
  const recropped: ProcessedPhoto = await photo.recrop(corners, { maxEdge: 1200 });
  await recropped.recrop(corners);
  const read: Person = mrz?.person ?? { given_names: "ANNA MARIA", surname: "ERIKSSON", date_of_birth: "1974-08-12", nationality: null };
  show(`${mrz?.kind} ${mrz?.namesNeedConfirmation} ${mrz?.namesTruncated} ${mrz?.dateOfBirthNeedsConfirmation} ${mrz?.nationalityNeedsConfirmation} ${mrzError}`);
  try {
    const person: Person = capture.checkPerson(read);
    await capture.submitDocument(person, { source: mrz ? "mrz" : "typed", correctedByUser: false, idempotencyKey: IdCapture.newIdempotencyKey(), onStatus: onSubmission });
  } catch (error) {
    show(messageFor(error));
  }

  // Vipps Login.
  const fromVipps: StagedIdentity | null = await capture.completeVippsLogin(location.href, { idempotencyKey: IdCapture.newIdempotencyKey() });
  if (fromVipps === null) {
    const status: VippsLoginStatus | null = await capture.vippsLoginStatus();
    if (status?.status === "waiting") capture.forgetVippsLogin();
    else await capture.startVippsLogin();
  }

  // Errors a page makes to test its own handling.
  const made = new IdCaptureError("invalid_person", "the surname is missing", { field: "surname" });
  const asError: Error = made;
  show(messageFor(asError));
  capture.dispose();
}

main().catch((error: unknown) => show(messageFor(error)));
