/**
 * The debugger page's routes: `/` (the page, or who the caller is) and `/ui/{path}` (its
 * scripts, styles and other files; Vite's `base`), GET and HEAD; `POST /`, who the caller is.
 */
import type { ServiceContext } from "./context.js";
import type { OpenApiOperation } from "./openapi-types.js";
import type { RouteSpec } from "./route-spec.js";
import { ref } from "./schemas.js";
import { servePage, serveUiFile } from "./use-cases/page.js";
import { whoami } from "./use-cases/whoami.js";

const HTML = { type: "string", description: "The page's index.html." };
const FILE = { type: "string", format: "binary" };

export function pageRoutes(ctx: ServiceContext): RouteSpec[] {
  const page = getAndHead(() => ({
    path: "/",
    access: { kind: "caller" },
    doc: {
      operationId: "debuggerPage",
      summary: "The debugger page; with a credential and no HTML asked for, who the credential is",
      description:
        "Without a credential, or with `Accept` naming `text/html` (a browser), the page (no-cache, ETag, gzip or brotli as accepted, a Content-Security-Policy allowing no outside host). With a credential (Bearer or `api_key`) and an `Accept` that does not name HTML: who it is, as JSON (`POST /` too). A credential that is not valid is a 401 either way.",
      tags: ["page"],
      responses: { 200: { description: "The page, or who the caller is.", schema: HTML, mediaTypes: ["text/html"], alternatives: { "application/json": ref("WhoAmI") } } },
    },
    handle: (request, principal) => servePage(ctx, request, principal),
  }));

  const file = getAndHead((method) => ({
    path: "/ui/{proxy+}",
    access: { kind: "anyone" },
    doc: {
      operationId: "debuggerPageFile",
      summary: "A file of the debugger page's build (scripts, styles)",
      description: "Files under `assets/` are named by their content's hash and cached for good (`immutable`); any other is revalidated. gzip or brotli as accepted; `If-None-Match` with the ETag answers 304.",
      tags: ["page"],
      responses: { 200: { description: "The file, with its content type.", schema: FILE, mediaTypes: ["text/javascript", "text/css", "application/octet-stream"] } },
    },
    handle: (request) => serveUiFile(ctx, request, method),
  }));

  const whoamiDoc: OpenApiOperation = {
    operationId: "whoami",
    summary: "Who the credential is",
    description: "What `GET /` answers a credential that asks for JSON; Roboflow's Python client checks its key so (`POST /?api_key=…`, reading `workspace`). No credential, or one that is not valid: 401.",
    tags: ["service"],
    responses: { 200: { description: "The credential's workspace and what it may do.", schema: ref("WhoAmI") } },
  };

  return [...page, { method: "POST", path: "/", access: { kind: "caller" }, doc: whoamiDoc, handle: async (_request, principal) => whoami(principal) }, ...file];
}

/** A route for GET and its HEAD twin (the HTTP server sends HEAD the headers GET would), HEAD's operation named and described after GET's. */
function getAndHead(route: (method: "GET" | "HEAD") => Omit<RouteSpec, "method">): RouteSpec[] {
  const get = route("GET");
  const head = route("HEAD");
  return [
    { method: "GET", ...get },
    { method: "HEAD", ...head, doc: { ...head.doc, operationId: `${head.doc.operationId}Head`, description: `${head.doc.description} HEAD: the headers GET would send.` } },
  ];
}
