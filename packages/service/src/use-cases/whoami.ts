/**
 * Who the caller's credential is: `GET /` asked for JSON, and `POST /`, as Roboflow's Python
 * client checks its key (`POST /?api_key=…`, reading `workspace`) — Roboflow's API root answers
 * `welcome`, `instructions`, `docs` and `workspace`; cvflow adds what the key may do.
 */
import type { WhoAmI } from "@cvflow/wire";
import type { Principal } from "../auth.js";
import { unauthorized } from "../errors.js";
import { ok, type ServiceResponse } from "../http.js";

const WELCOME = "Welcome to the cvflow API.";
const DOCS = "/openapi.json";

export function whoami(principal: Principal): ServiceResponse {
  if (principal.type === "anonymous") throw unauthorized();
  const body: WhoAmI =
    principal.type === "key"
      ? {
          welcome: WELCOME,
          instructions: `You are authenticated with an API key of workspace "${principal.workspace}" (${principal.scopes.join(", ") || "no scopes"}).`,
          docs: DOCS,
          workspace: principal.workspace,
          scopes: [...principal.scopes],
          key_id: principal.keyId,
        }
      : {
          welcome: WELCOME,
          instructions: `You are authenticated with a workflow token: it may run workflow "${principal.workflow}" of workspace "${principal.workspace}", and nothing else.`,
          docs: DOCS,
          workspace: principal.workspace,
          scopes: ["workflow:run"],
          workflow: principal.workflow,
        };
  // Who the credential is, not the page: never kept by a cache.
  return ok(body, { "cache-control": "no-store", vary: "accept, authorization" });
}
