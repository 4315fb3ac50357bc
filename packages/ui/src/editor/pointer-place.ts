/**
 * Where a compile error's JSON pointer (RFC 6901) is in the definition's text, for the editor's
 * diagnostics and the error list. The service answers pointers into `{"specification": …}` (the
 * SDK sends the definition wrapped); the text may be bare or wrapped, so a leading
 * `/specification` is dropped when the text is bare. A pointer to something missing (a required
 * field not written yet, an index past the end) names its nearest existing parent. Pure: no DOM.
 */
import { findNodeAtLocation, parseTree, type Node } from "jsonc-parser";

export interface PointerPlace {
  /** Offsets into the text: what the diagnostic underlines. */
  from: number;
  to: number;
  /** 1-based line of `from`. */
  line: number;
  /** False when the pointer named something missing and this is its nearest parent. */
  exact: boolean;
}

/** Undefined only when the text holds no JSON value at all. */
export function placeOfPointer(text: string, pointer: string): PointerPlace | undefined {
  const root = parseTree(text);
  if (!root) return undefined;
  let segments = decodePointer(pointer);
  if (segments[0] === "specification" && !isWrapped(root)) segments = segments.slice(1);
  let node = root;
  let exact = true;
  for (const segment of segments) {
    const child = childAt(node, segment);
    if (!child) {
      exact = false;
      break;
    }
    node = child;
  }
  // A property's value is underlined with its key: `"type": "nope"`, not `"nope"` alone.
  const from = node.parent?.type === "property" ? node.parent.offset : node.offset;
  const end = node.offset + node.length;
  // A parent standing in for what is missing is marked on its first line, not over all its lines.
  const to = exact ? end : Math.min(end, lineEnd(text, from));
  return { from, to: Math.max(to, from + 1), line: lineOf(text, from), exact };
}

export function decodePointer(pointer: string): string[] {
  if (pointer === "" || pointer === "/") return pointer === "/" ? [""] : [];
  return pointer
    .replace(/^\//, "")
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** 1-based. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf("\n"); index !== -1 && index < offset; index = text.indexOf("\n", index + 1)) line++;
  return line;
}

/** As @cvflow/wire's unwrapSpecification decides: `specification` and no `steps` beside it. */
function isWrapped(root: Node): boolean {
  return root.type === "object" && childAt(root, "specification") !== undefined && childAt(root, "steps") === undefined;
}

/** An array's element by decimal index, an object's property by key (`"0"` is a key in an object). */
function childAt(node: Node, segment: string): Node | undefined {
  if (node.type === "array") return /^(0|[1-9]\d*)$/.test(segment) ? findNodeAtLocation(node, [Number(segment)]) : undefined;
  if (node.type === "object") return findNodeAtLocation(node, [segment]);
  return undefined;
}

function lineEnd(text: string, offset: number): number {
  const index = text.indexOf("\n", offset);
  return index === -1 ? text.length : index;
}
