/**
 * Starting and stopping executions of the batch state machine: on AWS through Step Functions; on
 * one machine through the local runner, which the local stack registers under the state machine's
 * ARN before it loads the Lambda handlers — they run in its process, so "the service" they call
 * is an object there, found by the ARN their environment names (CVFLOW_STATE_MACHINE_ARN).
 */
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand, StopExecutionCommand } from "@aws-sdk/client-sfn";

/** The state machine's input: Prepare reads the rest from the bucket. */
export interface BatchExecutionInput {
  job: string;
  bucket: string;
}

export interface BatchExecutions {
  /**
   * Starts an execution named `name`. Idempotent: a name that exists already starts nothing
   * (`started: false`), as Step Functions answers a repeated StartExecution.
   */
  start(name: string, input: BatchExecutionInput): Promise<{ started: boolean }>;
  /** Stops it; one that has ended or never was is left alone. */
  stop(name: string, cause: string): Promise<void>;
}

export class SfnBatchExecutions implements BatchExecutions {
  constructor(
    private readonly client: SFNClient,
    readonly stateMachineArn: string,
  ) {}

  async start(name: string, input: BatchExecutionInput): Promise<{ started: boolean }> {
    try {
      await this.client.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }));
      return { started: true };
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return { started: false };
      throw error;
    }
  }

  async stop(name: string, cause: string): Promise<void> {
    try {
      await this.client.send(new StopExecutionCommand({ executionArn: executionArn(this.stateMachineArn, name), cause }));
    } catch (error) {
      // Stopping what is not running: nothing to do.
      if ((error as { name?: string }).name === "ExecutionDoesNotExist") return;
      throw error;
    }
  }
}

/** `arn:aws:states:r:a:stateMachine:sm` → `arn:aws:states:r:a:execution:sm:name`. */
export function executionArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
}

const local = new Map<string, BatchExecutions>();

/** The local stack's runner, for the handlers of this process configured with `stateMachineArn`. */
export function registerLocalExecutions(stateMachineArn: string, executions: BatchExecutions): () => void {
  local.set(stateMachineArn, executions);
  return () => {
    if (local.get(stateMachineArn) === executions) local.delete(stateMachineArn);
  };
}

/**
 * The executions of `stateMachineArn`: a local runner registered under it, else Step Functions.
 * Looked up at each call, so a handler made before the runner was registered still finds it.
 */
export function batchExecutions(stateMachineArn: string, options: { region: string; endpoint?: string }): BatchExecutions {
  let sfn: SfnBatchExecutions | undefined;
  const target = (): BatchExecutions =>
    local.get(stateMachineArn) ?? (sfn ??= new SfnBatchExecutions(new SFNClient({ region: options.region, ...(options.endpoint ? { endpoint: options.endpoint } : {}) }), stateMachineArn));
  return {
    start: (name, input) => target().start(name, input),
    stop: (name, cause) => target().stop(name, cause),
  };
}

/**
 * An execution name for a job: its id and a token of what started it — the S3 event's sequencer
 * for an upload (the same event delivered twice starts one execution; a new upload, another),
 * a time for a restart. Names are at most 80 of [A-Za-z0-9_-].
 */
export function executionName(job: string, token: string): string {
  return `${job}-${token.replace(/[^A-Za-z0-9_-]/g, "")}`.slice(0, 80);
}
