/**
 * The batch state machine on one machine: the very definition deployed (@cvflow/batch/definition)
 * executed by aws-local-stepfunctions. Its Tasks' Lambda ARNs resolve to local handlers, each
 * called with a Lambda-like context whose remaining time is the Task's TimeoutSeconds (the library
 * races the same timeout, raising States.Timeout, and applies the Retry of the definition).
 *
 * The library has no Distributed Map: before running, each Map state whose ItemProcessor is
 * DISTRIBUTED is swapped for a Task (keeping its InputPath, ResultPath, OutputPath, Retry, Catch
 * and transitions) that this runner answers with local-distributed-map.ts — the ItemReader,
 * ItemBatcher, MaxConcurrency, ToleratedFailurePercentage and ResultWriter done here, and the
 * ItemProcessor run by the library as one child execution per batch. Express children
 * (`ExecutionType: "EXPRESS"`) are held to Step Functions' five minutes, and may be run twice
 * (`runTwice`), as Express's at-least-once delivery may; Standard children run exactly once. A
 * child's `$$.State` (Name, EnteredTime, RetryCount) is supplied here, which the library lacks.
 *
 * It is also what `StartExecution` means locally (BatchExecutions): executions by name, started
 * once, stoppable.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import type { Context } from "aws-lambda";
import { StateMachine, type StateMachineDefinition } from "aws-local-stepfunctions";
import { executionArn, type BatchExecutionInput, type BatchExecutions } from "@cvflow/batch";
import { EXPRESS_CHILD_LIMIT_SECONDS } from "@cvflow/batch/definition";
import { executionFailure, runDistributedMap, type DistributedMapState } from "./local-distributed-map.js";

export type LambdaHandler = (event: never, context: Context) => Promise<unknown>;

export interface LocalStateMachineOptions {
  definition: Record<string, unknown>;
  stateMachineArn: string;
  /** The Lambda functions the definition's Tasks name, by ARN. */
  functions: Readonly<Record<string, LambdaHandler>>;
  /** A context for one invocation of `functionName` that may run `timeoutMs`. */
  lambdaContext: (functionName: string, timeoutMs: number) => Context;
  /** Reaches the bucket the map reads its items from and writes its results to. */
  s3: S3Client;
  /** Where failed executions are reported; default console.error. */
  log?: (message: string) => void;
  /**
   * Which Express children (by their index in the map run) are delivered twice, both runs at
   * once, as Express's at-least-once delivery may do; the map takes the first run's outcome.
   * For fault injection; default none. Standard children are never run twice.
   */
  runTwice?: (child: number) => boolean;
  /** An Express child's limit, retries included; default EXPRESS_CHILD_LIMIT_SECONDS (Step Functions' 5 minutes). */
  expressLimitSeconds?: number;
}

export interface ExecutionOutcome {
  name: string;
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED";
  output?: unknown;
  error?: { Error: string; Cause: string };
}

type States = Record<string, Record<string, unknown>>;
type TaskHandlers = Record<string, (input: unknown) => Promise<unknown>>;

/** The library's default for a Task without TimeoutSeconds. */
const DEFAULT_TASK_TIMEOUT_SECONDS = 60;
/** The map's stand-in Task may run for days; setTimeout's ceiling is 2^31 - 1 ms. */
const MAP_TASK_TIMEOUT_SECONDS = 2_000_000;
const DISTRIBUTED_MAP_FIELDS = ["ItemReader", "ItemsPath", "ItemBatcher", "MaxConcurrency", "MaxConcurrencyPath", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath", "ItemProcessor", "ResultWriter", "ItemSelector", "Parameters", "Label"];

interface Execution {
  outcome: ExecutionOutcome;
  done: Promise<ExecutionOutcome>;
  stop(): void;
}

export class LocalStateMachine implements BatchExecutions {
  readonly #options: LocalStateMachineOptions;
  readonly #machine: StateMachine;
  readonly #states: States;
  /** Per Distributed Map state: its definition and the child machine of its ItemProcessor. */
  readonly #maps = new Map<string, MapProcessor>();
  readonly #executions = new Map<string, Execution>();

  constructor(options: LocalStateMachineOptions) {
    this.#options = options;
    const definition = structuredClone(options.definition) as { States: States };
    const [, , , region = "us-east-1", account = "000000000000"] = options.stateMachineArn.split(":");
    const functionArnPrefix = `arn:aws:lambda:${region}:${account}:function:`;
    for (const [name, state] of Object.entries(definition.States)) {
      const processor = state["ItemProcessor"] as { ProcessorConfig?: { Mode?: string; ExecutionType?: string }; StartAt: string; States: States } | undefined;
      if (state["Type"] !== "Map" || processor?.ProcessorConfig?.Mode !== "DISTRIBUTED") continue;
      const { ProcessorConfig: config, ...processorDefinition } = processor;
      const express = config.ExecutionType === "EXPRESS";
      if (!express && config.ExecutionType !== "STANDARD") throw new Error(`Map ${name}: ExecutionType must be STANDARD or EXPRESS; got ${String(config.ExecutionType)}`);
      const processorStates = structuredClone(processorDefinition.States);
      // $$.State is kept per child by counting its Task's attempts: right for a one-state processor only.
      if (Object.keys(processorStates).length > 1 && JSON.stringify(processorStates).includes("$$.State")) {
        throw new Error(`Map ${name}: the local runner supplies $$.State to an ItemProcessor of one state only`);
      }
      this.#maps.set(name, {
        state: state as DistributedMapState,
        express,
        startAt: processorDefinition.StartAt,
        // The library's validator adds fields to what it checks: it gets copies.
        processor: new StateMachine(structuredClone(processorDefinition) as unknown as StateMachineDefinition),
        processorStates,
      });
      definition.States[name] = standInTask(state, `${functionArnPrefix}${mapFunctionName(name)}`);
    }
    this.#states = structuredClone(definition.States);
    this.#machine = new StateMachine(definition as unknown as StateMachineDefinition);
  }

  async start(name: string, input: BatchExecutionInput): Promise<{ started: boolean }> {
    if (this.#executions.has(name)) return { started: false };
    const controller = new AbortController();
    const arn = executionArn(this.#options.stateMachineArn, name);
    const context = {
      Execution: { Id: arn, Name: name, StartTime: new Date().toISOString() },
      StateMachine: { Id: this.#options.stateMachineArn, Name: this.#options.stateMachineArn.split(":").at(-1) },
    };
    const handlers = this.#handlers(this.#states, { name, context, signal: controller.signal });
    const run = this.#machine.run(input as never, { overrides: { taskResourceLocalHandlers: handlers as never }, context });
    const outcome: ExecutionOutcome = { name, status: "RUNNING" };
    const done = run.result.then(
      (output) => Object.assign(outcome, { status: "SUCCEEDED", output }),
      (error: unknown) => {
        if (controller.signal.aborted) return Object.assign(outcome, { status: "ABORTED" });
        Object.assign(outcome, { status: "FAILED", error: executionFailure(error) });
        (this.#options.log ?? console.error)(`cvflow local state machine: execution ${name} failed: ${outcome.error?.Error}: ${outcome.error?.Cause}`);
        return outcome;
      },
    );
    this.#executions.set(name, {
      outcome,
      done,
      stop: () => {
        controller.abort();
        run.abort();
      },
    });
    return { started: true };
  }

  async stop(name: string): Promise<void> {
    const execution = this.#executions.get(name);
    if (execution?.outcome.status === "RUNNING") execution.stop();
  }

  /** Resolves when the execution has ended. */
  async wait(name: string): Promise<ExecutionOutcome> {
    const execution = this.#executions.get(name);
    if (!execution) throw new Error(`No execution "${name}"`);
    return execution.done;
  }

  /** Every execution started so far, oldest first. */
  executions(): ExecutionOutcome[] {
    return [...this.#executions.values()].map((execution) => execution.outcome);
  }

  /** Stops every running execution and waits until they have ended. */
  async close(): Promise<void> {
    const executions = [...this.#executions.values()];
    for (const execution of executions) if (execution.outcome.status === "RUNNING") execution.stop();
    await Promise.all(executions.map((execution) => execution.done));
  }

  /** The local handlers of the Task states among `states`, by state name, as the library wants them. */
  #handlers(states: States, execution: { name: string; context: unknown; signal: AbortSignal }): TaskHandlers {
    const handlers: TaskHandlers = {};
    for (const [stateName, state] of Object.entries(states)) {
      if (state["Type"] !== "Task") continue;
      const map = this.#maps.get(stateName);
      handlers[stateName] = map ? (input) => this.#runMap(stateName, map, input, execution) : this.#lambda(stateName, state);
    }
    return handlers;
  }

  /** The function behind a Task's ARN, invoked as Lambda would: JSON in, JSON out, a deadline in the context. */
  #lambda(stateName: string, state: Record<string, unknown>): (input: unknown) => Promise<unknown> {
    const arn = String(state["Resource"]);
    const handler = this.#options.functions[arn];
    const timeoutMs = (Number(state["TimeoutSeconds"]) || DEFAULT_TASK_TIMEOUT_SECONDS) * 1000;
    return async (input) => {
      if (!handler) throw new Error(`State ${stateName}: no local function for ${arn}`);
      const context = this.#options.lambdaContext(arn.split(":").at(-1) ?? arn, timeoutMs);
      const output = await handler(structuredClone(input) as never, context);
      return JSON.parse(JSON.stringify(output ?? null)) as unknown;
    };
  }

  #runMap(stateName: string, map: MapProcessor, input: unknown, execution: { name: string; context: unknown; signal: AbortSignal }): Promise<unknown> {
    const [, , , region, account, , machine] = this.#options.stateMachineArn.split(":");
    const limitMs = (this.#options.expressLimitSeconds ?? EXPRESS_CHILD_LIMIT_SECONDS) * 1000;
    return runDistributedMap(map.state, input, {
      s3: this.#options.s3,
      mapRunArnPrefix: `arn:aws:states:${region}:${account}:mapRun:${machine}/${stateName}`,
      context: execution.context,
      signal: execution.signal,
      ...(map.express && this.#options.runTwice ? { runTwice: this.#options.runTwice } : {}),
      runChild: (childInput, childName) => {
        // The library reads `$$` from a shallow copy of this context: `State` stays this object.
        const state = { Name: map.startAt, EnteredTime: new Date().toISOString(), RetryCount: 0 };
        const handlers = this.#handlers(map.processorStates, execution);
        for (const [name, handler] of Object.entries(handlers)) {
          // Called once per attempt, after the attempt's Parameters were read: the next attempt reads one more.
          handlers[name] = (taskInput) => {
            state.RetryCount++;
            return handler(taskInput);
          };
        }
        const child = map.processor.run(childInput as never, {
          overrides: { taskResourceLocalHandlers: handlers as never },
          context: { Execution: { Id: `${executionArn(this.#options.stateMachineArn, execution.name)}/${stateName}/${childName}`, Name: childName }, State: state },
        });
        return { result: map.express ? withinLimit(child, limitMs) : child.result, abort: child.abort };
      },
    });
  }
}

interface MapProcessor {
  state: DistributedMapState;
  /** Express children: at most five minutes each, at-least-once. */
  express: boolean;
  startAt: string;
  processor: StateMachine;
  processorStates: States;
}

/** An Express child's result, or States.Timeout once it has run `limitMs` (the child is aborted). */
function withinLimit(child: { result: Promise<unknown>; abort(): void }, limitMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child.abort();
      const error = new Error(`The Express child ran past its ${limitMs / 1000} s`);
      error.name = "States.Timeout";
      reject(error);
    }, limitMs);
  });
  return Promise.race([child.result, limit]).finally(() => clearTimeout(timer));
}

/** A Task in the Map's place: the Map's own fields, less those of its items. */
function standInTask(state: Record<string, unknown>, resource: string): Record<string, unknown> {
  const task: Record<string, unknown> = { Type: "Task", Resource: resource, TimeoutSeconds: MAP_TASK_TIMEOUT_SECONDS };
  for (const [field, value] of Object.entries(state)) if (field !== "Type" && !DISTRIBUTED_MAP_FIELDS.includes(field)) task[field] = value;
  return task;
}

function mapFunctionName(stateName: string): string {
  return `cvflow-local-distributed-map-${stateName.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}
