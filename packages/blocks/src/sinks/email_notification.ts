/**
 * Email Notification v1 and v2: one message through the user's SMTP server, as Roboflow's blocks
 * send it — implicit TLS (SMTPS, port 465 by default; Roboflow's block enforces it too), LOGIN
 * with the sender's address and password, the message with `{{ $parameters.name }}` filled in
 * (v1 plain text; v2 HTML: values escaped, newlines as <br>, an image value shown inline), and the
 * attachments by file name (v2 also takes images, sent as JPEG).
 *
 * The server's name is resolved and checked under the deployment's URL rules (egress checkHost:
 * public addresses only, unless CVFLOW_URL_ALLOW_HOSTS allows it), the connection goes to the
 * checked address and the certificate is verified against the name. Every recipient (To, Cc,
 * Bcc) is sent to; Bcc never appears in the headers. v2's default provider, Roboflow's managed
 * email proxy, does not exist here: such a step fails with invalid_field saying what to give.
 */
import { isIP } from "node:net";
import { defineBlock, type BlockContext, type FieldSpec, type JsonSchema, type Problem } from "@cvflow/engine";
import { DEFAULT_URL_TIMEOUT_MS, WorkflowImage } from "@cvflow/vision";
import nodemailer, { type SendMailOptions } from "nodemailer";
import { checkHost } from "../egress/egress.js";
import { invalidField } from "../errors.js";
import { reveal } from "../secrets_providers/secret.js";
import { pyStr } from "../uql/python-values.js";
import { formatMessage, messageParametersField, messageParametersOperationsField, type MessageOperations } from "./message-template.js";
import { cooldownField, disableSinkField, failed, fireAndForgetField, notSending, reportSend, SendRefused, SINK_OUTPUTS, type SinkResult } from "./sink-results.js";

const MANAGED = "Roboflow Managed API Key";
const CUSTOM_SMTP = "Custom SMTP";
/** Roboflow's encode_image_to_jpeg_bytes quality. */
const JPEG_QUALITY = 90;

interface EmailParams {
  [key: string]: unknown;
  email_provider?: string;
  subject: string;
  message: string;
  sender_email: string | null;
  receiver_email: string | string[];
  cc_receiver_email: string | string[] | null;
  bcc_receiver_email: string | string[] | null;
  message_parameters: Record<string, unknown>;
  message_parameters_operations: MessageOperations;
  attachments: Record<string, unknown>;
  smtp_server: string | null;
  sender_email_password: unknown;
  smtp_port: number;
  disable_sink: boolean;
  cooldown_seconds: number;
}

const ADDRESSES_SCHEMA: JsonSchema = { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] };

const addresses = (description: string, required: boolean): FieldSpec => ({
  description,
  kinds: ["string", "list_of_values"],
  schema: ADDRESSES_SCHEMA,
  ...(required ? { required: true } : { default: null }),
});

const text = (description: string, required: boolean, kinds: FieldSpec["kinds"] = ["string"]): FieldSpec => ({
  description,
  kinds,
  schema: { type: "string" },
  ...(required ? { required: true } : { default: null }),
});

function fields(version: 1 | 2): Record<string, FieldSpec> {
  const smtpRequired = version === 1;
  return {
    ...(version === 2
      ? {
          email_provider: {
            description: `How the message is sent. Only "${CUSTOM_SMTP}" exists here: Roboflow's managed email proxy ("${MANAGED}") does not, and a step left on it fails with invalid_field.`,
            schema: { enum: [MANAGED, CUSTOM_SMTP] },
            default: MANAGED,
          },
        }
      : {}),
    subject: { description: "Subject of the message.", schema: { type: "string" }, required: true },
    sender_email: text("Address the message is sent from; also the SMTP login.", smtpRequired),
    receiver_email: addresses("Recipient address, or a list of them.", true),
    message: {
      description: `Body of the message; {{ $parameters.name }} takes the value of message_parameters' name.${version === 2 ? " Sent as HTML: values are escaped, newlines become <br>, an image value is shown inline." : ""}`,
      schema: { type: "string" },
      required: true,
    },
    message_parameters: messageParametersField,
    message_parameters_operations: messageParametersOperationsField,
    cc_receiver_email: addresses("Cc address, or a list of them.", false),
    bcc_receiver_email: addresses("Bcc address, or a list of them (sent to, never shown in the headers).", false),
    attachments: {
      description: `Files to attach, by file name (report.csv): text or bytes from another step${version === 2 ? ", or an image (sent as JPEG, .jpg added to the name when it has no .jpg/.jpeg)" : ""}.`,
      shape: "dict",
      kinds: version === 2 ? ["string", "bytes", "image"] : ["string", "bytes"],
      default: {},
    },
    smtp_server: text("Host name of the SMTP server (smtp.gmail.com). It must resolve to a public address unless the deployment allows it.", smtpRequired),
    sender_email_password: text("Password of sender_email on the SMTP server (for Gmail an app password), best given through a secret.", smtpRequired, ["string", "secret"]),
    smtp_port: { description: "Port of the server's SMTPS (implicit TLS) service.", schema: { type: "integer", minimum: 1, maximum: 65535 }, default: 465 },
    fire_and_forget: fireAndForgetField,
    disable_sink: disableSinkField,
    cooldown_seconds: cooldownField(false),
  };
}

/** Roboflow's check: a list of receivers may not be empty. */
function validate(step: Readonly<Record<string, unknown>>): Problem[] {
  const receivers = step["receiver_email"];
  return Array.isArray(receivers) && receivers.length === 0
    ? [{ code: "invalid_field", property: "receiver_email", message: "E-mail notification must have at least one receiver defined." }]
    : [];
}

const asList = (value: string | string[] | null): string[] => (value === null ? [] : Array.isArray(value) ? value : [value]);

/** Python's html.escape(text, quote=True). */
function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
}

interface Attachment {
  filename: string;
  content: Buffer;
  cid?: string;
  contentDisposition?: "inline";
}

async function attachmentOf(name: string, value: unknown): Promise<Attachment> {
  if (value instanceof WorkflowImage) {
    const filename = /\.(jpe?g)$/i.test(name) ? name : `${name}.jpg`;
    return { filename, content: await value.encode("jpeg", JPEG_QUALITY) };
  }
  if (value instanceof Uint8Array) return { filename: name, content: Buffer.from(value) };
  return { filename: name, content: Buffer.from(typeof value === "string" ? value : pyStr(value), "utf8") };
}

/** v2's HTML body and the images it shows inline (cid:image_<name>), as Roboflow formats it. */
async function htmlBody(params: EmailParams): Promise<{ html: string; inline: Attachment[] }> {
  const images = new Map<string, WorkflowImage>();
  const filled = formatMessage(params.message, params.message_parameters, params.message_parameters_operations, (value, name) => {
    if (!(value instanceof WorkflowImage)) return escapeHtml(pyStr(value));
    images.set(name, value);
    return `<img src="cid:image_${name}" alt="${name}" style="max-width: 600px; height: auto;">`;
  });
  const inline = await Promise.all(
    [...images].map(async ([name, image]) => ({ filename: `image_${name}.jpg`, content: await image.encode("jpeg", JPEG_QUALITY), cid: `image_${name}`, contentDisposition: "inline" as const })),
  );
  return { html: filled.replace(/\n/g, "<br>\n"), inline };
}

interface Smtp {
  server: string;
  port: number;
  sender: string;
  password: string;
}

async function sendMail(ctx: BlockContext, smtp: Smtp, mail: SendMailOptions): Promise<void> {
  // Resolved and checked once; the connection goes to that address (no second lookup to rebind).
  const [address] = await checkHost(ctx, smtp.server, smtp.port);
  // One bound per wait (connect, greeting, each answer): a stalled server fails, a long upload that progresses does not.
  const timeoutMs = ctx.services.egress?.urlPolicy.timeoutMs ?? DEFAULT_URL_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    host: address!.address,
    port: smtp.port,
    secure: true,
    // The certificate is checked against the name the user gave, not the address connected to.
    ...(isIP(smtp.server) ? {} : { servername: smtp.server }),
    auth: { user: smtp.sender, pass: smtp.password },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    await transport.sendMail({ ...mail, signal: ctx.signal });
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    throw new SendRefused(error instanceof Error ? error.message : String(error));
  } finally {
    transport.close();
  }
}

async function run(version: 1 | 2, params: EmailParams, ctx: BlockContext): Promise<SinkResult> {
  const skipped = notSending(ctx, params.disable_sink, params.cooldown_seconds);
  if (skipped) return skipped;
  if (version === 2 && params.email_provider !== CUSTOM_SMTP) {
    throw invalidField(
      `email_provider "${MANAGED}" sends through Roboflow's email proxy, which does not exist here: set email_provider to "${CUSTOM_SMTP}" and give smtp_server, sender_email and sender_email_password (your own SMTP server's)`,
    );
  }
  const password = reveal(params.sender_email_password);
  if (!params.sender_email || !params.smtp_server || !password) return failed("Custom SMTP requires sender_email, smtp_server, and sender_email_password");
  const smtp: Smtp = { server: params.smtp_server, port: params.smtp_port, sender: params.sender_email, password };
  const body = version === 1 ? { text: formatMessage(params.message, params.message_parameters, params.message_parameters_operations) } : await htmlBody(params);
  const attachments = await Promise.all(Object.entries(params.attachments).map(([name, value]) => attachmentOf(name, value)));
  const mail: SendMailOptions = {
    from: smtp.sender,
    to: asList(params.receiver_email),
    cc: asList(params.cc_receiver_email),
    bcc: asList(params.bcc_receiver_email),
    subject: params.subject,
    ...("text" in body ? { text: body.text, attachments } : { html: body.html, attachments: [...body.inline, ...attachments] }),
  };
  return reportSend(ctx, "Failed to send e-mail.", () => sendMail(ctx, smtp, mail), [password]);
}

function emailBlock(version: 1 | 2) {
  return defineBlock<EmailParams>({
    manifest: {
      type: `roboflow_core/email_notification@v${version}`,
      name: "Email Notification",
      description:
        "Send notification via e-mail through your SMTP server (SMTPS, implicit TLS), with attachments. " +
        (version === 2 ? `Only "${CUSTOM_SMTP}" works here: Roboflow's managed email proxy does not exist. ` : "") +
        "The server must resolve to a public address unless the deployment allows it; the cooldown lasts a run, or a video.",
      family: "sinks",
      stateful: true,
      fields: fields(version),
      outputs: SINK_OUTPUTS,
    },
    validate,
    run: (params, ctx) => run(version, params, ctx),
  });
}

export const emailNotificationV1Block = emailBlock(1);
export const emailNotificationV2Block = emailBlock(2);
