/**
 * `OUT/.progress.jsonl`: one line per finished image, appended as soon as its files are written,
 * so a rerun (after a crash, Ctrl-C or --max-failures) skips what is done and retries what failed
 * (or, with --skip-failed, skips that too). The last line of an image says its status.
 */
import { appendFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const PROGRESS_LOG = ".progress.jsonl";

export interface ProgressEntry {
  image: string;
  status: "done" | "failed";
}

export class ProgressLog {
  private readonly path: string;

  constructor(outputDirectory: string) {
    this.path = join(outputDirectory, PROGRESS_LOG);
  }

  /** The last status of each image logged; a line cut short by a crash is ignored. */
  read(): Map<string, ProgressEntry["status"]> {
    const finished = new Map<string, ProgressEntry["status"]>();
    if (!existsSync(this.path)) return finished;
    for (const line of readFileSync(this.path, "utf8").split("\n")) {
      const entry = parse(line);
      if (entry) finished.set(entry.image, entry.status);
    }
    return finished;
  }

  /** Synchronous: a line is whole on disk before the next image is reported. */
  append(entry: ProgressEntry): void {
    appendFileSync(this.path, `${JSON.stringify(entry)}\n`);
  }

  clear(): void {
    rmSync(this.path, { force: true });
  }
}

function parse(line: string): ProgressEntry | undefined {
  try {
    const entry = JSON.parse(line) as Partial<ProgressEntry>;
    if (typeof entry.image === "string" && (entry.status === "done" || entry.status === "failed")) return { image: entry.image, status: entry.status };
  } catch {
    // an empty or half-written line
  }
  return undefined;
}
