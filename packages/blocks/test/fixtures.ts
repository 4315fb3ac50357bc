/** Test helpers: Detections from readable rows, a block context, and error matching. */
import { Detections, WorkflowError, type BlockContext } from "@cvflow/engine";
import { expect } from "vitest";

/** [x1, y1, x2, y2, confidence, class_id, class_name] */
export type Row = [number, number, number, number, number, number, string];

export function detections(rows: readonly Row[], extra: Partial<ConstructorParameters<typeof Detections>[0]> = {}): Detections {
  return new Detections({
    image: { width: 640, height: 480 },
    xyxy: rows.flatMap((r) => r.slice(0, 4) as number[]),
    confidence: rows.map((r) => r[4]),
    classId: rows.map((r) => r[5]),
    className: rows.map((r) => r[6]),
    detectionId: rows.map((_, i) => `d${i}`),
    ...extra,
  });
}

export function boxes(d: Detections): number[][] {
  return Array.from({ length: d.length }, (_, i) => d.box(i));
}

export const ctx: BlockContext = { signal: new AbortController().signal, step: "step", index: [0], services: {} };

/** Asserts `fn` throws a WorkflowError with `code` whose message contains every fragment. */
export function expectWorkflowError(fn: () => unknown, code: string, ...fragments: string[]): WorkflowError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(WorkflowError);
  const error = caught as WorkflowError;
  expect(error.code).toBe(code);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
  return error;
}
