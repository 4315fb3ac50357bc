/**
 * Finding blocks by what a person types: every word must appear in the block's friendly name, its
 * id, one of its aliases or its description; blocks whose name matches come first. Pure.
 */
import type { BlockDescription } from "@cvflow/wire";
import { blockDescriptionText, blockFamily } from "./block-fields.js";

/** Blocks matching `query` (all of them when it is blank), in `family` when one is given, best first. */
export function searchBlocks(blocks: readonly BlockDescription[], query: string, family = ""): BlockDescription[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const scored: { block: BlockDescription; score: number; order: number }[] = [];
  blocks.forEach((block, order) => {
    if (family && blockFamily(block) !== family) return;
    const score = scoreOf(block, words);
    if (score > 0) scored.push({ block, score, order });
  });
  return scored.sort((a, b) => b.score - a.score || a.order - b.order).map(({ block }) => block);
}

/** 0: not a match; higher: a better one (name over id and aliases over description). */
function scoreOf(block: BlockDescription, words: string[]): number {
  if (words.length === 0) return 1;
  const name = block.human_friendly_block_name.toLowerCase();
  const ids = [block.manifest_type_identifier, ...block.aliases].map((id) => id.toLowerCase());
  const description = blockDescriptionText(block).toLowerCase();
  let score = 0;
  for (const word of words) {
    if (name.startsWith(word) || name.includes(` ${word}`)) score += 8;
    else if (name.includes(word)) score += 6;
    else if (ids.some((id) => id.includes(word))) score += 4;
    else if (description.includes(word)) score += 2;
    else return 0;
  }
  return score;
}

/** The families the blocks belong to, sorted, each once. */
export function blockFamilies(blocks: readonly BlockDescription[]): string[] {
  return [...new Set(blocks.map(blockFamily).filter(Boolean))].sort();
}
