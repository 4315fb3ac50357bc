/**
 * What s3_sink and local_file_sink share in `append_log` mode: how many entries a file takes, and
 * what an entry becomes in it — JSON as one line (JSON Lines, as Roboflow's json.dumps writes it),
 * a CSV entry after a file's first without its header line, every entry ending its line.
 */
import { invalidField } from "../errors.js";
import { pyJsonDumps } from "../uql/python-values.js";

export function maxEntries(value: number | string): number {
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(n) || n < 1) throw invalidField(`max_entries_per_file must be a whole number of at least 1, got ${JSON.stringify(value)}`);
  return n;
}

/** `content` as it is appended (`continuing`: the file has entries already); undefined for JSON content that does not parse. */
export function appendLogEntry(content: string, fileType: string, continuing: boolean): string | undefined {
  let entry = content;
  if (fileType === "json") {
    try {
      entry = pyJsonDumps(JSON.parse(entry));
    } catch {
      return undefined;
    }
  } else if (fileType === "csv" && continuing) {
    entry = entry.split("\n").slice(1).join("\n");
  }
  return withNewline(entry);
}

export const withNewline = (text: string): string => (text.endsWith("\n") ? text : `${text}\n`);
