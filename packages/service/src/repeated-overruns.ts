/**
 * Requests whose run overran its deadline in a way a retry would repeat, remembered for a short
 * while by a digest of what makes them the same request: method, path, query, credential and
 * body. Roboflow's client tries a request up to three times, 1 s apart, while it gets 504,
 * whatever the answer says; an identical request within REMEMBER_MS is answered with the same 504
 * at once instead of running the workflow again. Bounded and in-process: on Lambda each instance
 * remembers its own.
 */
import { createHash } from "node:crypto";
import { TtlCache } from "./ttl-cache.js";

/** Longer than inference_sdk's tries (three, 1 s apart, each up to the 20 s deadline) take; short enough that a changed deployment is tried soon. */
export const REMEMBER_MS = 60_000;
const CAPACITY = 1_000;

export interface Overrun {
  message: string;
  details: Record<string, unknown>;
  requestId: string;
}

export class RepeatedOverruns {
  private readonly overruns: TtlCache<string, Overrun>;

  constructor(now: () => number = Date.now) {
    this.overruns = new TtlCache(CAPACITY, REMEMBER_MS, now);
  }

  remember(digest: string, overrun: Overrun): void {
    this.overruns.set(digest, overrun);
  }

  recall(digest: string): Overrun | undefined {
    return this.overruns.get(digest);
  }
}

export interface RequestIdentity {
  method: string;
  path: string;
  query: string;
  /** The Authorization header; an `api_key` in the query or body is part of those. */
  authorization: string | undefined;
  /** The body's bytes as sent. */
  body: Uint8Array | undefined;
}

/** A digest, not the parts: credentials are not kept. */
export function requestDigest(identity: RequestIdentity): string {
  const hash = createHash("sha256");
  for (const part of [identity.method, identity.path, identity.query, identity.authorization ?? "", identity.body ?? new Uint8Array()]) {
    const bytes = typeof part === "string" ? Buffer.from(part) : part;
    hash.update(String(bytes.length)).update(":").update(bytes);
  }
  return hash.digest("base64url");
}
