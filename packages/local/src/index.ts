export * from "./s3-server.js";
export type { ObjectCreatedEvent, ObjectCreatedEventName } from "./object-created.js";
export { startGateway, FUNCTION_URL_PAYLOAD_LIMIT, type Gateway, type GatewayOptions, type LambdaHttpHandler } from "./gateway.js";
export { startLocalStack, type LocalStack, type LocalStackOptions } from "./local-stack.js";
export type { LocalBatchOptions } from "./local-batch.js";
export { spawnLocalStack, type StackProcess } from "./stack-process.js";
export { PortInUseError } from "./listen.js";
export { StackStartError } from "./stack-start-error.js";
export { dataDir, gatewayPort, s3Port, LOCAL_BUCKET, DEFAULT_GATEWAY_PORT } from "./stack-settings.js";
