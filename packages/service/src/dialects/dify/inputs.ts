/**
 * Dify's run inputs as cvflow's. A value that is a Dify file object — `{type, transfer_method:
 * "local_file", upload_file_id}` or `{type, transfer_method: "remote_url", url}` — or a list of
 * them becomes an image input (a list: a batch of images): an upload's bytes, or the URL, which
 * the engine fetches under the same URL policy as any image URL. Other values pass as they are.
 * Dify's top-level `files` (its `sys.files`) feed the workflow's one image input when the inputs
 * leave it out.
 */
import type { BlobStore } from "@cvflow/store";
import { isRecord } from "@cvflow/wire";
import { invalidRequest } from "../../errors.js";
import type { DifyApp } from "./app.js";
import { uploadedBytes } from "./files.js";

export async function cvflowInputs(
  blobs: BlobStore,
  app: DifyApp,
  user: string,
  inputs: Readonly<Record<string, unknown>>,
  files: unknown,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(inputs)) {
    result[name] = isFileValue(value) ? await images(blobs, app, user, value, `inputs.${name}`, signal) : value;
  }
  if (files !== undefined && files !== null) {
    if (!Array.isArray(files) || !files.every(isFile)) throw invalidRequest('"files" must be a list of Dify file objects ({type, transfer_method, upload_file_id | url})', { field: "files" });
    if (files.length > 0) {
      const free = app.saved.plan().inputs.filter((input) => input.kinds.includes("image") && !(input.name in result));
      if (free.length !== 1) {
        throw invalidRequest(`"files" feeds the workflow's one image input not given in "inputs"; this workflow has ${free.length} such inputs: name it in "inputs" instead`, { field: "files" });
      }
      result[free[0]!.name] = await images(blobs, app, user, files.length === 1 ? files[0] : files, "files", signal);
    }
  }
  return result;
}

function isFile(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && typeof value["transfer_method"] === "string";
}

function isFileValue(value: unknown): boolean {
  return isFile(value) || (Array.isArray(value) && value.length > 0 && value.every(isFile));
}

async function images(blobs: BlobStore, app: DifyApp, user: string, value: unknown, field: string, signal: AbortSignal): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((file, i) => image(blobs, app, user, file as Record<string, unknown>, `${field}[${i}]`, signal)));
  return image(blobs, app, user, value as Record<string, unknown>, field, signal);
}

async function image(blobs: BlobStore, app: DifyApp, user: string, file: Record<string, unknown>, field: string, signal: AbortSignal): Promise<unknown> {
  const type = file["type"];
  if (type !== undefined && type !== "image") throw invalidRequest(`${field}: only files of type "image" can feed a vision workflow; got ${JSON.stringify(type)}`, { field });
  switch (file["transfer_method"]) {
    case "local_file": {
      const bytes = await uploadedBytes(blobs, app, user, file["upload_file_id"], `${field}.upload_file_id`, signal);
      return { type: "base64", value: Buffer.from(bytes).toString("base64") };
    }
    case "remote_url": {
      const url = file["url"];
      if (typeof url !== "string" || url === "") throw invalidRequest(`${field}.url: a remote_url file needs its "url"`, { field: `${field}.url` });
      return { type: "url", value: url };
    }
    default:
      throw invalidRequest(`${field}.transfer_method must be "local_file" or "remote_url"; got ${JSON.stringify(file["transfer_method"])}`, { field: `${field}.transfer_method` });
  }
}
