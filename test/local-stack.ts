/** Starting the whole local stack for a test file: its own data folder, free ports. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalStack, type LocalStack, type LocalStackOptions } from "@cvflow/local";

export async function testStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  return startLocalStack({ port: 0, s3Port: 0, dataDir: mkdtempSync(join(tmpdir(), "cvflow-stack-")), examplesDir: null, ...options });
}

export async function call(stack: LocalStack, method: string, path: string, options: { body?: unknown; key?: string | null; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any; headers: Headers; bytes: number }> {
  const key = options.key === undefined ? stack.apiKey : options.key;
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers, bytes: Buffer.byteLength(text) };
}

/** POST /workflows/run with a definition and its inputs. */
export function runInline(stack: LocalStack, specification: unknown, inputs: Record<string, unknown>): ReturnType<typeof call> {
  return call(stack, "POST", "/workflows/run", { body: { specification, inputs } });
}
