/**
 * The graph of a workflow: inputs, steps and outputs as boxes (a step by its block's friendly
 * name and type), an edge per selector labelled with it, flow control dashed; pan and zoom; and,
 * given a run's step states, each step lit by its status with its duration (and "reused" when a
 * retry took it from its checkpoint).
 */
import { useEffect, useId, useMemo, useRef, useState } from "preact/hooks";
import { blockOfType, blocks, loadBlocks } from "../blocks-catalog.js";
import { canvasMeasure } from "./canvas-measure.js";
import { chooseLayout, firstView, layoutGraph, TEXT_STYLES, VIEW_MARGIN, type PlacedEdge, type PlacedLine, type PlacedNode } from "./graph-layout.js";
import { graphModel } from "./graph-model.js";
import { nodeLines, nodeName, STATUS_MEANING, STATUS_SIGN, statusLine, type StepState } from "./graph-text.js";
import { usePanZoom } from "./use-pan-zoom.js";
import "./graph.css";

interface WorkflowGraphProps {
  /** A definition, bare or `{"specification": ...}`; half-typed ones draw what can be read. */
  definition: unknown;
  /** A run's step states by step name: given, the steps light up (an empty map: none has started). */
  states?: ReadonlyMap<string, StepState>;
}

/** The viewport's border width in graph.css. */
const VIEW_BORDER = 1;
/** Heights the graph's box keeps to: enough to read a small graph, never more than most of the screen. */
const MIN_HEIGHT = 150;
const MAX_HEIGHT = 720;
const LEGEND: StepState["status"][] = ["running", "succeeded", "skipped", "failed", "waiting", "cancelled"];

export function WorkflowGraph({ definition, states }: WorkflowGraphProps) {
  const catalogue = blocks.value;
  useEffect(() => {
    // The catalogue only names the blocks: without it (signed out, service down) types show as they are.
    Promise.resolve().then(loadBlocks).catch(() => undefined);
  }, []);

  const model = useMemo(() => graphModel(definition), [definition]);
  // Edits that change no node or edge (a prompt's wording, a threshold) keep the layout.
  const shape = JSON.stringify(model);
  const live = states !== undefined;
  const layouts = useMemo(() => {
    const friendly = (type: string) => (catalogue ? blockOfType(catalogue, type)?.human_friendly_block_name : undefined);
    const options = { measure: canvasMeasure, lines: (node: (typeof model.nodes)[number]) => nodeLines(node, node.kind === "step" ? friendly(node.type) : undefined, live) };
    return { TB: layoutGraph(model, { ...options, direction: "TB" }), LR: layoutGraph(model, { ...options, direction: "LR" }), friendly };
  }, [shape, catalogue, live]); // `shape` stands for the model

  const figure = useRef<HTMLElement>(null);
  const [room, setRoom] = useState<{ width: number; maxHeight: number } | null>(null);
  useEffect(() => {
    const element = figure.current;
    if (!element) return;
    const measureRoom = () => {
      const next = { width: element.clientWidth, maxHeight: Math.max(MIN_HEIGHT, Math.min(MAX_HEIGHT, Math.round(window.innerHeight * 0.75))) };
      setRoom((previous) => (previous?.width === next.width && previous.maxHeight === next.maxHeight ? previous : next));
    };
    measureRoom();
    const observer = new ResizeObserver(measureRoom);
    observer.observe(element);
    window.addEventListener("resize", measureRoom);
    return () => {
      observer.disconnect();
      window.removeEventListener("resize", measureRoom);
    };
  }, []);

  // The room the drawing has inside the viewport's border and margin (as use-pan-zoom.ts measures it).
  const frame = 2 * VIEW_BORDER + 2 * VIEW_MARGIN;
  const inner = room && room.width > frame ? { width: room.width - frame, height: room.maxHeight - frame } : null;
  const layout = inner ? chooseLayout(layouts, inner.width, inner.height) : null;
  // The viewport hugs the drawing's first view, up to its most.
  const height = layout && inner && room ? Math.ceil(Math.min(room.maxHeight, Math.max(MIN_HEIGHT, layout.height * firstView(layout, inner.width, inner.height).scale + frame))) : MIN_HEIGHT;

  const viewport = useRef<HTMLDivElement>(null);
  const drawing = useRef<SVGSVGElement>(null);
  const empty = model.nodes.length === 0;
  const panZoom = usePanZoom(viewport, drawing, layout !== null && !empty);
  // Fit on first render, and again when the drawing or its box changes (not when states do).
  useEffect(() => {
    if (layout) panZoom.show();
  }, [layout, room?.width, height]); // not panZoom: a fresh object each render, over the same instance
  const hasFlow = model.edges.some((edge) => edge.flow);
  const id = useId();
  return (
    <figure class="graph" data-testid="graph" ref={figure} aria-label="Workflow graph">
      {empty ? (
        <p class="graph-empty muted">Nothing to draw yet: the definition names no inputs, steps or outputs.</p>
      ) : (
        <>
          <div class="graph-bar">
            <ul class="graph-legend" aria-label="Legend">
              {live && LEGEND.map((status) => (
                <li data-legend={status}>
                  <span class="graph-swatch" aria-hidden="true">{STATUS_SIGN[status]}</span>
                  {STATUS_MEANING[status]}
                </li>
              ))}
              {hasFlow && (
                <li>
                  <svg class="graph-legend-line" width="28" height="8" aria-hidden="true"><line x1="0" y1="4" x2="28" y2="4" /></svg>
                  runs next (flow control)
                </li>
              )}
            </ul>
            <div class="graph-tools" role="toolbar" aria-label="Zoom">
              <button type="button" class="quiet" onClick={() => panZoom.zoomIn()} aria-label="Zoom in" title="Zoom in">+</button>
              <button type="button" class="quiet" onClick={() => panZoom.zoomOut()} aria-label="Zoom out" title="Zoom out">−</button>
              <button type="button" class="quiet" onClick={() => panZoom.fit()} aria-label="Fit the whole graph in view" title="Fit the whole graph">Fit</button>
            </div>
          </div>
          <div class="graph-viewport" ref={viewport} style={{ height: `${height}px` }}>
            {layout && (
              <svg
                ref={drawing}
                class="graph-drawing"
                width={layout.width}
                height={layout.height}
                viewBox={`0 0 ${layout.width} ${layout.height}`}
                role="group"
                aria-label={`Workflow graph: ${count(model.nodes, "input")} inputs, ${count(model.nodes, "step")} steps, ${count(model.nodes, "output")} outputs`}
                data-direction={layout.direction}
              >
                <defs>
                  <marker id={`${id}-arrow`} class="graph-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0L10,5L0,10z" />
                  </marker>
                  <marker id={`${id}-arrow-flow`} class="graph-arrow graph-arrow-flow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0L10,5L0,10z" />
                  </marker>
                </defs>
                <g class="graph-edges">
                  {layout.edges.map((placed) => <Edge key={placed.edge.id} placed={placed} marker={`url(#${id}-arrow${placed.edge.flow ? "-flow" : ""})`} />)}
                </g>
                <g class="graph-nodes">
                  {layout.nodes.map((placed) => (
                    <Node
                      key={placed.node.id}
                      placed={placed}
                      friendly={placed.node.kind === "step" ? layouts.friendly(placed.node.type) : undefined}
                      state={placed.node.kind === "step" ? states?.get(placed.node.name) : undefined}
                      live={live}
                      onFocus={() => panZoom.reveal(placed)}
                    />
                  ))}
                </g>
              </svg>
            )}
          </div>
        </>
      )}
      {model.unresolved.length > 0 && (
        <p class="graph-note muted">
          Not drawn (nothing by that name): {model.unresolved.map((u) => `${u.selector} in ${u.node.slice(u.node.indexOf(":") + 1)}`).join("; ")}
        </p>
      )}
    </figure>
  );
}

function count(nodes: readonly { kind: string }[], kind: string): number {
  return nodes.filter((node) => node.kind === kind).length;
}

function Node({ placed, friendly, state, live, onFocus }: { placed: PlacedNode; friendly: string | undefined; state: StepState | undefined; live: boolean; onFocus: () => void }) {
  const { node } = placed;
  const name = nodeName(node, friendly, state, live);
  return (
    <g
      class={`graph-node graph-${node.kind}`}
      data-testid="graph-node"
      data-node={node.id}
      data-status={node.kind === "step" ? state?.status ?? "pending" : undefined}
      data-reused={state?.reused ? "true" : undefined}
      transform={`translate(${placed.x},${placed.y})`}
      tabIndex={0}
      role="img"
      aria-label={name}
      onFocus={onFocus}
    >
      <title>{name}</title>
      <rect class="graph-focus" x={-4} y={-4} width={placed.width + 8} height={placed.height + 8} rx={node.kind === "step" ? 9 : Math.min(17, placed.height / 2 + 4)} />
      <rect class="graph-box" width={placed.width} height={placed.height} rx={node.kind === "step" ? 6 : Math.min(14, placed.height / 2)} />
      {placed.lines.map((line) => <Line line={line} text={line.style === "status" ? statusLine(state) : line.text} x={placed.inset} />)}
    </g>
  );
}

function Line({ line, text, x }: { line: PlacedLine; text: string; x: number }) {
  const style = TEXT_STYLES[line.style];
  return (
    <text class={`graph-text graph-text-${line.style}`} x={x} y={line.baseline} font-family={style.family} font-size={style.size} font-weight={style.weight}>
      {text}
    </text>
  );
}

function Edge({ placed, marker }: { placed: PlacedEdge; marker: string }) {
  const { edge, label } = placed;
  const style = TEXT_STYLES.edge;
  const what = edge.flow ? `${edge.from} runs ${edge.to} next (${edge.fields.join(", ")})` : `${edge.from} → ${edge.to}: ${label.full}`;
  return (
    <g class={`graph-edge${edge.flow ? " graph-edge-flow" : ""}`} data-testid="graph-edge" data-from={edge.from} data-to={edge.to} data-flow={edge.flow ? "true" : undefined}>
      <title>{what}</title>
      <path class="graph-line" d={placed.path} marker-end={marker} />
      <g class="graph-label" transform={`translate(${label.x - label.width / 2},${label.y - label.height / 2})`}>
        <rect width={label.width} height={label.height} rx={3} />
        <text x={label.width / 2} y={label.height / 2} text-anchor="middle" dominant-baseline="central" font-family={style.family} font-size={style.size}>
          {label.text}
        </text>
      </g>
    </g>
  );
}
