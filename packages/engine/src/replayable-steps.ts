/**
 * The steps of a plan whose outputs for a frame depend on that frame alone and can be kept as
 * values: what a video job runs per segment, in parallel, and caches, so that its one sequential
 * replay of the whole workflow restores them instead of running them again (the models).
 *
 * A step is replayable when its block is not stateful (state between frames must see one
 * continuous video, so it runs in the replay), none of its outputs is an image (crops and
 * visualizations: their pixels are not cached, so what uses them — detect → crop → classify's
 * classifier — runs in the replay too), and every step it depends on is replayable (closed under
 * ancestors: the executor restores a step only when all its dependencies were restored). A
 * flow-control step is replayable only with every step it may enable: the segments run the
 * replayable steps alone, and a decision must not name a step that is not there.
 */
import type { CompiledWorkflow } from "./plan.js";

export function replayableSteps(plan: CompiledWorkflow): Set<string> {
  const excluded = new Set<string>();
  for (;;) {
    const replayable = new Set<string>();
    // plan.steps respects dependencies: a step's dependencies are decided before it.
    for (const step of plan.steps) {
      if (excluded.has(step.name) || step.manifest.stateful) continue;
      if (step.outputs.some((output) => output.kinds.includes("image"))) continue;
      if (!step.dependsOn.every((name) => replayable.has(name))) continue;
      replayable.add(step.name);
    }
    const gating = plan.steps.filter((step) => replayable.has(step.name) && !step.targets.every((name) => replayable.has(name)));
    if (gating.length === 0) return replayable;
    for (const step of gating) excluded.add(step.name);
  }
}
