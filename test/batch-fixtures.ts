/** What the batch tests and the batch benchmark share: small variants of the repository's photos, a light workflow, Python's csv module. */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import sharp from "sharp";
import { EXAMPLE_PHOTOS_DIR, examplePhoto } from "@cvflow/vision/test-assets";

export interface Variant {
  /** Its key, relative to where the variants are uploaded: `bus/cropped-4.jpg`. */
  path: string;
  /** Its image name in a job's output: `bus/cropped-4`. */
  name: string;
  width: number;
  bytes: Buffer;
}

const KINDS = ["resized", "cropped", "flipped"] as const;

/** `count` small JPEGs made from the repository's photos (examples/images): resized, cropped or flipped, each a different width. */
export async function photoVariants(count: number): Promise<Variant[]> {
  const photos = readdirSync(EXAMPLE_PHOTOS_DIR).filter((file) => /\.(jpe?g|png)$/i.test(file)).sort();
  // Decoded and shrunk once; every variant comes from these small bases.
  const bases = await Promise.all(photos.map((file) => sharp(examplePhoto(file)).resize({ width: 160, height: 120, fit: "cover" }).toBuffer()));
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const photo = photos[i % photos.length]!.replace(/\.[^.]+$/, "");
      const kind = KINDS[i % KINDS.length]!;
      const base = sharp(bases[i % bases.length]!);
      const width = kind === "cropped" ? 60 : 32 + (i % 9) * 8;
      const image = kind === "resized" ? base.resize({ width }) : kind === "cropped" ? base.extract({ left: i % 40, top: i % 30, width, height: 40 }) : base.flop().resize({ width });
      const bytes = await image.jpeg({ quality: 80 }).toBuffer();
      return { path: `${photo}/${kind}-${i}.jpg`, name: `${photo}/${kind}-${i}`, width, bytes };
    }),
  );
}

export async function uploadVariants(client: S3Client, bucket: string, prefix: string, variants: readonly Variant[]): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < variants.length; i = next++) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${variants[i]!.path}`, Body: variants[i]!.bytes, ContentType: "image/jpeg" }));
    }
  };
  await Promise.all(Array.from({ length: 16 }, lane));
}

/** Light enough for hundreds of images on two cores: grayscale, then the size of the result, and a parameter echoed. */
export function lightWorkflow(pauseMs?: number): Record<string, unknown> {
  return {
    version: "1.0",
    inputs: [
      { type: "WorkflowImage", name: "image" },
      { type: "WorkflowParameter", name: "label", default_value: "none" },
    ],
    steps: [
      { type: "roboflow_core/convert_grayscale@v1", name: "gray", image: "$inputs.image" },
      { type: "roboflow_core/property_definition@v1", name: "width", data: "$steps.gray.image", operations: [{ type: "ExtractImageProperty", property_name: "width" }] },
      { type: "roboflow_core/property_definition@v1", name: "height", data: "$steps.gray.image", operations: [{ type: "ExtractImageProperty", property_name: "height" }] },
      { type: "roboflow_core/property_definition@v1", name: "label", data: "$inputs.label", operations: [] },
      // test/fixtures/pause-block.ts, for a job that takes its time: the width passes through it.
      ...(pauseMs === undefined ? [] : [{ type: "test/pause@v1", name: "nap", ms: pauseMs, value: "$steps.width.output" }]),
    ],
    outputs: [
      { type: "JsonField", name: "width", selector: pauseMs === undefined ? "$steps.width.output" : "$steps.nap.output" },
      { type: "JsonField", name: "height", selector: "$steps.height.output" },
      { type: "JsonField", name: "label", selector: "$steps.label.output" },
    ],
  };
}

/** A CSV as Python's csv module reads it: the header, and the rows as objects. */
export function pythonCsv(text: string): { header: string[]; rows: Record<string, string>[] } {
  const script = "import csv, io, json, sys\nrows = list(csv.reader(io.TextIOWrapper(sys.stdin.buffer, encoding='utf-8', newline='')))\nprint(json.dumps(rows))";
  const [header = [], ...rows] = JSON.parse(execFileSync("python3", ["-c", script], { input: text, encoding: "utf8" })) as string[][];
  return { header, rows: rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]!]))) };
}
