/**
 * Translucent overlays (Mask and Color Visualization): supervision paints every region in its
 * colour on a copy of the image, later regions over earlier ones, then cv2.addWeighted's the
 * copy over the image. Here each covered pixel is blended once, with the colour of the region
 * on top, and pixels no region covers are not touched (addWeighted leaves them as they were).
 */
import { blendPixel, blendTables, type Canvas, type Paint } from "./canvas.js";
import type { SpanSink } from "./shapes.js";

export interface OverlayLayer {
  paint: Paint;
  /** Hands the layer's spans to the sink. */
  spans(sink: SpanSink): void;
}

/** `layers` from the top down: a pixel takes the colour of the first layer that covers it. */
export function blendOverlay(canvas: Canvas, layers: Iterable<OverlayLayer>, opacity: number): void {
  overlayOnce(canvas, layers, (paint) => blendTables(paint, opacity));
}

/**
 * The zones' overlay (Polygon Zone and Line Counter Visualization): Roboflow draws the shape in
 * its colour on a black mask and cv2.addWeighted's it over the image with weights (opacity, 1),
 * so covered pixels gain `opacity * colour` (saturating at 255) and the rest keep their values.
 */
export function addOverlay(canvas: Canvas, layer: OverlayLayer, opacity: number): void {
  overlayOnce(canvas, [layer], (paint) => blendTables(paint, opacity, 1));
}

/** Maps every pixel some layer covers, once, through the tables of the first layer covering it. */
function overlayOnce(canvas: Canvas, layers: Iterable<OverlayLayer>, tablesFor: (paint: Paint) => Uint8Array[]): void {
  const { width, height, channels, data } = canvas;
  const covered = new Uint8Array(width * height);
  for (const layer of layers) {
    const tables = tablesFor(layer.paint);
    layer.spans((y, x0, x1) => {
      if (y < 0 || y >= height) return;
      const row = y * width;
      for (let x = Math.max(0, x0); x <= Math.min(width - 1, x1); x++) {
        if (covered[row + x]) continue;
        covered[row + x] = 1;
        blendPixel(data, (row + x) * channels, tables);
      }
    });
  }
}
