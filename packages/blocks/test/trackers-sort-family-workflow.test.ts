/** The SORT-family tracker blocks inside a workflow: registered ids, frames of a video sharing one store, tracker ids on the wire. */
import { describe, expect, it } from "vitest";
import { defineBlock, MemoryVideoState } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { detectionsOnImage } from "../src/common/lineage.js";
import { createWorkflowEngine } from "../src/runtime.js";
import { frame } from "./video-fixtures.js";

/** Stands in for a detector: one 40 × 80 person moving 5 px right a frame (by the frame's number). */
const walkerDetector = defineBlock<{ image: WorkflowImage }>({
  manifest: {
    type: "test/walker_detector@v1",
    name: "Walker detector",
    description: "One moving box per frame.",
    family: "models",
    fields: { image: { kinds: ["image"], required: true } },
    outputs: [{ name: "predictions", kinds: ["object_detection_prediction"] }],
  },
  run: ({ image }) => {
    const x = 10 + 5 * image.videoMetadata.frame_number;
    return { predictions: detectionsOnImage({ xyxy: [x, 20, x + 40, 100], confidence: [0.9], classId: [0], className: ["person"] }, image) };
  },
});

const engine = createWorkflowEngine({ blocks: [walkerDetector] });

describe.each(["roboflow_core/trackers_sort@v1", "roboflow_core/trackers_ocsort@v1", "roboflow_core/trackers_botsort@v1"])("%s in a workflow", (type) => {
  it("tracks across the runs of a video's frames: the id on the wire, new on its first frame only", async () => {
    const definition = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      steps: [
        { type: "test/walker_detector@v1", name: "detector", image: "$inputs.image" },
        { type, name: "tracker", image: "$inputs.image", detections: "$steps.detector.predictions", minimum_consecutive_frames: 1 },
      ],
      outputs: [
        { type: "JsonField", name: "tracked", selector: "$steps.tracker.tracked_detections" },
        { type: "JsonField", name: "new", selector: "$steps.tracker.new_instances" },
        { type: "JsonField", name: "seen", selector: "$steps.tracker.already_seen_instances" },
      ],
    };
    const videoState = new MemoryVideoState();
    const answers: Record<string, { predictions: { tracker_id?: number }[] }>[] = [];
    for (let n = 0; n < 4; n++) {
      const { outputs } = await engine.run(definition, { image: frame("walk", n, 30) }, { services: { videoState } });
      answers.push(outputs[0] as (typeof answers)[number]);
    }
    const ids = (key: string) => answers.map((a) => a[key]!.predictions.map((p) => p.tracker_id));
    // No id on a track's first frame; then the same one, new once.
    expect(ids("tracked")).toEqual([[], [0], [0], [0]]);
    expect(ids("new")).toEqual([[], [0], [], []]);
    expect(ids("seen")).toEqual([[], [], [0], [0]]);
  });
});
