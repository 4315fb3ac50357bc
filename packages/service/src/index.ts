/** The HTTP product, independent of Lambda: createService, whose `handle` answers every request. */
export { createService, type Service, type ServiceOptions } from "./service.js";
export type { HttpRequest, HttpResponse, Method, Route, RouteAccess, ServiceRequest, ServiceResponse } from "./http.js";
export type { StaticSite } from "./static-site.js";
export type { ServiceLogger } from "./handle.js";
export { PAYLOAD_LIMIT_BYTES, type HttpLimits } from "./limits.js";
export { errorBody, type ErrorBody } from "./error-body.js";
export { SERVICE_ERRORS, type ServiceErrorCode, requestTooLarge } from "./errors.js";
export type { ConsumedFrame, ConsumedResult, InferencePipeline, InferencePipelines, PipelineReport, PipelineStart } from "./inference-pipelines.js";
export { asWorkspace, uploadedImages } from "./s3-images.js";
export { checkWorkspaceNotReserved, reservedWorkspaceNames } from "./reserved-workspaces.js";
