/**
 * QR Code Detection (v1): OpenCV's QR code detector over the whole image
 * (QRCodeDetector.detectAndDecodeMulti, as Roboflow's block), each code with its text.
 */
import { defineBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { withMats, type Mat } from "../../classical_cv/opencv.js";
import { CODE_IMAGE_FIELD, codeDetections, type FoundCode } from "./code-detections.js";

export const qrCodeDetectorBlock = defineBlock<{ images: WorkflowImage }>({
  manifest: {
    type: "roboflow_core/qr_code_detector@v1",
    aliases: ["QRCodeDetector", "QRCodeDetection"],
    name: "QR Code Detection",
    description: "Detect and read QR codes in an image (OpenCV's QR code detector); each detection's `data` is the decoded text.",
    family: "models",
    fields: { images: CODE_IMAGE_FIELD },
    outputs: [{ name: "predictions", kinds: ["qr_code_detection"] }],
  },
  async run({ images }) {
    return { predictions: codeDetections(await readQrCodes(images), images, "qr_code", "qrcode-detection") };
  },
});

/** What opencv-js has and its typings lack or type otherwise: the multi-code call fills a vector of strings and an N×4 point Mat. */
interface StringVector {
  size(): number;
  get(i: number): string;
  delete(): void;
}
interface MultiDetector {
  detectAndDecodeMulti(image: Mat, texts: StringVector, corners: Mat): boolean;
  delete(): void;
}

async function readQrCodes(image: WorkflowImage): Promise<FoundCode[]> {
  return withMats((cv, scope) => {
    const pixels = image.pixels;
    let gray = scope.fromPixels(pixels);
    // Roboflow gives OpenCV a BGR image, which it turns to gray itself; ours are RGB: the same gray.
    if (pixels.channels === 3) cv.cvtColor(gray, (gray = scope.mat()), cv.COLOR_RGB2GRAY);
    const detector = scope.track(new cv.QRCodeDetector() as unknown as MultiDetector);
    const texts = scope.track(new (cv as unknown as { StringVector: new () => StringVector }).StringVector());
    const corners = scope.mat();
    if (!detector.detectAndDecodeMulti(gray, texts, corners)) return [];
    // Four corners per code (top-left, top-right, bottom-right, bottom-left), float x, y.
    const xy = corners.data32F;
    const codes: FoundCode[] = [];
    for (let i = 0; i < texts.size(); i++) {
      const at = i * 8;
      codes.push({ text: texts.get(i), topLeft: { x: xy[at]!, y: xy[at + 1]! }, bottomRight: { x: xy[at + 4]!, y: xy[at + 5]! } });
    }
    return codes;
  });
}
