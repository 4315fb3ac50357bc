/**
 * LambdaDurableRunner against a loopback server that answers Lambda's REST API as the service
 * does (the routes, headers and bodies of client-lambda's own serializer), recording what it got.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LambdaDurableRunner } from "../src/lambda-durable-runner.js";

const FUNCTION = "arn:aws:lambda:eu-west-1:123456789012:function:cvflow-runs";
const ARN = `${FUNCTION}:live`;

interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
}

let server: Server;
let received: Received[] = [];
/** Answers by route: status, JSON body, headers. */
let answer: (request: Received) => { status: number; body?: unknown; headers?: Record<string, string> } = () => ({ status: 200, body: {} });
let runner: LambdaDurableRunner;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const url = new URL(request.url!, "http://localhost");
      const got = { method: request.method!, path: decodeURIComponent(url.pathname), query: url.searchParams, headers: request.headers, body: Buffer.concat(chunks).toString() };
      received.push(got);
      const { status, body, headers } = answer(got);
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(body === undefined ? "" : JSON.stringify(body));
    });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const client = new LambdaClient({
    region: "eu-west-1",
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  runner = new LambdaDurableRunner({ functionArn: ARN, client });
});

afterAll(async () => {
  await new Promise((closed) => server.close(closed));
});

beforeEach(() => {
  received = [];
  answer = () => ({ status: 200, body: {} });
});

describe("LambdaDurableRunner", () => {
  it("starts an execution with an asynchronous Invoke of the qualified ARN, named after the run", async () => {
    answer = () => ({ status: 202, headers: { "x-amz-durable-execution-arn": `${ARN}/durable-execution/01JRUN/abc` } });
    await runner.start("01JRUN-a2", { runId: "01JRUN", attempt: 2 });
    expect(received).toHaveLength(1);
    const [invoke] = received;
    expect(invoke!.method).toBe("POST");
    expect(invoke!.path).toBe(`/2015-03-31/functions/${ARN}/invocations`);
    expect(invoke!.headers["x-amz-invocation-type"]).toBe("Event");
    expect(invoke!.headers["x-amz-durable-execution-name"]).toBe("01JRUN-a2");
    expect(JSON.parse(invoke!.body)).toEqual({ runId: "01JRUN", attempt: 2 });
  });

  it("takes a start Lambda answers with DurableExecutionAlreadyStarted as done (a start sent twice)", async () => {
    answer = () => ({ status: 409, headers: { "x-amzn-errortype": "DurableExecutionAlreadyStartedException" }, body: { message: "already started" } });
    await expect(runner.start("01JRUN", { runId: "01JRUN", attempt: 1 })).resolves.toBeUndefined();
    expect(received).toHaveLength(1);
  });

  it("passes any other failure of a start on", async () => {
    answer = () => ({ status: 429, headers: { "x-amzn-errortype": "TooManyRequestsException" }, body: { message: "slow down" } });
    await expect(runner.start("01JRUN", { runId: "01JRUN", attempt: 1 })).rejects.toThrow(/slow down/);
  });

  it("answers a callback with the JSON of the result", async () => {
    await runner.sendCallback("cb/1+2=", { keep: [1, 3] });
    expect(received).toHaveLength(1);
    expect(received[0]!.method).toBe("POST");
    expect(received[0]!.path).toBe("/2025-12-01/durable-execution-callbacks/cb/1+2=/succeed");
    expect(JSON.parse(received[0]!.body)).toEqual({ keep: [1, 3] });
  });

  it("stops the running executions of exactly that name, found by listing the function's executions", async () => {
    const execution = (name: string, arn: string) => ({ DurableExecutionArn: arn, DurableExecutionName: name, FunctionArn: ARN, Status: "RUNNING", StartTimestamp: 1 });
    answer = (request) => {
      if (request.method === "GET" && request.query.get("Marker") === null) return { status: 200, body: { DurableExecutions: [execution("01JRUN", "arn:exec:1"), execution("01JRUN-a2", "arn:exec:2")], NextMarker: "m2" } };
      if (request.method === "GET") return { status: 200, body: { DurableExecutions: [execution("01JRUN", "arn:exec:3")] } };
      return { status: 200, body: { StopTimestamp: 2 } };
    };
    await runner.stop("01JRUN");
    const [list1, stop1, list2, stop3] = received;
    expect(received).toHaveLength(4);
    expect(list1!.path).toBe(`/2025-12-01/functions/${FUNCTION}/durable-executions`);
    expect(Object.fromEntries(list1!.query)).toEqual({ Qualifier: "live", DurableExecutionName: "01JRUN", Statuses: "RUNNING" });
    expect(stop1!.path).toBe("/2025-12-01/durable-executions/arn:exec:1/stop");
    expect(JSON.parse(stop1!.body)).toEqual({ ErrorType: "RunCancelled", ErrorMessage: "The run was cancelled" });
    expect(list2!.query.get("Marker")).toBe("m2");
    expect(stop3!.path).toBe("/2025-12-01/durable-executions/arn:exec:3/stop");
  });

  it("refuses an unqualified function ARN (durable functions are invoked through a version or alias)", () => {
    expect(() => new LambdaDurableRunner({ functionArn: FUNCTION })).toThrow(/not a qualified Lambda function ARN/);
  });
});
