/**
 * local_file_sink@v1 writing into a temporary folder given as the deployment's root: file names,
 * contents, append_log's rotation, CSV header and JSON Lines, a batch appended in order, the root
 * enforced (relative, absolute, ..), no root at all, disable_sinks, and a failed write reported
 * without a machine path.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BlockRegistry, MemoryVideoState, WorkflowEngine, WorkflowError, type Block, type BlockServices } from "@cvflow/engine";
import { localFileSinkBlock } from "../src/sinks/local_file_sink.js";

const NAME = /^workflow_output_\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d_\d{6}\.(csv|json|jsonl|txt)$/;

let root: string;
beforeEach(async () => (root = await mkdtemp(path.join(tmpdir(), "cvflow-local-file-sink-"))));
afterEach(() => rm(root, { recursive: true, force: true }));

const engineAt = (localFileRoot: string | undefined) =>
  new WorkflowEngine({
    registry: new BlockRegistry([localFileSinkBlock] as Block[]),
    services: { egress: { urlPolicy: {}, ...(localFileRoot === undefined ? {} : { localFileRoot }) } },
  });

const definition = (step: Record<string, unknown>, batch = false) => ({
  version: "1.0",
  inputs: [batch ? { type: "WorkflowBatchInput", name: "content", kind: ["string"] } : { type: "WorkflowParameter", name: "content" }],
  steps: [{ type: "roboflow_core/local_file_sink@v1", name: "sink", content: "$inputs.content", target_directory: "out", ...step }],
  outputs: [{ type: "JsonField", name: "result", selector: "$steps.sink.*" }],
});

async function files(folder = "out"): Promise<[string, string][]> {
  const names = (await readdir(path.join(root, folder))).sort();
  return Promise.all(names.map(async (name) => [name, await readFile(path.join(root, folder, name), "utf8")] as [string, string]));
}

async function runOne(engine: WorkflowEngine, step: Record<string, unknown>, content: unknown, services?: BlockServices) {
  const { outputs } = await engine.run(definition(step), { content }, services ? { services } : {});
  return outputs[0]!["result"];
}

describe("local_file_sink", () => {
  it("separate_files: a file per input, named with the prefix and a timestamp, a newline added", async () => {
    const engine = engineAt(root);
    expect(await runOne(engine, { output_mode: "separate_files", file_type: "txt" }, "first")).toEqual({ error_status: false, message: "Data saved successfully" });
    await runOne(engine, { output_mode: "separate_files", file_type: "txt" }, "second\n");
    const written = await files();
    expect(written.map(([name]) => NAME.test(name))).toEqual([true, true]);
    expect(written.map(([, text]) => text)).toEqual(["first\n", "second\n"]);
  });

  it("append_log over the frames of a video: CSV header once, a new file every max_entries_per_file", async () => {
    const engine = engineAt(root);
    const video = { videoState: new MemoryVideoState() };
    for (const row of ["1,2", "3,4", "5,6"]) {
      expect(await runOne(engine, { output_mode: "append_log", max_entries_per_file: 2 }, `a,b\n${row}\n`, video)).toEqual({ error_status: false, message: "Data saved successfully" });
    }
    const written = await files();
    expect(written.map(([name]) => name.endsWith(".csv") && NAME.test(name))).toEqual([true, true]);
    expect(written.map(([, text]) => text)).toEqual(["a,b\n1,2\n3,4\n", "a,b\n5,6\n"]);
  });

  it("append_log of JSON: JSON Lines as Python's json.dumps writes them (.jsonl); content that is not JSON is reported", async () => {
    const engine = engineAt(root);
    const video = { videoState: new MemoryVideoState() };
    const step = { output_mode: "append_log", file_type: "json" };
    await runOne(engine, step, '{\n  "class": "car",\n  "boxes": [1, 2.5],\n  "name": "Zürich"\n}', video);
    expect(await runOne(engine, step, "{not json", video)).toEqual({ error_status: true, message: "Invalid JSON content" });
    await runOne(engine, step, "[]", video);
    const written = await files();
    expect(written.length).toBe(1);
    expect(written[0]![0]).toMatch(/\.jsonl$/);
    expect(written[0]![1]).toBe('{"class": "car", "boxes": [1, 2.5], "name": "Z\\u00fcrich"}\n[]\n');
  });

  it("a batch appends every element to one file, in order", async () => {
    const contents = ["x\n1", "x\n2", "x\n3", "x\n4"];
    const { outputs } = await engineAt(root).run(definition({ output_mode: "append_log" }, true), { content: contents });
    expect(outputs.map((o) => (o["result"] as { error_status: boolean }).error_status)).toEqual([false, false, false, false]);
    expect(await files()).toEqual([[expect.stringMatching(NAME), "x\n1\n2\n3\n4\n"]]);
  });

  it("writes only under the deployment's folder: relative and absolute paths inside it, never outside (invalid_field)", async () => {
    const engine = engineAt(root);
    await runOne(engine, { output_mode: "separate_files", target_directory: path.join(root, "abs", "deeper") }, "inside");
    expect((await files(path.join("abs", "deeper"))).length).toBe(1);
    for (const target of ["..", "../elsewhere", "out/../../elsewhere", "/etc"]) {
      const error = await engine.run(definition({ output_mode: "separate_files", target_directory: target }), { content: "x" }).catch((e: unknown) => e);
      expect(error, target).toBeInstanceOf(WorkflowError);
      expect(error, target).toMatchObject({ code: "invalid_field", status: 400, details: { step: "sink" } });
      expect((error as Error).message).toContain(`target_directory "${target}" leads outside the folder`);
      expect((error as Error).message).not.toContain(root);
    }
    expect((await readdir(path.dirname(root))).filter((name) => name === "elsewhere")).toEqual([]);
  });

  it("a file_name_prefix leading outside the folder writes nothing: invalid_field for separate_files, error_status for append_log (as Roboflow)", async () => {
    const engine = engineAt(path.join(root, "sandbox"));
    const error = await engine.run(definition({ output_mode: "separate_files", file_name_prefix: "../../escaped" }), { content: "x" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "invalid_field", status: 400 });
    expect((error as Error).message).toContain('file_name_prefix "../../escaped" leads outside the folder');
    expect(await runOne(engine, { output_mode: "append_log", file_name_prefix: "../../escaped" }, "x")).toEqual({ error_status: true, message: "Could not create new sink file" });
    // A prefix naming a subfolder inside is fine.
    await runOne(engine, { output_mode: "separate_files", file_name_prefix: "daily/report" }, "x");
    expect(await readdir(root)).toEqual(["sandbox"]);
    expect((await readdir(path.join(root, "sandbox", "out", "daily"))).map((name) => /^report_\d{4}_.*\.csv$/.test(name))).toEqual([true]);
  });

  it("a deployment without a folder refuses the block (service_unavailable), saying what to set", async () => {
    const error = await engineAt(undefined)
      .run(definition({ output_mode: "separate_files" }), { content: "x" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "service_unavailable", status: 501, details: { step: "sink" } });
    expect((error as Error).message).toContain("CVFLOW_LOCAL_FILE_ROOT; on Lambda it can only be /tmp");
  });

  it("disable_sinks writes nothing and says so", async () => {
    expect(await runOne(engineAt(root), { output_mode: "separate_files" }, "x", { sinksDisabled: true })).toEqual({
      error_status: false,
      message: "Sink was disabled by workflow execution policy",
    });
    expect(await readdir(root)).toEqual([]);
  });

  it("a write that fails is error_status naming the file relative to the folder and the reason, not the machine's path", async () => {
    await writeFile(path.join(root, "taken"), "a file where the folder should be");
    const result = (await runOne(engineAt(root), { output_mode: "separate_files", target_directory: "taken" }, "x")) as { error_status: boolean; message: string };
    expect(result.error_status).toBe(true);
    expect(result.message).toMatch(/^Could not save taken\/workflow_output_.*\.csv: E[A-Z]+$/);
    expect(result.message).not.toContain(root);
  });
});
