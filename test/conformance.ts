/** Reads the reference workflow suite, test/conformance/roboflow (Apache-2.0, from roboflow/inference: see its README). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const CONFORMANCE_DIR = fileURLToPath(new URL("./conformance/roboflow/", import.meta.url));

export interface ConformanceCase {
  source: string;
  definition: Record<string, unknown>;
  inputs: string;
  assertions: string;
}

export function loadCase(name: string): ConformanceCase {
  return JSON.parse(readFileSync(`${CONFORMANCE_DIR}${name}.json`, "utf8")) as ConformanceCase;
}

export const PURE_COMPUTE_CASES = [
  "switch_case_routing",
  "string_template_chain",
  "csv_formatter_scalars",
  "detections_difference_json_inputs",
  "per_class_confidence_filter_batch_input",
  "continue_if_non_simd_multiple_next_steps",
] as const;
