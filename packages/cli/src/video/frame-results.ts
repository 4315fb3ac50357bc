/**
 * The rows of `cvflow process-video`, written as each frame finishes, in the format a video job's
 * aggregation shares (@cvflow/batch/output frame-rows.ts). A resumed run keeps the rows up to the frame
 * its checkpoint names and drops any after it (written after the checkpoint, before a crash).
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { frameRowLine, frameRowsHeader, type FrameFileType, type FrameRow } from "@cvflow/batch/output";

export type { FrameFileType, FrameRow };

export class FrameResults {
  private constructor(
    readonly path: string,
    private readonly type: FrameFileType,
    private readonly outputs: readonly string[],
  ) {}

  /** Starts the file afresh (`keepUpTo` undefined), or keeps the rows of frames up to `keepUpTo`. */
  static open(path: string, type: FrameFileType, outputs: readonly string[], keepUpTo: number | undefined): FrameResults {
    const results = new FrameResults(path, type, outputs);
    const header = frameRowsHeader(type, outputs);
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
    appendFileSync(this.path, frameRowLine(this.type, this.outputs, row));
  }
}

function frameNumberOf(line: string, type: FrameFileType): number {
  return type === "csv" ? Number(line.slice(0, line.indexOf(","))) : Number((JSON.parse(line) as { frame_number: unknown }).frame_number);
}
