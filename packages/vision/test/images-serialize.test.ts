import sharp, { type OutputInfo } from "sharp";
import { BlockRegistry, defineBlock, serializeValue, WorkflowEngine } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { loadImage, createImageLoader } from "../src/images/load-image.js";
import { createImageSerializer, serializeImage } from "../src/images/serialize-image.js";
import { WorkflowImage } from "../src/images/workflow-image.js";
import { meanAbsDiff, photo } from "./image-fixtures.js";
import { missing } from "./test-assets.js";

/** What a photo answers for its video frame (Roboflow's default), less the time it is read. */
const PHOTO_FRAME = { frame_number: 0, fps: 30, measured_fps: null, comes_from_video_file: null };

async function decodeWire(value: string): Promise<{ data: Buffer; info: OutputInfo; format: string | undefined }> {
  const bytes = Buffer.from(value, "base64");
  const { format } = await sharp(bytes).metadata();
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  return { data, info, format };
}

describe.skipIf(missing("serializing images to the wire form", { photos: ["bus.jpg", "chelsea.png"] }))("serializing images to the wire form", () => {
  it("sends an unchanged input JPEG back byte for byte, with no lineage fields", async () => {
    const bytes = photo("bus.jpg");
    const image = await loadImage({ type: "base64", value: bytes.toString("base64") }, "/inputs/image/0");
    const wire = await serializeImage(image);
    expect(wire).toEqual({ type: "base64", value: bytes.toString("base64"), video_metadata: { ...PHOTO_FRAME, video_identifier: "image.[0]", frame_timestamp: expect.any(String) } });
  });

  it("encodes other images as JPEG (a PNG input, changed pixels)", async () => {
    const image = await loadImage(photo("chelsea.png"), "/inputs/image");
    const wire = await serializeImage(image);
    expect(Object.keys(wire)).toEqual(["type", "value", "video_metadata"]);
    const decoded = await decodeWire(wire.value);
    expect([decoded.format, decoded.info.width, decoded.info.height, decoded.info.channels]).toEqual(["jpeg", 451, 300, 3]);
    expect(meanAbsDiff(decoded.data, image.pixels.data)).toBeLessThan(3);

    const inverted = image.withPixels({ ...image.pixels, data: image.pixels.data.map((v) => 255 - v) });
    const redrawn = await decodeWire((await serializeImage(inverted)).value);
    expect(meanAbsDiff(redrawn.data, inverted.pixels.data)).toBeLessThan(3);
  });

  it("gives a crop of a crop its parent's and the root's origins; root offsets add up", async () => {
    const image = await loadImage(photo("bus.jpg"), "/inputs/image/0");
    const first = image.crop(100, 200, 500, 700, "first_crop");
    const second = first.crop(50, 60, 250, 300, "second_crop");
    const wire = await serializeImage(second);
    expect(Object.keys(wire)).toEqual(["type", "value", "video_metadata", "parent_id", "parent_origin", "root_parent_id", "root_parent_origin"]);
    expect(wire).toMatchObject({
      type: "base64",
      video_metadata: { ...PHOTO_FRAME, video_identifier: "second_crop" },
      parent_id: "second_crop",
      parent_origin: { offset_x: 50, offset_y: 60, width: 400, height: 500 },
      root_parent_id: "image.[0]",
      root_parent_origin: { offset_x: 150, offset_y: 260, width: 810, height: 1080 },
    });
    const firstWire = await serializeImage(first);
    expect(firstWire).toMatchObject({
      parent_id: "first_crop",
      parent_origin: { offset_x: 100, offset_y: 200, width: 810, height: 1080 },
      root_parent_id: "image.[0]",
      root_parent_origin: { offset_x: 100, offset_y: 200, width: 810, height: 1080 },
    });

    // The crop's JPEG shows the same region of the photo as a crop straight from the root.
    const decoded = await decodeWire(wire.value);
    expect([decoded.info.width, decoded.info.height]).toEqual([200, 240]);
    const direct = image.crop(150, 260, 350, 500, "direct");
    expect(meanAbsDiff(decoded.data, direct.pixels.data)).toBeLessThan(4);

    // Sent back in, it keeps its place, and is the frame it was sent as (as in Roboflow).
    const reloaded = await loadImage(wire, "/inputs/again");
    expect(reloaded.lineage).toEqual({ ...second.lineage, videoMetadata: wire.video_metadata });
  });
});

describe("the engine's ValueSerializer", () => {
  const pixels = (width: number, height: number): WorkflowImage =>
    new WorkflowImage({ data: new Uint8Array(width * height * 3).fill(90), width, height, channels: 3 }, { parentId: "p", parentOrigin: null, rootParentId: "p", rootOrigin: null });

  it("serializes images and leaves other values to the others", async () => {
    const serializer = createImageSerializer({ jpegQuality: 80 });
    expect(serializer({ some: "object" }, { coordinatesSystem: "parent" })).toBeUndefined();
    const out = (await serializeValue({ picture: pixels(8, 6), n: 1 }, { coordinatesSystem: "parent" }, [serializer])) as {
      picture: { type: string; value: string; video_metadata: unknown };
      n: number;
    };
    expect(out.n).toBe(1);
    expect(out.picture.type).toBe("base64");
    expect(out.picture.video_metadata).toMatchObject({ ...PHOTO_FRAME, video_identifier: "p" });
    expect((await decodeWire(out.picture.value)).info.width).toBe(8);
  });

  it("refuses a JPEG quality outside 1-100", () => {
    expect(() => createImageSerializer({ jpegQuality: 0 })).toThrow(RangeError);
    expect(() => createImageSerializer({ jpegQuality: 101 })).toThrow(RangeError);
  });

  it("writes the crop's lineage when the engine serializes a run's outputs", async () => {
    const crop = defineBlock<{ image: WorkflowImage }>({
      manifest: {
        type: "test/center_crop@v1",
        name: "CenterCrop",
        description: "Cuts out the middle half.",
        family: "transformations",
        fields: { image: { kinds: ["image"], required: true } },
        outputs: [{ name: "crop", kinds: ["image"] }],
      },
      run: ({ image }) => ({ crop: image.crop(image.width / 4, image.height / 4, (image.width * 3) / 4, (image.height * 3) / 4, "middle") }),
    });
    const engine = new WorkflowEngine({
      registry: new BlockRegistry([crop]),
      deserializers: { image: createImageLoader() },
      serializers: [createImageSerializer()],
    });
    const jpeg = await sharp({ create: { width: 80, height: 40, channels: 3, background: "#208040" } }).jpeg().toBuffer();
    const { outputs } = await engine.run(
      {
        version: "1.0",
        inputs: [{ type: "WorkflowImage", name: "image" }],
        steps: [{ type: "test/center_crop@v1", name: "c", image: "$inputs.image" }],
        outputs: [
          { type: "JsonField", name: "crop", selector: "$steps.c.crop" },
          { type: "JsonField", name: "input", selector: "$inputs.image" },
        ],
      },
      { image: [{ type: "base64", value: jpeg.toString("base64") }] },
    );
    expect(outputs[0]).toMatchObject({
      crop: {
        type: "base64",
        parent_id: "middle",
        parent_origin: { offset_x: 20, offset_y: 10, width: 80, height: 40 },
        root_parent_id: "image.[0]",
        root_parent_origin: { offset_x: 20, offset_y: 10, width: 80, height: 40 },
      },
      input: { type: "base64", value: jpeg.toString("base64"), video_metadata: { ...PHOTO_FRAME, video_identifier: "image.[0]" } },
    });
  });
});
