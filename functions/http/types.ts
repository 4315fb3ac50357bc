/** The Lambda shapes of the API: Function URL events (payload v2) and the buffered results it answers. */
import type { APIGatewayProxyEventV2 } from "aws-lambda";

export type ApiEvent = APIGatewayProxyEventV2;

export interface ApiResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}
