/**
 * Who is calling, and what they may do. A credential comes as `Authorization: Bearer <x>`, the
 * `api_key` query parameter or `api_key` in the JSON body; it is an API key (one workspace, some
 * scopes) or a workflow token (runs one workflow). Routes open to anyone never look at it; on the
 * others, a credential that is sent but not valid is a 401 even where the workflow is public, so
 * that a typo never silently falls back to public access.
 */
import { createHash } from "node:crypto";
import type { WorkflowError } from "@cvflow/engine";
import type { ApiKeyRecord, ApiKeyStore, Scope } from "@cvflow/store";
import { isRecord } from "@cvflow/wire";
import { forbidden, unauthorized } from "./errors.js";
import type { ServiceRequest } from "./http.js";
import { TtlCache } from "./ttl-cache.js";
import { TOKEN_PREFIX, type WorkflowTokens } from "./workflow-tokens.js";

export type Principal =
  | { type: "anonymous" }
  /** `keyId`: names the key in run records without revealing it (the start of its SHA-256). */
  | { type: "key"; workspace: string; scopes: readonly Scope[]; keyId: string }
  | { type: "token"; workspace: string; workflow: string };

/** Longer than any key or token we issue: not worth a store lookup. */
const MAX_CREDENTIAL_LENGTH = 1024;

export class Authenticator {
  /** Found keys, so that a repeated request does not read the key store again (a revoked key lives on for the TTL). */
  private readonly known: TtlCache<string, ApiKeyRecord>;

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly tokens: WorkflowTokens | undefined,
    keyCacheTtlMs: number,
  ) {
    this.known = new TtlCache(10_000, keyCacheTtlMs);
  }

  async principal(request: ServiceRequest): Promise<Principal> {
    const credential = credentialOf(request);
    if (credential === undefined) return { type: "anonymous" };
    if (credential.length > MAX_CREDENTIAL_LENGTH) throw unauthorized("The credential is not a valid API key or workflow token");
    if (credential.startsWith(TOKEN_PREFIX)) {
      const claims = this.tokens?.verify(credential);
      if (!claims) throw unauthorized("The workflow token is invalid or has expired");
      return { type: "token", workspace: claims.workspace, workflow: claims.workflow };
    }
    let record = this.known.get(credential);
    if (!record) {
      record = await this.keys.find(credential);
      if (!record) throw unauthorized("The API key is not valid");
      this.known.set(credential, record);
    }
    return { type: "key", workspace: record.workspace, scopes: record.scopes, keyId: keyIdOf(credential) };
  }
}

/** Hex digits of a key's SHA-256 that name it in a run's record: enough to tell a workspace's keys apart, useless to sign in with. */
const KEY_ID_DIGITS = 16;

function keyIdOf(key: string): string {
  return createHash("sha256").update(key).digest("hex").slice(0, KEY_ID_DIGITS);
}

/** Who a run record says started it: the API key's id, when a key did. */
export function startedBy(principal: Principal): { keyId?: string } {
  return principal.type === "key" ? { keyId: principal.keyId } : {};
}

function credentialOf(request: ServiceRequest): string | undefined {
  const header = request.headers["authorization"];
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw unauthorized("The Authorization header must be `Bearer <API key or workflow token>`");
    return match[1];
  }
  const query = request.query["api_key"];
  if (query) return query;
  const body = request.body;
  if (isRecord(body)) {
    const key = body["api_key"];
    if (typeof key === "string" && key) return key;
  }
  return undefined;
}

/** An API key with these scopes, of `workspace` when given; else 401 (no key) or 403. */
export function requireKey(principal: Principal, scopes: readonly Scope[], workspace?: string): void {
  if (principal.type === "anonymous") throw unauthorized();
  if (principal.type === "token") throw tokenOutOfScope();
  if (workspace !== undefined && principal.workspace !== workspace) {
    throw forbidden(`This API key belongs to workspace "${principal.workspace}", not "${workspace}"`, { workspace });
  }
  const missing = scopes.filter((s) => !principal.scopes.includes(s));
  if (missing.length > 0) {
    throw forbidden(`This API key lacks the scope${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`, { required: [...scopes], missing });
  }
}

/** Whether the principal may act on this workflow by its credential alone (public workflows aside). */
export function grants(principal: Principal, workspace: string, url: string, scope: Scope, tokenAllowed: boolean): boolean {
  switch (principal.type) {
    case "key":
      return principal.workspace === workspace && principal.scopes.includes(scope);
    case "token":
      return tokenAllowed && principal.workspace === workspace && principal.workflow === url;
    default:
      return false;
  }
}

/** Why the principal may not act on a workflow that is not public. */
export function denied(principal: Principal, workspace: string, url: string, scope: Scope): WorkflowError {
  if (principal.type === "anonymous") return unauthorized();
  if (principal.type === "token") return tokenOutOfScope();
  if (principal.workspace !== workspace) return forbidden(`This API key belongs to workspace "${principal.workspace}", not "${workspace}"`, { workspace, url });
  return forbidden(`This API key lacks the scope ${scope}`, { required: [scope], missing: [scope] });
}

function tokenOutOfScope(): WorkflowError {
  return forbidden("A workflow token may only run the workflow it names");
}
