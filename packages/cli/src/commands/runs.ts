/** `cvflow runs list|get|events|cancel|retry|answer`: runs on the service (docs/runs.md). */
import type { RunEvent, RunRecord, RunStatus } from "@cvflow/sdk";
import { RUN_STATUSES, runEventDetail } from "@cvflow/wire";
import { InvalidArgumentError, type Command } from "commander";
import { collect, positiveInteger, readJsonFile } from "../arguments.js";
import { clientFor, globalOptions } from "../context.js";
import { usageError } from "../exit-codes.js";
import { outputLines, printJson, printLines, table } from "../output.js";

interface ListFlags {
  status?: string[];
  workflow?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export function addRunsCommand(program: Command): void {
  const runs = program.command("runs").description("runs on the service: their records, events, cancel, retry and answers (start one with cvflow run --nowait)");

  runs
    .command("list")
    .description("the workspace's runs, newest first")
    .option("--status <status>", `only runs in this status (repeatable): ${RUN_STATUSES.join(", ")}`, (value: string, previous?: string[]) => collect(runStatus(value), previous))
    .option("--workflow <id>", "only runs of this saved workflow (\"inline\": inline definitions)")
    .option("--from <time>", "created at or after (ISO 8601)", isoTime)
    .option("--to <time>", "created before (ISO 8601)", isoTime)
    .option("--limit <n>", "runs in the page (server default applies)", positiveInteger)
    .option("--cursor <cursor>", "the next page, as the previous page said")
    .action(async (flags: ListFlags, command: Command) => {
      const page = await clientFor(command).listRuns({
        ...(flags.status ? { status: flags.status as RunStatus[] } : {}),
        ...(flags.workflow !== undefined ? { workflow: flags.workflow } : {}),
        ...(flags.from !== undefined ? { from: flags.from } : {}),
        ...(flags.to !== undefined ? { to: flags.to } : {}),
        ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
        ...(flags.cursor !== undefined ? { cursor: flags.cursor } : {}),
      });
      if (globalOptions(command).json) return printJson(page);
      if (page.runs.length === 0) return printLines("no runs");
      printLines(...table([["RUN", "STATUS", "WORKFLOW", "CREATED", "ELAPSED"], ...page.runs.map((r) => [r.id, r.status, r.workflow.name, r.createdAt, elapsed(r)])]));
      if (page.cursor) printLines(`more: cvflow runs list --cursor ${page.cursor}`);
    });

  runs
    .command("get")
    .description("a run's record: status, steps, what it waits for, error, outputs")
    .argument("<run-id>")
    .action(async (id: string, _flags: object, command: Command) => {
      const record = await clientFor(command).getRun(id);
      if (globalOptions(command).json) return printJson(record);
      printRecord(record);
    });

  runs
    .command("events")
    .description("a run's events, one line each: those so far, or live to the run's end with --follow")
    .argument("<run-id>")
    .option("-f, --follow", "keep printing events as they come, until the run ends")
    .option("--after <sequence>", "only events after this sequence number", nonNegativeInteger)
    .action(async (id: string, flags: { follow?: boolean; after?: number }, command: Command) => {
      const json = globalOptions(command).json;
      for await (const event of clientFor(command).streamEvents(id, { after: flags.after ?? 0, follow: Boolean(flags.follow) })) {
        printLines(json ? JSON.stringify(event) : eventLine(event));
      }
    });

  runs
    .command("cancel")
    .description("stop a run (its steps stop within a second); a finished run is left as it is")
    .argument("<run-id>")
    .action(async (id: string, _flags: object, command: Command) => report(await clientFor(command).cancel(id), command));

  runs
    .command("retry")
    .description("a new attempt of a failed, cancelled or timed-out run, reusing the steps that succeeded")
    .argument("<run-id>")
    .action(async (id: string, _flags: object, command: Command) => report(await clientFor(command).retry(id), command));

  runs
    .command("answer")
    .description("answer a run waiting for input (cvflow/wait_for_input@v1): JSON as an argument or from a file")
    .argument("<run-id>")
    .argument("[json]", "the answer, as JSON")
    .option("--file <answer.json>", "read the answer from this file")
    .addHelpText("after", `\nExamples:\n  cvflow runs answer $RUN '{"approved": true}'\n  cvflow runs answer $RUN --file answer.json`)
    .action(async (id: string, text: string | undefined, flags: { file?: string }, command: Command) => {
      if ((text === undefined) === (flags.file === undefined)) usageError(command, "give the answer either as a JSON argument or with --file");
      const answer = flags.file !== undefined ? readJsonFile(flags.file) : parseAnswer(text!, command);
      report(await clientFor(command).answer(id, answer), command);
    });
}

function report(record: RunRecord, command: Command): void {
  if (globalOptions(command).json) return printJson(record);
  printLines(`${record.id}: ${record.status}${record.attempts.length > 1 ? ` (attempt ${record.attempts.length})` : ""}`);
}

function printRecord(record: RunRecord): void {
  const rows: string[][] = [
    ["run", record.id],
    ["status", record.status],
    ["workflow", [record.workflow.workspace, record.workflow.id ?? record.workflow.name].filter(Boolean).join("/")],
    ["mode", record.mode],
    ["created", record.createdAt],
    ["finished", record.finishedAt ?? "-"],
    ["elapsed", elapsed(record)],
    ["attempts", String(record.attempts.length)],
    ...Object.entries(record.inputsSummary).map(([name, summary]) => [`input ${name}`, summary]),
  ];
  if (record.waitingFor) rows.push(["waiting for", `${record.waitingFor.step}: ${record.waitingFor.prompt}`], ["answer schema", JSON.stringify(record.waitingFor.schema)]);
  if (record.error) rows.push(["error", `${record.error.code}: ${record.error.message}`]);
  printLines(...table(rows));
  if (record.steps.length > 0) {
    printLines("steps", ...table([["STEP", "STATUS", "DURATION", "ATTEMPTS"], ...record.steps.map((s) => [s.name, s.status, s.durationMs === undefined ? "-" : ms(s.durationMs), String(s.attempts)])]).map((l) => `  ${l}`));
  }
  const outputs = record.outputs ?? [];
  outputs.forEach((output, i) => printLines(outputs.length > 1 ? `outputs[${i}]` : "outputs", ...outputLines(output).map((l) => `  ${l}`)));
}

/** `3  12:01:02.345  step_finished  detect 41 ms, 1 element`. */
function eventLine(event: RunEvent): string {
  return [String(event.sequence), event.at.slice(11, 23), event.type, runEventDetail(event, ms)].filter(Boolean).join("  ");
}

function elapsed(record: RunRecord): string {
  return record.elapsedMs === undefined ? "-" : ms(record.elapsedMs);
}

/** `412 ms`, `3.5 ms`: whole milliseconds, a tenth below ten. */
function ms(value: number): string {
  return `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} ms`;
}

function parseAnswer(text: string, command: Command): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return usageError(command, `the answer is not JSON (${(error as Error).message}); quote it for the shell, e.g. '{"approved": true}'`);
  }
}

function runStatus(text: string): RunStatus {
  if (!(RUN_STATUSES as readonly string[]).includes(text)) throw new InvalidArgumentError(`Expected one of ${RUN_STATUSES.join(", ")}.`);
  return text as RunStatus;
}

function isoTime(text: string): string {
  if (Number.isNaN(Date.parse(text))) throw new InvalidArgumentError("Expected a time such as 2026-01-31 or 2026-01-31T12:00:00Z.");
  return text;
}

function nonNegativeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError("Expected a whole number, 0 or more.");
  return value;
}
