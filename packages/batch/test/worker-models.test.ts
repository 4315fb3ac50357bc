/**
 * The worker given the engine's models prepares each image's detector input as soon as the image
 * is read (prepareAhead), and writes the same results as a worker that leaves preparing to the run:
 * same boxes, same failure record for an image that does not open.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createWorkflowEngine } from "@cvflow/blocks";
import { startS3Server, type S3Server } from "@cvflow/local";
import { createS3Client, S3BlobStore } from "@cvflow/store";
import { createVisionModels, type LocalVisionModels } from "@cvflow/vision";
import { missing, MODELS_DIR, sharedPhoto } from "@cvflow/vision/test-assets";
import { createBatchWorker, S3BatchJobStore, type WorkerDependencies } from "../src/index.js";

const SUITE = "the batch worker preparing detector inputs ahead";
const BUCKET = "worker-models-test";
const PHOTOS = ["bus.jpg", "zidane.jpg"];
const DETECTION = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ type: "roboflow_core/roboflow_object_detection_model@v2", name: "detection", images: "$inputs.image", model_id: "yolov8n-640" }],
  outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.detection.predictions" }],
};

describe.skipIf(missing(SUITE, { models: ["yolov8n-640"], photos: PHOTOS }))(SUITE, () => {
  let server: S3Server;
  let client: S3Client;
  let dataDir: string;
  let models: LocalVisionModels;
  let deps: WorkerDependencies;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "cvflow-worker-models-"));
    server = await startS3Server({ bucket: BUCKET, dataDir, port: 0 });
    client = createS3Client({ endpoint: server.endpoint, region: server.region, credentials: server.credentials });
    models = createVisionModels({ modelsDir: MODELS_DIR });
    deps = { client, jobs: new S3BatchJobStore(client, BUCKET), blobs: new S3BlobStore(client, BUCKET), engine: createWorkflowEngine({ models }) };
    for (const photo of PHOTOS) await put(`in/${photo}`, await readFile(sharedPhoto(photo)));
    await put("in/corrupt.jpg", Buffer.from("\xff\xd8 not really a jpeg"));
    for (const job of ["plain", "ahead"]) {
      await put(`batches/${job}/job.json`, JSON.stringify({ workspace: "demo", workflow: { specification: DETECTION }, input: { prefix: `s3://${BUCKET}/in/` } }));
      await put(`batches/${job}/workflow.json`, JSON.stringify({ version_id: null, specification: DETECTION }));
    }
  });
  afterAll(async () => {
    client?.destroy();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function put(key: string, body: Uint8Array | string): Promise<void> {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  }
  async function json(key: string): Promise<any> {
    return JSON.parse(await (await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString());
  }
  const names = ["bus", "zidane", "corrupt"];
  const event = (job: string) => ({ BatchInput: { job, bucket: BUCKET }, Items: names.map((name) => ({ image: name, source: `s3://${BUCKET}/in/${name}.jpg` })) });
  const context = { getRemainingTimeInMillis: () => 60_000 };
  const boxes = (document: any) =>
    document.outputs.predictions.predictions.map((p: any) => ({ class: p.class, x: p.x, y: p.y, width: p.width, height: p.height, confidence: p.confidence }));

  it("prepares the two images that open, and writes what a worker without the models writes", async () => {
    expect(await createBatchWorker(deps)(event("plain"), context)).toMatchObject({ processed: 2, failed: 1 });
    const prepareAhead = vi.spyOn(models, "prepareAhead");
    expect(await createBatchWorker({ ...deps, models })(event("ahead"), context)).toMatchObject({ processed: 2, failed: 1 });
    expect(prepareAhead.mock.calls.map(([modelId]) => modelId)).toEqual(["yolov8n-640", "yolov8n-640"]);
    for (const name of ["bus", "zidane"]) {
      const plain = boxes(await json(`batches/plain/output/${name}/results.json`));
      expect(plain.length).toBeGreaterThan(0);
      expect(boxes(await json(`batches/ahead/output/${name}/results.json`))).toEqual(plain);
    }
    const { code } = await json("batches/plain/output/corrupt/failure.json");
    expect(await json("batches/ahead/output/corrupt/failure.json")).toMatchObject({ image: "corrupt", code });
  });
});
