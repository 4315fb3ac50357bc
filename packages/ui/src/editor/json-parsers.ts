/**
 * Stands in for codemirror-json-schema's parser table (vite.config.ts): it names the JSON, JSON5
 * and YAML parsers, and so bundles the yaml and json5 libraries (~60 KB gzipped) that a JSON-only
 * editor never calls.
 */
import { parseJSONDocumentState } from "codemirror-json-schema";

/** The editor runs codemirror-json-schema in its JSON mode only: the JSON parser whatever the mode. */
export function getDefaultParser(): typeof parseJSONDocumentState {
  return parseJSONDocumentState;
}
