/**
 * The compile check of a draft: the service's validate (POST /workflows/validate) on the parsed
 * text, its problems placed at the line their JSON pointer names. A text that is not JSON is not
 * sent (the editor marks the syntax error itself).
 */
import { CvflowError } from "@cvflow/sdk";
import type { WorkflowIssue } from "@cvflow/wire";
import { isRecord } from "@cvflow/wire";
import { api } from "../session.js";
import { describeError } from "../errors.js";
import { parseDefinition } from "./definition-text.js";
import { lineOf, placeOfPointer, type PointerPlace } from "./pointer-place.js";

export interface PlacedIssue extends WorkflowIssue {
  place: PointerPlace;
}

export type CompileCheck =
  /** Not JSON: the one problem is listed at its line, as compile errors are (the editor marks it itself). */
  | { state: "syntax"; message: string; errors: PlacedIssue[] }
  | { state: "checked"; errors: PlacedIssue[]; warnings: PlacedIssue[] }
  /** The check itself failed (the service unreachable): nothing is known about the definition. */
  | { state: "unchecked"; message: string };

export async function checkDefinition(text: string): Promise<CompileCheck> {
  const parsed = parseDefinition(text);
  if (!parsed.ok) {
    const from = parsed.offset ?? 0;
    const place = { from, to: Math.min(from + 1, text.length), line: lineOf(text, from), exact: true };
    return { state: "syntax", message: parsed.message, errors: [{ code: "invalid_json", message: parsed.message, place }] };
  }
  try {
    const answer = await api().validate(parsed.definition);
    return { state: "checked", errors: [], warnings: placed(text, answer.warnings ?? []) };
  } catch (error) {
    if (error instanceof CvflowError && error.code === "invalid_workflow") {
      return { state: "checked", errors: placed(text, issuesOf(error)), warnings: [] };
    }
    return { state: "unchecked", message: describeError(error) };
  }
}

function issuesOf(error: CvflowError): WorkflowIssue[] {
  const listed = error.details["errors"];
  if (Array.isArray(listed) && listed.length > 0) {
    return listed.filter(isRecord).map((issue) => ({
      code: String(issue["code"] ?? "invalid_workflow"),
      message: String(issue["message"] ?? error.message),
      ...(typeof issue["pointer"] === "string" ? { pointer: issue["pointer"] } : {}),
    }));
  }
  return [{ code: error.code, message: error.message }];
}

/** An issue without a pointer (or with one into nothing) stands at the top of the definition. */
function placed(text: string, issues: readonly WorkflowIssue[]): PlacedIssue[] {
  return issues
    .map((issue) => ({ ...issue, place: placeOfPointer(text, issue.pointer ?? "") ?? { from: 0, to: Math.min(1, text.length), line: 1, exact: false } }))
    .sort((a, b) => a.place.from - b.place.from);
}
