/**
 * Detections drawn over their image on a canvas: boxes, "class confidence" labels, instance masks
 * (polygons or run-length bitmaps) and keypoints, in the server's palette; a confidence slider hides the boxes below it
 * (`data-drawn` = boxes drawn). The image is the first of backgroundCandidates (detections.ts)
 * whose size is the detections' own; none fits: a blank of that size.
 */
import { useContext, useEffect, useId, useMemo, useRef, useState } from "preact/hooks";
import { backgroundCandidates, canvasSize, labelFontPx, readDetections, visibleDetections, type Background, type Bitmap, type DrawnDetection } from "./detections.js";
import { ImageUrlsContext, type ImageUrls } from "./image-urls.js";
import type { ImageValue } from "./output-values.js";

interface DetectionsViewProps {
  value: Record<string, unknown>;
  label: string;
  inputImages: Readonly<Record<string, string>>;
  /** The images among the same outputs, where the detections' own image may be. */
  outputImages: readonly ImageValue[];
}

export function DetectionsView({ value, label, inputImages, outputImages }: DetectionsViewProps) {
  const urls = useContext(ImageUrlsContext);
  const read = useMemo(() => readDetections(value), [value]);
  const size = canvasSize(read);
  const [background, setBackground] = useState<HTMLImageElement | null | undefined>(undefined);
  const [minConfidence, setMinConfidence] = useState(0);
  const canvas = useRef<HTMLCanvasElement>(null);
  const visible = visibleDetections(read.items, minConfidence);

  useEffect(() => {
    let current = true;
    const candidates = backgroundCandidates(read, Object.keys(inputImages), outputImages);
    void firstFitting(candidates, read.width && read.height ? size : null, inputImages, urls).then((image) => current && setBackground(image));
    return () => {
      current = false;
    };
  }, [read, inputImages, outputImages, urls]);

  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext("2d");
    if (!element || !context || background === undefined) return;
    const width = background?.naturalWidth ?? size.width;
    const height = background?.naturalHeight ?? size.height;
    element.width = width;
    element.height = height;
    if (background) context.drawImage(background, 0, 0);
    else context.clearRect(0, 0, width, height);
    draw(context, visible, width, height);
  }, [background, minConfidence, read]);

  const sliderId = `confidence-${useId()}`;
  return (
    <figure class="detections">
      <div class="detections-controls">
        <label for={sliderId}>Confidence ≥ {minConfidence.toFixed(2)}</label>
        <input
          id={sliderId}
          type="range"
          min="0"
          max="1"
          step="0.01"
          value={minConfidence}
          data-testid="confidence"
          onInput={(e) => setMinConfidence(Number(e.currentTarget.value))}
        />
        <span class="muted">
          {visible.length} of {read.items.length} drawn{background === null ? ", no image of their size: drawn on a blank" : ""}
        </span>
      </div>
      <canvas
        ref={canvas}
        class="detections-canvas"
        data-testid="detections"
        data-drawn={background === undefined ? undefined : String(visible.length)}
        role="img"
        aria-label={`${label}: ${visible.length} detections drawn (${visible.map((d) => d.label).join(", ")})`}
        width={size.width}
        height={size.height}
      />
    </figure>
  );
}

/** The first candidate that loads with the wanted size (any size when none is wanted); null when none. */
async function firstFitting(
  candidates: Background[],
  wanted: { width: number; height: number } | null,
  inputImages: Readonly<Record<string, string>>,
  urls: ImageUrls | null,
): Promise<HTMLImageElement | null> {
  for (const candidate of candidates) {
    const src = candidate.source === "input" ? inputImages[candidate.name] : urls?.urlOf(candidate.image);
    if (!src) continue;
    const image = new Image();
    image.src = src;
    try {
      await image.decode();
    } catch {
      continue;
    }
    if (!wanted || (image.naturalWidth === wanted.width && image.naturalHeight === wanted.height)) return image;
  }
  return null;
}

function draw(context: CanvasRenderingContext2D, detections: readonly DrawnDetection[], width: number, height: number): void {
  const line = Math.max(2, Math.round(Math.min(width, height) / 300));
  const font = labelFontPx(width, height);
  context.lineJoin = "round";
  for (const d of detections) if (d.mask) drawBitmap(context, d.mask, d.color, width, height);
  for (const d of detections) {
    if (!d.polygon) continue;
    context.beginPath();
    d.polygon.forEach((p, i) => (i === 0 ? context.moveTo(p.x, p.y) : context.lineTo(p.x, p.y)));
    context.closePath();
    context.globalAlpha = 0.35;
    context.fillStyle = d.color;
    context.fill();
    context.globalAlpha = 1;
    context.lineWidth = Math.max(1, line / 2);
    context.strokeStyle = d.color;
    context.stroke();
  }
  for (const d of detections) {
    context.lineWidth = line;
    context.strokeStyle = d.color;
    context.strokeRect(d.x1, d.y1, d.x2 - d.x1, d.y2 - d.y1);
  }
  context.font = `${font}px system-ui, sans-serif`;
  context.textBaseline = "top";
  for (const d of detections) {
    const pad = Math.round(font / 4);
    const textWidth = context.measureText(d.label).width;
    const boxHeight = font + 2 * pad;
    // Above the box, or inside its top when the box touches the image's top.
    const top = d.y1 - boxHeight >= 0 ? d.y1 - boxHeight : d.y1;
    const left = Math.min(Math.max(0, d.x1 - line / 2), Math.max(0, width - textWidth - 2 * pad));
    context.fillStyle = d.color;
    context.fillRect(left, top, textWidth + 2 * pad, boxHeight);
    context.fillStyle = textColor(d.color);
    context.fillText(d.label, left + pad, top + pad);
  }
  for (const d of detections) {
    for (const k of d.keypoints ?? []) {
      context.beginPath();
      context.arc(k.x, k.y, line * 1.5, 0, 2 * Math.PI);
      context.globalAlpha = 0.4 + 0.6 * Math.min(1, Math.max(0, k.confidence));
      context.fillStyle = d.color;
      context.fill();
      context.globalAlpha = 1;
      const small = Math.max(10, Math.round(font * 0.75));
      context.font = `${small}px system-ui, sans-serif`;
      context.fillStyle = "#ffffff";
      context.strokeStyle = "#000000";
      context.lineWidth = Math.max(1, small / 5);
      const text = `${k.name ? `${k.name} ` : ""}${k.confidence.toFixed(2)}`;
      context.strokeText(text, k.x + line * 2, k.y);
      context.fillText(text, k.x + line * 2, k.y);
    }
  }
}

/** A run-length mask, tinted in its detection's colour, stretched over the image should its size differ. */
function drawBitmap(context: CanvasRenderingContext2D, mask: Bitmap, color: string, width: number, height: number): void {
  const v = parseInt(color.slice(1), 16);
  const tint = new ImageData(mask.width, mask.height);
  mask.pixels.forEach((inside, i) => {
    if (!inside) return;
    tint.data.set([(v >> 16) & 255, (v >> 8) & 255, v & 255, 90], i * 4);
  });
  const layer = new OffscreenCanvas(mask.width, mask.height);
  layer.getContext("2d")!.putImageData(tint, 0, 0);
  context.drawImage(layer, 0, 0, width, height);
}

/** Black or white, whichever reads better on the label's colour. */
function textColor(hex: string): string {
  const v = parseInt(hex.slice(1), 16);
  const luminance = 0.299 * ((v >> 16) & 255) + 0.587 * ((v >> 8) & 255) + 0.114 * (v & 255);
  return luminance > 150 ? "#000000" : "#ffffff";
}
