/**
 * The Lambda handler over the in-memory test service (@cvflow/service/testing), invoked as Lambda
 * would: a Function URL event (payload 2.0) and a context whose remaining time counts down, made
 * as the local gateway makes them.
 */
import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { lambdaContext, makeFunctionUrlEvent } from "@cvflow/local";
import type { ServiceOptions } from "@cvflow/service";
import { createTestService } from "@cvflow/service/testing";
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
  const t = await createTestService({ limits: options.limits });
  const handler = lambdaHandler(t.service, new Logger({ serviceName: "cvflow-api-test", logLevel: "SILENT" }));

  async function invoke(request: Invocation): Promise<Answer> {
    const event = makeFunctionUrlEvent({
      method: request.method ?? "GET",
      target: request.path,
      headers: { host: "api.test", ...(request.body !== undefined ? { "content-type": "application/json" } : {}), ...request.headers },
      ...(request.body !== undefined ? { body: typeof request.body === "string" ? request.body : JSON.stringify(request.body) } : {}),
      isBase64Encoded: request.isBase64Encoded ?? false,
      sourceIp: "127.0.0.1",
      protocol: "HTTP/1.1",
    });
    const context = lambdaContext("cvflow-api-test", options.lambdaTimeoutMs ?? 60_000, randomUUID());
    const result = (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
    return { statusCode: result.statusCode!, headers: result.headers as Record<string, string>, body: JSON.parse(result.body!) };
  }

  return { ...t, handler, invoke };
}
