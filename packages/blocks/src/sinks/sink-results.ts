/**
 * What every notification sink shares with Roboflow's: the outputs (`error_status`,
 * `throttling_status`, `message`), the fields that decide whether it sends at all
 * (`disable_sink`, `cooldown_seconds`, `fire_and_forget`) and the messages it answers with.
 */
import { WorkflowError, type BlockContext, type FieldSpec, type OutputSpec } from "@cvflow/engine";
import { sinksDisabled } from "../egress/egress.js";
import { redactSecrets } from "../secrets_providers/secret.js";
import { cooldownAllows } from "./cooldown.js";

export interface SinkResult {
  [key: string]: unknown;
  error_status: boolean;
  throttling_status: boolean;
  message: string;
}

export const SINK_OUTPUTS: readonly OutputSpec[] = [
  { name: "error_status", kinds: ["boolean"] },
  { name: "throttling_status", kinds: ["boolean"] },
  { name: "message", kinds: ["string"] },
];

/** The most seconds a cooldown may be (Roboflow's: its cache keeps a last send 15 minutes). */
export const MAX_COOLDOWN_SECONDS = 15 * 60;

export const fireAndForgetField: FieldSpec = {
  description:
    "Accepted for compatibility. cvflow always waits for the send to finish (a promise left running after a Lambda answers is frozen with it), " +
    "so error_status and message report the outcome; the run's deadline still applies.",
  kinds: ["boolean"],
  schema: { type: "boolean" },
  default: true,
};

export const disableSinkField: FieldSpec = {
  description: "true: send nothing and say so in message. The run request's disable_sinks does the same for every sink.",
  kinds: ["boolean"],
  schema: { type: "boolean" },
  default: false,
};

/** `bounded`: Roboflow's Slack and Twilio v1 refuse more than 15 minutes; its webhook and Twilio v2 take any. */
export function cooldownField(bounded: boolean): FieldSpec {
  return {
    description:
      "Least seconds between two sends of this step; within it nothing is sent and throttling_status is true. 0: no cooldown. " +
      "It lasts as long as a video in a pipeline, else one run.",
    kinds: ["integer"],
    schema: bounded ? { type: "integer", minimum: 0, maximum: MAX_COOLDOWN_SECONDS } : { type: "integer" },
    default: 5,
  };
}

const SENT_MESSAGE = "Notification sent successfully";
/** What every sink answers when the run asked `disable_sinks` (Roboflow's words). */
export const DISABLED_BY_POLICY = "Sink was disabled by workflow execution policy";

function result(error_status: boolean, throttling_status: boolean, message: string): SinkResult {
  return { error_status, throttling_status, message };
}

export const sent = (): SinkResult => result(false, false, SENT_MESSAGE);
export const failed = (message: string): SinkResult => result(true, false, message);

/**
 * Roboflow's order: a disabled sink answers so; else one within its cooldown answers
 * throttled; else undefined — send, the cooldown now counting from this send.
 */
export function notSending(ctx: BlockContext, disableSink: boolean, cooldownSeconds: number): SinkResult | undefined {
  if (sinksDisabled(ctx)) return result(false, false, DISABLED_BY_POLICY);
  if (disableSink) return result(false, false, "Sink was disabled by parameter `disable_sink`");
  if (!cooldownAllows(ctx, cooldownSeconds)) return result(false, true, "Sink cooldown applies");
  return undefined;
}

/** The remote refused what a sink sent (an error status, an API's own error): reported in message. */
export class SendRefused extends Error {
  override name = "SendRefused";
}

/**
 * Runs `send` and reports its outcome as Roboflow does: sent, or error_status with `failure` and
 * the reason — the remote refused (SendRefused), did not answer, or not in time. `secrets` are
 * masked in that reason. A URL the deployment's rules refuse, and the run's cancellation or
 * deadline, fail the step instead: they are not the remote's answer.
 */
export async function reportSend(ctx: BlockContext, failure: string, send: () => Promise<void>, secrets: readonly (string | undefined)[] = []): Promise<SinkResult> {
  try {
    await send();
    return sent();
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const remote = error instanceof SendRefused || (error instanceof WorkflowError && (error.code === "url_fetch_failed" || error.code === "url_timeout"));
    if (!remote) throw error;
    return failed(redactSecrets(`${failure} Internal error details: ${error.message}`, secrets));
  }
}
