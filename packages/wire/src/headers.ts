/** HTTP headers of cvflow's own (docs/api.md, docs/runs.md), named once for the service and the SDK. */

/** Sent by a client: "offload" asks for a large response's images as presigned URLs, "fail" for a 413. */
export const LARGE_RESPONSE_HEADER = "X-Cvflow-Large-Response";
/** Set on a response some of whose images were moved to S3: their number. */
export const OFFLOADED_IMAGES_HEADER = "x-cvflow-offloaded-images";
/** Set on a run's answer (sync routes, Dify's blocking run): the id of the run's record, GET /runs/{id}. */
export const RUN_ID_HEADER = "x-cvflow-run-id";
