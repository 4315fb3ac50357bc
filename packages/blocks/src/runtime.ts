/**
 * A WorkflowEngine wired with everything cvflow has: the core blocks, image inputs and outputs,
 * the runtime check of the image kind, each run's image budget, and the model runtime for the
 * model blocks. The service, the batch worker, the CLI and `npm start` all build their engine here.
 */
import { BlockRegistry, NOT_OF_KIND, WorkflowEngine, type Block } from "@cvflow/engine";
import {
  admitRunImages,
  createImageLoader,
  createImageSerializer,
  RunImageBudget,
  withRunImageBudget,
  WorkflowImage,
  type ImageLoaderOptions,
  type VisionModels,
} from "@cvflow/vision";
import { coreBlocks } from "./core-blocks.js";
import type { Egress } from "./egress/egress.js";

export interface CvflowEngineOptions {
  /** The model runtime; without it, model blocks fail with a clear error when they run. */
  models?: VisionModels;
  /** Limits and sources of image inputs (URL policy, s3 fetcher, file root, a run's image budget). */
  images?: ImageLoaderOptions;
  /** JPEG quality of image outputs. */
  jpegQuality?: number;
  /** How blocks call out (sinks, hosted model APIs): the URL policy and the providers' addresses. */
  egress?: Egress;
  /** Blocks of your own, registered next to the core ones. */
  blocks?: readonly Block[];
  maxConcurrency?: number;
  cacheSize?: number;
}

export function createWorkflowEngine(options: CvflowEngineOptions = {}): WorkflowEngine {
  return new WorkflowEngine({
    registry: new BlockRegistry([...coreBlocks, ...(options.blocks ?? [])]),
    services: { ...(options.models ? { models: options.models } : {}), ...(options.egress ? { egress: options.egress } : {}) },
    deserializers: { image: createImageLoader(options.images) },
    serializers: [createImageSerializer({ jpegQuality: options.jpegQuality })],
    kindChecks: { image: (value) => (value instanceof WorkflowImage ? value : NOT_OF_KIND) },
    admit: (plan, inputs) => admitRunImages(plan, inputs, options.images?.maxRunPixels),
    // Each run with an image budget of its own, which every image made in it is charged to.
    runScope: (run) => withRunImageBudget(new RunImageBudget({ maxRunPixels: options.images?.maxRunPixels, maxImagePixels: options.images?.maxPixels }), run),
    maxConcurrency: options.maxConcurrency,
    cacheSize: options.cacheSize,
  });
}
