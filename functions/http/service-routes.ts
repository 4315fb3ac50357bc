/**
 * The service's routes mounted on middy's http-router: each Function URL event becomes the
 * service's plain request, and each answer a result. Paths the table does not know are 404
 * `route_not_found`; known paths asked with another method are 405 with `Allow`.
 */
import { ServiceError, type Route, type ServiceRequest } from "@cvflow/service";
import type { Route as RouterRoute } from "@middy/http-router";
import { withinDeadline } from "./run-deadline.js";
import type { ApiContext, ApiEvent, ApiResult } from "./types.js";

export function routerRoutes(routes: readonly Route[]): RouterRoute<ApiEvent, ApiResult>[] {
  return routes.map((route) => ({
    method: route.method,
    path: route.path,
    handler: async (event: ApiEvent, context: ApiContext): Promise<ApiResult> => {
      const deadline = context.deadline;
      if (!deadline) throw new Error("The runDeadline middleware must run before the routes");
      const request: ServiceRequest = {
        pathParameters: decoded(event.pathParameters),
        query: defined(event.queryStringParameters),
        headers: defined(event.headers),
        body: event.body as unknown,
        signal: deadline.signal,
        deadlineAt: deadline.at,
        requestId: context.awsRequestId,
      };
      const response = await withinDeadline(route.handler(request), deadline);
      return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body };
    },
  }));
}

/** The router's answer for what no route matched: 405 when the path exists for other methods. */
export function routeNotFound(routes: readonly Route[]): (input: { method: string; path: string }) => never {
  const patterns = routes.map((route) => ({ method: route.method, pattern: pathPattern(route.path) }));
  return ({ method, path }) => {
    const allowed = [...new Set(patterns.filter((p) => p.pattern.test(path)).map((p) => p.method))];
    if (allowed.length > 0) {
      throw new ServiceError("method_not_allowed", `${method} is not allowed on ${path}; use ${allowed.join(" or ")}`, 405, { method, path, allowed }, { allow: allowed.join(", ") });
    }
    throw new ServiceError("route_not_found", `No route for ${method} ${path}; the routes are listed at GET /openapi.json`, 404, { method, path });
  };
}

/** As http-router matches: `{name}` is one segment, a last `/{proxy+}` the rest of the path (or nothing), a trailing slash is optional. */
function pathPattern(path: string): RegExp {
  const source = path
    .replace(/[.+?^$()|[\]\\]/g, "\\$&")
    .replace(/\/\{proxy\\\+\}$/, "(?:/.*)?")
    .replace(/\{[^/]+\}/g, "[^/]+");
  return new RegExp(`^${source}/?$`);
}

function decoded(parameters: Record<string, string | undefined> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(parameters ?? {})) {
    if (value === undefined) continue;
    try {
      result[name] = decodeURIComponent(value);
    } catch {
      result[name] = value; // not percent-encoding after all: the store refuses the name if it must
    }
  }
  return result;
}

function defined(values: Record<string, string | undefined> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(values ?? {})) if (value !== undefined) result[name] = value;
  return result;
}
