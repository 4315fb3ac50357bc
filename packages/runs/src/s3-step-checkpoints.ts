/**
 * The engine's step checkpoints of one run, in S3 (layout.ts): `runs/{id}/steps/{step}.json` holds
 * the step's timing and the JSON side of its output (step-values.ts), `runs/{id}/steps/{step}/{n}.bin`
 * its binary parts. The parts are written first and the document last, so that a document that
 * is there names parts that are all there: a save cut short leaves no checkpoint, only garbage
 * that the next save of the step overwrites or the run's purge removes.
 */
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
  /** Byte length of each binary part, in order. */
  parts: number[];
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
    const parts = await Promise.all(document.parts.map((length, n) => this.readPart(step, n, length, signal)));
    return { output: await decodeStepOutput(document.output, parts), timing: document.timing };
  }

  async save(step: string, output: unknown, timing: StepTiming, signal?: AbortSignal): Promise<void> {
    const encoded = await encodeStepOutput(output);
    await Promise.all(
      encoded.parts.map((body, n) =>
        this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: runKeys.stepPart(this.runId, step, n), Body: body, ContentType: "application/octet-stream" }), { abortSignal: signal }),
      ),
    );
    const document: StepCheckpointDocument = { version: 1, step, timing, parts: encoded.parts.map((part) => part.length), output: encoded.json };
    await this.objects.write(runKeys.step(this.runId, step), document);
  }

  private async readPart(step: string, n: number, length: number, signal: AbortSignal | undefined): Promise<Uint8Array> {
    const key = runKeys.stepPart(this.runId, step, n);
    let bytes: Uint8Array;
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal });
      bytes = await object.Body!.transformToByteArray();
    } catch (error) {
      if (isNotFound(error)) throw new Error(`The checkpoint of step "${step}" lacks its part ${n}`);
      throw error;
    }
    if (bytes.length !== length) throw new Error(`The checkpoint of step "${step}" has a part ${n} of ${bytes.length} bytes, not ${length}`);
    return bytes;
  }
}
