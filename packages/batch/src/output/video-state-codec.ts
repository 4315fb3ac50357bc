/**
 * What stateful blocks keep (MemoryVideoState) as JSON, losslessly — detections, images, typed
 * arrays come back as they were — through @cvflow/runs' step-value codec, its binary parts in
 * base64: `cvflow process-video`'s checkpoint and a video job's replay progress between
 * Finalize invocations.
 */
import { MemoryVideoState } from "@cvflow/engine";
import { decodeStepOutput, encodeStepOutput, type StepValueJson } from "@cvflow/runs";

export interface EncodedVideoState {
  json: StepValueJson;
  parts: string[];
}

export async function encodeVideoState(state: MemoryVideoState): Promise<EncodedVideoState> {
  const { json, parts } = await encodeStepOutput(state.toJSON());
  return { json, parts: parts.map((part) => Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString("base64")) };
}

export async function decodeVideoState(encoded: EncodedVideoState): Promise<MemoryVideoState> {
  const value = await decodeStepOutput(encoded.json, encoded.parts.map((part) => Buffer.from(part, "base64")));
  return MemoryVideoState.fromJSON(value as Record<string, Record<string, unknown>>);
}
