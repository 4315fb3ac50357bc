/** The grammar's JSON Schema (GET /workflows/definition/schema), fetched once per page for the editor's completion, lint and hover. */
import { api } from "../session.js";
import type { EditorSchema } from "./code-editor.js";

let loading: Promise<EditorSchema> | undefined;

export function definitionSchema(): Promise<EditorSchema> {
  loading ??= api()
    .schema()
    .then((answer) => answer.schema as EditorSchema)
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}
