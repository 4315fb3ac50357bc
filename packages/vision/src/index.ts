export * from "./images/workflow-image.js";
export * from "./models/types.js";
export * from "./tasks/nms.js";
