/**
 * ZXing-C++ (zxing-wasm's reader, the library Roboflow's barcode block calls through Python's
 * zxingcpp), loaded on the first barcode read: about 0.5 s once per process, none for a process
 * that reads no barcode. zxing-wasm fetches its .wasm from a CDN unless given the binary: it is
 * read from the installed package (so bundles keep zxing-wasm external, installed beside them).
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { RawPixels } from "@cvflow/vision";
import type { ReadResult } from "zxing-wasm/reader";

type Reader = typeof import("zxing-wasm/reader");

let loading: Promise<Reader> | undefined;

function zxing(): Promise<Reader> {
  loading ??= (async () => {
    const reader = await import("zxing-wasm/reader");
    const file = await readFile(createRequire(import.meta.url).resolve("zxing-wasm/reader/zxing_reader.wasm"));
    const wasmBinary = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
    await reader.prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
    return reader;
  })();
  return loading;
}

/** Every barcode (any format ZXing reads, QR codes included, as zxingcpp's read_barcodes) in an RGB or gray image. */
export async function readBarcodes(pixels: RawPixels): Promise<ReadResult[]> {
  const reader = await zxing();
  const { width, height, channels, data } = pixels;
  // ZXing takes RGBA ImageData; it reduces it to luminance itself.
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < width * height; i++, j += channels) {
    rgba[i * 4] = data[j]!;
    rgba[i * 4 + 1] = data[j + (channels === 1 ? 0 : 1)]!;
    rgba[i * 4 + 2] = data[j + (channels === 1 ? 0 : 2)]!;
    rgba[i * 4 + 3] = 255;
  }
  const imageData = { data: rgba, width, height, colorSpace: "srgb" } as unknown as Parameters<Reader["readBarcodes"]>[0];
  return reader.readBarcodes(imageData, { maxNumberOfSymbols: 255 });
}
