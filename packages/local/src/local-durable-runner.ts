/**
 * Runs' durable executions on one machine: the durable-execution SDK's own local runner
 * (LocalDurableTestRunner, real time) executing the very handler functions/runs makes for Lambda.
 * One runner per execution; the checkpoint server behind them is the SDK's, set up once per
 * process (shared by every stack of the process, torn down when the last one closes).
 *
 * Its checkpoints live in memory: what survives a restart of the stack is the runs' own state in
 * S3 (records, step checkpoints, answers), from which the stack starts its unfinished runs again.
 * A runner's failure is logged, never thrown into the stack.
 */
import { LocalDurableTestRunner, type DurableOperation } from "@aws/durable-execution-sdk-js-testing";
import type { DurableRunner, DurableRunPayload } from "@cvflow/runs";

type DurableHandler = ConstructorParameters<typeof LocalDurableTestRunner>[0]["handlerFunction"];

/** How long `sendCallback` looks for the callback among the executions (their view of the checkpoints lags the handler's by moments). */
const FIND_CALLBACK_MS = 1_000;
const FIND_POLL_MS = 5;

export interface LocalDurableRunnerOptions {
  /** The durable function's handler (withDurableExecution's). */
  handler: DurableHandler;
  /** Where an execution's failure is reported; default console.error. */
  log?: (message: string, error?: unknown) => void;
}

/** An execution's runner while it runs; undefined once it ended (its operations let go, its name kept). */
interface Execution {
  runner: LocalDurableTestRunner | undefined;
}

export class LocalDurableRunner implements DurableRunner {
  readonly #handler: DurableHandler;
  readonly #log: (message: string, error?: unknown) => void;
  /** Every execution this runner started, by name (an ended one too: a start of its name starts nothing, as on Lambda). */
  readonly #executions = new Map<string, Execution>();
  #closed = false;

  private constructor(options: LocalDurableRunnerOptions) {
    this.#handler = options.handler;
    this.#log = options.log ?? ((message, error) => console.error(message, error ?? ""));
  }

  /** A runner over the process's local checkpoint server (set up by the first). */
  static async create(options: LocalDurableRunnerOptions): Promise<LocalDurableRunner> {
    await environment.acquire();
    return new LocalDurableRunner(options);
  }

  async start(executionName: string, payload: DurableRunPayload): Promise<void> {
    if (this.#closed) throw new Error("the local durable runner is closed");
    if (this.#executions.has(executionName)) return;
    const runner = new LocalDurableTestRunner({ handlerFunction: this.#handler });
    const execution: Execution = { runner };
    this.#executions.set(executionName, execution);
    void runner.run({ payload: { runId: payload.runId, attempt: payload.attempt } }).then(
      (result) => {
        if (result.getStatus() !== "SUCCEEDED") {
          const error = result.getError();
          this.#log(`cvflow local durable runner: execution ${executionName} ended ${result.getStatus()}: ${error.errorType ?? ""} ${error.errorMessage ?? ""}`.trimEnd());
        }
      },
      (error: unknown) => {
        // A closed stack's executions end as its checkpoint server goes: their runs are taken up by the next stack.
        if (!this.#closed) this.#log(`cvflow local durable runner: execution ${executionName} failed`, error);
      },
    ).finally(() => {
      execution.runner = undefined;
    });
  }

  /**
   * Completes the callback among the executions that wait on it. One no execution holds (an id
   * from before a restart of the stack: the run's new execution asks anew, and finds the answer
   * in the record) is logged and left.
   */
  async sendCallback(callbackId: string, result: unknown): Promise<void> {
    const operation = await this.#findCallback(callbackId);
    if (!operation) {
      this.#log(`cvflow local durable runner: no execution waits on callback ${callbackId.slice(0, 24)}...; the run's answer is in its record`);
      return;
    }
    await operation.sendCallbackSuccess(JSON.stringify(result ?? null));
  }

  /** Ends the execution's wait for a callback (a cancelled run that waits): the handler then sees the cancel in the record. */
  async stop(executionName: string): Promise<void> {
    const execution = this.#executions.get(executionName);
    if (!execution?.runner) return;
    for (const operation of waitingCallbacks(execution.runner)) {
      await operation.sendCallbackFailure({ ErrorType: "RunCancelled", ErrorMessage: "The run was cancelled" });
    }
  }

  /**
   * Stops starting executions and lets go of the checkpoint server (the last runner of the
   * process tears it down). Executions still waiting are left: their runs are in S3, and the next
   * stack on the same data starts them again.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await environment.release();
  }

  async #findCallback(callbackId: string): Promise<DurableOperation | undefined> {
    const until = Date.now() + FIND_CALLBACK_MS;
    for (;;) {
      for (const execution of this.#executions.values()) {
        if (!execution.runner) continue;
        const found = waitingCallbacks(execution.runner).find((operation) => callbackOf(operation) === callbackId);
        if (found) return found;
      }
      if (Date.now() >= until) return undefined;
      await new Promise((resolve) => setTimeout(resolve, FIND_POLL_MS));
    }
  }
}

/** The execution's wait-for-callback operations still waiting, as its runner sees them now. */
function waitingCallbacks(runner: LocalDurableTestRunner): DurableOperation[] {
  const waiting: DurableOperation[] = [];
  for (let index = 0; ; index++) {
    const operation = runner.getOperationByIndex(index);
    if (operation.getOperationData() === undefined) return waiting;
    if (operation.isWaitForCallback() && operation.getChildOperations()?.find((child) => child.isCallback())?.getStatus() === "STARTED") waiting.push(operation);
  }
}

/** The operation's callback id; undefined while the runner does not see the callback under it yet. */
function callbackOf(operation: DurableOperation): string | undefined {
  try {
    return operation.getCallbackDetails()?.callbackId;
  } catch {
    return undefined;
  }
}

/** The SDK's local checkpoint server: one per process, set up by the first runner, torn down after the last. */
const environment = {
  users: 0,
  /** The last setup or teardown, which the next one follows. */
  ready: Promise.resolve(),
  async acquire(): Promise<void> {
    if (this.users++ === 0) this.ready = this.ready.catch(() => {}).then(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: false, checkpointDelay: 0 }));
    try {
      await this.ready;
    } catch (error) {
      this.users--;
      throw error;
    }
  },
  async release(): Promise<void> {
    if (--this.users === 0) this.ready = this.ready.catch(() => {}).then(() => LocalDurableTestRunner.teardownTestEnvironment());
    await this.ready;
  },
};
