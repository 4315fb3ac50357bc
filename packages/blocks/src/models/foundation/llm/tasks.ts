/**
 * The task types of Roboflow's vision-language-model blocks (its VLM_TASKS_METADATA): the name and
 * description describe shows, and which other field each task needs. A block lists the tasks it
 * supports (`taskTypeField`) and checks the needed fields at compile time (`taskFieldProblems`),
 * as Roboflow's manifests do.
 */
import type { Problem } from "@cvflow/engine";

export const LLM_TASKS = {
  unconstrained: { name: "Open Prompt", description: "Use any prompt to generate a raw response" },
  ocr: { name: "Text Recognition (OCR)", description: "Model recognizes text in the image" },
  "visual-question-answering": { name: "Visual Question Answering", description: "Model answers the question you submit in the prompt" },
  caption: { name: "Captioning (short)", description: "Model provides a short description of the image" },
  "detailed-caption": { name: "Captioning", description: "Model provides a long description of the image" },
  classification: { name: "Single-Label Classification", description: "Model classifies the image content as one of the provided classes" },
  "multi-label-classification": {
    name: "Multi-Label Classification",
    description: "Model classifies the image content as one or more of the provided classes",
  },
  "object-detection": { name: "Unprompted Object Detection", description: "Model detects and returns the bounding boxes for prominent objects in the image" },
  "structured-answering": { name: "Structured Output Generation", description: "Model returns a JSON response with the specified fields" },
} as const;

export type LlmTask = keyof typeof LLM_TASKS;

/** Which field each task cannot do without (Roboflow's TASKS_REQUIRING_*). */
export const TASK_NEEDS: Readonly<Record<LlmTask, "prompt" | "classes" | "output_structure" | null>> = {
  unconstrained: "prompt",
  "visual-question-answering": "prompt",
  classification: "classes",
  "multi-label-classification": "classes",
  "object-detection": "classes",
  "structured-answering": "output_structure",
  ocr: null,
  caption: null,
  "detailed-caption": null,
};

/** Roboflow's order of the tasks in the OpenAI, Claude and Gemini manifests. */
export const ALL_LLM_TASKS: readonly LlmTask[] = [
  "unconstrained",
  "ocr",
  "structured-answering",
  "classification",
  "multi-label-classification",
  "visual-question-answering",
  "caption",
  "detailed-caption",
  "object-detection",
];

/** The parser Roboflow recommends after each task (shown in the field's description). */
export const RECOMMENDED_PARSERS: Partial<Record<LlmTask, string>> = {
  "structured-answering": "roboflow_core/json_parser@v1",
  classification: "roboflow_core/vlm_as_classifier@v2",
  "multi-label-classification": "roboflow_core/vlm_as_classifier@v2",
  "object-detection": "roboflow_core/vlm_as_detector@v2",
};

/**
 * A step whose task needs a field it lacks (null or absent counts as lacking, as in Roboflow):
 * one problem naming the field. A task given by a selector is not known until the run.
 */
export function taskFieldProblems(step: Readonly<Record<string, unknown>>, defaultTask: LlmTask): Problem[] {
  const task = (step["task_type"] ?? defaultTask) as LlmTask;
  const needs = TASK_NEEDS[task];
  if (!needs) return [];
  const value = step[needs];
  return value === undefined || value === null ? [{ property: needs, message: `\`${needs}\` is required for task_type "${task}"` }] : [];
}
