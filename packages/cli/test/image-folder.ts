/** Folders of real photos for the directory commands, with a corrupt file and a nested folder. */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { examplePhoto, missing, sharedPhoto } from "@cvflow/vision/test-assets";

/** A JPEG cut short: its header says JPEG, its data ends early. */
export const TRUNCATED_JPEG = readFileSync(examplePhoto("dog.jpg")).subarray(0, 3000);

/** Why makeImageFolder cannot run here (two of its photos are shared ones), or undefined when it can. */
export function imageFolderMissing(): string | undefined {
  return missing("a folder of photos for the directory commands", { photos: ["bus.jpg", "chelsea.png"] });
}

/** `bus.jpg`, `dog.jpg`, `nested/chelsea.png` and a truncated `corrupt.jpg`, plus a text file that is no image. */
export function makeImageFolder(folder: string): void {
  mkdirSync(`${folder}/nested`, { recursive: true });
  copyFileSync(sharedPhoto("bus.jpg"), `${folder}/bus.jpg`);
  copyFileSync(examplePhoto("dog.jpg"), `${folder}/dog.jpg`);
  copyFileSync(sharedPhoto("chelsea.png"), `${folder}/nested/chelsea.png`);
  writeFileSync(`${folder}/corrupt.jpg`, TRUNCATED_JPEG);
  writeFileSync(`${folder}/notes.txt`, "not an image");
}

/** No model: the image's width and a grayscale copy. */
export const GRAYSCALE_WORKFLOW = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [
    { type: "roboflow_core/property_definition@v1", name: "width", data: "$inputs.image", operations: [{ type: "ExtractImageProperty", property_name: "width" }] },
    { type: "roboflow_core/convert_grayscale@v1", name: "gray", image: "$inputs.image" },
  ],
  outputs: [
    { type: "JsonField", name: "width", selector: "$steps.width.output" },
    { type: "JsonField", name: "gray", selector: "$steps.gray.image" },
  ],
};
