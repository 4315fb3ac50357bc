/**
 * Bytes ⇄ base64 (the standard alphabet, padded), in Node and in browsers: the one helper the SDK
 * uses for image values. Node's Buffer is the fast path where there is one; elsewhere btoa/atob
 * over a binary string.
 */

/** The part of Node's Buffer used here, typed without Node's types (the page compiles with the DOM's). */
interface NodeBuffer {
  from(bytes: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: "base64"): string };
  from(text: string, encoding: "base64"): Uint8Array;
}

/** Bytes per String.fromCharCode call: its arguments go on the stack. */
const CHUNK = 0x8000;

function nodeBuffer(): NodeBuffer | undefined {
  return (globalThis as { Buffer?: NodeBuffer }).Buffer;
}

export function bytesToBase64(bytes: Uint8Array): string {
  const buffer = nodeBuffer();
  // A view, not a copy: images can be megabytes.
  if (buffer) return buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let binary = "";
  for (let start = 0; start < bytes.length; start += CHUNK) binary += String.fromCharCode(...bytes.subarray(start, start + CHUNK));
  return btoa(binary);
}

/** `text` must be base64 (callers check it first): Node decodes other text leniently, browsers throw. */
export function base64ToBytes(text: string): Uint8Array {
  const buffer = nodeBuffer();
  if (buffer) return buffer.from(text, "base64");
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
