/** The HTTP headers of the large-response offload (docs/api.md), named once for the service and the SDK. */

/** Sent by a client: "offload" asks for a large response's images as presigned URLs, "fail" for a 413. */
export const LARGE_RESPONSE_HEADER = "X-Cvflow-Large-Response";
/** Set on a response some of whose images were moved to S3: their number. */
export const OFFLOADED_IMAGES_HEADER = "x-cvflow-offloaded-images";
