/**
 * The image's task root (`.build/image/`, copied outside the repository so that nothing resolves
 * from the repository's node_modules) run as Lambda runs it: each invocation a fresh process of
 * infra/test/lambda-invoke.ts, configured through its environment as infra/*.ts configures the
 * functions, against the local S3 server (with an API key in it) and a stub of Step Functions'
 * StartExecution on loopback.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { APIGatewayProxyEventV2, S3Event } from "aws-lambda";
import { makeFunctionUrlEvent } from "@cvflow/local/function-url-event";
import { startS3Server } from "@cvflow/local/s3-server";
import { createS3Client, S3ApiKeyStore, SCOPES } from "@cvflow/store";
import { apiEnvironment, batchStepEnvironment, runsEnvironment, triggerEnvironment } from "../function-environment.js";
import { FUNCTIONS, TASK_ROOT } from "../function-settings.js";
import { BUILD_DIRS } from "../image-layout.js";

const REPO = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const INVOKE = join(REPO, "infra/test/lambda-invoke.ts");
/** What lambda-invoke.ts prints before each answer (a script: importing it would run it). */
const MARK = "INVOCATION ";
export const BUCKET = "cvflow-image-test";
const WORKSPACE = "image-test";
export const STATE_MACHINE_ARN = "arn:aws:states:us-east-1:000000000000:stateMachine:cvflow-image-test-batch";
/** Never invoked by these tests: the API only needs one to start async runs. */
const RUNS_FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:cvflow-image-test-runs:live";

export interface Invocation {
  /** Milliseconds from the process's start to this answer. */
  ms: number;
  result?: any;
  error?: string;
}

export interface InvokeRun {
  invocations: Invocation[];
  /** Wall time from spawning the process to its first answer. */
  firstAnswerMs: number;
}

export interface StartExecutionCall {
  target: string;
  body: { stateMachineArn: string; name: string; input: string };
}

type Bundle = "api" | "batch-trigger" | "batch-prepare" | "batch-worker" | "batch-finalize" | "runs";

export interface ImageStack {
  apiKey: string;
  startExecutions: StartExecutionCall[];
  /** The copy of the image's task root the functions run from. */
  taskRoot: string;
  /** A function's variables as infra/function-environment.ts sets them, with the task root's folders where the copy is. */
  environment(bundle: Bundle): Record<string, string>;
  invoke(bundle: Bundle, events: unknown[]): Promise<InvokeRun>;
  close(): Promise<void>;
}

export async function startImageStack(): Promise<ImageStack> {
  const image = join(REPO, BUILD_DIRS.image);
  if (!existsSync(join(image, "api.mjs"))) throw new Error(`${BUILD_DIRS.image} is missing: run \`npm run build:image\` first`);
  const scratch = await mkdtemp(join(tmpdir(), "cvflow-image-"));
  const taskRoot = join(scratch, "task");
  await cp(image, taskRoot, { recursive: true });
  const s3 = await startS3Server({ bucket: BUCKET, dataDir: join(scratch, "data"), port: 0 });
  const apiKey = `cvf_${randomUUID()}`;
  const client = createS3Client({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials });
  await new S3ApiKeyStore(client, BUCKET).put(apiKey, { workspace: WORKSPACE, scopes: [...SCOPES], name: "image test", createdAt: new Date().toISOString() });
  const startExecutions: StartExecutionCall[] = [];
  const sfn = await stubStartExecution(startExecutions);
  const sfnEndpoint = `http://127.0.0.1:${(sfn.address() as AddressInfo).port}`;

  const links = { bucket: BUCKET, tokenSecret: "image-test-secret", webhookSecret: "image-test-webhook-secret", stateMachineArn: STATE_MACHINE_ARN, runsFunctionArn: RUNS_FUNCTION_ARN };
  const environments: Record<string, Record<string, string>> = {
    api: apiEnvironment(links),
    runs: runsEnvironment(links),
    "batch-trigger": triggerEnvironment(links),
    "batch-prepare": batchStepEnvironment(links),
    "batch-worker": batchStepEnvironment(links),
    "batch-finalize": batchStepEnvironment(links),
  };
  // What differs from AWS: the task root's place, the S3 server and Step Functions on loopback.
  const local = {
    PATH: process.env["PATH"] ?? "",
    AWS_REGION: s3.region,
    AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    CVFLOW_S3_ENDPOINT: s3.endpoint,
    AWS_ENDPOINT_URL_SFN: sfnEndpoint,
    POWERTOOLS_LOG_LEVEL: "WARN",
  };

  // Folders of the task root (models, the page, ffmpeg) where the copy is.
  const environment = (bundle: Bundle): Record<string, string> =>
    Object.fromEntries(Object.entries(environments[bundle]!).map(([name, value]) => [name, value.replace(TASK_ROOT, taskRoot)]));
  return {
    apiKey,
    startExecutions,
    taskRoot,
    environment,
    async invoke(bundle, events) {
      const eventsFile = join(scratch, `${randomUUID()}.json`);
      await writeFile(eventsFile, JSON.stringify(events));
      const env = { ...environment(bundle), ...local };
      const timeoutSeconds = Object.values(FUNCTIONS).find((fn) => fn.bundle === bundle)!.timeoutSeconds;
      return run(bundle, [INVOKE, taskRoot, bundle, eventsFile, String(timeoutSeconds)], env);
    },
    async close() {
      await new Promise((done) => sfn.close(done));
      await s3.stop();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

function run(bundle: string, args: string[], env: Record<string, string>): Promise<InvokeRun> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    let firstAnswerMs: number | undefined;
    const child = spawn(process.execPath, ["--disable-warning=ExperimentalWarning", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (firstAnswerMs === undefined && stdout.includes(MARK)) firstAnswerMs = performance.now() - started;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const invocations = stdout
        .split("\n")
        .filter((line) => line.startsWith(MARK))
        .map((line) => JSON.parse(line.slice(MARK.length)) as Invocation);
      if (code !== 0 || firstAnswerMs === undefined) reject(new Error(`${bundle} exited with ${code}:\n${stderr}\n${stdout}`.slice(0, 4000)));
      else resolvePromise({ invocations, firstAnswerMs });
    });
  });
}

/** Step Functions' JSON protocol, StartExecution only: records the call, answers an execution ARN. */
async function stubStartExecution(calls: StartExecutionCall[]): Promise<Server> {
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      const call = { target: String(request.headers["x-amz-target"]), body: JSON.parse(body) as StartExecutionCall["body"] };
      calls.push(call);
      response.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
      response.end(JSON.stringify({ executionArn: `${call.body.stateMachineArn.replace(":stateMachine:", ":execution:")}:${call.body.name}`, startDate: Date.now() / 1000 }));
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return server;
}

/** A Function URL's event (payload 2.0) for a JSON request. */
export function functionUrlEvent(method: string, path: string, options: { headers?: Record<string, string>; body?: unknown } = {}): APIGatewayProxyEventV2 {
  return makeFunctionUrlEvent({
    method,
    target: path,
    headers: { host: "abc123.lambda-url.us-east-1.on.aws", "user-agent": "image-test", "content-type": "application/json", ...options.headers },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    isBase64Encoded: false,
    sourceIp: "127.0.0.1",
    protocol: "HTTP/1.1",
  });
}

/** The bucket's notification of one object created, as S3 sends it to the trigger. */
export function objectCreatedEvent(key: string, sequencer: string): S3Event {
  return {
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: "us-east-1",
        eventTime: new Date().toISOString(),
        eventName: "ObjectCreated:Put",
        userIdentity: { principalId: "AWS:test" },
        requestParameters: { sourceIPAddress: "127.0.0.1" },
        responseElements: { "x-amz-request-id": "test", "x-amz-id-2": "test" },
        s3: {
          s3SchemaVersion: "1.0",
          configurationId: "BatchJobNotification",
          bucket: { name: BUCKET, ownerIdentity: { principalId: "test" }, arn: `arn:aws:s3:::${BUCKET}` },
          object: { key, size: 100, eTag: "0", sequencer },
        },
      },
    ],
  };
}
