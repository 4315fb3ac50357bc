/**
 * Which route answers a request, with Hono's TrieRouter doing the path matching. The rules: a
 * static path wins over a dynamic one; among dynamic ones the first in the table wins; `{name}`
 * is one segment, a last `/{proxy+}` the rest of the path (or nothing); a trailing slash is
 * optional. Paths are matched as sent (percent-encoded) and parameters decoded afterwards, so an
 * encoded `/` stays inside its segment. A path no route has is 404 `route_not_found`; a path
 * routes have for other methods only is 405 `method_not_allowed` with `Allow` (HEAD and OPTIONS
 * included: no route answers them).
 */
import { TrieRouter } from "hono/router/trie-router";
import { methodNotAllowed, routeNotFound } from "./errors.js";
import type { Route } from "./http.js";

export interface RouteMatch {
  route: Route;
  /** Decoded path parameters; `proxy` for a `{proxy+}` route, "" when the path stops before it. */
  params: Record<string, string>;
}

/** A path of the table in Hono's syntax: `:name` for `{name}`; a `{proxy+}` route is two paths, without and with the rest. */
function honoPaths(path: string): string[] {
  const named = path.replace(/\{([^/}+]+)\}/g, ":$1");
  const proxy = /\/\{proxy\+\}$/;
  return proxy.test(named) ? [named.replace(proxy, "") || "/", named.replace(proxy, "/:proxy{.+}")] : [named];
}

interface Entry {
  route: Route;
  /** Its place in the table: the order of `Allow`. */
  index: number;
  /** Its place in the router: static paths first, then dynamic ones in the table's order. */
  rank: number;
}

interface Found {
  entry: Entry;
  params: Record<string, string>;
}

export class Router {
  private readonly router = new TrieRouter<Entry>();

  constructor(routes: readonly Route[]) {
    const isStatic = (route: Route) => !route.path.includes("{");
    const ordered = [...routes.filter(isStatic), ...routes.filter((r) => !isStatic(r))];
    // Under Hono's method "ALL": one match finds every route of the path, which the 405 needs too.
    for (const [rank, route] of ordered.entries()) {
      const entry: Entry = { route, index: routes.indexOf(route), rank };
      for (const path of honoPaths(route.path)) this.router.add("ALL", path, entry);
    }
  }

  /** The route for `method` on `path` (as sent), or the 404 or 405 to answer. */
  match(method: string, path: string): RouteMatch {
    const found = this.routesOn(path);
    const chosen = found.find((f) => f.entry.route.method === method);
    if (chosen) return { route: chosen.entry.route, params: parameters(chosen) };
    const allowed = [...new Set(found.sort((a, b) => a.entry.index - b.entry.index).map((f) => f.entry.route.method))];
    if (allowed.length > 0) {
      throw methodNotAllowed(method, path, allowed);
    }
    throw routeNotFound(method, path);
  }

  /** Every route matching the path as sent or without its trailing slash (the first match of a route counts), in the router's order. */
  private routesOn(path: string): Found[] {
    const views = path.length > 1 && path.endsWith("/") ? [path, path.slice(0, -1)] : [path];
    const found: Found[] = [];
    for (const view of views) {
      // TrieRouter's result is [[entry, params][]].
      for (const [entry, params] of this.router.match("ALL", view)[0] as [Entry, Record<string, string>][]) {
        if (!found.some((f) => f.entry === entry)) found.push({ entry, params });
      }
    }
    return found.sort((a, b) => a.entry.rank - b.entry.rank);
  }
}

/** Decoded; `proxy` is "" on a `{proxy+}` route's bare path. */
function parameters({ entry, params }: Found): Record<string, string> {
  const result: Record<string, string> = entry.route.path.endsWith("/{proxy+}") ? { proxy: "" } : {};
  for (const [name, value] of Object.entries(params)) {
    try {
      result[name] = decodeURIComponent(value);
    } catch {
      result[name] = value; // not percent-encoding after all: the store refuses the name if it must
    }
  }
  return result;
}
