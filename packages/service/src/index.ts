/** HTTP routes and use cases, independent of Lambda. */
export { createService, type Service, type ServiceOptions } from "./service.js";
export type { HttpRequest, HttpResponse, Method, Route, RouteAccess, ServiceRequest, ServiceResponse } from "./http.js";
export type { ServiceLogger } from "./handle.js";
export { DEFAULT_LIMITS, PAYLOAD_LIMIT_BYTES, type HttpLimits } from "./limits.js";
export { fitResponse, type ResponseLimit } from "./fit-response.js";
export { errorResponse, ServiceError } from "./errors.js";
export { errorBody, type ErrorBody } from "./error-body.js";
export { uploadedImages } from "./s3-images.js";
export { TtlCache } from "./ttl-cache.js";
export { checkWorkspaceNotReserved, reservedWorkspaceNames } from "./reserved-workspaces.js";
