/**
 * Rich Label Visualization: Label Visualization's texts in a TrueType-style font at a size in
 * pixels per em (supervision's RichLabelAnnotator, Pillow-drawn in Roboflow), wrapped at
 * max_line_length characters, lines `text_padding` apart, on a (rounded) box in each detection's
 * palette colour placed as Label Visualization places its boxes.
 *
 * Roboflow draws with the approved font named by font_family (fonts it downloads); cvflow ships
 * none of them: font_family is checked against Roboflow's list and the text is drawn in vision's
 * rasterizer font (DejaVu Sans) at the same em size, so boxes are about, not exactly, as wide.
 */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { rasterizeText, type TextRaster } from "@cvflow/vision";
import { invalidField } from "../errors.js";
import { anchorPoint, POSITIONS } from "./draw/anchors.js";
import { paintFor, painter } from "./draw/canvas.js";
import { parseColor } from "./draw/color-parsing.js";
import { roundedBox, textBackground } from "./draw/label-box.js";
import { drawText } from "./draw/text.js";
import { detectionLabels, LABEL_TEXTS } from "./common/detection-labels.js";
import {
  annotated,
  colorableFields,
  copyImageField,
  detectionColors,
  drawingSurface,
  IMAGE_OUTPUTS,
  imageField,
  predictionsField,
  type ColorableParams,
} from "./common/visualization-fields.js";

interface RichLabelParams extends ColorableParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  text: string;
  text_position: string;
  text_color: string;
  font_family: string;
  text_size_mode: string;
  font_size: number;
  text_padding: number;
  border_radius: number;
  max_line_length: number | null;
}

/** Roboflow's approved fonts (inference's fonts/registry.py): display name by identifier. */
const FONT_FAMILIES: Readonly<Record<string, string>> = {
  geist_mono: "Geist Mono",
  geist: "Geist",
  jetbrains_mono: "JetBrains Mono",
  ibm_plex_mono: "IBM Plex Mono",
  source_code_pro: "Source Code Pro",
  space_mono: "Space Mono",
  roboto_mono: "Roboto Mono",
  inter: "Inter",
  open_sans: "Open Sans",
  noto_sans: "Noto Sans",
  fira_code: "Fira Code",
  inconsolata: "Inconsolata",
  anonymous_pro: "Anonymous Pro",
  pt_mono: "PT Mono",
  courier_prime: "Courier Prime",
  roboto: "Roboto",
  lato: "Lato",
  montserrat: "Montserrat",
  work_sans: "Work Sans",
  nunito_sans: "Nunito Sans",
};

/** The rasterizer font's cap height in ems: a cap height of this times the em size draws the font at that size. */
const CAP_HEIGHT_EM = 0.729;
/** Automatic size: 14 px at a 1080-pixel shorter side, scaled with the image, 8..128. */
const REFERENCE_FONT_SIZE = 14;
const REFERENCE_MIN_DIMENSION = 1080;

export const richLabelVisualizationBlock = defineBlock<RichLabelParams>({
  manifest: {
    type: "roboflow_core/rich_label_visualization@v1",
    name: "Rich Label Visualization",
    description:
      "Draw labels with a TrueType font on an image at positions based on detections (cvflow draws them in DejaVu Sans: Roboflow's approved fonts are not shipped).",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField(DETECTION_KINDS),
      ...colorableFields,
      text: {
        description: "Content of each label: a mode below, or the name of a data field of the predictions.",
        kinds: ["string"],
        schema: { enum: LABEL_TEXTS },
        default: "Class",
      },
      text_position: {
        description: "Anchor position for placing labels relative to each detection's bounding box.",
        kinds: ["string"],
        schema: { enum: POSITIONS },
        default: "TOP_LEFT",
      },
      text_color: {
        description: "Color of the label text: a name (WHITE, BLACK, ...), #RRGGBB, rgb(R, G, B) or bgr(B, G, R).",
        kinds: ["string"],
        schema: { type: "string" },
        default: "WHITE",
      },
      font_family: {
        description: "One of Roboflow's approved fonts (display name, or its snake_case identifier). Checked, not used: see the block's description.",
        kinds: ["string"],
        schema: { enum: [...Object.values(FONT_FAMILIES).sort(), ...Object.keys(FONT_FAMILIES).sort()] },
        default: "Geist Mono",
      },
      text_size_mode: {
        description: "Manual: font_size is the size. Automatic: font_size multiplies a size chosen from the image's resolution (14 at 1080 pixels).",
        kinds: ["string"],
        schema: { enum: ["Manual", "Automatic"] },
        default: "Manual",
      },
      font_size: { description: "Font size in pixels per em.", kinds: ["integer"], schema: { type: "integer", minimum: 1 }, default: 14 },
      text_padding: {
        description: "Padding around the text, and between wrapped lines, in pixels.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 10,
      },
      border_radius: {
        description: "Border radius of the label background in pixels; 0 for square corners.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 0,
      },
      max_line_length: {
        description: "Characters per line before the text wraps (at spaces, or inside longer words); empty: no wrapping.",
        kinds: ["integer"],
        schema: { type: ["integer", "null"], minimum: 1 },
        default: null,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  async run(params) {
    const { image, predictions, text_padding: padding } = params;
    const pixels = drawingSurface(image, params.copy_image);
    if (predictions.length === 0) return annotated(image, pixels);
    const capHeight = CAP_HEIGHT_EM * fontSize(params, image.width, image.height);
    const labels = detectionLabels(predictions, params.text, "v2");
    const colors = detectionColors(predictions, params);
    const ink = paintFor(pixels, parseColor(params.text_color));
    const capRows = (await rasterizeText("T", capHeight, 1)).baseline;
    for (const [i, label] of labels.entries()) {
      const lines = await Promise.all(wrapText(label, params.max_line_length).map((line) => rasterizeText(line, capHeight, 1)));
      const textWidth = Math.max(0, ...lines.map((l) => l.width));
      const textHeight = lines.reduce((sum, l) => sum + l.height, 0) + (lines.length - 1) * padding;
      const [ax, ay] = anchorPoint(predictions, i, params.text_position);
      const box = textBackground(Math.trunc(ax), Math.trunc(ay), textWidth + 2 * padding, textHeight + 2 * padding, params.text_position);
      roundedBox(painter(pixels, paintFor(pixels, colors[i]!)), box, params.border_radius);
      drawLines(pixels, lines, box[0] + padding, box[1] + padding + capRows, padding, ink);
    }
    return annotated(image, pixels);
  },
});

/** Lines one under another: the first's baseline at `baseline`, each next one its predecessor's height plus the padding lower. */
function drawLines(canvas: Parameters<typeof drawText>[0], lines: readonly TextRaster[], left: number, baseline: number, padding: number, ink: Uint8Array): void {
  let y = baseline;
  for (const line of lines) {
    drawText(canvas, line, left, y, ink);
    y += line.height + padding;
  }
}

/** The font size in pixels per em: font_size, or (Automatic) scaled with the image's shorter side. */
function fontSize(params: RichLabelParams, width: number, height: number): number {
  if (params.text_size_mode !== "Automatic") return params.font_size;
  const size = Math.round(((REFERENCE_FONT_SIZE * Math.min(width, height)) / REFERENCE_MIN_DIMENSION) * (params.font_size / REFERENCE_FONT_SIZE));
  return Math.max(8, Math.min(128, size));
}

/**
 * supervision's wrap_text: the text's lines (Python's splitlines), each wrapped as Python's
 * textwrap.wrap does — breaking at spaces and after hyphens inside words, words longer than the
 * width cut, the spaces at the breaks dropped.
 */
export function wrapText(text: string, width: number | null): string[] {
  if (!text) return [""];
  if (width === null) {
    const lines = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
    if (lines[lines.length - 1] === "") lines.pop();
    return lines.length ? lines : [""];
  }
  if (width <= 0) throw invalidField("max_line_length must be a positive integer");
  return text.split("\n").flatMap((paragraph) => (paragraph === "" ? [""] : wrapParagraph(paragraph.replace(/\t/g, "        "), width)));
}

/** textwrap.wrap of one paragraph: whitespace runs and words (split after their hyphens) packed greedily. */
function wrapParagraph(paragraph: string, width: number): string[] {
  const chunks: string[] = paragraph.match(/\s+|[^\s-]*-+(?=[^\s-])|[^\s]+/g) ?? [];
  chunks.reverse();
  const lines: string[] = [];
  while (chunks.length) {
    const line: string[] = [];
    let length = 0;
    // A line does not start with whitespace (except the paragraph's first).
    if (lines.length > 0 && chunks[chunks.length - 1]!.trim() === "") chunks.pop();
    while (chunks.length) {
      const next = chunks[chunks.length - 1]!;
      if (length + next.length > width) break;
      line.push(chunks.pop()!);
      length += next.length;
    }
    // A word longer than a whole line is cut to fill what is left of it.
    if (chunks.length && chunks[chunks.length - 1]!.length > width) {
      const word = chunks.pop()!;
      const room = Math.max(1, width - length);
      line.push(word.slice(0, room));
      chunks.push(word.slice(room));
    }
    if (line.length && line[line.length - 1]!.trim() === "") line.pop();
    if (line.length) lines.push(line.join(""));
  }
  return lines.length ? lines : [""];
}
