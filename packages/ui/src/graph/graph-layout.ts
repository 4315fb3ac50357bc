/**
 * Where the graph's boxes, edges and labels go: dagre ranks and places them, boxes sized from
 * their text. Pure (no DOM): the page passes a text measurer backed by a canvas, tests a fixed one.
 */
import dagre from "@dagrejs/dagre";
import type { GraphEdge, GraphModel, GraphNode } from "./graph-model.js";

export type Direction = "TB" | "LR";

/** The graph's text styles: the SVG's text takes its font from here too, so what is measured is what is drawn. */
type TextStyle = "title" | "detail" | "type" | "status" | "edge";

const SANS = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";

export const TEXT_STYLES: Record<TextStyle, { family: string; size: number; weight: number; lineHeight: number }> = {
  title: { family: SANS, size: 13, weight: 600, lineHeight: 17 },
  detail: { family: SANS, size: 12, weight: 400, lineHeight: 15 },
  type: { family: MONO, size: 11, weight: 400, lineHeight: 14 },
  status: { family: SANS, size: 11.5, weight: 400, lineHeight: 15 },
  edge: { family: SANS, size: 11, weight: 400, lineHeight: 14 },
};

/** A style as a CSS `font` value (for a canvas measuring it). */
export function cssFont(style: TextStyle): string {
  const { family, size, weight } = TEXT_STYLES[style];
  return `${weight} ${size}px ${family}`;
}

/** Width in pixels of a text in a style. */
export type Measure = (text: string, style: TextStyle) => number;

/** Average glyph widths of the styles: the measure where no canvas is at hand (tests, a canvas-less browser). */
const AVERAGE_GLYPH: Record<TextStyle, number> = { title: 7.6, detail: 6.5, type: 6.7, status: 6.6, edge: 6.2 };
export const estimateWidth: Measure = (text, style) => text.length * AVERAGE_GLYPH[style];

export interface TextLine {
  style: Exclude<TextStyle, "edge">;
  text: string;
}

export interface PlacedLine extends TextLine {
  /** The whole text when `text` was cut to fit the box (ends with "…"). */
  full: string;
  /** Baseline, from the top of the box. */
  baseline: number;
}

export interface PlacedNode {
  node: GraphNode;
  /** Top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Where the lines start, from the box's left (a pill-shaped input or output keeps clear of its rounded ends). */
  inset: number;
  lines: PlacedLine[];
}

interface Point {
  x: number;
  y: number;
}

export interface PlacedEdge {
  edge: GraphEdge;
  points: Point[];
  /** SVG path data through the points (a B-spline, as d3's curveBasis draws). */
  path: string;
  label: { text: string; full: string; x: number; y: number; width: number; height: number };
}

export interface GraphLayout {
  direction: Direction;
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

interface LayoutOptions {
  direction: Direction;
  /** The lines a node's box shows, top to bottom. */
  lines: (node: GraphNode) => TextLine[];
  measure?: Measure;
}

const PAD_X = 10;
const PAD_Y = 6;
const MIN_NODE_WIDTH = 120;
/** Longer lines are cut with "…" (the whole text stays in the node's title and accessible name). */
const MAX_TEXT_WIDTH = 210;
const MAX_LABEL_WIDTH = 150;
const LABEL_PAD_X = 4;
const LABEL_PAD_Y = 1;

export function layoutGraph(model: GraphModel, options: LayoutOptions): GraphLayout {
  const measure = options.measure ?? estimateWidth;
  const g = new dagre.graphlib.Graph<Record<string, unknown>, { width: number; height: number; x?: number; y?: number }, Record<string, unknown>>();
  g.setGraph({ rankdir: options.direction, nodesep: 18, ranksep: 24, edgesep: 12, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));

  const boxes = new Map<string, { width: number; height: number; inset: number; lines: PlacedLine[] }>();
  for (const node of model.nodes) {
    const inset = node.kind === "step" ? PAD_X : PAD_X + 4;
    let top = PAD_Y;
    let widest = 0;
    const lines = options.lines(node).map((line): PlacedLine => {
      const { lineHeight } = TEXT_STYLES[line.style];
      const text = fit(line.text, line.style, MAX_TEXT_WIDTH, measure);
      widest = Math.max(widest, measure(text, line.style));
      // The baseline sits about a quarter of the line height above the line's bottom.
      const placed = { ...line, text, full: line.text, baseline: top + Math.round(lineHeight * 0.75) };
      top += lineHeight;
      return placed;
    });
    const box = { width: Math.ceil(Math.max(MIN_NODE_WIDTH, widest + 2 * inset)), height: top + PAD_Y, inset, lines };
    boxes.set(node.id, box);
    g.setNode(node.id, { width: box.width, height: box.height });
  }

  const labels = new Map<string, { text: string; full: string; width: number; height: number }>();
  for (const edge of model.edges) {
    const full = edge.labels.join(", ");
    const text = fit(full, "edge", MAX_LABEL_WIDTH, measure);
    const label = { text, full, width: Math.ceil(measure(text, "edge")) + 2 * LABEL_PAD_X, height: TEXT_STYLES.edge.lineHeight + 2 * LABEL_PAD_Y };
    labels.set(edge.id, label);
    g.setEdge(edge.from, edge.to, { width: label.width, height: label.height, labelpos: "c", minlen: 1 });
  }

  dagre.layout(g);

  const nodes = model.nodes.map((node): PlacedNode => {
    const box = boxes.get(node.id)!;
    const at = g.node(node.id);
    return { node, x: (at.x ?? 0) - box.width / 2, y: (at.y ?? 0) - box.height / 2, ...box };
  });
  const edges = model.edges.map((edge): PlacedEdge => {
    const at = g.edge(edge.from, edge.to) as { points?: Point[]; x?: number; y?: number };
    const points = at.points ?? [];
    const label = labels.get(edge.id)!;
    return { edge, points, path: basisPath(points), label: { ...label, x: at.x ?? 0, y: at.y ?? 0 } };
  });
  const size = g.graph();
  return { direction: options.direction, width: Math.ceil(Number(size["width"] ?? 0)), height: Math.ceil(Number(size["height"] ?? 0)), nodes, edges };
}

/** The text, cut with "…" to fit the width. */
function fit(text: string, style: TextStyle, width: number, measure: Measure): string {
  if (measure(text, style) <= width) return text;
  let low = 0;
  let high = text.length;
  // The longest prefix that fits with its ellipsis.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (measure(`${text.slice(0, mid)}…`, style) <= width) low = mid;
    else high = mid - 1;
  }
  return `${text.slice(0, low)}…`;
}

/**
 * A smooth path through dagre's points: a uniform cubic B-spline that starts and ends exactly at
 * the first and last points (d3's curveBasis), so arrowheads meet the boxes.
 */
export function basisPath(points: readonly Point[]): string {
  const n = (v: number) => Math.round(v * 10) / 10;
  const [first, second] = points;
  if (!first) return "";
  let d = `M${n(first.x)},${n(first.y)}`;
  if (!second) return d;
  if (points.length === 2) return `${d}L${n(second.x)},${n(second.y)}`;
  d += `L${n((5 * first.x + second.x) / 6)},${n((5 * first.y + second.y) / 6)}`;
  for (let i = 2; i <= points.length; i++) {
    const p0 = points[i - 2]!;
    const p1 = points[i - 1]!;
    // Past the end, the last point repeats: the spline closes onto it.
    const p = points[i] ?? p1;
    d += `C${n((2 * p0.x + p1.x) / 3)},${n((2 * p0.y + p1.y) / 3)} ${n((p0.x + 2 * p1.x) / 3)},${n((p0.y + 2 * p1.y) / 3)} ${n((p0.x + 4 * p1.x + p.x) / 6)},${n((p0.y + 4 * p1.y + p.y) / 6)}`;
  }
  const last = points[points.length - 1]!;
  return `${d}L${n(last.x)},${n(last.y)}`;
}

/** The largest scale, up to `max`, at which the whole layout fits in a width and height. */
export function fitScale(layout: Pick<GraphLayout, "width" | "height">, width: number, height: number, max = 1): number {
  if (layout.width <= 0 || layout.height <= 0) return max;
  return Math.min(max, width / layout.width, height / layout.height);
}

/** Room kept between a viewport's edges and the drawing it shows. */
export const VIEW_MARGIN = 8;

/** Below this scale a graph's text is too small to read: it is first shown at this scale instead, from its start. */
export const READABLE_SCALE = 0.65;

/** How a layout is first shown in a box: whole when it reads so, else at READABLE_SCALE (and panned). */
export function firstView(layout: Pick<GraphLayout, "width" | "height">, width: number, height: number): { scale: number; whole: boolean } {
  const scale = fitScale(layout, width, height);
  return scale >= READABLE_SCALE ? { scale, whole: true } : { scale: READABLE_SCALE, whole: false };
}

/**
 * Of the two layouts, the one that first shows the most of the graph in the box, then the bigger
 * (a chain reads left to right on a wide screen, a fan top to bottom, most graphs top to bottom on
 * a phone); when they tie, the one matching the box's aspect.
 */
export function chooseLayout(layouts: Record<Direction, GraphLayout>, width: number, height: number): GraphLayout {
  const score = (layout: GraphLayout) => {
    const { scale } = firstView(layout, width, height);
    const shown = Math.min(1, width / (layout.width * scale)) * Math.min(1, height / (layout.height * scale));
    return [Math.round(shown * 100), Math.round(scale * 100)] as const;
  };
  const [across, down] = [score(layouts.LR), score(layouts.TB)];
  if (across[0] !== down[0]) return across[0] > down[0] ? layouts.LR : layouts.TB;
  if (across[1] !== down[1]) return across[1] > down[1] ? layouts.LR : layouts.TB;
  return width >= height ? layouts.LR : layouts.TB;
}
