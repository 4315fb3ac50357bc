/** What the catalogue shows of a block, read from the service's real /workflows/blocks/describe; and searching blocks. */
import { randomUUID } from "node:crypto";
import { createTestService } from "@cvflow/service/testing";
import type { BlockDescription, BlocksDescription } from "@cvflow/wire";
import { beforeAll, expect, it } from "vitest";
import { blockFields, blockOutputs, type BlockField } from "../src/blocks/block-fields.js";
import { blockFamilies, searchBlocks } from "../src/blocks/block-search.js";

let blocks: BlockDescription[];

beforeAll(async () => {
  const { service } = await createTestService();
  const response = await service.handle({ method: "GET", path: "/workflows/blocks/describe", query: "", headers: {}, requestId: randomUUID() });
  blocks = (JSON.parse(response.body ?? "") as BlocksDescription).blocks;
});

function fieldsOf(id: string): Record<string, BlockField> {
  const block = blocks.find((b) => b.manifest_type_identifier === id)!;
  return Object.fromEntries(blockFields(block).map((field) => [field.name, field]));
}

it("reads a field's kinds, selector, shape, default, requiredness and literal type from the block schema", () => {
  const crop = fieldsOf("roboflow_core/dynamic_crop@v1");
  expect(Object.keys(crop)).toEqual(["images", "predictions", "mask_opacity", "background_color"]);
  expect(crop["images"]).toMatchObject({ kinds: ["image"], selector: "data", shape: "one", required: true, hasDefault: false, type: "any" });
  expect(crop["predictions"]!.kinds).toEqual(["object_detection_prediction", "instance_segmentation_prediction", "keypoint_detection_prediction"]);
  expect(crop["mask_opacity"]).toMatchObject({ kinds: ["float_zero_to_one"], required: false, hasDefault: true, default: 0, type: "number 0–1" });
  expect(crop["background_color"]).toMatchObject({ default: [0, 0, 0], type: "string or list of integer" });

  const detection = fieldsOf("roboflow_core/roboflow_object_detection_model@v3");
  expect(detection["confidence_mode"]).toMatchObject({ enum: ["best", "default", "custom"], default: "best", type: `one of "best", "default", "custom"` });
  expect(detection["class_filter"]).toMatchObject({ shape: "one", kinds: ["list_of_values"], type: "list of string", default: null });
  expect(detection["max_detections"]!.type).toBe("integer ≥ 1");
  expect(detection["model_id"]!.description).toMatch(/yolov8n-640/);

  const continueIf = fieldsOf("roboflow_core/continue_if@v1");
  expect(continueIf["next_steps"]).toMatchObject({ selector: "step", shape: "list", kinds: [], required: true });
  expect(continueIf["evaluation_parameters"]).toMatchObject({ selector: "data", shape: "dict", kinds: ["*"], default: {} });
  expect(continueIf["condition_statement"]).toMatchObject({ selector: null, type: "query StatementGroup", required: true });
});

it("lists a block's outputs with their kinds", () => {
  const crop = blocks.find((b) => b.manifest_type_identifier === "roboflow_core/dynamic_crop@v1")!;
  expect(blockOutputs(crop)).toEqual([
    { name: "crops", kinds: ["image"] },
    { name: "predictions", kinds: ["object_detection_prediction", "instance_segmentation_prediction", "keypoint_detection_prediction"] },
  ]);
});

it("finds blocks by name, id, alias and description, names first; filters by family", () => {
  const ids = (query: string, family?: string) => searchBlocks(blocks, query, family).map((b) => b.manifest_type_identifier);
  expect(ids("")).toHaveLength(blocks.length);
  expect(ids("dynamic crop")).toEqual(["roboflow_core/dynamic_crop@v1"]);
  // "crop" names three blocks; the one whose description alone says it (the stitch of slices) is not among the first.
  expect(ids("crop").slice(0, 3).sort()).toEqual(["roboflow_core/absolute_static_crop@v1", "roboflow_core/dynamic_crop@v1", "roboflow_core/relative_static_crop@v1"]);
  expect(ids("DynamicCrop")).toEqual(["roboflow_core/dynamic_crop@v1"]);
  expect(ids("roboflow_core/pp_ocr")).toEqual(["roboflow_core/pp_ocr@v1"]);
  expect(ids("bounding boxes", "models")).toContain("roboflow_core/roboflow_object_detection_model@v2");
  // The family filter keeps exactly the registry's flow-control blocks, in the registry's order.
  const flowControl = blocks.filter((b) => b.block_family === "flow_control").map((b) => b.manifest_type_identifier);
  expect(flowControl).toEqual(expect.arrayContaining(["roboflow_core/continue_if@v1", "roboflow_core/switch_case@v1", "cvflow/wait_for_input@v1"]));
  expect(ids("", "flow_control")).toEqual(flowControl);
  expect(ids("zzzz")).toEqual([]);
  expect(blockFamilies(blocks)).toEqual([...new Set(blocks.map((b) => b.block_family))].sort());
  expect(blockFamilies(blocks)).toEqual(expect.arrayContaining(["analytics", "classical_cv", "flow_control", "models", "transformations", "visualizations"]));
});
