/**
 * The steps of a plan whose outputs for a frame depend on that frame alone and can be kept as
 * values: what a video job runs per segment, in parallel, and caches, so that its one sequential
 * replay of the whole workflow restores them instead of running them again (the models).
 *
 * A step is replayable when its block is not stateful (state between frames must see one
 * continuous video, so it runs in the replay), none of its outputs is an image (crops and
 * visualizations: their pixels are not cached, so what uses them — detect → crop → classify's
 * classifier — runs in the replay too), and every step it depends on is replayable (closed under
 * ancestors: the executor restores a step only when all its dependencies were restored).
 */
import type { CompiledWorkflow } from "./plan.js";

export function replayableSteps(plan: CompiledWorkflow): Set<string> {
  const replayable = new Set<string>();
  // plan.steps respects dependencies: a step's dependencies are decided before it.
  for (const step of plan.steps) {
    if (step.manifest.stateful) continue;
    if (step.outputs.some((output) => output.kinds.includes("image"))) continue;
    if (!step.dependsOn.every((name) => replayable.has(name))) continue;
    replayable.add(step.name);
  }
  return replayable;
}
