/**
 * The service's blocks (`/workflows/blocks/describe`), fetched once per page: the graph's labels,
 * the catalogue, the editor's "add a step" all read it from here.
 */
import { signal } from "@preact/signals";
import type { BlockDescription, BlocksDescription } from "@cvflow/wire";
import { api } from "./session.js";

export const blocks = signal<BlocksDescription | null>(null);
let loading: Promise<BlocksDescription> | undefined;

/** The description, fetched on first use. */
export function loadBlocks(): Promise<BlocksDescription> {
  loading ??= api()
    .describeBlocks()
    .then((description) => (blocks.value = description))
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}

/** A block by the type a step names: its id or any of its aliases. */
export function blockOfType(description: BlocksDescription, type: string): BlockDescription | undefined {
  return description.blocks.find((block) => block.manifest_type_identifier === type || block.aliases.includes(type));
}
