/**
 * `POST /uploads`: where to PUT an image too large for a request body (6 MB), and the s3
 * reference to pass as the image input afterwards — by a caller of the key's workspace only.
 */
import type { UploadResponse } from "@cvflow/wire";
import type { Principal } from "../auth.js";
import { bodyObject, optionalString } from "../body.js";
import type { ServiceContext } from "../context.js";
import { invalidRequest } from "../errors.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../http.js";

const IMAGE_TYPE = /^image\/[a-z0-9.+-]+$/i;

/** The route takes API keys only (its access is `key`), so the principal has a workspace. */
export async function createUpload(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  if (principal.type !== "key") throw new Error("uploads need an API key");
  const contentType = optionalString(bodyObject(request.body), "content_type") ?? "image/jpeg";
  if (!IMAGE_TYPE.test(contentType)) throw invalidRequest(`"content_type" must be an image type such as image/jpeg; got ${JSON.stringify(contentType)}`, { field: "content_type" });
  const upload = await ctx.blobs.presignUpload(principal.workspace, contentType);
  return ok({ upload_url: upload.url, expires_at: upload.expiresAt, image: { type: "s3", value: upload.reference } } satisfies UploadResponse);
}
