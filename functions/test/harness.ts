/**
 * The Lambda handler over the in-memory service of packages/service/test, invoked as Lambda
 * would: a Function URL event (payload 2.0) and a context whose remaining time counts down.
 */
import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { ServiceOptions } from "@cvflow/service";
import { testService } from "../../packages/service/test/harness.js";
import { lambdaHandler } from "../http/lambda-handler.js";

export interface Invocation {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** A value is sent as JSON text; a string as it is. */
  body?: unknown;
  isBase64Encoded?: boolean;
}

export interface Answer {
  statusCode: number;
  headers: Record<string, string>;
  body: any;
}

export async function testApi(options: Pick<ServiceOptions, "limits"> & { lambdaTimeoutMs?: number } = {}) {
  const t = await testService({ limits: options.limits });
  const handler = lambdaHandler(t.service, new Logger({ serviceName: "cvflow-api-test", logLevel: "SILENT" }));

  async function invoke(request: Invocation): Promise<Answer> {
    const [rawPath, rawQueryString = ""] = request.path.split("?") as [string, string?];
    const event: APIGatewayProxyEventV2 = {
      version: "2.0",
      routeKey: "$default",
      rawPath,
      rawQueryString,
      headers: { host: "api.test", ...(request.body !== undefined ? { "content-type": "application/json" } : {}), ...request.headers },
      ...(rawQueryString ? { queryStringParameters: Object.fromEntries(new URLSearchParams(rawQueryString)) } : {}),
      requestContext: {
        accountId: "anonymous",
        apiId: "test",
        domainName: "api.test",
        domainPrefix: "api",
        http: { method: request.method ?? "GET", path: rawPath, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "vitest" },
        requestId: randomUUID(),
        routeKey: "$default",
        stage: "$default",
        time: "",
        timeEpoch: Date.now(),
      },
      ...(request.body !== undefined ? { body: typeof request.body === "string" ? request.body : JSON.stringify(request.body) } : {}),
      isBase64Encoded: request.isBase64Encoded ?? false,
    };
    const result = (await handler(event, context(options.lambdaTimeoutMs ?? 60_000))) as APIGatewayProxyStructuredResultV2;
    return { statusCode: result.statusCode!, headers: result.headers as Record<string, string>, body: JSON.parse(result.body!) };
  }

  return { ...t, handler, invoke };
}

function context(timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "cvflow-api-test",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:local:000000000000:function:cvflow-api-test",
    memoryLimitInMB: "2048",
    awsRequestId: randomUUID(),
    logGroupName: "/aws/lambda/cvflow-api-test",
    logStreamName: "test",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
