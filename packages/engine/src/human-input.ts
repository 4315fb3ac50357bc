/**
 * Human input: a block (cvflow/wait_for_input) asks a person for an answer through the
 * `humanInput` service of its run. The service answers at once when the answer is known (a run
 * resumed after it arrived); otherwise it throws InputRequired, which ends the run as *waiting*,
 * not failed: the executor lets the other steps that can still run finish, then rejects with it.
 */
import type { JsonSchema } from "./json-schema.js";

export interface HumanInputRequest {
  step: string;
  /** The element of the step that asks (empty for a step that runs once). */
  index: readonly number[];
  prompt: string;
  /** JSON Schema of the answer the step takes ({} for any JSON value). */
  schema: JsonSchema;
  /** What the person is shown: the runtime value of the step's `data` field (the service serializes it). */
  data?: unknown;
  timeoutSeconds?: number;
}

export interface HumanInput {
  /** The answer (already checked against `schema`), or throws InputRequired while there is none. */
  requestInput(request: HumanInputRequest): Promise<unknown>;
}

/** The run must wait for a person's answer to `request`; not a failure. */
export class InputRequired extends Error {
  readonly request: HumanInputRequest;

  constructor(request: HumanInputRequest) {
    super(`Step "${request.step}" waits for input: ${request.prompt}`);
    this.name = "InputRequired";
    this.request = request;
  }
}
