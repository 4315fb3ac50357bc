/**
 * The debugger page (packages/ui): `GET /` answers its index.html — or, to a caller with a
 * credential whose `Accept` does not ask for HTML, who that caller is (whoami.ts) — and
 * `GET /ui/{path}` its other files. HEAD answers as GET (the HTTP server sends the headers only).
 * Without a build: 503 `ui_not_built`; a file the build does not have: the usual 404.
 */
import type { Principal } from "../auth.js";
import { asksForHtml } from "../content-negotiation.js";
import type { ServiceContext } from "../context.js";
import { routeNotFound, uiNotBuilt } from "../errors.js";
import type { ServiceRequest, ServiceResponse } from "../http.js";
import { whoami } from "./whoami.js";

const INDEX = "index.html";

export async function servePage(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  if (principal.type !== "anonymous" && !asksForHtml(request.headers["accept"])) return whoami(principal);
  const { page, files } = await built(ctx);
  const index = files.get(INDEX);
  if (!index) throw uiNotBuilt();
  // The same URL answers JSON to a credential that asks for it: caches keep the two apart.
  return page.answer(request, INDEX, index, { vary: "accept, authorization" });
}

/** `method`: the route's, for the 404. */
export async function serveUiFile(ctx: ServiceContext, request: ServiceRequest, method: string): Promise<ServiceResponse> {
  const { page, files } = await built(ctx);
  const name = request.pathParameters["proxy"] ?? "";
  const file = files.get(name);
  if (!file) throw routeNotFound(method, `/ui/${name}`);
  return page.answer(request, name, file);
}

async function built(ctx: ServiceContext) {
  const files = await ctx.page?.files.files();
  if (!ctx.page || !files) throw uiNotBuilt();
  return { page: ctx.page, files };
}
