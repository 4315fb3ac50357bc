/** Parsing of what the user types: targets, `--image`, `--param`, and definition files. */
import { existsSync, readFileSync } from "node:fs";
import { jsonTextTooDeep, MAX_JSON_DEPTH } from "@cvflow/engine";
import type { ImageSource, Specification } from "@cvflow/sdk";
import { InvalidArgumentError } from "commander";
import { fileNotReadable, fileTooDeeplyNested, invalidJsonFile } from "./errors.js";

/** `ws/id`: a saved workflow (in management commands `id` is the workflow's url). */
export interface WorkflowRef {
  workspace: string;
  id: string;
}

export interface ImageArgument {
  name: string;
  source: string;
}

const NAMED = /^([A-Za-z_][\w-]*)=(.+)$/s;

/** The input an unnamed `--image` feeds. */
const DEFAULT_IMAGE_INPUT = "image";

/** `--image name=source`, or `--image source` for the input "image". A file whose name has "=" stays a file. */
export function collectImage(value: string, previous: ImageArgument[] = []): ImageArgument[] {
  const named = existsSync(value) ? null : NAMED.exec(value);
  return [...previous, named ? { name: named[1]!, source: named[2]! } : { name: DEFAULT_IMAGE_INPUT, source: value }];
}

/** A name given more than once is a batch, in the order given. */
export function imagesByName(list: readonly ImageArgument[]): Record<string, ImageSource | ImageSource[]> {
  const sources = new Map<string, string[]>();
  for (const { name, source } of list) sources.set(name, [...(sources.get(name) ?? []), source]);
  return Object.fromEntries([...sources].map(([name, all]) => [name, all.length === 1 ? all[0]! : all]));
}

/** `--param name=value`: the value as JSON when it parses (0.5, true, ["a"]), else as the string typed. */
export function collectParam(value: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const equals = value.indexOf("=");
  if (equals < 1) throw new InvalidArgumentError("Expected name=value.");
  const raw = value.slice(equals + 1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = raw;
  }
  return { ...previous, [value.slice(0, equals)]: parsed };
}

export function httpUrl(text: string): string {
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) throw new InvalidArgumentError("Expected an http(s) URL.");
  return text;
}

export function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new InvalidArgumentError("Expected a positive integer.");
  return value;
}

export function positiveNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !(value > 0)) throw new InvalidArgumentError("Expected a number above 0.");
  return value;
}

export function percentage(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !(value >= 0 && value <= 100)) throw new InvalidArgumentError("Expected a percentage from 0 to 100.");
  return value;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseWorkflowRef(text: string): WorkflowRef | undefined {
  const match = /^([^/]+)\/(.+)$/.exec(text);
  return match ? { workspace: match[1]!, id: match[2]! } : undefined;
}

/** `spec.json` (an existing file, or any name ending in .json) or `ws/id`. */
export function parseTarget(text: string): { file: string } | WorkflowRef | undefined {
  if (existsSync(text) || text.endsWith(".json")) return { file: text };
  return parseWorkflowRef(text);
}

/** A definition file: bare or wrapped as `{"specification": ...}` (the client takes both). */
export function readSpecification(path: string): Specification {
  const parsed = readJsonFile(path);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw invalidJsonFile(path, "holds no JSON object");
  }
  return parsed as Specification;
}

/** Any JSON value from a file (an answer to a run), nested no deeper than the API takes. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw fileNotReadable(path, (error as Error).message);
  }
  if (jsonTextTooDeep(text) !== undefined) {
    throw fileTooDeeplyNested(path, MAX_JSON_DEPTH);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidJsonFile(path, `is not JSON: ${(error as Error).message}`);
  }
}
