// The browser path of IdCapture.processPhoto, at the output's scale. The
// browser decodes (EXIF applied) and scales natively; the module (passed in,
// so bench/photo.html runs this same file) sees only a ~512 px preview to find
// the document and then the document's bounding box drawn at about the output
// size: never the 12 MP photo, whose read-back and copy into wasm cost more
// than all our processing. For a JPEG of 12 MP and more the preview is the
// file's own DC terms, searched while the browser decodes on its own thread.
// The browser's JPEG encoder encodes, driven by the module's budget search;
// the module strips and checks what it returns.

const JPEG = "image/jpeg";

/** The file decoded by the browser with its EXIF orientation applied, or null when it cannot. */
export async function decodeInBrowser(file) {
  if (typeof createImageBitmap !== "function" || typeof OffscreenCanvas !== "function") return null;
  try {
    return await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return null;
  }
}

/** RGBA of a rectangle of the bitmap drawn at `drawnWidth × drawnHeight`. */
function drawRegion(bitmap, x, y, width, height, drawnWidth, drawnHeight) {
  const canvas = new OffscreenCanvas(drawnWidth, drawnHeight);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  // Shrinking by more than 2:1, "medium" (mipmaps) keeps the preview from
  // aliasing; nearer the photo's scale plain bilinear ("low") is enough and
  // spares building the mipmaps of the whole photo.
  context.imageSmoothingQuality = drawnWidth * 2 < width ? "medium" : "low";
  context.drawImage(bitmap, x, y, width, height, 0, 0, drawnWidth, drawnHeight);
  return new Uint8Array(context.getImageData(0, 0, drawnWidth, drawnHeight).data.buffer);
}

/** Offers the browser's encodings as the crop's budget search asks; the module's own encoder takes over in finish(). */
async function encodeAndFinish(crop) {
  try {
    const { width, height } = crop;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext("2d");
    // A view of the module's memory: put at once, before any other call into the module.
    const rgba = crop.rgbaView();
    context.putImageData(new ImageData(new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.byteLength), width, height), 0, 0);
    for (let quality = crop.nextJpegQuality(); quality !== undefined; quality = crop.nextJpegQuality()) {
      const blob = await canvas.convertToBlob({ type: JPEG, quality: quality / 100 });
      // A browser without a JPEG encoder answers with PNG.
      if (blob.type !== JPEG) break;
      if (!crop.offerJpeg(quality, new Uint8Array(await blob.arrayBuffer()))) break;
    }
  } catch {
    // No usable browser encoder: finish() encodes with ours.
  }
  return crop.finish();
}

/**
 * The document search on the JPEG's own 1/8-scale preview, or null (not a
 * JPEG of 12 MP or more, a variant the module does not read, no module support).
 */
async function searchFilePreview(module, file) {
  if (typeof module.findPhotoDocumentInJpeg !== "function") return null;
  try {
    return module.findPhotoDocumentInJpeg(new Uint8Array(await file.arrayBuffer()));
  } catch (error) {
    // A cut or damaged file is named (the browser would fill the gap with grey);
    // any other trouble leaves the decision to the browser's decoder.
    if (error?.code === "image_incomplete") throw error;
    return null;
  }
}

/**
 * Finds, straightens, assesses and encodes the document in `bitmap` (or crops
 * at `corners` the user placed, in upright photo pixels). Returns what
 * `PhotoSession.process` returns. `onStage(name)` marks the end of each step.
 * `storedAs` is the EXIF orientation the bitmap's pixels still need (1: the
 * browser applied it). `found` is a search already made on the file's own
 * preview: used when it describes a photo of the bitmap's (upright) size.
 */
export async function processBitmap(module, bitmap, options, { corners, found, storedAs = 1, onStage = () => {} } = {}) {
  const swapsAxes = storedAs >= 5;
  const [width, height] = swapsAxes ? [bitmap.height, bitmap.width] : [bitmap.width, bitmap.height];
  let detection = null;
  if (!corners && found && found.photoWidth === width && found.photoHeight === height) {
    detection = { corners: found.corners, documentFound: found.documentFound, confidence: found.confidence };
  } else if (!corners) {
    const [previewWidth, previewHeight] = module.photoPreviewSize(bitmap.width, bitmap.height);
    const preview = drawRegion(bitmap, 0, 0, bitmap.width, bitmap.height, previewWidth, previewHeight);
    onStage("draw preview");
    detection = module.findPhotoDocument(previewWidth, previewHeight, preview, width, height, storedAs);
    onStage("wasm: find on preview");
  }
  const region = module.planPhotoRegion(corners ?? detection.corners, width, height, options, storedAs);
  const pixels = drawRegion(bitmap, region.x, region.y, region.width, region.height, region.drawnWidth, region.drawnHeight);
  onStage("draw document region");
  const crop = corners
    ? module.cropPhotoRegionWithCorners(corners, region, pixels, width, height, options, storedAs)
    : module.cropPhotoRegion(detection, region, pixels, width, height, options, storedAs);
  onStage("wasm: refine + warp + assess");
  try {
    const result = await encodeAndFinish(crop);
    onStage("encode (browser) + result");
    return result;
  } finally {
    crop.free();
  }
}

/** Bytes of the file's head that hold its EXIF segment (and, nearly always, every header segment). */
const HEAD_BYTES = 128 * 1024;

/**
 * What the browser should decode: the file itself, or, when its EXIF says
 * to rotate or mirror, the file with a head that says upright, so the pixels
 * come as stored and the module turns the document upright in its warp (a
 * region of a rotated bitmap draws at half the speed). `storedAs` is the
 * orientation the decoded pixels then still need.
 */
async function sourceToDecode(module, file, bytes) {
  if (typeof module.jpegHeadAsStored !== "function") return { source: file, storedAs: 1 };
  try {
    const head = bytes ? bytes.subarray(0, HEAD_BYTES) : new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
    const asStored = module.jpegHeadAsStored(head);
    if (!asStored) return { source: file, storedAs: 1 };
    return { source: new Blob([asStored.head, file.slice(head.length)], { type: "image/jpeg" }), storedAs: asStored.orientation };
  } catch {
    return { source: file, storedAs: 1 };
  }
}

/**
 * Decodes `file` in the browser and processes it: { bitmap, storedAs,
 * result }, the bitmap left open for re-cropping; null when the browser
 * cannot decode it. `bytes`: the file's bytes when the caller has read them
 * (its head is then not read again).
 */
export async function decodeAndProcess(module, file, options, { bytes, onStage = () => {} } = {}) {
  const { source, storedAs: sourceStoredAs } = await sourceToDecode(module, file, bytes);
  let storedAs = sourceStoredAs;
  const decoding = decodeInBrowser(source);
  // The browser decodes on another thread once it has read the file; the
  // file read here ends after the browser's, so the search below runs beside
  // the decode (started at once, it held the decode back: measured).
  const found = await searchFilePreview(module, file);
  onStage("wasm: find on the file's preview");
  let bitmap = await decoding;
  if (!bitmap && storedAs !== 1) {
    // A browser that refuses the rewritten head decodes the file as it is.
    storedAs = 1;
    bitmap = await decodeInBrowser(file);
  }
  if (!bitmap) return null;
  onStage("createImageBitmap");
  try {
    return { bitmap, storedAs, result: await processBitmap(module, bitmap, options, { found, storedAs, onStage }) };
  } catch (error) {
    bitmap.close();
    throw error;
  }
}

/** One file through the browser path (the benchmark's entry); null when the browser cannot decode it. */
export async function processPhotoInBrowser(module, file, options, { onStage = () => {} } = {}) {
  const outcome = await decodeAndProcess(module, file, options, { onStage });
  outcome?.bitmap.close();
  return outcome?.result ?? null;
}

/**
 * Runs every step once on a small photo drawn here, so the engine has
 * compiled the module's functions and the browser has set up its canvas and
 * JPEG encoder before the user's photo arrives (measured: the first photo
 * after a page load took about twice as long as the next). Errors are
 * swallowed: a warm-up that fails only means a slower first photo.
 */
export async function warmUp(module) {
  try {
    const canvas = new OffscreenCanvas(960, 720);
    const context = canvas.getContext("2d");
    context.fillStyle = "#4a4f55";
    context.fillRect(0, 0, 960, 720);
    context.fillStyle = "#e8e4da";
    context.fillRect(180, 190, 600, 378);
    const file = await canvas.convertToBlob({ type: JPEG, quality: 0.9 });
    module.warmUpPhotoSearch?.(new Uint8Array(await file.arrayBuffer()));
    const outcome = await decodeAndProcess(module, file, {});
    outcome?.bitmap.close();
  } catch {
    // Nothing to report: the real photo takes its own path.
  }
}
