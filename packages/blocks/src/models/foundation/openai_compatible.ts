/**
 * OpenAI-Compatible LLM (v1): sends an instruction, and the images and values named in
 * prompt_parameters, to any server speaking OpenAI's Chat Completions (vLLM, Ollama, LM Studio, a
 * hosted one). `{{ $parameters.name }}` in the instruction is replaced by that value's text (after
 * its prompt_parameters_operations); an image value (or a list of them) travels as JPEG image parts
 * instead, its placeholder removed. As in Roboflow, a failed call does not fail the step: `output`
 * is "" and `error_status` says why (empty on success). The base URL is the user's, so the
 * deployment's SSRF rules decide whether it may be called: a server on the same machine or network
 * must be allowed by CVFLOW_URL_ALLOW_HOSTS.
 */
import { defineBlock, pointerSegment, WorkflowError } from "@cvflow/engine";
import { WorkflowImage } from "@cvflow/vision";
import { operationsListSchema } from "../../uql/schema-refs.js";
import { pyStr } from "../../uql/python-values.js";
import { compileOperations } from "../../uql/compile-operations.js";
import type { OperationDefinition } from "../../uql/operation-spec.js";
import { reveal } from "../../secrets_providers/secret.js";
import { encodeImage, type EncodedImage } from "./llm/encode-image.js";
import { TEMPERATURE_FIELD } from "./llm/fields.js";
import { chatCompletion } from "./openai-api.js";

const PLACEHOLDER = /\{\{\s*\$parameters\.(\w+)\s*\}\}/g;

interface CompatibleParams {
  [key: string]: unknown;
  base_url: string;
  model_name: string;
  api_key: unknown;
  system_prompt: string | null;
  prompt: string;
  prompt_parameters: Record<string, unknown>;
  prompt_parameters_operations: Record<string, readonly OperationDefinition[]>;
  max_tokens: number;
  temperature: number | null;
  extra_body: Record<string, unknown> | null;
}

type ImageValue = WorkflowImage | Uint8Array;

function isImage(value: unknown): value is ImageValue {
  return value instanceof WorkflowImage || value instanceof Uint8Array;
}

/** The images a value holds: itself, or the images of a list that holds any. */
function imagesOf(value: unknown): ImageValue[] {
  if (isImage(value)) return [value];
  return Array.isArray(value) && value.some(isImage) ? value.filter(isImage) : [];
}

async function encoded(value: ImageValue): Promise<EncodedImage> {
  // Bytes (an image stack's frames) are sent as given, as JPEG.
  if (value instanceof Uint8Array) return { base64: Buffer.from(value).toString("base64"), mediaType: "image/jpeg", width: 0, height: 0 };
  return encodeImage(value, { format: "jpeg" });
}

/** The instruction with its placeholders filled, and the images to send (referenced ones first, in order of first mention). */
export function buildContent(prompt: string, values: Readonly<Record<string, unknown>>): { text: string; images: ImageValue[] } {
  const referenced = [...new Set([...prompt.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => Object.hasOwn(values, name)))];
  const imageNames = new Set<string>();
  const images: ImageValue[] = [];
  for (const name of [...referenced, ...Object.keys(values).filter((n) => !referenced.includes(n))]) {
    const found = imagesOf(values[name]);
    if (found.length === 0) continue;
    images.push(...found);
    imageNames.add(name);
  }
  const text = prompt.replace(PLACEHOLDER, (whole, name: string) => {
    if (!Object.hasOwn(values, name)) return whole;
    return imageNames.has(name) ? "" : pyStr(values[name]);
  });
  return { text: text.trim(), images };
}

export const openAiCompatibleBlock = defineBlock<CompatibleParams>({
  manifest: {
    type: "roboflow_core/openai_compatible@v1",
    name: "OpenAI-Compatible LLM",
    description:
      "Send an instruction, with images and values from other steps, to any server implementing OpenAI's Chat Completions API (vLLM, Ollama, LM Studio, ...). " +
      "Write {{ $parameters.name }} in the instruction to insert a value of prompt_parameters; images are sent as JPEG image parts. " +
      'A failed call gives output "" and error_status saying why. The server must be allowed by the deployment\'s URL rules (CVFLOW_URL_ALLOW_HOSTS for a private address).',
    family: "models",
    fields: {
      base_url: { description: "The server's API base, e.g. http://localhost:8000/v1.", kinds: ["string"], schema: { type: "string" }, required: true },
      model_name: { description: "Model identifier sent to the server.", kinds: ["string"], schema: { type: "string" }, required: true },
      api_key: { description: "API key, if the server requires one (a parameter or a secret).", kinds: ["string", "secret"], schema: { type: "string" }, default: null },
      system_prompt: { description: "Optional system message that sets the model's behaviour.", kinds: ["string"], schema: { type: "string" }, default: null },
      prompt: { description: "The instruction sent to the model.", kinds: ["string"], schema: { type: "string" }, required: true },
      prompt_parameters: {
        description: "Step outputs to include in the request (images or text), by name.",
        shape: "dict",
        kinds: ["*"],
        schema: { type: ["string", "number", "boolean"] },
        default: {},
      },
      prompt_parameters_operations: {
        description: "Optional UQL operations applied to prompt_parameters values (by name) before use.",
        schema: { type: "object", additionalProperties: operationsListSchema },
        default: {},
      },
      max_tokens: { description: "Maximum tokens the model may generate.", schema: { type: "integer", exclusiveMinimum: 1 }, default: 500 },
      temperature: TEMPERATURE_FIELD,
      extra_body: { description: "Extra JSON fields added to the request body (e.g. vLLM's guided_choice).", schema: { type: "object" }, default: null },
    },
    outputs: [
      { name: "output", kinds: ["string", "language_model_output"] },
      { name: "error_status", kinds: ["string"] },
    ],
  },
  async run(params, ctx) {
    const values = { ...params.prompt_parameters };
    for (const [name, chain] of Object.entries(params.prompt_parameters_operations)) {
      // Roboflow applies operations only to the values given; others are ignored.
      if (chain.length && Object.hasOwn(values, name)) values[name] = compileOperations(chain, `/prompt_parameters_operations/${pointerSegment(name)}`)(values[name], {});
    }
    const { text, images } = buildContent(params.prompt, values);
    const key = reveal(params.api_key);
    try {
      const output = await chatCompletion(ctx, {
        base: params.base_url.replace(/\/+$/, ""),
        provider: `the OpenAI-compatible server at ${params.base_url}`,
        ...(key ? { key } : {}),
        model: params.model_name,
        ...(params.system_prompt ? { system: params.system_prompt } : {}),
        text,
        images: await Promise.all(images.map(encoded)),
        maxTokens: { field: "max_tokens", value: params.max_tokens },
        temperature: params.temperature,
        ...(params.extra_body ? { extra: params.extra_body } : {}),
      });
      return { output, error_status: "" };
    } catch (error) {
      // The run's cancellation or deadline ends the run, as everywhere; the call's own failures are the step's answer.
      if (ctx.signal.aborted || !(error instanceof WorkflowError)) throw error;
      return { output: "", error_status: error.message };
    }
  },
});
