/**
 * Slack Notification: posts the message to a channel with Slack's Web API — chat.postMessage, or,
 * with attachments, the external upload Roboflow's SDK call (files_upload_v2) makes: for each
 * file files.getUploadURLExternal, the bytes POSTed to the URL it gives, then one
 * files.completeUploadExternal sharing them to the channel with the message as initial comment.
 * Slack answers HTTP 200 with `ok: false` and an error code for a refusal (invalid_auth,
 * channel_not_found); that code is the message's detail, as in Roboflow's. Nothing is retried
 * (Roboflow's client retries no rate limit either).
 */
import { defineBlock, type BlockContext } from "@cvflow/engine";
import { callOut, endpoint } from "../egress/egress.js";
import { invalidField } from "../errors.js";
import { reveal } from "../secrets_providers/secret.js";
import { formatMessage, messageParametersField, messageParametersOperationsField, type MessageOperations } from "./message-template.js";
import { cooldownField, disableSinkField, fireAndForgetField, notSending, reportSend, SendRefused, SINK_OUTPUTS, type SinkResult } from "./sink-results.js";

const SLACK_API = "https://slack.com/api";
/** Each call to Slack, as Roboflow's client waits (slack_sdk's default timeout). */
const SLACK_TIMEOUT_MS = 30_000;

interface SlackParams {
  [key: string]: unknown;
  slack_token: unknown;
  channel: string;
  message: string;
  message_parameters: Record<string, unknown>;
  message_parameters_operations: MessageOperations;
  attachments: Record<string, unknown>;
  fire_and_forget: boolean;
  disable_sink: boolean;
  cooldown_seconds: number;
  cooldown_session_key: string;
}

interface SlackAnswer {
  ok?: boolean;
  error?: string;
  [key: string]: unknown;
}

/** A Web API method's answer; anything but `ok: true` is Slack's refusal, named by its error code. */
async function slackCall(ctx: BlockContext, method: string, token: string, body: { json: object } | { form: Record<string, string> }): Promise<SlackAnswer> {
  const [contentType, text] =
    "json" in body ? ["application/json; charset=utf-8", JSON.stringify(body.json)] : ["application/x-www-form-urlencoded", new URLSearchParams(body.form).toString()];
  const response = await callOut(
    ctx,
    `${endpoint(ctx, "slack", SLACK_API)}/${method}`,
    { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": contentType }, body: text },
    { timeoutMs: SLACK_TIMEOUT_MS },
  );
  let answer: SlackAnswer = {};
  try {
    answer = JSON.parse(response.body.toString("utf8")) as SlackAnswer;
  } catch {
    // Not JSON (a proxy's error page): the status names the failure.
  }
  if (answer.ok === true && response.status < 300) return answer;
  throw new SendRefused(typeof answer.error === "string" ? answer.error : `HTTP ${response.status} from Slack's ${method}`);
}

function attachmentBytes(name: string, value: unknown): Uint8Array {
  if (typeof value === "string") return new TextEncoder().encode(value);
  if (value instanceof Uint8Array) return value;
  throw invalidField(`attachments.${name}: a string or bytes is needed, got ${value === null ? "null" : typeof value}`);
}

async function upload(ctx: BlockContext, token: string, channel: string, message: string, attachments: Record<string, unknown>): Promise<void> {
  const files: { id: string; title: string }[] = [];
  for (const [name, value] of Object.entries(attachments)) {
    const bytes = attachmentBytes(name, value);
    const target = await slackCall(ctx, "files.getUploadURLExternal", token, { form: { filename: name, length: String(bytes.byteLength) } });
    if (typeof target.upload_url !== "string" || typeof target.file_id !== "string") throw new SendRefused("files.getUploadURLExternal gave no upload_url and file_id");
    const stored = await callOut(ctx, target.upload_url, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: bytes, discardBody: true }, { timeoutMs: SLACK_TIMEOUT_MS });
    if (stored.status !== 200) throw new SendRefused(`uploading ${name} was answered with HTTP ${stored.status}`);
    files.push({ id: target.file_id, title: name });
  }
  await slackCall(ctx, "files.completeUploadExternal", token, { form: { files: JSON.stringify(files), channel_id: channel, initial_comment: message } });
}

export const slackNotificationBlock = defineBlock<SlackParams>({
  manifest: {
    type: "roboflow_core/slack_notification@v1",
    name: "Slack Notification",
    description:
      "Send notification via Slack: the message to a channel (chat.postMessage), or with attachments as files shared to it with the message as comment. " +
      "The token is a Slack Bot or User token (chat:write, and files:write for attachments); Roboflow's cache across requests is not here: the cooldown lasts a run, or a video.",
    family: "sinks",
    stateful: true,
    fields: {
      slack_token: { description: "Slack API token (Bot or User), best given through a secret.", kinds: ["string", "secret"], schema: { type: "string" }, required: true },
      channel: { description: "Channel ID (C0123456789) or name (#alerts) the token's bot or user may post to.", kinds: ["string"], schema: { type: "string" }, required: true },
      message: { description: "Plain text; {{ $parameters.name }} takes the value of message_parameters' name.", schema: { type: "string" }, required: true },
      message_parameters: messageParametersField,
      message_parameters_operations: messageParametersOperationsField,
      attachments: {
        description: "Files to share, by file name (report.csv): text or bytes from another step. Needs files:write.",
        shape: "dict",
        kinds: ["string", "bytes"],
        schema: { type: "string" },
        default: {},
      },
      fire_and_forget: fireAndForgetField,
      disable_sink: disableSinkField,
      cooldown_seconds: cooldownField(true),
      cooldown_session_key: { description: "Roboflow's key of the step's cooldown in its cache; accepted, unused here (the cooldown is the step's own).", schema: { type: "string" }, required: true },
    },
    outputs: SINK_OUTPUTS,
  },
  async run(params, ctx): Promise<SinkResult> {
    const skipped = notSending(ctx, params.disable_sink, params.cooldown_seconds);
    if (skipped) return skipped;
    const token = reveal(params.slack_token);
    if (!token) throw invalidField("slack_token: a Slack API token is needed (a string, or a secret from environment_secrets_store)");
    const message = formatMessage(params.message, params.message_parameters, params.message_parameters_operations);
    return reportSend(
      ctx,
      "Failed to send Slack notification.",
      async () => {
        if (Object.keys(params.attachments).length === 0) await slackCall(ctx, "chat.postMessage", token, { json: { channel: params.channel, text: message } });
        else await upload(ctx, token, params.channel, message, params.attachments);
      },
      [token],
    );
  },
});
