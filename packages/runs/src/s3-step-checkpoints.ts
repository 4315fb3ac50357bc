/**
 * The engine's step checkpoints of one run, in S3 (layout.ts): `runs/{id}/steps/{step}.json` holds
 * the step's timing, the JSON side of its output (step-values.ts) and the length and CRC-32 of each
 * binary part, which are `runs/{id}/steps/{step}/{n}.bin`.
 *
 * A save writes the document and its parts at once (one round trip, not two: a save is on the
 * path of every step of an async run), so a save cut short can leave a document whose parts are
 * missing, or are those of an earlier save of the step. Restoring checks every part against the
 * document: a checkpoint that does not hold together is no checkpoint, and the step runs again.
 */
import { crc32 } from "node:zlib";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { RestoredStep, StepCheckpoints, StepTiming } from "@cvflow/engine";
import { isNotFound, JsonObjects } from "@cvflow/store";
import { runKeys } from "./layout.js";
import { decodeStepOutput, encodeStepOutput, type StepValueJson } from "./step-values.js";

/** The document of a step's checkpoint. */
interface StepCheckpointDocument {
  version: 1;
  step: string;
  timing: StepTiming;
  /** Each binary part, in order. */
  parts: { length: number; crc32: number }[];
  output: StepValueJson;
}

export class S3StepCheckpoints implements StepCheckpoints {
  private readonly objects: JsonObjects;

  constructor(
    readonly client: S3Client,
    readonly bucket: string,
    readonly runId: string,
  ) {
    this.objects = new JsonObjects(client, bucket);
  }

  async restore(step: string, signal?: AbortSignal): Promise<RestoredStep | undefined> {
    const found = await this.objects.read<StepCheckpointDocument>(runKeys.step(this.runId, step));
    if (!found) return undefined;
    const document = found.value;
    const parts = await Promise.all(document.parts.map((_, n) => this.readPart(step, n, signal)));
    const whole = parts.every((part, n) => part !== undefined && part.length === document.parts[n]!.length && crc32(part) === document.parts[n]!.crc32);
    if (!whole) return undefined;
    return { output: await decodeStepOutput(document.output, parts as Uint8Array[]), timing: document.timing };
  }

  async save(step: string, output: unknown, timing: StepTiming, signal?: AbortSignal): Promise<void> {
    const encoded = await encodeStepOutput(output);
    const document: StepCheckpointDocument = {
      version: 1,
      step,
      timing,
      parts: encoded.parts.map((part) => ({ length: part.length, crc32: crc32(part) })),
      output: encoded.json,
    };
    await Promise.all([
      this.objects.write(runKeys.step(this.runId, step), document),
      ...encoded.parts.map((body, n) =>
        this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: runKeys.stepPart(this.runId, step, n), Body: body, ContentLength: body.byteLength, ContentType: "application/octet-stream" }), { abortSignal: signal }),
      ),
    ]);
  }

  /** The part's bytes; undefined when it is not there. */
  private async readPart(step: string, n: number, signal: AbortSignal | undefined): Promise<Uint8Array | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: runKeys.stepPart(this.runId, step, n) }), { abortSignal: signal });
      return await object.Body!.transformToByteArray();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}
