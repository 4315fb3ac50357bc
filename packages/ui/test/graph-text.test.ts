/** What the graph's boxes say: lines, status with duration, accessible names. */
import { describe, expect, it } from "vitest";
import type { GraphNode } from "../src/graph/graph-model.js";
import { nodeLines, nodeName, statusLine } from "../src/graph/graph-text.js";

const step: GraphNode = { id: "step:detection", kind: "step", name: "detection", type: "roboflow_core/roboflow_object_detection_model@v2" };
const input: GraphNode = { id: "input:image", kind: "input", name: "image", type: "WorkflowImage" };
const output: GraphNode = { id: "output:out", kind: "output", name: "out", type: "" };

describe("graph text", () => {
  it("gives a step's status its sign and, once it has one, its duration", () => {
    expect(statusLine(undefined)).toBe("· pending");
    expect(statusLine({ status: "running" })).toBe("▶ running");
    expect(statusLine({ status: "succeeded", durationMs: 84.2 })).toBe("✓ succeeded · 84 ms");
    expect(statusLine({ status: "waiting", durationMs: 1500 })).toBe("‖ waiting · 1.50 s");
    expect(statusLine({ status: "skipped", durationMs: 0 })).toBe("↷ skipped · 0 ms");
  });

  it("says a step a retry took from its checkpoint is reused, keeping its status' sign", () => {
    expect(statusLine({ status: "succeeded", durationMs: 40, reused: true })).toBe("✓ reused · 40 ms");
    expect(nodeName(step, undefined, { status: "succeeded", durationMs: 40, reused: true }, true)).toBe(
      "Step detection: roboflow_core/roboflow_object_detection_model@v2, succeeded, taken from its checkpoint · 40 ms",
    );
  });

  it("shows a step's friendly name once the catalogue knows it, and keeps room for its status in a run", () => {
    expect(nodeLines(step, undefined, false).map((l) => l.style)).toEqual(["title", "type"]);
    expect(nodeLines(step, "Object Detection Model", false)).toEqual([
      { style: "title", text: "detection" },
      { style: "detail", text: "Object Detection Model" },
      { style: "type", text: "roboflow_core/roboflow_object_detection_model@v2" },
    ]);
    const live = nodeLines(step, "Object Detection Model", true);
    expect(live.at(-1)?.style).toBe("status");
    // The reserved line is at least as long as any status line a step can show in the first hour.
    for (const state of [{ status: "cancelled", durationMs: 3_599_000 }, { status: "succeeded", durationMs: 3_599_000, reused: true }] as const) {
      expect(live.at(-1)!.text.length).toBeGreaterThanOrEqual(statusLine(state).length);
    }
    expect(nodeLines(input, undefined, true)).toEqual([{ style: "title", text: "image" }, { style: "type", text: "WorkflowImage" }]);
    expect(nodeLines(output, undefined, true)).toEqual([{ style: "title", text: "out" }, { style: "type", text: "JsonField" }]);
  });

  it("names each node for screen readers, with what its status means", () => {
    expect(nodeName(step, "Object Detection Model", { status: "skipped" }, true)).toBe(
      "Step detection: Object Detection Model (roboflow_core/roboflow_object_detection_model@v2), skipped by flow control",
    );
    expect(nodeName(step, undefined, { status: "waiting", durationMs: 2000 }, true)).toBe("Step detection: roboflow_core/roboflow_object_detection_model@v2, waiting for input · 2.00 s");
    expect(nodeName(step, undefined, undefined, false)).toBe("Step detection: roboflow_core/roboflow_object_detection_model@v2");
    expect(nodeName(input, undefined, undefined, true)).toBe("Input image: WorkflowImage");
    expect(nodeName(output, undefined, undefined, true)).toBe("Output out: JsonField");
  });
});
