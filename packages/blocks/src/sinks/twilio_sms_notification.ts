/**
 * Twilio SMS Notification v1 and SMS/MMS v2: one message through Twilio's Messages API (POST
 * /2010-04-01/Accounts/{sid}/Messages.json, form-encoded To/From/Body/MediaUrl, HTTP basic auth
 * with the account SID and auth token), as Roboflow's Twilio client sends it. Twilio answers 201;
 * an error status carries its JSON `{code, message}`, which becomes the message's detail.
 *
 * v2's default provider, "Roboflow Managed API Key", sends through Roboflow's proxy, which cvflow
 * does not have: it fails, saying to use "Custom Twilio" with the account's own credentials. v2's
 * images in media_url are not uploaded anywhere (Roboflow puts them on a public file host for
 * Twilio to fetch): media are URLs Twilio can reach. A long v2 message without media goes as
 * SMS (Twilio joins the segments) where Roboflow attaches a placeholder image to force MMS.
 */
import { defineBlock, type BlockContext, type FieldSpec } from "@cvflow/engine";
import { callOut, endpoint } from "../egress/egress.js";
import { invalidField } from "../errors.js";
import { reveal } from "../secrets_providers/secret.js";
import { isImage } from "../uql/values.js";
import { formatMessage, messageParametersField, messageParametersOperationsField, type MessageOperations } from "./message-template.js";
import { cooldownField, disableSinkField, failed, fireAndForgetField, notSending, reportSend, SendRefused, SINK_OUTPUTS, type SinkResult } from "./sink-results.js";

const TWILIO_API = "https://api.twilio.com";
const TWILIO_TIMEOUT_MS = 30_000;
const TRUNCATION_MARKER = "[...]";
/** v2: longer than one SMS, Roboflow sends MMS; Twilio takes at most this many characters. */
const MMS_CHAR_LIMIT = 1600;
const FAILURE = "Failed to send Twilio SMS notification.";

/** At most `limit` characters (code points, as Python counts), the end replaced by " [...]". */
export function truncateMessage(message: string, limit: number): string {
  const chars = Array.from(message);
  if (chars.length <= limit) return message;
  return `${chars.slice(0, Math.max(0, limit - 1 - TRUNCATION_MARKER.length)).join("")} ${TRUNCATION_MARKER}`;
}

interface Sms {
  accountSid: string;
  authToken: string;
  from: string;
  to: string;
  body: string;
  mediaUrls?: readonly string[];
}

async function sendSms(ctx: BlockContext, sms: Sms): Promise<void> {
  const form = new URLSearchParams({ To: sms.to, From: sms.from, Body: sms.body });
  for (const url of sms.mediaUrls ?? []) form.append("MediaUrl", url);
  const credentials = Buffer.from(`${sms.accountSid}:${sms.authToken}`).toString("base64");
  const response = await callOut(
    ctx,
    `${endpoint(ctx, "twilio", TWILIO_API)}/2010-04-01/Accounts/${encodeURIComponent(sms.accountSid)}/Messages.json`,
    { method: "POST", headers: { authorization: `Basic ${credentials}`, "content-type": "application/x-www-form-urlencoded", accept: "application/json" }, body: form.toString() },
    { timeoutMs: TWILIO_TIMEOUT_MS },
  );
  if (response.status >= 200 && response.status < 300) return;
  let detail = "";
  try {
    const answer = JSON.parse(response.body.toString("utf8")) as { code?: unknown; message?: unknown };
    if (typeof answer.message === "string") detail = `: ${answer.message}${answer.code === undefined ? "" : ` (code ${String(answer.code)})`}`;
  } catch {
    // Not Twilio's JSON: the status says enough.
  }
  throw new SendRefused(`HTTP ${response.status} from Twilio${detail}`);
}

const accountSidField: FieldSpec = { description: "Twilio Account SID (Twilio Console, Account Info), best given through a secret.", kinds: ["string", "secret"], schema: { type: "string" } };
const authTokenField: FieldSpec = { description: "Twilio Auth Token (Twilio Console, Account Info), best given through a secret.", kinds: ["string", "secret"], schema: { type: "string" } };
const senderField: FieldSpec = { description: "The account's Twilio number to send from, E.164 (+15551234567).", kinds: ["string"], schema: { type: "string" } };
const receiverField: FieldSpec = { description: "The number to send to, E.164 (+15551234567).", kinds: ["string"], schema: { type: "string" }, required: true };
const messageField: FieldSpec = { description: "Plain text; {{ $parameters.name }} takes the value of message_parameters' name.", schema: { type: "string" }, required: true };

interface TwilioV1Params {
  [key: string]: unknown;
  twilio_account_sid: unknown;
  twilio_auth_token: unknown;
  sender_number: string;
  receiver_number: string;
  message: string;
  message_parameters: Record<string, unknown>;
  message_parameters_operations: MessageOperations;
  fire_and_forget: boolean;
  disable_sink: boolean;
  cooldown_seconds: number;
  cooldown_session_key: string;
  length_limit: number;
}

function credential(value: unknown, field: string): string {
  const text = reveal(value);
  if (!text) throw invalidField(`${field}: a value is needed (a string, or a secret from environment_secrets_store)`);
  return text;
}

export const twilioSmsNotificationV1Block = defineBlock<TwilioV1Params>({
  manifest: {
    type: "roboflow_core/twilio_sms_notification@v1",
    name: "Twilio SMS Notification",
    description:
      "Send notification via Twilio SMS service, with the account's SID and auth token. The message is cut to length_limit characters, ending in [...]. " +
      "Roboflow's cache across requests is not here: the cooldown lasts a run, or a video.",
    family: "sinks",
    stateful: true,
    fields: {
      twilio_account_sid: { ...accountSidField, required: true },
      twilio_auth_token: { ...authTokenField, required: true },
      sender_number: { ...senderField, required: true },
      receiver_number: receiverField,
      message: messageField,
      message_parameters: messageParametersField,
      message_parameters_operations: messageParametersOperationsField,
      fire_and_forget: fireAndForgetField,
      disable_sink: disableSinkField,
      cooldown_seconds: cooldownField(true),
      cooldown_session_key: { description: "Roboflow's key of the step's cooldown in its cache; accepted, unused here (the cooldown is the step's own).", schema: { type: "string" }, required: true },
      length_limit: { description: "Most characters sent; a longer message is cut, ending in [...].", kinds: ["integer"], schema: { type: "integer", exclusiveMinimum: 0 }, default: 160 },
    },
    outputs: SINK_OUTPUTS,
  },
  async run(params, ctx): Promise<SinkResult> {
    const skipped = notSending(ctx, params.disable_sink, params.cooldown_seconds);
    if (skipped) return skipped;
    if (params.length_limit <= 0) throw invalidField(`length_limit must be greater than 0, got ${params.length_limit}`);
    const accountSid = credential(params.twilio_account_sid, "twilio_account_sid");
    const authToken = credential(params.twilio_auth_token, "twilio_auth_token");
    const body = truncateMessage(formatMessage(params.message, params.message_parameters, params.message_parameters_operations), params.length_limit);
    const sms = { accountSid, authToken, from: params.sender_number, to: params.receiver_number, body };
    return reportSend(ctx, FAILURE, () => sendSms(ctx, sms), [accountSid, authToken]);
  },
});

const MANAGED = "Roboflow Managed API Key";
const CUSTOM = "Custom Twilio";

interface TwilioV2Params {
  [key: string]: unknown;
  sms_provider: string;
  receiver_number: string;
  message: string;
  message_parameters: Record<string, unknown>;
  message_parameters_operations: MessageOperations;
  media_url: unknown;
  twilio_account_sid: unknown;
  twilio_auth_token: unknown;
  sender_number: string | null;
  fire_and_forget: boolean;
  disable_sink: boolean;
  cooldown_seconds: number;
}

/** media_url as the list of URLs Twilio fetches; an image of the run cannot be one (see the header). */
function mediaUrls(value: unknown): string[] | { refused: string } {
  const items = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
  const urls: string[] = [];
  for (const item of items) {
    if (typeof item === "string") urls.push(item);
    else if (isImage(item))
      return { refused: "media_url: an image of the workflow cannot be sent — cvflow does not put images on a public host for Twilio to fetch; give the URL of an image Twilio can reach" };
    else return { refused: `media_url: URLs (strings) are needed, got ${item === null ? "null" : typeof item}` };
  }
  return urls;
}

export const twilioSmsNotificationV2Block = defineBlock<TwilioV2Params>({
  manifest: {
    type: "roboflow_core/twilio_sms_notification@v2",
    name: "Twilio SMS/MMS Notification",
    description:
      `Send SMS/MMS notifications via Twilio. Only "${CUSTOM}" exists here (the account's own SID, auth token and number): ` +
      `"${MANAGED}", Roboflow's proxy, fails with a message saying so. Media are URLs Twilio can fetch; messages are cut at 1600 characters.`,
    family: "sinks",
    stateful: true,
    fields: {
      sms_provider: { description: `"${CUSTOM}" (the account's credentials). "${MANAGED}" is Roboflow's proxy, not available in cvflow.`, schema: { enum: [MANAGED, CUSTOM] }, default: MANAGED },
      receiver_number: receiverField,
      message: messageField,
      message_parameters: messageParametersField,
      message_parameters_operations: messageParametersOperationsField,
      media_url: {
        description: "URL(s) of media for an MMS, which Twilio fetches.",
        kinds: ["string", "list_of_values", "image"],
        schema: { type: ["string", "array", "null"], items: { type: "string" } },
        default: null,
        deferLoad: true,
      },
      twilio_account_sid: { ...accountSidField, default: null },
      twilio_auth_token: { ...authTokenField, default: null },
      sender_number: { ...senderField, default: null },
      fire_and_forget: fireAndForgetField,
      disable_sink: disableSinkField,
      cooldown_seconds: cooldownField(false),
    },
    outputs: SINK_OUTPUTS,
  },
  async run(params, ctx): Promise<SinkResult> {
    const skipped = notSending(ctx, params.disable_sink, params.cooldown_seconds);
    if (skipped) return skipped;
    if (params.sms_provider !== CUSTOM)
      throw invalidField(
        `sms_provider "${MANAGED}" sends through Roboflow's proxy, which cvflow does not have: set sms_provider to "${CUSTOM}" and give twilio_account_sid, twilio_auth_token and sender_number`,
      );
    const accountSid = reveal(params.twilio_account_sid);
    const authToken = reveal(params.twilio_auth_token);
    if (!accountSid || !authToken || !params.sender_number) return failed("Custom Twilio requires twilio_account_sid, twilio_auth_token, and sender_number");
    const media = mediaUrls(params.media_url);
    if ("refused" in media) return failed(`${FAILURE} Internal error details: ${media.refused}`);
    const body = truncateMessage(formatMessage(params.message, params.message_parameters, params.message_parameters_operations), MMS_CHAR_LIMIT);
    const sms = { accountSid, authToken, from: params.sender_number, to: params.receiver_number, body, mediaUrls: media };
    return reportSend(ctx, FAILURE, () => sendSms(ctx, sms), [accountSid, authToken]);
  },
});
