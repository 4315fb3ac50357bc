/** Barcode Detection (v1): every barcode ZXing-C++ reads in the image, with its text. */
import { defineBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { CODE_IMAGE_FIELD, codeDetections } from "./code-detections.js";
import { readBarcodes } from "./zxing.js";

export const barcodeDetectorBlock = defineBlock<{ images: WorkflowImage }>({
  manifest: {
    type: "roboflow_core/barcode_detector@v1",
    aliases: ["BarcodeDetector", "BarcodeDetection"],
    name: "Barcode Detection",
    description:
      "Detect and read barcodes in an image (ZXing-C++: linear codes such as EAN, UPC, Code 128, and 2D ones such as QR, Data Matrix, PDF417, Aztec); each detection's `data` is the decoded text.",
    family: "models",
    fields: { images: CODE_IMAGE_FIELD },
    outputs: [{ name: "predictions", kinds: ["bar_code_detection"] }],
  },
  async run({ images }) {
    const codes = (await readBarcodes(images.pixels)).map(({ text, position }) => ({ text, topLeft: position.topLeft, bottomRight: position.bottomRight }));
    return { predictions: codeDetections(codes, images, "barcode", "barcode-detection") };
  },
});
