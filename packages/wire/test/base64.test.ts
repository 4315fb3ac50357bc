import { afterEach, describe, expect, it, vi } from "vitest";
import { base64ToBytes, bytesToBase64 } from "../src/index.js";

/** Lengths around the padding cases and the browser path's chunk size (0x8000 bytes). */
const LENGTHS = [0, 1, 2, 3, 4, 5, 0x7fff, 0x8000, 0x8001, 3 * 0x8000 + 2];

function pattern(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => (index * 7919 + (index >> 8)) & 0xff);
}

describe.each([
  ["with Node's Buffer", false],
  ["without a Buffer (browsers: btoa/atob)", true],
])("bytes ⇄ base64 %s", (_name, browser) => {
  afterEach(() => vi.unstubAllGlobals());

  it.each(LENGTHS)("encodes %i bytes as Buffer does and decodes them back", (length) => {
    const bytes = pattern(length);
    const expected = Buffer.from(bytes).toString("base64");
    if (browser) vi.stubGlobal("Buffer", undefined);
    const text = bytesToBase64(bytes);
    const back = base64ToBytes(text);
    vi.unstubAllGlobals();
    expect(text).toBe(expected);
    expect(Buffer.from(back).equals(Buffer.from(bytes))).toBe(true);
  });

  it("encodes only the view's bytes, not the rest of its buffer", () => {
    const whole = Uint8Array.from([9, 1, 2, 3, 9]);
    if (browser) vi.stubGlobal("Buffer", undefined);
    expect(bytesToBase64(whole.subarray(1, 4))).toBe("AQID");
  });
});
