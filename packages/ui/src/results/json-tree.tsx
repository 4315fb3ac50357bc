/**
 * A JSON value as a tree: objects and lists fold (native <details>, so Enter and Space open and
 * close them from the keyboard), long strings are clipped until asked for, and image values show
 * as one line naming the image, never their base64.
 */
import { useState } from "preact/hooks";
import { clipString, containerSummary, imageSummary, isLeaf } from "./json-text.js";
import { isShownImage } from "./output-values.js";

/** Levels open at first; deeper ones start folded. */
const OPEN_LEVELS = 2;

export function JsonTree({ value, label }: { value: unknown; label?: string }) {
  return (
    <div class="json-tree mono" data-testid="json-tree">
      <JsonNode name={label} value={value} depth={0} />
    </div>
  );
}

function JsonNode({ name, value, depth }: { name: string | undefined; value: unknown; depth: number }) {
  const key = name === undefined ? null : <span class="json-key">{name}: </span>;
  if (isLeaf(value)) {
    return (
      <div class="json-leaf">
        {key}
        <Leaf value={value} />
      </div>
    );
  }
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((item, i) => [String(i), item]) : Object.entries(value as Record<string, unknown>);
  return (
    <details open={depth < OPEN_LEVELS} class="json-node">
      <summary>
        {key}
        <span class="json-summary">{containerSummary(value)}</span>
      </summary>
      <div class="json-children">
        {entries.map(([childName, child]) => (
          <JsonNode name={childName} value={child} depth={depth + 1} />
        ))}
      </div>
    </details>
  );
}

function Leaf({ value }: { value: unknown }) {
  const [whole, setWhole] = useState(false);
  if (isShownImage(value)) return <span class="json-image">⟨{imageSummary(value)}⟩</span>;
  if (typeof value === "string") {
    const { shown, clipped } = whole ? { shown: value, clipped: 0 } : clipString(value);
    return (
      <span class="json-string">
        "{shown}
        {clipped > 0 ? (
          <>
            …"{" "}
            <button type="button" class="json-more" onClick={() => setWhole(true)}>
              +{clipped} characters
            </button>
          </>
        ) : (
          '"'
        )}
      </span>
    );
  }
  const kind = value === null ? "null" : typeof value;
  return <span class={`json-${kind}`}>{JSON.stringify(value) ?? String(value)}</span>;
}
