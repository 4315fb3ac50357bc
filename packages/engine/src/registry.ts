/**
 * Which blocks exist: versioned ids (`roboflow_core/dynamic_crop@v1`) and legacy aliases
 * (`DynamicCrop`) both resolve to the same block.
 */
import type { Block } from "./block.js";

export class BlockRegistry {
  private readonly byId = new Map<string, Block>();
  private readonly blocks: Block[] = [];

  constructor(blocks: Iterable<Block> = []) {
    for (const block of blocks) this.register(block);
  }

  /** Adds a block; an id or alias that is already taken is an error, never a silent override. */
  register(block: Block): this {
    const { type, aliases = [] } = block.manifest;
    if ((block.run === undefined) === (block.runBatch === undefined)) {
      throw new Error(`Block ${type} must define exactly one of run() and runBatch()`);
    }
    for (const id of [type, ...aliases]) {
      const taken = this.byId.get(id);
      if (taken) throw new Error(`Block id "${id}" is already registered by ${taken.manifest.type}`);
    }
    for (const id of [type, ...aliases]) this.byId.set(id, block);
    this.blocks.push(block);
    return this;
  }

  get(type: string): Block | undefined {
    return this.byId.get(type);
  }

  list(): readonly Block[] {
    return this.blocks;
  }

  /** Every id and alias, sorted: what an "unknown block type" error lists. */
  ids(): string[] {
    return [...this.byId.keys()].sort();
  }
}
