/** The job model: what a valid job becomes, and every problem of an invalid one at once, each at its JSON pointer. */
import { WorkflowError } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { parseJob } from "../src/index.js";

const context = { job: "j1", bucket: "cvflow-local" };
const spec = { version: "1.0", inputs: [{ type: "WorkflowImage", name: "image" }], steps: [], outputs: [] };

function issues(raw: unknown): { code: string; pointer: string }[] {
  try {
    parseJob(raw, context);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).code).toBe("invalid_job");
    expect((error as WorkflowError).status).toBe(400);
    return ((error as WorkflowError).details["errors"] as { code: string; pointer: string }[]).map(({ code, pointer }) => ({ code, pointer }));
  }
  throw new Error("expected the job to be refused");
}

describe("parseJob", () => {
  it("fills in the defaults and the job's own output prefix", () => {
    expect(parseJob({ workspace: "demo", workflow: { workspace: "demo", id: "detect" }, input: { prefix: "s3://data/shelves" } }, context)).toEqual({
      workspace: "demo",
      workflow: { workspace: "demo", id: "detect" },
      parameters: {},
      image_input: "image",
      input: { prefix: "s3://data/shelves/" },
      output_prefix: "s3://cvflow-local/batches/j1/output/",
      aggregation_format: "csv",
      save_image_outputs: false,
    });
  });

  it("keeps what is given, with {job} in the output prefix replaced", () => {
    const job = parseJob(
      {
        workspace: "demo",
        workflow: { specification: spec },
        parameters: { confidence: 0.5 },
        image_input: "photo",
        input: { manifest: ["s3://data/a.jpg", "https://example.com/b.png"] },
        output_prefix: "s3://results/{job}/out",
        aggregation_format: "jsonl",
        save_image_outputs: true,
        batch_size: 25,
        max_concurrency: 4,
        tolerated_failure_percentage: 0,
      },
      context,
    );
    expect(job).toMatchObject({ output_prefix: "s3://results/j1/out/", aggregation_format: "jsonl", save_image_outputs: true, batch_size: 25, max_concurrency: 4, tolerated_failure_percentage: 0, image_input: "photo" });
  });

  it("lists every problem, each at its pointer", () => {
    expect(
      issues({
        workspace: "Not A Workspace",
        workflow: { workspace: "demo" },
        input: { manifest: ["s3://data/a.jpg", 7, "ftp://x/y.jpg", "s3://data/folder/"] },
        aggregation_format: "xml",
        save_image_outputs: "yes",
        batch_size: 0,
        max_concurrency: 1.5,
        tolerated_failure_percentage: 101,
        colour: "blue",
      }),
    ).toEqual([
      { code: "unknown_field", pointer: "/colour" },
      { code: "invalid_workspace", pointer: "/workspace" },
      { code: "invalid_workflow_url", pointer: "/workflow/id" },
      { code: "invalid_source", pointer: "/input/manifest/1" },
      { code: "invalid_source", pointer: "/input/manifest/2" },
      { code: "invalid_source", pointer: "/input/manifest/3" },
      { code: "invalid_aggregation_format", pointer: "/aggregation_format" },
      { code: "invalid_save_image_outputs", pointer: "/save_image_outputs" },
      { code: "invalid_batch_size", pointer: "/batch_size" },
      { code: "invalid_max_concurrency", pointer: "/max_concurrency" },
      { code: "invalid_tolerated_failure_percentage", pointer: "/tolerated_failure_percentage" },
    ]);
    expect(issues("a string")).toEqual([{ code: "invalid_job", pointer: "" }]);
    expect(issues({ workspace: "demo", workflow: { specification: spec }, input: { prefix: "s3://b/x/", manifest: [] } })).toEqual([{ code: "invalid_input", pointer: "/input" }]);
  });

  it("keeps jobs out of the service's keys, workflows and trash, and out of other jobs' folders", () => {
    const job = (input: unknown, output_prefix?: string) => ({ workspace: "demo", workflow: { specification: spec }, input, ...(output_prefix ? { output_prefix } : {}) });
    expect(issues(job({ prefix: "s3://cvflow-local/keys/" }))).toEqual([{ code: "forbidden_location", pointer: "/input/prefix" }]);
    expect(issues(job({ prefix: "s3://cvflow-local/" }))).toEqual([{ code: "forbidden_location", pointer: "/input/prefix" }]);
    expect(issues(job({ manifest: ["s3://cvflow-local/workspaces/demo/workflows/x.jpg"] }))).toEqual([{ code: "forbidden_location", pointer: "/input/manifest/0" }]);
    // Uploads: the job's workspace's only.
    expect(issues(job({ manifest: ["s3://cvflow-local/uploads/demo/1", "s3://cvflow-local/uploads/other/2", "s3://cvflow-local/uploads/3"] }))).toEqual([
      { code: "forbidden_location", pointer: "/input/manifest/1" },
      { code: "forbidden_location", pointer: "/input/manifest/2" },
    ]);
    for (const prefix of ["s3://cvflow-local/uploads/", "s3://cvflow-local/uploads/other/", "s3://cvflow-local/uploads/demo-2/"]) {
      expect(issues(job({ prefix }))).toEqual([{ code: "forbidden_location", pointer: "/input/prefix" }]);
    }
    expect(parseJob(job({ prefix: "s3://cvflow-local/uploads/demo/" }), context).input).toEqual({ prefix: "s3://cvflow-local/uploads/demo/" });
    expect(issues(job({ prefix: "s3://cvflow-local/datasets/" }, "s3://cvflow-local/batches/other/output/"))).toEqual([{ code: "forbidden_location", pointer: "/output_prefix" }]);
    expect(issues(job({ prefix: "s3://cvflow-local/datasets/" }, "s3://cvflow-local/trash/"))).toEqual([{ code: "forbidden_location", pointer: "/output_prefix" }]);
    expect(issues(job({ prefix: "s3://cvflow-local/datasets/" }, "s3://cvflow-local/batches/{job}/"))).toEqual([{ code: "forbidden_location", pointer: "/output_prefix" }]);
    // Other buckets are the deployment's business (its IAM policy); the job's own folder and other areas are fine.
    expect(parseJob(job({ prefix: "s3://elsewhere/keys/" }, "s3://cvflow-local/batches/{job}/mine/"), context).output_prefix).toBe("s3://cvflow-local/batches/j1/mine/");
  });
});
