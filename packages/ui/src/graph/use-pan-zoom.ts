/**
 * Pan and zoom of the graph's drawing with @panzoom/panzoom: drag (or one finger) pans, the wheel
 * and a pinch zoom; fit() shows the whole drawing centred in its viewport, show() the first view
 * (whole when it reads at that size, else readable from the graph's start).
 */
import Panzoom, { type PanzoomObject } from "@panzoom/panzoom";
import type { RefObject } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { firstView, fitScale, VIEW_MARGIN as MARGIN } from "./graph-layout.js";

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface PanZoom {
  zoomIn(): void;
  zoomOut(): void;
  fit(): void;
  /** The first view of the drawing. */
  show(): void;
  /** Pans a part of the drawing (in its own coordinates) into view when it is not all in view. */
  reveal(box: Box): void;
}

/**
 * `drawing` is the <svg> (its width and height attributes are the drawing's size), `viewport` the
 * element around it that clips it. Panzoom treats the <svg> element as an HTML box: it scales about
 * the box's centre and its pan is in unscaled pixels.
 */
export function usePanZoom(viewport: RefObject<HTMLDivElement | null>, drawing: RefObject<SVGSVGElement | null>, mounted: boolean): PanZoom {
  const instance = useRef<PanzoomObject | null>(null);
  useEffect(() => {
    const parent = viewport.current;
    const svg = drawing.current;
    if (!mounted || !parent || !svg) return;
    // `canvas`: a drag anywhere in the viewport pans, not only on the drawing; `clip`: focusing a node
    // must not scroll the viewport under the transform (an overflow:hidden box still scrolls).
    const panzoom = Panzoom(svg, { canvas: true, overflow: "clip", cursor: "grab", maxScale: 4, step: 0.25, ...view(parent, svg, "whole") });
    parent.addEventListener("wheel", panzoom.zoomWithWheel, { passive: false });
    instance.current = panzoom;
    return () => {
      parent.removeEventListener("wheel", panzoom.zoomWithWheel);
      panzoom.destroy();
      panzoom.resetStyle();
      instance.current = null;
    };
  }, [mounted, viewport, drawing]);

  const reset = (mode: "first" | "whole", animate: boolean) => {
    const panzoom = instance.current;
    if (!panzoom || !viewport.current || !drawing.current) return;
    // The start values are what reset() returns to, and what Panzoom's first deferred pan reads.
    panzoom.setOptions(view(viewport.current, drawing.current, mode));
    panzoom.reset({ animate });
  };
  return {
    zoomIn: () => instance.current?.zoomIn(),
    zoomOut: () => instance.current?.zoomOut(),
    fit: () => reset("whole", true),
    show: () => reset("first", false),
    reveal(box) {
      const panzoom = instance.current;
      const parent = viewport.current;
      const svg = drawing.current;
      if (!panzoom || !parent || !svg) return;
      const scale = panzoom.getScale();
      const pan = panzoom.getPan();
      const size = drawingSize(svg);
      const left = shownAt(box.x, size.width / 2, scale, pan.x);
      const top = shownAt(box.y, size.height / 2, scale, pan.y);
      const inView = left >= 0 && top >= 0 && left + box.width * scale <= parent.clientWidth && top + box.height * scale <= parent.clientHeight;
      if (inView) return;
      const x = panFor(box.x + box.width / 2, parent.clientWidth / 2, size.width / 2, scale);
      const y = panFor(box.y + box.height / 2, parent.clientHeight / 2, size.height / 2, scale);
      panzoom.pan(x, y, { animate: true });
    },
  };
}

/** Where a point p of the drawing shows in the viewport (one axis; `centre`: the drawing's centre, about which it scales). */
function shownAt(p: number, centre: number, scale: number, pan: number): number {
  return centre + scale * (p - centre + pan);
}

/** The pan that shows the drawing's point p at q in the viewport (shownAt solved for the pan). */
function panFor(p: number, q: number, centre: number, scale: number): number {
  return (q - centre) / scale - p + centre;
}

function drawingSize(svg: SVGSVGElement): { width: number; height: number } {
  return { width: svg.width.baseVal.value, height: svg.height.baseVal.value };
}

/** Scale and pan for a view: the whole drawing centred, or its first view (whole if it reads so, else readable from its start). */
function view(parent: HTMLElement, svg: SVGSVGElement, mode: "first" | "whole"): { startScale: number; startX: number; startY: number; minScale: number } {
  const size = drawingSize(svg);
  const room = { width: Math.max(1, parent.clientWidth - 2 * MARGIN), height: Math.max(1, parent.clientHeight - 2 * MARGIN) };
  const whole = fitScale(size, room.width, room.height);
  const scale = mode === "whole" ? whole : firstView(size, room.width, room.height).scale;
  // Along an axis where the drawing fits at that scale it is centred, else shown from its start (top, left).
  const place = (length: number, roomLength: number) =>
    length * scale <= roomLength ? panFor(length / 2, MARGIN + roomLength / 2, length / 2, scale) : panFor(0, MARGIN, length / 2, scale);
  return {
    startScale: scale,
    startX: place(size.width, room.width),
    startY: place(size.height, room.height),
    minScale: Math.min(0.25, whole / 2),
  };
}
