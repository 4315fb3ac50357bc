export * from "./s3-server.js";
export type { ObjectCreatedEvent, ObjectCreatedEventName } from "./object-created.js";
export { startGateway, FUNCTION_URL_PAYLOAD_LIMIT, type Gateway, type GatewayOptions, type LambdaHttpHandler } from "./gateway.js";
export { startLocalStack, type LocalStack, type LocalStackOptions } from "./local-stack.js";
export type { LocalBatchOptions } from "./local-batch.js";
export { spawnLocalStack, type StackProcess } from "./stack-process.js";
