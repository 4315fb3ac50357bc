/**
 * The model runtime's contract: what the registry says of a model, and what the tasks return.
 * Results are plain data in the pixel space of the image given (not workflow types): the model
 * blocks turn them into Detections and classification predictions.
 */
import type { BitMask } from "@cvflow/engine";
import type { RawPixels, WorkflowImage } from "../images/workflow-image.js";

/**
 * What detection and classification models read: raw pixels, or a WorkflowImage, which they read
 * at the size they need — before it is decoded, straight from its bytes (a large JPEG shrinks on load).
 */
export type ModelImage = RawPixels | WorkflowImage;

export type ModelTask =
  | "object-detection"
  | "instance-segmentation"
  | "classification"
  | "multi-label-classification"
  | "keypoint-detection"
  | "face-detection"
  | "ocr";

/** One entry of models/registry.json. */
export interface ModelSpec {
  /** e.g. "yolov8n-640"; what `model_id` in a definition names. */
  id: string;
  /** Other ids that resolve to it, e.g. "coco/3" or "dog-breed-xpaq6/1". */
  aliases: string[];
  task: ModelTask;
  /** Files under models/, by role: {"model": "yolov8n_int8.onnx"}, or {"det", "cls", "rec", "keys"} for OCR. */
  files: Record<string, string>;
  /** Network input size (pixels). */
  input: { width: number; height: number };
  preprocessing: {
    resize: "letterbox" | "stretch" | "center-crop";
    /** Letterbox padding value. */
    pad?: number;
    /** Pixel values are multiplied by this, then (v - mean) / std per channel. */
    scale: number;
    mean?: [number, number, number];
    std?: [number, number, number];
    channelOrder: "RGB" | "BGR";
    /** center-crop: resize the short side to this first. */
    resizeShort?: number;
  };
  /** Output decoder: "yolov8", "yolov8-seg", "yolox", "imagenet", "ultraface", "ppocr". */
  decoder: string;
  classes: string[];
  /** Whether the ONNX batch dimension is dynamic (several images per session.run). */
  dynamicBatch: boolean;
  license: string;
  source: string;
}

export interface DetectionParams {
  /** Minimum confidence; default 0.4 for detection, as Roboflow. */
  confidence?: number;
  iouThreshold?: number;
  classAgnosticNms?: boolean;
  /** Keep only these class names (null/empty: all). */
  classFilter?: readonly string[] | null;
  maxDetections?: number;
  /** Candidates considered by NMS at most. */
  maxCandidates?: number;
}

export interface DetectionResult {
  /** Size of the image the boxes refer to. */
  width: number;
  height: number;
  /** x1, y1, x2, y2 per detection in image pixels, flattened. */
  boxes: Float32Array;
  confidence: Float32Array;
  classId: Int32Array;
  className: string[];
  /** Instance segmentation: one mask (stored for its box) and its polygon (x, y points) per detection. */
  masks?: BitMask[];
  polygons?: [number, number][][];
}

export interface ClassScore {
  className: string;
  classId: number;
  confidence: number;
}

export interface ClassificationResult {
  width: number;
  height: number;
  /** Every class, most confident first. */
  scores: ClassScore[];
  multiLabel: boolean;
}

export interface OcrLine {
  text: string;
  confidence: number;
  /** The text region as four corner points (x, y), clockwise from top-left, in image pixels. */
  box: [number, number][];
}

export interface OcrResult {
  width: number;
  height: number;
  /** Lines in reading order. */
  lines: OcrLine[];
  /** The lines joined by spaces (Roboflow's OCR `result`). */
  text: string;
}

/** What the model blocks call; `modelId` may be any id or alias. Unknown ids are a 400 listing the known ones. */
export interface VisionModels {
  spec(modelId: string): ModelSpec;
  list(): readonly ModelSpec[];
  detect(modelId: string, images: readonly ModelImage[], params?: DetectionParams, signal?: AbortSignal): Promise<DetectionResult[]>;
  segment(modelId: string, images: readonly ModelImage[], params?: DetectionParams, signal?: AbortSignal): Promise<DetectionResult[]>;
  classify(modelId: string, images: readonly ModelImage[], params?: { confidence?: number }, signal?: AbortSignal): Promise<ClassificationResult[]>;
  ocr(modelId: string, images: readonly RawPixels[], signal?: AbortSignal): Promise<OcrResult[]>;
}
