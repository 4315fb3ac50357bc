/** `GET /health`: the process answers; no store or model is touched. */
import type { Health } from "@cvflow/wire";
import { ok, type ServiceResponse } from "../http.js";

export async function health(version: string): Promise<ServiceResponse> {
  return ok({ status: "ok", version } satisfies Health);
}
