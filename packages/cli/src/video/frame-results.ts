/**
 * The rows of `cvflow process-video`: one per processed frame, `frame_number` and `frame_timestamp`
 * first, then the workflow's outputs (image outputs left out: they go to the mp4s), written as
 * each frame finishes — CSV cells as the image directory command's aggregation writes them
 * (@cvflow/batch/output), or one JSON object a line. A resumed run keeps the rows up to the frame
 * its checkpoint names and drops any after it (written after the checkpoint, before a crash).
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { csvCell, csvLine } from "@cvflow/batch/output";

export type FrameFileType = "csv" | "jsonl";

export interface FrameRow {
  frame_number: number;
  frame_timestamp: string;
  outputs: Record<string, unknown>;
}

const LEADING = ["frame_number", "frame_timestamp"] as const;

export class FrameResults {
  private constructor(
    readonly path: string,
    private readonly type: FrameFileType,
    private readonly outputs: readonly string[],
  ) {}

  /** Starts the file afresh (`keepUpTo` undefined), or keeps the rows of frames up to `keepUpTo`. */
  static open(path: string, type: FrameFileType, outputs: readonly string[], keepUpTo: number | undefined): FrameResults {
    const results = new FrameResults(path, type, outputs);
    const header = type === "csv" ? csvLine([...LEADING, ...outputs]) : "";
    if (keepUpTo === undefined || !existsSync(path)) {
      writeFileSync(path, header);
      return results;
    }
    const lines = readFileSync(path, "utf8").split(type === "csv" ? "\r\n" : "\n").filter(Boolean);
    const rows = type === "csv" ? lines.slice(1) : lines;
    // A row starts with its frame number (CSV's first cell; JSONL's first key).
    const kept = rows.filter((line) => frameNumberOf(line, type) <= keepUpTo);
    writeFileSync(path, header + kept.map((line) => `${line}${type === "csv" ? "\r\n" : "\n"}`).join(""));
    return results;
  }

  append(row: FrameRow): void {
    const line =
      this.type === "csv"
        ? csvLine([String(row.frame_number), row.frame_timestamp, ...this.outputs.map((name) => csvCell(row.outputs[name], ""))])
        : `${JSON.stringify({ frame_number: row.frame_number, frame_timestamp: row.frame_timestamp, ...row.outputs })}\n`;
    appendFileSync(this.path, line);
  }
}

function frameNumberOf(line: string, type: FrameFileType): number {
  return type === "csv" ? Number(line.slice(0, line.indexOf(","))) : Number((JSON.parse(line) as { frame_number: unknown }).frame_number);
}
