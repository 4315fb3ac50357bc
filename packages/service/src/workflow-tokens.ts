/**
 * Workflow tokens: short-lived Bearer credentials that may only run one workflow, for handing to
 * a browser or a device instead of an API key. `cvft.<claims>.<signature>`, the claims base64url
 * JSON and the signature HMAC-SHA256 over `cvft.<claims>` with the service's secret. Nothing is
 * stored: any instance holding the secret verifies them.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const TOKEN_PREFIX = "cvft.";
export const DEFAULT_TOKEN_TTL_SECONDS = 900;
export const MAX_TOKEN_TTL_SECONDS = 24 * 3600;

export interface WorkflowTokenClaims {
  workspace: string;
  workflow: string;
  /** Epoch seconds. */
  expiresAt: number;
}

export class WorkflowTokens {
  constructor(
    private readonly secret: string,
    private readonly now: () => number = Date.now,
  ) {}

  issue(workspace: string, workflow: string, ttlSeconds: number): { token: string; claims: WorkflowTokenClaims } {
    const claims = { workspace, workflow, expiresAt: Math.floor(this.now() / 1000) + ttlSeconds };
    const payload = TOKEN_PREFIX + Buffer.from(JSON.stringify({ ws: workspace, wf: workflow, exp: claims.expiresAt })).toString("base64url");
    return { token: `${payload}.${this.sign(payload)}`, claims };
  }

  /** The claims of a genuine, unexpired token; undefined for anything else. */
  verify(token: string): WorkflowTokenClaims | undefined {
    const dot = token.lastIndexOf(".");
    if (!token.startsWith(TOKEN_PREFIX) || dot <= TOKEN_PREFIX.length) return undefined;
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), "base64url");
    const expected = Buffer.from(this.sign(payload), "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload.slice(TOKEN_PREFIX.length), "base64url").toString("utf8"));
    } catch {
      return undefined;
    }
    const { ws, wf, exp } = (claims ?? {}) as Record<string, unknown>;
    if (typeof ws !== "string" || typeof wf !== "string" || typeof exp !== "number") return undefined;
    if (exp * 1000 <= this.now()) return undefined;
    return { workspace: ws, workflow: wf, expiresAt: exp };
  }

  private sign(payload: string): string {
    return createHmac("sha256", this.secret).update(payload).digest("base64url");
  }
}
