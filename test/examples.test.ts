/** Every demo workflow in examples/ runs on its photo and gives what a person would expect of it. */
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { serializeDetections, WorkflowError, type Detections, type HumanInputRequest, type WireDetections } from "@cvflow/engine";
import { examplesEngine, EXAMPLES_DIR, listExamples } from "../examples/examples.js";
import { missing, MODELS_DIR } from "@cvflow/vision/test-assets";
import { decodeWireImage, visionModels, xyxy } from "./vision-fixtures.js";

const examples = new Map(listExamples().map((e) => [e.name, e]));
const classes = (d: unknown) => (d as WireDetections).predictions.map((p) => p.class);

describe("examples", () => {
  it("each workflow has its inputs and compiles", () => {
    const engine = examplesEngine();
    expect([...examples.keys()]).toEqual(["detect-and-visualize", "detect-crop-classify", "detect-review-classify", "ocr-label", "sahi", "shelf-audit"]);
    for (const example of examples.values()) expect(engine.compile(example.definition).steps.length).toBeGreaterThan(0);
  });

  it("shelf-audit (no model) counts the confident products per shelf", async () => {
    const { definition, inputs } = examples.get("shelf-audit")!;
    const { outputs } = await examplesEngine().run(definition, inputs);
    expect(outputs.map((o) => o["summary"])).toEqual(["3 of 3 products on the shelf (bottle, bottle, cup): OK", "1 of 3 products on the shelf (bottle): RESTOCK"]);
  });
});

describe("examples with models", () => {
  const needing = (name: string, models: string[]) => it.skipIf(missing(`example ${name}`, { models }));
  const run = async (name: string) => {
    const { definition, inputs } = examples.get(name)!;
    return (await examplesEngine(visionModels()).run(definition, inputs)).outputs[0]!;
  };
  const sizeOf = async (file: string) => {
    const m = await sharp(`${EXAMPLES_DIR}images/${file}`).metadata();
    return [m.width, m.height];
  };

  needing("detect-and-visualize", ["yolov8n-640"])("detect-and-visualize finds the cup on coffee.jpg and draws it", async () => {
    const out = await run("detect-and-visualize");
    expect(classes(out["predictions"])).toContain("cup");
    const drawn = await decodeWireImage(out["annotated"]);
    expect([drawn.width, drawn.height]).toEqual(await sizeOf("coffee.jpg"));
    const original = await sharp(`${EXAMPLES_DIR}images/coffee.jpg`).raw().toBuffer();
    expect(drawn.data.equals(original)).toBe(false);
  });

  needing("detect-crop-classify", ["yolov8n-640", "mobilenetv2-imagenet"])("detect-crop-classify detects dog.jpg's objects, classifies each crop and relabels the boxes", async () => {
    const out = await run("detect-crop-classify");
    const detected = classes(out["detected"]);
    for (const c of ["dog", "bicycle", "car"]) expect(detected).toContain(c);
    const imagenet = new Set(readFileSync(`${MODELS_DIR}/imagenet1000_ultralytics.txt`, "utf8").trim().split("\n"));
    const cropClasses = out["crop_classes"] as string[];
    expect(cropClasses).toHaveLength(detected.length);
    for (const c of cropClasses) expect(imagenet.has(c)).toBe(true);
    expect(classes(out["relabelled"])).toEqual(cropClasses);
    expect((out["relabelled"] as WireDetections).predictions.map(xyxy)).toEqual((out["detected"] as WireDetections).predictions.map(xyxy));
    const drawn = await decodeWireImage(out["annotated"]);
    expect([drawn.width, drawn.height]).toEqual(await sizeOf("dog.jpg"));
  });

  // It asks a person (cvflow/wait_for_input@v1): a plain run cannot wait, so the run here is given
  // a humanInput service that answers as a person would. Over HTTP, async: e2e-runs-human-input.
  needing("detect-review-classify", ["yolov8n-640", "mobilenetv2-imagenet"])("detect-review-classify asks about dog.jpg's detections, then crops and classifies only those the person kept", async () => {
    const { definition, inputs } = examples.get("detect-review-classify")!;
    const engine = examplesEngine(visionModels());
    const refused = await engine.run(definition, inputs).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowError);
    expect((refused as WorkflowError).code).toBe("input_needs_async_run");

    const asked: HumanInputRequest[] = [];
    // The person leaves out the truck (the car's box again, at a lower confidence).
    const person = async (request: HumanInputRequest) => {
      asked.push(request);
      const shown = serializeDetections(request.data as Detections);
      return { ...shown, predictions: shown.predictions.filter((p) => p.class !== "truck") };
    };
    const out = (await engine.run(definition, inputs, { services: { humanInput: { requestInput: person } } })).outputs[0]!;
    expect(asked.map((r) => r.step)).toEqual(["review"]);
    expect(asked[0]!.prompt).toContain("confidence under 0.6");
    const detected = classes(out["detected"]);
    for (const c of ["dog", "bicycle", "car", "truck"]) expect(detected).toContain(c);
    expect(classes(out["confirmed"])).toEqual(detected.filter((c) => c !== "truck"));
    expect(out["confirmed_count"]).toBe(detected.length - 1);
    const imagenet = new Set(readFileSync(`${MODELS_DIR}/imagenet1000_ultralytics.txt`, "utf8").trim().split("\n"));
    const cropClasses = out["crop_classes"] as string[];
    expect(cropClasses).toHaveLength(detected.length - 1);
    for (const c of cropClasses) expect(imagenet.has(c)).toBe(true);
  });

  needing("ocr-label", ["ppocr-v4"])("ocr-label reads the care label", async () => {
    const out = await run("ocr-label");
    const text = (out["text"] as string).replace(/\s+/g, "").toUpperCase();
    for (const phrase of ["MACHINEWASHCOLD", "DONOTBLEACH", "DRYFLAT"]) expect(text).toContain(phrase);
    expect((out["lines"] as WireDetections).predictions.length).toBeGreaterThanOrEqual(4);
  });

  needing("sahi", ["yolov8n-640"])("sahi finds the horses, the dog and the person across the mosaic's slices, in its coordinates", async () => {
    const out = await run("sahi");
    const [width, height] = await sizeOf("mosaic.jpg");
    const predictions = out["predictions"] as WireDetections;
    expect(predictions.image).toEqual({ width, height });
    const found = classes(predictions);
    expect(found.filter((c) => c === "horse").length).toBeGreaterThanOrEqual(4);
    for (const c of ["dog", "person", "bicycle"]) expect(found).toContain(c);
    expect(out["classes"]).toEqual(found);
    // The person stands in the bottom tile (x 380-1020, y 576-1000).
    const person = predictions.predictions.find((p) => p.class === "person")!;
    expect(person.x).toBeGreaterThan(380);
    expect(person.x).toBeLessThan(1020);
    expect(person.y).toBeGreaterThan(576);
    const drawn = await decodeWireImage(out["annotated"]);
    expect([drawn.width, drawn.height]).toEqual([width, height]);
  });
});
