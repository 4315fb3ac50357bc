// Call a running cvflow (npm start prints its URL and API key) from TypeScript.
import { CvflowClient, CvflowError } from "@cvflow/sdk";

const client = new CvflowClient({
  baseUrl: process.env["CVFLOW_URL"] ?? "http://127.0.0.1:9001",
  apiKey: process.env["CVFLOW_API_KEY"],
});

// A saved workflow of the demo workspace, on a photo read from disk.
const { outputs } = await client.runWorkflow(
  { workspace: "demo", workflowId: "detect-crop-classify" },
  { images: { image: "examples/images/dog.jpg" }, excludedFields: ["annotated"] },
);
export const cropClasses = outputs[0]?.["crop_classes"];
console.log(cropClasses); // one ImageNet class per detected object, e.g. [ 'Border Collie', ... ]

// Save a workflow of your own (a rerun finds it saved: 409 workflow_exists), then change it:
// the update carries the ETag it read.
await client
  .createWorkflow("demo", {
    name: "Cups",
    url: "cups",
    specification: {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      steps: [{ type: "ObjectDetectionModel", name: "detection", image: "$inputs.image", model_id: "yolov8n-640", class_filter: ["cup"] }],
      outputs: [{ type: "JsonField", name: "cups", selector: "$steps.detection.predictions" }],
    },
  })
  .catch((error: unknown) => {
    if (!(error instanceof CvflowError && error.code === "workflow_exists")) throw error;
  });
const { specification, etag } = await client.getWorkflow("demo", "cups");
await client.updateWorkflow("demo", "cups", { specification: { ...specification, description: "cups only" } }, { etag });
export const versions = await client.workflowVersions("demo", "cups");
console.log(versions.length); // 2 on the first run; every update is a version, so one more per run
