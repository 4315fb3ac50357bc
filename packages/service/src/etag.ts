/**
 * ETags as clients see them: bare in JSON bodies (`"etag": "abc"`), quoted in the `ETag` header
 * (`ETag: "abc"`), and accepted either way when carried back (`If-Match` or `"etag"` in the body).
 */
import type { ServiceRequest } from "./http.js";
import { optionalString, type Fields } from "./body.js";

export function bareEtag(etag: string): string {
  return etag.replace(/^W\//, "").replace(/^"(.*)"$/, "$1");
}

export function etagHeader(etag: string): Record<string, string> {
  return { etag: `"${bareEtag(etag)}"` };
}

/** The ETag an update or delete carries back; undefined (or `If-Match: *`) means unconditional. */
export function carriedEtag(request: ServiceRequest, fields: Fields): string | undefined {
  const header = request.headers["if-match"]?.trim();
  const given = header || optionalString(fields, "etag");
  return given === undefined || given === "*" ? undefined : bareEtag(given);
}
