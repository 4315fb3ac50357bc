export * from "./images/workflow-image.js";
export * from "./images/load-image.js";
export * from "./images/decode-image.js";
export * from "./images/fetch-url.js";
export * from "./images/serialize-image.js";
export { inputImageId } from "./images/input-lineage.js";
export * from "./models/types.js";
export * from "./tasks/nms.js";
