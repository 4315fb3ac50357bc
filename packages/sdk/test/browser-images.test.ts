/**
 * Image sources where the SDK runs in a browser: no node:fs (the import fails, as a browser's
 * import of "node:fs/promises" does) and no Buffer. Base64 and data URLs still decode; a file
 * path is refused with a message saying what a browser gives instead.
 */
import { afterEach, beforeEach, expect, it, vi } from "vitest";

beforeEach(() => {
  vi.resetModules();
  vi.doMock("node:fs/promises", () => {
    throw new TypeError('Failed to resolve module specifier "node:fs/promises"');
  });
  vi.stubGlobal("Buffer", undefined);
});
afterEach(() => {
  vi.doUnmock("node:fs/promises");
  vi.unstubAllGlobals();
});

const BYTES = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]);
const BASE64 = "/9j/4AAQSkZJRg==";

it("decodes base64 and base64 data URLs (padded or not) without Node", async () => {
  const { prepareImage } = await import("../src/images.js");
  expect(await prepareImage(BASE64)).toEqual({ bytes: BYTES });
  expect(await prepareImage(`data:image/jpeg;base64,${BASE64}`)).toEqual({ bytes: BYTES });
  expect(await prepareImage(`data:image/jpeg;base64,${BASE64.replace(/=+$/, "")}`)).toEqual({ bytes: BYTES });
});

it("refuses a file path, saying that paths are read in Node only", async () => {
  const { prepareImage } = await import("../src/images.js");
  // Imported after resetModules, as images.js was: the same class.
  const { CvflowError } = await import("../src/errors.js");
  const error = await prepareImage("photos/bus.jpg").catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(CvflowError);
  expect(error).toMatchObject({ code: "invalid_image_source", status: 0, details: { path: "photos/bus.jpg", reason: "no_file_system" } });
  expect((error as Error).message).toMatch(/file paths are read in Node only: give the image as bytes or a data URL/);
});

it("refuses a data URL with one base64 character over", async () => {
  const { prepareImage } = await import("../src/images.js");
  await expect(prepareImage("data:image/jpeg;base64,QUJDRA")).resolves.toEqual({ bytes: Uint8Array.from([65, 66, 67, 68]) });
  await expect(prepareImage("data:image/jpeg;base64,QUJDR")).rejects.toMatchObject({ code: "invalid_image_source" });
});
