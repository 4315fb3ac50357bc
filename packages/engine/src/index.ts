export * from "./errors.js";
export * from "./kinds.js";
export * from "./detections.js";
export * from "./detections-wire.js";
export * from "./block.js";
export * from "./json-schema.js";
export * from "./registry.js";
