/** Folders of real photos for the directory commands, with a corrupt file and a nested folder: the repository's own photos, so they run on any clone. */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import sharp from "sharp";
import { examplePhoto } from "@cvflow/vision/test-assets";

/** A JPEG cut short: its header says JPEG, its data ends early. */
export const TRUNCATED_JPEG = readFileSync(examplePhoto("dog.jpg")).subarray(0, 3000);

/** The repository's coffee.jpg (600x400) as a PNG at `path`: the folders hold a PNG beside the JPEGs. */
export async function writeCoffeePng(path: string): Promise<void> {
  await sharp(examplePhoto("coffee.jpg")).png().toFile(path);
}

/**
 * `dog.jpg` (768 wide), `mosaic.jpg` (1541 wide), `nested/coffee.png` (600 wide) and a truncated
 * `corrupt.jpg`, plus a text file that is no image.
 */
export async function makeImageFolder(folder: string): Promise<void> {
  mkdirSync(`${folder}/nested`, { recursive: true });
  copyFileSync(examplePhoto("dog.jpg"), `${folder}/dog.jpg`);
  copyFileSync(examplePhoto("mosaic.jpg"), `${folder}/mosaic.jpg`);
  await writeCoffeePng(`${folder}/nested/coffee.png`);
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
