/**
 * Codes pasted onto a shared photo at known places, for the barcode and QR code blocks: linear
 * codes drawn by ZXing-C++'s writer (zxing-wasm/writer), QR codes by `qrcode` (another encoder than
 * either reader). Each code's expected box is the extent of its dark modules where it was pasted,
 * measured on the raster pasted, not by any reader.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import QRCode from "qrcode";
import sharp, { type OverlayOptions } from "sharp";
import { inputLineage, WorkflowImage } from "@cvflow/vision";
import { sharedPhoto } from "@cvflow/vision/test-assets";

export interface PastedCode {
  text: string;
  /** x1, y1, x2, y2 of the dark modules (x2, y2 exclusive), in the photo. */
  box: [number, number, number, number];
}

export interface CodeSpec {
  text: string;
  format: "Code128" | "EAN13" | "QRCode";
  at: [number, number];
  /** Pixels per module. */
  scale: number;
  rotate?: 180;
}

let writer: Promise<typeof import("zxing-wasm/writer")> | undefined;

function zxingWriter(): Promise<typeof import("zxing-wasm/writer")> {
  writer ??= (async () => {
    const module = await import("zxing-wasm/writer");
    const file = await readFile(createRequire(import.meta.url).resolve("zxing-wasm/writer/zxing_writer.wasm"));
    await module.prepareZXingModule({ overrides: { wasmBinary: file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer }, fireImmediately: true });
    return module;
  })();
  return writer;
}

/** A code as a gray PNG with a white quiet zone. */
async function codePng(spec: CodeSpec): Promise<Buffer> {
  if (spec.format === "QRCode") return QRCode.toBuffer(spec.text, { type: "png", scale: spec.scale, margin: 4, errorCorrectionLevel: "M" });
  const { svg, error } = await (await zxingWriter()).writeBarcode(spec.text, { format: spec.format, scale: spec.scale, addQuietZones: true, addHRT: false });
  if (error) throw new Error(error);
  return sharp(Buffer.from(svg)).flatten({ background: "#ffffff" }).png().toBuffer();
}

/** Bounding box of the pixels darker than 128 in a gray raster. */
function darkBox(data: Uint8Array, width: number, height: number): [number, number, number, number] {
  let [x1, y1, x2, y2] = [width, height, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x]! >= 128) continue;
      x1 = Math.min(x1, x);
      y1 = Math.min(y1, y);
      x2 = Math.max(x2, x + 1);
      y2 = Math.max(y2, y + 1);
    }
  }
  return [x1, y1, x2, y2];
}

/** `photo` (a shared one) with the codes pasted on it, as an input image, and where each code's modules are. */
export async function codesOnPhoto(photo: string, specs: readonly CodeSpec[]): Promise<{ image: WorkflowImage; codes: PastedCode[] }> {
  const layers: OverlayOptions[] = [];
  const codes: PastedCode[] = [];
  for (const spec of specs) {
    let code = sharp(await codePng(spec)).greyscale();
    if (spec.rotate) code = code.rotate(spec.rotate);
    const { data, info } = await code.raw().toBuffer({ resolveWithObject: true });
    const [x1, y1, x2, y2] = darkBox(new Uint8Array(data), info.width, info.height);
    const [left, top] = spec.at;
    codes.push({ text: spec.text, box: [left + x1, top + y1, left + x2, top + y2] });
    layers.push({ input: await sharp(data, { raw: info }).png().toBuffer(), left, top });
  }
  const { data, info } = await sharp(sharedPhoto(photo)).removeAlpha().composite(layers).raw().toBuffer({ resolveWithObject: true });
  const pixels = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 as const };
  return { image: new WorkflowImage(pixels, inputLineage("image")), codes };
}
