/** What a batch job (and the directory CLI) writes for its images: names, documents, files, aggregations. */
export { imageName } from "./image-name.js";
export { uniqueImageNames } from "./image-names.js";
export { resultDocument, type ResultDocument } from "./result-document.js";
export { imageOutputFiles, type OutputFile } from "./image-output-files.js";
export { csvCell, csvLine, csvRows } from "./csv-rows.js";
export { jsonlRows } from "./jsonl-rows.js";
export { failureRecord, failuresJsonl, type FailureRecord } from "./failure-record.js";
export type { FileImage, WireImage } from "./wire-image.js";
export { frameOutputs, frameRow, frameRowLine, frameRowsHeader, type FrameFileType, type FrameRow } from "./frame-rows.js";
export { FrameVideos } from "./frame-videos.js";
export { decodeVideoState, encodeVideoState, type EncodedVideoState } from "./video-state-codec.js";
