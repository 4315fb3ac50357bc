/** What the cvflow service and its clients agree on about the JSON they exchange (docs/api.md). No dependencies. */
export { base64ToBytes, bytesToBase64 } from "./base64.js";
export { LARGE_RESPONSE_HEADER, OFFLOADED_IMAGES_HEADER, RUN_ID_HEADER } from "./headers.js";
export { imageContentType, imageExtension, sniffImageFormat, type KnownImageFormat } from "./image-format.js";
export { findImageValues, isImageValue, type FoundImage } from "./image-values.js";
export { isRecord } from "./is-record.js";
export { DEFAULT_PALETTE } from "./palette.js";
export { FINISHED_BATCH_STATES, isBatchJobFinished } from "./batch-states.js";
export { FINISHED_STATUSES, RUN_STATUSES, isFinalEvent, isFinished } from "./run-records.js";
export { runEventDetail } from "./run-event-text.js";
export { unwrapSpecification, type UnwrappedSpecification } from "./specification.js";
export { urlFromName } from "./workflow-url.js";
export type * from "./workflow-bodies.js";
export type * from "./run-bodies.js";
export type * from "./batch-bodies.js";
export type * from "./run-records.js";
export type * from "./error-bodies.js";
