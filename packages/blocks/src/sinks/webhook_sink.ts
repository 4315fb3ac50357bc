/**
 * Webhook Sink: one HTTP request with the workflow's results, built as Roboflow's (Python
 * requests) builds it: query_parameters added to the URL, headers, and one body — multipart when
 * multi_part_encoded_files has entries (form_data's fields first, then one file part per entry,
 * named and file-named by its key), else form-urlencoded when form_data has entries, else
 * json_payload as JSON (an empty `{}` too, for every method). Scalars are written as Python's
 * str() writes them; a list gives its key once per item. A URL's user info goes as basic auth.
 *
 * Bytes (what ConvertImageToJPEG makes) go as a file part in multipart, from form_data too, which
 * makes the body multipart (requests would percent-encode them into a form field, or send a part
 * without file name).
 *
 * Differences, each where Roboflow's would fail: values go out in the grammar's wire format
 * (detections as predictions, images and bytes as base64 in JSON) instead of failing json.dumps;
 * an image given as a file is sent as JPEG without a ConvertImageToJPEG operation. A redirect is
 * not followed (the rules that checked the URL could not check its target): a 3xx is an error.
 * Any status from 400 is an error (Roboflow's raise_for_status).
 */
import { defineBlock, pointerSegment, serializeValue, WorkflowError, type Kind, type ValueSerializer } from "@cvflow/engine";
import { createImageSerializer, detectImageFormat, WorkflowImage } from "@cvflow/vision";
import { callOut } from "../egress/egress.js";
import { invalidField } from "../errors.js";
import { redactSecrets, reveal, Secret } from "../secrets_providers/secret.js";
import { compileOperations } from "../uql/compile-operations.js";
import { DEFAULT_COMPRESSION_LEVEL } from "../uql/operations/image-encoding.js";
import { pyStr } from "../uql/python-values.js";
import { operationsListSchema } from "../uql/schema-refs.js";
import type { MessageOperations } from "./message-template.js";
import { cooldownField, disableSinkField, fireAndForgetField, notSending, reportSend, SendRefused, SINK_OUTPUTS, type SinkResult } from "./sink-results.js";

const SCALAR_KINDS: readonly Kind[] = ["string", "integer", "float", "float_zero_to_one", "boolean", "top_class", "roboflow_model_id", "roboflow_project", "roboflow_api_key", "secret"];
const imageSerializer = createImageSerializer();
const bytesSerializer: ValueSerializer = (value) => (value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") : undefined);

interface WebhookParams {
  [key: string]: unknown;
  url: unknown;
  method: "GET" | "POST" | "PUT";
  query_parameters: Record<string, unknown>;
  headers: Record<string, unknown>;
  json_payload: Record<string, unknown>;
  json_payload_operations: MessageOperations;
  multi_part_encoded_files: Record<string, unknown>;
  multi_part_encoded_files_operations: MessageOperations;
  form_data: Record<string, unknown>;
  form_data_operations: MessageOperations;
  request_timeout: number;
  fire_and_forget: boolean;
  disable_sink: boolean;
  cooldown_seconds: number;
}

/** A value as it goes out in text: a secret's text, else Python's str(). */
const text = (value: unknown): string => reveal(value) ?? pyStr(value);

/** The texts of a query parameter or form field (requests' rule): a list gives one per item, None none. */
function fieldTexts(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.filter((v) => v !== null && v !== undefined).map(text);
}

/** `data` with each name's operations applied; Roboflow skips operations for names `data` lacks. */
function withOperations(data: Record<string, unknown>, operations: MessageOperations, field: string): Record<string, unknown> {
  const out = { ...data };
  for (const [name, chain] of Object.entries(operations)) {
    if (!chain.length || !Object.hasOwn(out, name)) continue;
    out[name] = compileOperations(chain, `/${field}/${pointerSegment(name)}`)(out[name], {});
  }
  return out;
}

/** JSON text of run values: secrets revealed (the definition put them there to send), bytes in base64, the rest in the wire format. */
async function jsonText(payload: Record<string, unknown>): Promise<string> {
  const revealed = Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, v instanceof Secret ? v.reveal() : v]));
  return JSON.stringify(await serializeValue(revealed, { coordinatesSystem: "own" }, [bytesSerializer, imageSerializer]));
}

async function fileBytes(value: unknown): Promise<Uint8Array> {
  if (value instanceof Uint8Array) return value;
  if (typeof value === "string" || value instanceof Secret) return new TextEncoder().encode(text(value));
  if (value instanceof WorkflowImage) return value.source && detectImageFormat(value.source) === "jpeg" ? value.source : value.encode("jpeg", DEFAULT_COMPRESSION_LEVEL);
  if (typeof value === "number" || typeof value === "boolean") return new TextEncoder().encode(pyStr(value));
  return new TextEncoder().encode(JSON.stringify(await serializeValue(value, { coordinatesSystem: "own" }, [imageSerializer])));
}

interface Body {
  contentType?: string;
  bytes: string | Uint8Array;
}

async function requestBody(params: WebhookParams): Promise<Body> {
  const files = withOperations(params.multi_part_encoded_files, params.multi_part_encoded_files_operations, "multi_part_encoded_files_operations");
  const form = withOperations(params.form_data, params.form_data_operations, "form_data_operations");
  if (Object.keys(files).length > 0 || Object.values(form).some((value) => value instanceof Uint8Array)) {
    const multipart = new FormData();
    for (const [name, value] of Object.entries(form)) {
      if (value instanceof Uint8Array) multipart.append(name, new Blob([value]), name);
      else for (const t of fieldTexts(value)) multipart.append(name, t);
    }
    for (const [name, value] of Object.entries(files)) multipart.append(name, new Blob([await fileBytes(value)]), name);
    const encoded = new Request("http://multipart.invalid", { method: "POST", body: multipart });
    return { contentType: encoded.headers.get("content-type") ?? undefined, bytes: new Uint8Array(await encoded.arrayBuffer()) };
  }
  if (Object.keys(form).length > 0) {
    const urlencoded = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) for (const t of fieldTexts(value)) urlencoded.append(name, t);
    return { contentType: "application/x-www-form-urlencoded", bytes: urlencoded.toString() };
  }
  const json = withOperations(params.json_payload, params.json_payload_operations, "json_payload_operations");
  return { contentType: "application/json", bytes: await jsonText(json) };
}

function targetUrl(url: string, query: Record<string, unknown>): string {
  if (!URL.canParse(url)) throw invalidField(`url: not a URL`);
  const target = new URL(url);
  for (const [name, value] of Object.entries(query)) for (const t of fieldTexts(value)) target.searchParams.append(name, t);
  return target.href;
}

/** The URL as a failure names it: no user info, query or fragment (they may carry keys). */
function shownUrl(url: string): string {
  const { origin, pathname } = new URL(url);
  return origin + pathname;
}

/** Basic auth from the URL's user info, as requests sends it (over any Authorization header given). */
function urlCredentials(url: string): string | undefined {
  const { username, password } = new URL(url);
  if (!username && !password) return undefined;
  return `Basic ${Buffer.from(`${decodeURIComponent(username)}:${decodeURIComponent(password)}`).toString("base64")}`;
}

/** Secret texts the step's values carry, masked in whatever it reports or throws. */
function secretsOf(params: WebhookParams): string[] {
  const secrets: string[] = [];
  const collect = (value: unknown): void => {
    if (value instanceof Secret) secrets.push(value.reveal());
  };
  if (params.url instanceof Secret && URL.canParse(params.url.reveal())) {
    const url = new URL(params.url.reveal());
    secrets.push(params.url.reveal(), url.origin + url.pathname);
  }
  for (const group of [params.query_parameters, params.headers, params.json_payload, params.form_data, params.multi_part_encoded_files]) Object.values(group).forEach(collect);
  return secrets;
}

function operationsField(of: string): { description: string; schema: object; default: object } {
  return { description: `Operations applied to ${of}'s values before sending (by name).`, schema: { type: "object", additionalProperties: operationsListSchema }, default: {} };
}

export const webhookSinkBlock = defineBlock<WebhookParams>({
  manifest: {
    type: "roboflow_core/webhook_sink@v1",
    name: "Webhook Sink",
    description:
      "Send a request to a remote API with Workflow results: JSON, form fields or multipart files, query parameters and headers. " +
      "The URL obeys the deployment's network rules (public addresses, or hosts it allows); redirects are not followed. The run waits for the answer.",
    family: "sinks",
    stateful: true,
    fields: {
      url: { description: "URL of the resource to make request (http or https).", kinds: ["string", "secret"], schema: { type: "string" }, required: true },
      method: { description: "HTTP method to be used.", schema: { enum: ["GET", "POST", "PUT"] }, required: true },
      query_parameters: {
        description: "Request query parameters (a list gives the name once per item).",
        shape: "dict",
        kinds: [...SCALAR_KINDS, "list_of_values"],
        schema: { type: ["string", "number", "boolean", "array"], items: { type: ["string", "number", "boolean"] } },
        default: {},
      },
      headers: { description: "Request headers.", shape: "dict", kinds: SCALAR_KINDS, schema: { type: ["string", "number", "boolean"] }, default: {} },
      json_payload: { description: "Fields to put into JSON payload.", shape: "dict", kinds: ["*"], default: {} },
      json_payload_operations: operationsField("json_payload"),
      multi_part_encoded_files: { description: "Data to POST as Multipart-Encoded File, by part name (an image goes as JPEG).", shape: "dict", kinds: ["*"], default: {} },
      multi_part_encoded_files_operations: operationsField("multi_part_encoded_files"),
      form_data: { description: "Fields to put into form-data.", shape: "dict", kinds: ["*"], default: {} },
      form_data_operations: operationsField("form_data"),
      request_timeout: { description: "Seconds to wait for the remote API's answer (the run's deadline applies too).", kinds: ["integer"], schema: { type: "integer", exclusiveMinimum: 0 }, default: 2 },
      fire_and_forget: fireAndForgetField,
      disable_sink: disableSinkField,
      cooldown_seconds: cooldownField(false),
    },
    outputs: SINK_OUTPUTS,
  },
  async run(params, ctx): Promise<SinkResult> {
    const skipped = notSending(ctx, params.disable_sink, params.cooldown_seconds);
    if (skipped) return skipped;
    const url = reveal(params.url);
    if (!url) throw invalidField("url: a URL is needed");
    const secrets = secretsOf(params);
    try {
      const target = targetUrl(url, params.query_parameters);
      const body = await requestBody(params);
      const headers: Record<string, string> = body.contentType ? { "content-type": body.contentType } : {};
      for (const [name, value] of Object.entries(params.headers)) headers[name.toLowerCase()] = text(value);
      const credentials = urlCredentials(target);
      if (credentials) headers["authorization"] = credentials;
      return await reportSend(
        ctx,
        "Failed to send webhook notification.",
        async () => {
          const response = await callOut(ctx, target, { method: params.method, headers, body: body.bytes, discardBody: true }, { timeoutMs: params.request_timeout * 1000 });
          if (response.status >= 300) throw new SendRefused(`HTTP ${response.status}${response.status < 400 ? " (a redirect, which is not followed)" : ""} from ${shownUrl(target)}`);
        },
        secrets,
      );
    } catch (error) {
      // A refused URL (or a bad value) must not show a secret the URL or a header carried.
      if (error instanceof WorkflowError && secrets.length > 0) throw new WorkflowError(error.code, redactSecrets(error.message, secrets), error.status, {});
      throw error;
    }
  },
});
