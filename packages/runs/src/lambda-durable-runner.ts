/**
 * Runs' durable executions on AWS: Lambda durable functions. A run's attempt is started by an
 * asynchronous Invoke of the durable function's qualified ARN (durable functions are invoked
 * through a version or alias) named after the run (`DurableExecutionName`: Lambda returns the
 * existing execution for a name it knows, so a start sent twice starts one execution), answered
 * with SendDurableExecutionCallbackSuccess, stopped with StopDurableExecution.
 */
import {
  DurableExecutionAlreadyStartedException,
  InvokeCommand,
  LambdaClient,
  ListDurableExecutionsByFunctionCommand,
  SendDurableExecutionCallbackSuccessCommand,
  StopDurableExecutionCommand,
} from "@aws-sdk/client-lambda";
import type { DurableRunner, DurableRunPayload } from "./durable-runner.js";

export interface LambdaDurableRunnerOptions {
  /** The durable function's qualified ARN (`...:function:name:alias` or `:version`). */
  functionArn: string;
  /** Default: a client for the ARN's region with the SDK's provider chain. */
  client?: LambdaClient;
}

export class LambdaDurableRunner implements DurableRunner {
  readonly #functionArn: string;
  readonly #client: LambdaClient;

  constructor(options: LambdaDurableRunnerOptions) {
    const arn = parseFunctionArn(options.functionArn);
    this.#functionArn = options.functionArn;
    this.#client = options.client ?? new LambdaClient({ region: arn.region });
  }

  async start(executionName: string, payload: DurableRunPayload): Promise<void> {
    const body = JSON.stringify({ runId: payload.runId, attempt: payload.attempt } satisfies DurableRunPayload);
    try {
      await this.#client.send(
        new InvokeCommand({ FunctionName: this.#functionArn, InvocationType: "Event", DurableExecutionName: executionName, Payload: new TextEncoder().encode(body) }),
      );
    } catch (error) {
      // The name is taken by an execution with another payload: never one of ours (a name is
      // made from the run and its attempt, which the payload holds), so it is this attempt's.
      if (!(error instanceof DurableExecutionAlreadyStartedException)) throw error;
    }
  }

  async sendCallback(callbackId: string, result: unknown): Promise<void> {
    await this.#client.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: callbackId, Result: new TextEncoder().encode(JSON.stringify(result ?? null)) }));
  }

  /** Stops the execution of that name while it runs (or waits); nothing when none does. */
  async stop(executionName: string): Promise<void> {
    const { name, qualifier } = parseFunctionArn(this.#functionArn);
    let marker: string | undefined;
    do {
      const page = await this.#client.send(
        new ListDurableExecutionsByFunctionCommand({ FunctionName: name, Qualifier: qualifier, DurableExecutionName: executionName, Statuses: ["RUNNING"], Marker: marker }),
      );
      for (const execution of page.DurableExecutions ?? []) {
        // The name filter may match more than the exact name.
        if (execution.DurableExecutionName !== executionName || !execution.DurableExecutionArn) continue;
        await this.#client.send(
          new StopDurableExecutionCommand({ DurableExecutionArn: execution.DurableExecutionArn, Error: { ErrorType: "RunCancelled", ErrorMessage: "The run was cancelled" } }),
        );
      }
      marker = page.NextMarker;
    } while (marker);
  }
}

/** `arn:aws:lambda:{region}:{account}:function:{name}:{qualifier}`; the qualifier is required. */
function parseFunctionArn(arn: string): { region: string; name: string; qualifier: string } {
  const match = /^arn:aws[\w-]*:lambda:([\w-]+):\d{12}:function:([\w-]+):([\w$-]+)$/.exec(arn);
  if (!match) throw new Error(`"${arn}" is not a qualified Lambda function ARN (arn:aws:lambda:region:account:function:name:alias): durable functions are invoked through a version or an alias`);
  return { region: match[1]!, name: arn.slice(0, arn.lastIndexOf(":")), qualifier: match[3]! };
}
