/**
 * Switch Case: routes each element to the step named by the case its value matches, or to the
 * default steps when none does.
 */
import { defineBlock, type FlowDecision, type Problem } from "@cvflow/engine";
import { isRecord } from "@cvflow/wire";

interface SwitchCaseParams {
  [key: string]: unknown;
  value: unknown;
  cases: Record<string, string>;
  case_insensitive: boolean;
  default_next_steps: string[];
}

/**
 * The value's string form as the grammar's reference implementation (Python's `str`) writes it,
 * so that case keys written for it match here too: `True`, `False`, `None`. Numbers keep
 * JavaScript's form: JSON does not tell 1 from 1.0, so a key "1.0" never matches.
 */
function caseKeyOf(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isNaN(value) ? "nan" : Number.isFinite(value) ? String(value) : value > 0 ? "inf" : "-inf";
  return JSON.stringify(value);
}

export const switchCaseBlock = defineBlock<SwitchCaseParams>({
  manifest: {
    type: "roboflow_core/switch_case@v1",
    aliases: ["SwitchCase"],
    name: "Switch Case",
    description: "Route execution to one of several branches based on the value of an input.",
    family: "flow_control",
    flowControl: true,
    fields: {
      value: {
        description: "Value matched against the case keys, compared as a string (true matches \"True\", null matches \"None\").",
        kinds: ["*"],
        schema: { type: ["string", "number", "boolean"] },
        required: true,
      },
      cases: {
        description: "Case value -> the step to run when the value matches it.",
        shape: "dict",
        steps: true,
        default: {},
      },
      case_insensitive: {
        description: "Match case values ignoring letter case.",
        schema: { type: "boolean" },
        default: false,
      },
      default_next_steps: {
        description: "Steps to run when no case matches; empty ends the branch.",
        shape: "list",
        steps: true,
        default: [],
      },
    },
    outputs: [],
  },
  validate(step) {
    const problems: Problem[] = [];
    const cases = isRecord(step["cases"]) ? step["cases"] : {};
    const defaults = Array.isArray(step["default_next_steps"]) ? (step["default_next_steps"] as unknown[]) : [];
    const seen = new Set<unknown>();
    const duplicated = new Set<unknown>();
    for (const target of [...Object.values(cases), ...defaults]) {
      if (seen.has(target)) duplicated.add(target);
      seen.add(target);
    }
    if (duplicated.size > 0) {
      problems.push({
        property: "cases",
        message:
          "each step may be targeted at most once across `cases` and `default_next_steps`; " +
          `duplicated: ${[...duplicated].map((t) => JSON.stringify(t)).join(", ")}`,
      });
    }
    if (step["case_insensitive"] === true) {
      const lowered = Object.keys(cases).map((k) => k.toLowerCase());
      if (new Set(lowered).size !== lowered.length) {
        problems.push({ property: "cases", message: "`cases` has keys that collide when case_insensitive is enabled" });
      }
    }
    return problems;
  },
  run({ value, cases, case_insensitive, default_next_steps }): FlowDecision {
    const key = caseKeyOf(value);
    const match = case_insensitive
      ? Object.entries(cases).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1]
      : Object.hasOwn(cases, key) ? cases[key] : undefined;
    return { next: match !== undefined ? [match] : default_next_steps };
  },
});
