/** The blocks' description for a view: loaded on first use (blocks-catalog.ts), with the failure to show if it could not be. */
import { useEffect, useState } from "preact/hooks";
import type { BlocksDescription } from "@cvflow/wire";
import { blocks, loadBlocks } from "../blocks-catalog.js";
import { describeError } from "../errors.js";

export function useBlocks(): { description: BlocksDescription | null; error: string | null } {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!blocks.value) loadBlocks().catch((failure: unknown) => setError(describeError(failure)));
  }, []);
  return { description: blocks.value, error };
}
