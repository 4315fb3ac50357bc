/**
 * ConvertImageToJPEG, ConvertImageToBase64 and TimestampToISOFormat: Roboflow's unit-test cases
 * (test_image_operations.py, test_video_frame_operations.py), with the bytes checked by decoding
 * them with sharp (another codec than the encoder's) against the pixels.
 */
import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { inputLineage, WorkflowImage } from "@cvflow/vision";
import { compileOperations, type OperationDefinition } from "../src/uql/index.js";
import { expectWorkflowError } from "./fixtures.js";
import { synthetic } from "./image-fixtures.js";

const run = (operations: OperationDefinition[], value: unknown) => compileOperations(operations)(value, {});

/** Roboflow's _create_workflow_image: 192 rows of 168 black pixels. */
const black = () => synthetic(168, 192, 3, () => 0);
/** Smooth colour ramps: what JPEG keeps well, so the decoded pixels stay close. */
const ramps = () => synthetic(96, 64, 3, (x, y, c) => [x * 2, y * 3, (x + y) % 256][c]!);

async function decoded(jpeg: Uint8Array): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** Largest and mean absolute difference between two same-sized pixel buffers. */
function difference(a: Uint8Array, b: Uint8Array): { max: number; mean: number } {
  expect(a.length).toBe(b.length);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    max = Math.max(max, d);
    sum += d;
  }
  return { max, mean: sum / a.length };
}

describe("ConvertImageToJPEG", () => {
  it("refuses a value that is not an image (Roboflow: InvalidInputTypeError)", () => {
    expectWorkflowError(() => run([{ type: "ConvertImageToJPEG", compression_level: 75 }], "invalid"), "invalid_operation_input", "ConvertImageToJPEG", "an image", "'invalid'");
  });

  it("gives JPEG bytes that decode to the image (Roboflow's black 168x192 case at compression_level 75: exactly)", async () => {
    const jpeg = run([{ type: "ConvertImageToJPEG", compression_level: 75 }], black()) as Uint8Array;
    expect(jpeg).toBeInstanceOf(Uint8Array);
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const image = await decoded(jpeg);
    expect(image).toMatchObject({ width: 168, height: 192, channels: 3 });
    expect(image.data.every((v) => v === 0)).toBe(true);
  });

  it("keeps a colour image within JPEG's error at the default quality 95, and compression_level trades size for fidelity", async () => {
    const image = ramps();
    const byDefault = run([{ type: "ConvertImageToJPEG" }], image) as Uint8Array;
    expect(Buffer.from(byDefault).equals(run([{ type: "ConvertImageToJPEG", compression_level: 95 }], image) as Uint8Array)).toBe(true);
    const at95 = difference((await decoded(byDefault)).data, image.pixels.data);
    // measured: max 2, mean 0.5 (at quality 10: max 28, mean 6.1)
    expect(at95.max).toBeLessThanOrEqual(4);
    expect(at95.mean).toBeLessThan(1);
    const low = run([{ type: "ConvertImageToJPEG", compression_level: 10 }], image) as Uint8Array;
    expect(low.length).toBeLessThan(byDefault.length / 2);
    expect(difference((await decoded(low)).data, image.pixels.data).mean).toBeGreaterThan(3 * at95.mean);
  });

  it("writes a grayscale image as the same gray in every channel", async () => {
    const gray = synthetic(40, 30, 1, (x) => x * 6);
    const image = await decoded(run([{ type: "ConvertImageToJPEG" }], gray) as Uint8Array);
    const expected = Uint8Array.from(Array.from(gray.pixels.data).flatMap((v) => [v, v, v]));
    expect(difference(image.data, expected).max).toBeLessThanOrEqual(2);
  });

  it("takes compression_level from 1 to 100 only, as Roboflow's Field(ge=1, le=100)", () => {
    for (const compression_level of [0, 101, 50.5]) {
      expectWorkflowError(() => run([{ type: "ConvertImageToJPEG", compression_level }], black()), "invalid_uql_definition", "compression_level");
    }
  });

  it("fails with an operation error where the pixels cannot be read (Roboflow: OperationError on a corrupt array)", () => {
    const notLoaded = new WorkflowImage({ width: 4, height: 4, channels: 3, decode: () => Promise.reject(new Error("unused")) }, inputLineage("x"));
    expectWorkflowError(() => run([{ type: "ConvertImageToJPEG" }], notLoaded), "operation_error", "ConvertImageToJPEG", "not decoded");
  });
});

describe("ConvertImageToBase64", () => {
  it("refuses a value that is not an image, bytes included (Roboflow: InvalidInputTypeError)", () => {
    expectWorkflowError(() => run([{ type: "ConvertImageToBase64" }], "invalid"), "invalid_operation_input", "ConvertImageToBase64", "an image");
    expectWorkflowError(() => run([{ type: "ConvertImageToJPEG" }, { type: "ConvertImageToBase64" }], black()), "invalid_operation_input", "(bytes)");
  });

  it("gives base64 of a JPEG that decodes to the image (Roboflow's black 168x192 case)", async () => {
    const text = run([{ type: "ConvertImageToBase64" }], black()) as string;
    expect(text).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const image = await decoded(Buffer.from(text, "base64"));
    expect(image).toMatchObject({ width: 168, height: 192 });
    expect(image.data.every((v) => v === 0)).toBe(true);
  });

  it("encodes pixels at quality 95 (ConvertImageToJPEG's default) and gives an input JPEG as it came", async () => {
    const image = ramps();
    expect(run([{ type: "ConvertImageToBase64" }], image)).toBe(Buffer.from(run([{ type: "ConvertImageToJPEG" }], image) as Uint8Array).toString("base64"));
    const source = await sharp(image.pixels.data, { raw: { width: 96, height: 64, channels: 3 } }).jpeg({ quality: 60 }).toBuffer();
    const input = new WorkflowImage(image.pixels, inputLineage("input"), source);
    expect(run([{ type: "ConvertImageToBase64" }], input)).toBe(source.toString("base64"));
  });
});

describe("TimestampToISOFormat", () => {
  it("serializes a video frame's timestamp (Roboflow's ExtractFrameMetadata -> TimestampToISOFormat case)", () => {
    const frame_timestamp = "2024-05-01T12:30:45.123456+02:00";
    const frame = new WorkflowImage(black().pixels, {
      ...inputLineage("frame"),
      videoMetadata: { video_identifier: "cam", frame_number: 39, frame_timestamp, fps: 25, measured_fps: null, comes_from_video_file: true },
    });
    expect(run([{ type: "ExtractFrameMetadata", property_name: "frame_timestamp" }, { type: "TimestampToISOFormat" }], frame)).toBe(frame_timestamp);
    expect(run([{ type: "TimestampToISOFormat" }], "2026-01-01T00:00:00.000Z")).toBe("2026-01-01T00:00:00.000Z");
  });

  it("refuses what is not a timestamp (Roboflow: InvalidInputTypeError)", () => {
    for (const value of ["some", "2024-13-45T99:00:00", 1714566645, null]) {
      expectWorkflowError(() => run([{ type: "TimestampToISOFormat" }], value), "invalid_operation_input", "TimestampToISOFormat", "a timestamp");
    }
  });
});
