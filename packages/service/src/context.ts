/** What every use case may reach: built once by createService. */
import type { BatchJobs } from "@cvflow/batch";
import type { WorkflowEngine } from "@cvflow/engine";
import type { Runs } from "@cvflow/runs";
import type { BlobStore, WorkflowStore } from "@cvflow/store";
import type { DebuggerPage } from "./debugger-page.js";
import type { InferencePipelines } from "./inference-pipelines.js";
import type { SavedWorkflows } from "./saved-workflows.js";
import type { WorkflowTokens } from "./workflow-tokens.js";

export interface ServiceContext {
  engine: WorkflowEngine;
  store: WorkflowStore;
  blobs: BlobStore;
  saved: SavedWorkflows;
  /** Undefined when no secret is configured: tokens are then neither issued nor accepted. */
  tokens: WorkflowTokens | undefined;
  version: string;
  /** Undefined when the deployment has no batch jobs: their routes answer 501. */
  batch: BatchJobs | undefined;
  /** Undefined when the deployment keeps no runs: sync runs then have no record, the run routes answer 501. */
  runs: Runs | undefined;
  /** Undefined when the deployment runs no video pipelines (Lambda): their routes answer 501. */
  pipelines: InferencePipelines | undefined;
  /** Undefined when the deployment was given no page: `/` answers 503 `ui_not_built`. */
  page: DebuggerPage | undefined;
}
