/**
 * The shared core of the blocks that call a hosted vision-language model (open_ai, anthropic_claude,
 * google_gemini, openrouter's, ...). A provider's block uses it like this:
 *
 *   manifest: fields from fields.ts — `images: LLM_IMAGES`, `task_type: taskTypeField(TASKS)`,
 *     PROMPT_FIELD, OUTPUT_STRUCTURE_FIELD, CLASSES_FIELD, `api_key: apiKeyField("OpenAI", "rf_key:account")`,
 *     maxTokensField(...), TEMPERATURE_FIELD, MAX_CONCURRENT_REQUESTS_FIELD; outputs LLM_OUTPUTS;
 *     `validate: (step) => taskFieldProblems(step, "unconstrained")` (a task's needed field).
 *   run(params, ctx), once per image:
 *     const key = providerKey(params.api_key, "OpenAI");            // string or Secret; rf_key:... refused
 *     const image = await encodeImage(params.images, { format: "jpeg" }); // { base64, mediaType, width, height }
 *     const prompt = taskPrompt(task, params, { detection: "normalized" }); // { system?, user, schema? }
 *     const answer = await callJsonApi(ctx, {
 *       provider: "OpenAI",
 *       url: `${endpoint(ctx, "openai", "https://api.openai.com/v1")}/responses`, // egress/egress.ts
 *       headers: { authorization: `Bearer ${key}` },
 *       body: { ...the provider's wire format... },
 *       secrets: [key],
 *     });                                                           // parsed JSON; errors mapped (call-json-api.ts)
 *     (callApi: the same with a raw body — multipart — answering the 2xx response's bytes and headers)
 *     return { output: textOf(answer), classes: params.classes };
 *
 * Tests serve the provider's wire format from a loopback server and build the engine with
 * `createWorkflowEngine({ egress: { urlPolicy: { allowList: parseUrlAllowList("127.0.0.1") }, endpoints: { openai: server.url } } })`.
 */
export { providerKey } from "./api-key.js";
export { callApi, callJsonApi, DEFAULT_LLM_TIMEOUT_MS, MAX_RETRIES, MAX_RETRY_WAIT_MS, retryAfterMs, type ApiCall, type JsonApiCall } from "./call-json-api.js";
export { dataUrl, encodeImage, LLM_JPEG_QUALITY, type EncodedImage, type EncodeOptions } from "./encode-image.js";
export {
  apiKeyField,
  CLASSES_FIELD,
  LLM_IMAGES,
  LLM_OUTPUTS,
  MAX_CONCURRENT_REQUESTS_FIELD,
  maxTokensField,
  OUTPUT_STRUCTURE_FIELD,
  PROMPT_FIELD,
  taskTypeField,
  TEMPERATURE_FIELD,
} from "./fields.js";
export { taskPrompt, type DetectionFormat, type PromptOptions, type TaskInputs, type TaskPrompt } from "./prompts.js";
export { ALL_LLM_TASKS, LLM_TASKS, RECOMMENDED_PARSERS, TASK_NEEDS, taskFieldProblems, type LlmTask } from "./tasks.js";
