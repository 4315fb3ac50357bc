/**
 * Blocks of your own in a deployment: CVFLOW_BLOCKS_MODULE names a module (path or package)
 * whose `blocks` export — an array of blocks made with defineBlock — is registered next to the
 * core blocks when the function starts.
 */
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Block } from "@cvflow/engine";

export async function extraBlocks(module: string | undefined): Promise<Block[]> {
  if (!module) return [];
  const specifier = module.startsWith(".") || isAbsolute(module) ? pathToFileURL(resolve(module)).href : module;
  const loaded = (await import(specifier)) as { blocks?: unknown };
  if (!Array.isArray(loaded.blocks)) throw new Error(`CVFLOW_BLOCKS_MODULE ${module} has no "blocks" array export`);
  return loaded.blocks as Block[];
}
