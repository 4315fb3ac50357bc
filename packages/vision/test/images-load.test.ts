import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { BlockRegistry, defineBlock, WorkflowEngine, WorkflowError, type InputDeserializer } from "@cvflow/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createImageLoader, loadImage } from "../src/images/load-image.js";
import { inputImageId } from "../src/images/input-lineage.js";
import { WorkflowImage } from "../src/images/workflow-image.js";
import { expectWorkflowError, photo } from "./image-fixtures.js";
import { missing, SHARED_PHOTOS_DIR } from "./test-assets.js";

let jpeg: Buffer;
let b64: string;

beforeAll(async () => {
  jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#c04020" } }).jpeg().toBuffer();
  b64 = jpeg.toString("base64");
});

describe("input image ids, as Roboflow names them", () => {
  it.each([
    ["/inputs/image", "image"],
    ["/inputs/image/0", "image.[0]"],
    ["/inputs/image/3", "image.[3]"],
    ["/inputs/crops/1/2", "crops.[1].[2]"],
    ["/inputs/a~1b~0c/0", "a/b~c.[0]"],
    ["upload", "upload"],
  ])("%s -> %s", (pointer, id) => {
    expect(inputImageId(pointer)).toBe(id);
  });
});

describe("accepted input forms", () => {
  const at = "/inputs/image/0";

  it.each([
    ["wire base64", () => ({ type: "base64", value: b64 })],
    ["wire base64, type in capitals", () => ({ type: "BASE64", value: b64 })],
    ["wire base64 holding a data URL", () => ({ type: "base64", value: `data:image/jpeg;base64,${b64}` })],
    ["bare base64", () => b64],
    ["base64 with line breaks", () => b64.replace(/(.{76})/g, "$1\n")],
    ["base64url", () => jpeg.toString("base64url")],
    ["data URL", () => `data:image/jpeg;base64,${b64}`],
    ["Buffer", () => jpeg],
    ["Uint8Array", () => new Uint8Array(jpeg)],
  ])("%s", async (_, value) => {
    const image = await loadImage(value(), at);
    expect([image.width, image.height, image.channels]).toEqual([64, 48, 3]);
    expect(image.lineage).toEqual({ parentId: "image.[0]", parentOrigin: null, rootParentId: "image.[0]", rootOrigin: null });
    expect(image.source?.equals(jpeg)).toBe(true);
  });

  it("returns a WorkflowImage as it is", async () => {
    const image = await loadImage(jpeg, at);
    expect(await loadImage(image, "/inputs/other")).toBe(image);
  });

  it("keeps the lineage a wire-form image carries (a crop sent back in)", async () => {
    const image = await loadImage(
      {
        type: "base64",
        value: b64,
        parent_id: "crop.[0]",
        parent_origin: { offset_x: 10, offset_y: 20, width: 400, height: 300 },
        root_parent_id: "image",
        root_parent_origin: { offset_x: 110, offset_y: 220, width: 810, height: 1080 },
        video_metadata: null,
      },
      at,
    );
    expect(image.lineage).toEqual({
      parentId: "crop.[0]",
      parentOrigin: { offset_x: 10, offset_y: 20, width: 400, height: 300 },
      rootParentId: "image",
      rootOrigin: { offset_x: 110, offset_y: 220, width: 810, height: 1080 },
    });
    const noRoot = await loadImage({ type: "base64", value: b64, parent_id: "earlier" }, at);
    expect(noRoot.lineage).toEqual({ parentId: "earlier", parentOrigin: null, rootParentId: "earlier", rootOrigin: null });
  });

  it.each([
    ["a number", 42],
    ["a list", [b64]],
    ["null", null],
    ["no type", { value: b64 }],
    ["an unknown type", { type: "numpy", value: b64 }],
    ["a non-string value", { type: "base64", value: 12 }],
    ["a data URL that is not base64", "data:image/svg+xml,<svg/>"],
    ["text that is not base64", "not an image!"],
    ["a malformed origin", { type: "base64", value: b64, parent_id: "p", parent_origin: { offset_x: "1" } }],
    ["an s3 location without a key", { type: "s3", value: "s3://bucket" }],
  ])("refuses %s with invalid_image_input", async (_, value) => {
    const error = await expectWorkflowError(loadImage(value, at), "invalid_image_input", 400);
    expect(error.details["pointer"]).toBe(at);
  });

  it("works as the engine's InputDeserializer for the image kind, naming inputs by batch index", async () => {
    const deserializer: InputDeserializer = createImageLoader();
    const echo = defineBlock<{ image: WorkflowImage }>({
      manifest: {
        type: "test/image_size@v1",
        name: "ImageSize",
        description: "Reports an image's size and id.",
        family: "formatters",
        fields: { image: { kinds: ["image"], required: true } },
        outputs: [{ name: "size", kinds: ["dictionary"] }],
      },
      run: ({ image }) => ({ size: { width: image.width, height: image.height, id: image.lineage.parentId } }),
    });
    const engine = new WorkflowEngine({ registry: new BlockRegistry([echo]), deserializers: { image: deserializer } });
    const definition = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      steps: [{ type: "test/image_size@v1", name: "s", image: "$inputs.image" }],
      outputs: [{ type: "JsonField", name: "size", selector: "$steps.s.size" }],
    };
    const batch = await engine.run(definition, { image: [{ type: "base64", value: b64 }, b64] });
    expect(batch.outputs).toEqual([{ size: { width: 64, height: 48, id: "image.[0]" } }, { size: { width: 64, height: 48, id: "image.[1]" } }]);
    const single = await engine.run(definition, { image: { type: "base64", value: b64 } });
    expect(single.outputs).toEqual([{ size: { width: 64, height: 48, id: "image" } }]);
    const bad = await engine.run(definition, { image: [b64, "not an image!"] }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(WorkflowError);
    expect((bad as WorkflowError).details["pointer"]).toBe("/inputs/image/1");
  });
});

describe("limits", () => {
  const at = "/inputs/image";

  it("refuses base64 over maxBytes by its length, bytes over maxBytes by their size", async () => {
    const fromText = await expectWorkflowError(loadImage(b64, at, { maxBytes: 100 }), "image_too_large", 413);
    expect(fromText.details).toMatchObject({ max_bytes: 100, pointer: at });
    await expectWorkflowError(loadImage(jpeg, at, { maxBytes: 100 }), "image_too_large", 413);
  });

  it("refuses an image over maxPixels", async () => {
    const error = await expectWorkflowError(loadImage(jpeg, at, { maxPixels: 64 * 48 - 1 }), "image_too_many_pixels", 413);
    expect(error.details).toMatchObject({ width: 64, height: 48, max_pixels: 3071 });
    expect((await loadImage(jpeg, at, { maxPixels: 64 * 48 })).width).toBe(64);
  });
});

describe("s3 inputs", () => {
  const at = "/inputs/image";

  it("are refused unless a fetchS3 is plugged in", async () => {
    const error = await expectWorkflowError(loadImage({ type: "s3", value: "s3://bucket/a.jpg" }, at), "image_source_disabled", 400);
    expect(error.message).toMatch(/S3 inputs are not enabled/);
  });

  it("read s3://bucket/key and {bucket, key} through fetchS3, with the run's signal", async () => {
    const calls: unknown[][] = [];
    const signal = new AbortController().signal;
    const fetchS3 = async (bucket: string, key: string, given?: AbortSignal): Promise<Uint8Array> => {
      calls.push([bucket, key, given === signal]);
      return jpeg;
    };
    await loadImage({ type: "s3", value: "s3://my-bucket/photos/2024/bus.jpg" }, at, { fetchS3, signal });
    await loadImage({ type: "s3", value: { bucket: "other", key: "k.jpg" } }, at, { fetchS3, signal });
    expect(calls).toEqual([["my-bucket", "photos/2024/bus.jpg", true], ["other", "k.jpg", true]]);
  });

  it("pass a WorkflowError from fetchS3 on, and name other failures", async () => {
    const missing = new WorkflowError("s3_object_not_found", "No such object", 404);
    await expectWorkflowError(loadImage({ type: "s3", value: "s3://b/k" }, at, { fetchS3: () => Promise.reject(missing) }), "s3_object_not_found", 404);
    const failed = await expectWorkflowError(
      loadImage({ type: "s3", value: "s3://b/k" }, at, { fetchS3: () => Promise.reject(new Error("socket hang up")) }),
      "s3_fetch_failed",
      400,
    );
    expect(failed.message).toMatch(/s3:\/\/b\/k failed: socket hang up/);
  });

  it("refuse an object over maxBytes", async () => {
    await expectWorkflowError(loadImage({ type: "s3", value: "s3://b/k" }, at, { maxBytes: 10, fetchS3: async () => jpeg }), "image_too_large", 413);
  });
});

describe("file inputs", () => {
  const at = "/inputs/image";
  let root: string;
  let outside: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "cvflow-images-"));
    outside = await mkdtemp(join(tmpdir(), "cvflow-outside-"));
    await writeFile(join(root, "red.jpg"), jpeg);
    await writeFile(join(outside, "secret.jpg"), jpeg);
    await symlink(join(outside, "secret.jpg"), join(root, "link.jpg"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it("are refused without a fileRoot", async () => {
    await expectWorkflowError(loadImage({ type: "file", value: "/etc/hostname" }, at), "image_source_disabled", 400);
  });

  it("read paths inside fileRoot, relative or absolute", async () => {
    expect((await loadImage({ type: "file", value: "red.jpg" }, at, { fileRoot: root })).width).toBe(64);
    expect((await loadImage({ type: "file", value: join(root, "red.jpg") }, at, { fileRoot: root })).width).toBe(64);
  });

  it.each([
    ["../ out of the root", (): string => `../${outside.split("/").pop()}/secret.jpg`],
    ["an absolute path elsewhere", (): string => join(outside, "secret.jpg")],
    ["a symbolic link out of the root", (): string => "link.jpg"],
    ["the root directory itself", (): string => "."],
  ])("refuse %s with file_not_allowed", async (_, path) => {
    await expectWorkflowError(loadImage({ type: "file", value: path() }, at, { fileRoot: root }), "file_not_allowed", 400);
  });

  it("report a missing file", async () => {
    await expectWorkflowError(loadImage({ type: "file", value: "nope.jpg" }, at, { fileRoot: root }), "file_not_found", 400);
  });
});

describe.skipIf(missing("loading the shared photos by every route", { photos: ["zidane.jpg"] }))("loading the shared photos by every route", () => {
  it("file, base64 and bytes give the same pixels", async () => {
    const bytes = photo("zidane.jpg");
    const fromFile = await loadImage({ type: "file", value: "zidane.jpg" }, "/inputs/image", { fileRoot: SHARED_PHOTOS_DIR });
    const fromBase64 = await loadImage({ type: "base64", value: bytes.toString("base64") }, "/inputs/image");
    expect([fromFile.width, fromFile.height]).toEqual([1280, 720]);
    expect(Buffer.from(fromFile.pixels.data).equals(Buffer.from(fromBase64.pixels.data))).toBe(true);
  });
});
