/**
 * The error for a model this server does not have: a 503, since the request is sound and the
 * server lacks a file that `npm run models` installs. It names files by their names under the
 * models folder, never by a path on the machine.
 */
import { basename } from "node:path";
import { WorkflowError } from "@cvflow/engine";

export function modelNotInstalled(what: string, details: Record<string, unknown> = {}): WorkflowError {
  return new WorkflowError("model_not_installed", `${what}: the server's models are not installed (run \`npm run models\` there)`, 503, details);
}

/** One file of a model in the registry (an ONNX graph, OCR's keys) absent from the models folder at `path`. */
export function modelFileMissing(path: string): WorkflowError {
  return modelNotInstalled(`Model file ${basename(path)} is missing from the models folder`, { file: basename(path) });
}
