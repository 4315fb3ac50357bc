export { VIDEO_ERRORS, type VideoErrorCode } from "./errors.js";
export { FFMPEG, FFPROBE } from "./ffmpeg.js";
export { probeVideo, type VideoProbe } from "./probe.js";
export { resolveReference, type VideoReference, type ResolvedReference } from "./video-reference.js";
export type { VideoFrame } from "./video-frame.js";
export { VideoSource, type VideoSourceOptions, type VideoSourceCounters } from "./video-source.js";
export { frameImage, frameVideoMetadata } from "./video-metadata.js";
export { VideoPipeline, type VideoPipelineOptions, type PipelineStatus, type PipelineState, type PredictionSink, type BatchPredictionSink, type PipelineSink } from "./video-pipeline.js";
export { Mp4Writer, type Mp4WriterOptions } from "./mp4-writer.js";
