/**
 * Local File Sink: writes a step's text (CSV, JSON, plain text) to files, as Roboflow's — a file
 * per input (`separate_files`), or entries appended to one file that a new one replaces every
 * `max_entries_per_file` (`append_log`: the CSV header kept once, JSON as JSON Lines; the open file
 * kept in the run's video state, so one file per run, or per video in a pipeline, as Roboflow's
 * block instance keeps it). Files are `{file_name_prefix}_{timestamp}.{csv|json|jsonl|txt}`.
 *
 * Where it may write is the deployment's rule (Egress.localFileRoot, CVFLOW_LOCAL_FILE_ROOT):
 * target_directory is taken relative to that folder, and an absolute one must lie inside it — as
 * Roboflow's WORKFLOW_BLOCKS_WRITE_DIRECTORY, but always on. A deployment without one (the
 * default on Lambda, whose only writable folder, /tmp, is the instance's own and gone when it is)
 * refuses the block with service_unavailable. Messages name files relative to the root, never a
 * path of the machine.
 */
import { appendFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { defineBlock, type BlockContext } from "@cvflow/engine";
import { sinksDisabled } from "../egress/egress.js";
import { invalidField, serviceNotConfigured } from "../errors.js";
import { ALL_VIDEOS, stepState } from "../video/step-state.js";
import { appendLogEntry, maxEntries, withNewline } from "./append-log.js";
import { keyTimestamp } from "./s3_sink.js";
import { DISABLED_BY_POLICY } from "./sink-results.js";

const TYPE = "roboflow_core/local_file_sink@v1";

interface LocalFileParams {
  [key: string]: unknown;
  content: string;
  file_type: "csv" | "json" | "txt";
  output_mode: "append_log" | "separate_files";
  target_directory: string;
  file_name_prefix: string;
  max_entries_per_file: number | string;
}

interface LocalFileResult {
  [key: string]: unknown;
  error_status: boolean;
  message: string;
}

/** The file append_log writes to, relative to the root (plain data: the video state's codec carries it), and its entries so far. */
interface AppendLog {
  file: string | null;
  entries: number;
}

const SAVED: LocalFileResult = { error_status: false, message: "Data saved successfully" };
const failed = (message: string): LocalFileResult => ({ error_status: true, message });

/** One append at a time per step's log: elements of a batch run concurrently, and each must see the last one's file. */
const appending = new WeakMap<AppendLog, Promise<unknown>>();

/** `target` (relative to `base`, or absolute) resolved, or undefined when it leads outside `root`. */
function under(root: string, base: string, target: string): string | undefined {
  const resolved = path.resolve(base, target);
  const relative = path.relative(root, resolved);
  return relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative) ? undefined : resolved;
}

/** A new file's path in `folder`; undefined when the prefix (`../x`) leads it outside the root. */
const newFile = (root: string, folder: string, prefix: string, extension: string): string | undefined => under(root, folder, `${prefix}_${keyTimestamp()}.${extension}`);

const outsideRoot = (field: string, value: string, root: string) =>
  invalidField(
    `${field} "${value}" leads outside the folder this deployment lets ${TYPE} write to (CVFLOW_LOCAL_FILE_ROOT${root === "/tmp" ? ", /tmp" : ""}): keep it inside that folder`,
  );

/** An fs error without the path it carries: its code (EACCES, ENOSPC, ...). */
const reason = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? "error";

async function saveSeparate(root: string, folder: string, params: LocalFileParams, signal: AbortSignal): Promise<LocalFileResult> {
  const file = newFile(root, folder, params.file_name_prefix, params.file_type);
  if (!file) throw outsideRoot("file_name_prefix", params.file_name_prefix, root);
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, withNewline(params.content), { signal });
    return SAVED;
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    return failed(`Could not save ${path.relative(root, file)}: ${reason(error)}`);
  }
}

async function append(root: string, folder: string, params: LocalFileParams, log: AppendLog, maxEntriesPerFile: number): Promise<LocalFileResult> {
  const starts = log.file === null || log.entries >= maxEntriesPerFile;
  const entry = appendLogEntry(params.content, params.file_type, !starts);
  if (entry === undefined) return failed("Invalid JSON content");
  if (starts) {
    // A prefix leading outside the root is refused as a file that cannot be made (Roboflow's answer).
    const file = newFile(root, folder, params.file_name_prefix, params.file_type === "json" ? "jsonl" : params.file_type);
    try {
      if (!file) throw new Error("outside the root");
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, "", { flag: "wx" });
    } catch {
      return failed("Could not create new sink file");
    }
    log.file = path.relative(root, file);
    log.entries = 0;
  }
  try {
    await appendFile(path.join(root, log.file!), entry);
  } catch {
    return failed("Could not append content to append log");
  }
  log.entries += 1;
  return SAVED;
}

export const localFileSinkBlock = defineBlock<LocalFileParams>({
  manifest: {
    type: TYPE,
    name: "Local File Sink",
    description:
      "Save data to a local file: a file per input, or entries appended to one file (a new one every max_entries_per_file; for a run, or a video in a pipeline). " +
      "Files go under the deployment's folder (CVFLOW_LOCAL_FILE_ROOT), target_directory taken relative to it; a deployment without one refuses the block " +
      "(on Lambda only /tmp can be written, and it is lost with the instance).",
    family: "sinks",
    stateful: true,
    fields: {
      content: { description: "The text to write (a CSV formatter's csv_content, a JSON string, plain text); CSV entries in append_log carry their header.", kinds: ["string"], required: true },
      file_type: { description: "csv, json (jsonl in append_log: one document a line) or txt.", schema: { enum: ["csv", "json", "txt"] }, default: "csv" },
      output_mode: { description: "append_log: entries appended to one file; separate_files: a file per input.", schema: { enum: ["append_log", "separate_files"] }, required: true },
      target_directory: { description: "Folder of the files, relative to the deployment's folder (an absolute one must lie inside it); made when missing.", kinds: ["string"], schema: { type: "string" }, required: true },
      file_name_prefix: { description: "Start of each file's name, followed by a timestamp.", kinds: ["string"], schema: { type: "string" }, default: "workflow_output" },
      max_entries_per_file: { description: "append_log: entries per file before a new one starts; at least 1.", kinds: ["string"], schema: { type: "integer", minimum: 1 }, default: 1024 },
    },
    outputs: [
      { name: "error_status", kinds: ["boolean"] },
      { name: "message", kinds: ["string"] },
    ],
  },
  async run(params, ctx: BlockContext): Promise<LocalFileResult> {
    if (sinksDisabled(ctx)) return { error_status: false, message: DISABLED_BY_POLICY };
    const configured = ctx.services.egress?.localFileRoot;
    if (!configured) throw serviceNotConfigured(TYPE, "a folder to write to (CVFLOW_LOCAL_FILE_ROOT; on Lambda it can only be /tmp)");
    const root = path.resolve(configured);
    const folder = under(root, root, params.target_directory);
    if (!folder) throw outsideRoot("target_directory", params.target_directory, root);
    if (params.output_mode === "separate_files") return saveSeparate(root, folder, params, ctx.signal);
    const maxEntriesPerFile = maxEntries(params.max_entries_per_file);
    const log = stepState<AppendLog>(ctx, ALL_VIDEOS, () => ({ file: null, entries: 0 }));
    const previous = appending.get(log) ?? Promise.resolve();
    const done = previous.then(() => append(root, folder, params, log, maxEntriesPerFile));
    appending.set(log, done.catch(() => undefined));
    return done;
  },
});
