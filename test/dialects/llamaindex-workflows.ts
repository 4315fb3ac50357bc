/** The saved workflows the LlamaIndex dialect's tests run, and an image to run them on. */
import sharp from "sharp";
import type { LocalStack } from "@cvflow/local";
import { call } from "../local-stack.js";

/** Resizes `image` to `width` x 20 and answers the width it measured: a quick run without models. */
export const RESIZE = {
  version: "1.0",
  inputs: [
    { type: "WorkflowImage", name: "image" },
    { type: "WorkflowParameter", name: "width", default_value: 64 },
  ],
  steps: [
    { type: "roboflow_core/image_preprocessing@v1", name: "resize", image: "$inputs.image", task_type: "resize", width: "$inputs.width", height: 20 },
    { type: "roboflow_core/property_definition@v1", name: "size", data: "$steps.resize.image", operations: [{ type: "ExtractImageProperty", property_name: "width" }] },
  ],
  outputs: [{ type: "JsonField", name: "width", selector: "$steps.size.output" }],
};

export const KEEP_SCHEMA = { type: "object", properties: { keep: { type: "array", items: { type: "integer" } } }, required: ["keep"] };

/** Asks a person which of the things it shows to keep, and answers what they said. */
export const ASK = {
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "note" }],
  steps: [{ type: "cvflow/wait_for_input@v1", name: "confirm", data: "$inputs.note", prompt: "Which detections to keep?", answer_schema: KEEP_SCHEMA }],
  outputs: [{ type: "JsonField", name: "answer", selector: "$steps.confirm.answer" }],
};

export async function saveWorkflow(stack: LocalStack, url: string, specification: unknown): Promise<void> {
  const created = await call(stack, "POST", `/${stack.workspace}/createWorkflow`, { body: { name: url, url, config: { specification } } });
  if (created.status !== 201) throw new Error(`saving ${url}: ${created.status} ${JSON.stringify(created.body)}`);
}

/** A grey 64 x 48 PNG as a base64 image input. */
export async function greyImage(): Promise<{ type: "base64"; value: string }> {
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#808080" } }).png().toBuffer();
  return { type: "base64", value: png.toString("base64") };
}
