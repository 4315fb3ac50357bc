/**
 * Dify's `POST /files/upload`: a multipart/form-data body with one `file` and the `user`, parsed
 * by the Fetch API's `Request.formData()` (undici, in Node itself). The image is kept among the
 * workspace's uploads with a small JSON beside it (who uploaded it, its name and type):
 *
 *   uploads/{workspace}/dify/{file id}        the bytes
 *   uploads/{workspace}/dify/{file id}.json   DifyFile
 *
 * A `local_file` input names it by id; only the user who uploaded it, with a key of the same
 * workspace, can use it ("Uploaded files are for use by the current end-user only").
 */
import { randomUUID } from "node:crypto";
import { uploadsOf, type BlobStore } from "@cvflow/store";
import { DEFAULT_MAX_BYTES } from "@cvflow/vision";
import { imageContentType, imageExtension, sniffImageFormat } from "@cvflow/wire";
import type { ServiceContext } from "../../context.js";
import { invalidRequest } from "../../errors.js";
import { created, type ServiceRequest, type ServiceResponse } from "../../http.js";
import type { DifyApp } from "./app.js";
import { fileTooLarge, noFileUploaded, tooManyFiles, unsupportedFileType } from "./errors.js";
import { unixSeconds } from "./views.js";

/** What Dify answers for an upload, and what cvflow keeps of it. */
export interface DifyFile {
  id: string;
  name: string;
  size: number;
  extension: string;
  mime_type: string;
  /** Dify gives the end user's id; cvflow's end user is the `user` string itself. */
  created_by: string;
  created_at: number;
}

const FILE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const META_MAX_BYTES = 64 * 1024;

const fileKey = (workspace: string, id: string) => `${uploadsOf(workspace)}dify/${id}`;

export async function uploadFile(ctx: ServiceContext, request: ServiceRequest, app: DifyApp): Promise<ServiceResponse> {
  const form = await formOf(request);
  const user = form.get("user");
  if (typeof user !== "string" || user === "") throw invalidRequest('"user" is required: the end user the file is for', { field: "user" });
  const files = form.getAll("file").filter((entry): entry is File => typeof entry !== "string");
  if (files.length === 0) throw noFileUploaded();
  if (files.length > 1) throw tooManyFiles(files.length);
  const file = files[0]!;
  if (file.size > DEFAULT_MAX_BYTES) throw fileTooLarge(file.size, DEFAULT_MAX_BYTES);
  const bytes = new Uint8Array(await file.arrayBuffer());
  // The bytes say what the file is, whatever its name or declared type.
  const format = sniffImageFormat(bytes);
  if (!format) throw unsupportedFileType(file.type || "a file of unknown type");
  const id = randomUUID();
  const name = file.name || `${id}.${imageExtension(format)}`;
  const described: DifyFile = {
    id,
    name,
    size: bytes.length,
    extension: /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? imageExtension(format),
    mime_type: imageContentType(format),
    created_by: user,
    created_at: unixSeconds(new Date().toISOString())!,
  };
  const key = fileKey(app.caller, id);
  await ctx.blobs.put(key, bytes, described.mime_type);
  await ctx.blobs.put(`${key}.json`, new TextEncoder().encode(JSON.stringify(described)), "application/json");
  return created(described);
}

/** The bytes of `user`'s upload `id`; a 400 naming `field` when there is none (another user's included). */
export async function uploadedBytes(blobs: BlobStore, app: DifyApp, user: string, id: unknown, field: string, signal: AbortSignal): Promise<Uint8Array> {
  const missing = () => invalidRequest(`${field}: no file ${JSON.stringify(id)} was uploaded by user "${user}" (POST /files/upload)`, { field });
  if (typeof id !== "string" || !FILE_ID.test(id)) throw missing();
  const key = fileKey(app.caller, id);
  let described: DifyFile;
  try {
    described = JSON.parse(new TextDecoder().decode(await blobs.get(blobs.bucket, `${key}.json`, META_MAX_BYTES, signal))) as DifyFile;
  } catch (error) {
    signal.throwIfAborted();
    if ((error as { code?: unknown }).code === "object_not_found") throw missing();
    throw error;
  }
  if (described.created_by !== user) throw missing();
  return blobs.get(blobs.bucket, key, DEFAULT_MAX_BYTES, signal);
}

async function formOf(request: ServiceRequest): Promise<FormData> {
  const type = request.headers["content-type"] ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type) || !(request.body instanceof Uint8Array)) {
    throw invalidRequest('The upload must be a multipart/form-data body with the fields "file" and "user"', { header: "content-type" });
  }
  try {
    return await new Request("http://upload.invalid/", { method: "POST", headers: { "content-type": type }, body: request.body }).formData();
  } catch {
    throw invalidRequest("The multipart/form-data body could not be read: its parts or boundary are malformed", { header: "content-type" });
  }
}
