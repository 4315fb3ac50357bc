/**
 * `GET /info` and `GET /parameters`: what a Dify client asks of an app before running it (its
 * name, and the form of its inputs). The form is the workflow's inputs: an image input is Dify's
 * `file` control for images (`file-list` for a batch of them), a number parameter `number`, any
 * other parameter `text-input`; an image, or a parameter without a default, is required.
 */
import type { DefinitionInput } from "@cvflow/engine";
import { DEFAULT_MAX_BYTES } from "@cvflow/vision";
import type { Principal } from "../../auth.js";
import type { ServiceContext } from "../../context.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../../http.js";
import { PAYLOAD_LIMIT_BYTES } from "../../limits.js";
import { difyApp } from "./app.js";

const TRANSFER_METHODS = ["local_file", "remote_url"];
const NUMBER_KINDS = new Set(["integer", "float", "float_zero_to_one"]);
const MB = 1024 * 1024;

export async function appInfo(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const { saved, workspace } = await difyApp(ctx, request, principal);
  return ok({ name: saved.tagged.value.name, description: "", tags: [], mode: "workflow", author_name: workspace });
}

export async function appParameters(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const { saved } = await difyApp(ctx, request, principal);
  const inputs = saved.plan().inputs;
  return ok({
    user_input_form: inputs.map(control),
    file_upload: { image: { enabled: inputs.some(isImage), number_limits: 1, transfer_methods: TRANSFER_METHODS } },
    system_parameters: {
      // An upload is one request: the payload limit bounds it before the image limit does.
      file_size_limit: Math.floor(PAYLOAD_LIMIT_BYTES / MB),
      image_file_size_limit: Math.floor(Math.min(PAYLOAD_LIMIT_BYTES, DEFAULT_MAX_BYTES) / MB),
      audio_file_size_limit: 0,
      video_file_size_limit: 0,
    },
  });
}

function isImage(input: DefinitionInput): boolean {
  return input.kinds.includes("image");
}

function control(input: DefinitionInput): Record<string, unknown> {
  const base = { label: input.name, variable: input.name, required: isImage(input) || input.defaultValue === undefined || input.defaultValue === null };
  if (isImage(input)) {
    return { [input.type === "batch" ? "file-list" : "file"]: { ...base, allowed_file_types: ["image"], allowed_file_extensions: [], allowed_file_upload_methods: TRANSFER_METHODS } };
  }
  if (input.kinds.some((kind) => NUMBER_KINDS.has(kind))) return { number: { ...base, default: input.defaultValue ?? null } };
  return { "text-input": { ...base, default: input.defaultValue === undefined || input.defaultValue === null ? "" : String(input.defaultValue) } };
}
