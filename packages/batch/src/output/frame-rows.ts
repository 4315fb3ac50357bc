/**
 * The rows of a video's results — `cvflow process-video`'s file and a video job's aggregation
 * alike: one per processed frame, `frame_number` and `frame_timestamp` first, then the workflow's
 * outputs; image outputs are left out (they go to the mp4s, frame-videos.ts) and images inside
 * other outputs are null. CSV cells as the image aggregation writes them, or one JSON object a line.
 */
import { serializeValue, type CompiledWorkflow } from "@cvflow/engine";
import { WorkflowImage } from "@cvflow/vision";
import { csvCell, csvLine } from "./csv-rows.js";

export type FrameFileType = "csv" | "jsonl";

export interface FrameRow {
  frame_number: number;
  frame_timestamp: string;
  outputs: Record<string, unknown>;
}

const LEADING = ["frame_number", "frame_timestamp"] as const;

/** The outputs that go to the mp4s (every kind an image) and those that are columns. */
export function frameOutputs(plan: CompiledWorkflow): { images: string[]; columns: string[] } {
  const images = plan.outputs.filter(({ kinds }) => kinds.length > 0 && kinds.every((kind) => kind === "image")).map(({ name }) => name);
  return { images, columns: plan.outputs.map(({ name }) => name).filter((name) => !images.includes(name)) };
}

/** A frame's outputs (runtime values) as its row. */
export async function frameRow(outputs: Record<string, unknown>, columns: readonly string[], frame: { frameId: number; frameTimestamp: Date }): Promise<FrameRow> {
  const values = (await serializeValue(Object.fromEntries(columns.map((name) => [name, outputs[name]])), { coordinatesSystem: "parent" }, [withoutImages])) as Record<string, unknown>;
  return { frame_number: frame.frameId, frame_timestamp: frame.frameTimestamp.toISOString(), outputs: values };
}

export function frameRowsHeader(type: FrameFileType, columns: readonly string[]): string {
  return type === "csv" ? csvLine([...LEADING, ...columns]) : "";
}

export function frameRowLine(type: FrameFileType, columns: readonly string[], row: FrameRow): string {
  return type === "csv"
    ? csvLine([String(row.frame_number), row.frame_timestamp, ...columns.map((name) => csvCell(row.outputs[name], ""))])
    : `${JSON.stringify({ frame_number: row.frame_number, frame_timestamp: row.frame_timestamp, ...row.outputs })}\n`;
}

/** Images inside other outputs (a list of crops beside numbers) are null in a row: the mp4s hold the images. */
const withoutImages = (value: object): unknown => (value instanceof WorkflowImage ? null : undefined);
