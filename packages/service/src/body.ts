/** Readers of JSON body fields: each wrong field is a 400 `invalid_request` naming it. */
import type { WorkflowError } from "@cvflow/engine";
import { isRecord } from "@cvflow/wire";
import { invalidRequest } from "./errors.js";

export type Fields = Readonly<Record<string, unknown>>;

/** The body as an object; an absent body reads as `{}`. */
export function bodyObject(body: unknown): Fields {
  if (body === undefined) return {};
  if (!isRecord(body)) throw invalidRequest("The request body must be a JSON object");
  return body;
}

function wrong(field: string, expected: string): WorkflowError {
  return invalidRequest(`"${field}" must be ${expected}`, { field });
}

export function optionalString(fields: Fields, field: string): string | undefined {
  const value = fields[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value === "") throw wrong(field, "a non-empty string");
  return value;
}

export function requiredString(fields: Fields, field: string): string {
  const value = optionalString(fields, field);
  if (value === undefined) throw invalidRequest(`"${field}" is required`, { field });
  return value;
}

export function optionalBoolean(fields: Fields, field: string): boolean | undefined {
  const value = fields[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw wrong(field, "true or false");
  return value;
}

export function optionalInteger(fields: Fields, field: string, min: number, max: number): number | undefined {
  const value = fields[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) throw wrong(field, `an integer from ${min} to ${max}`);
  return value;
}

export function optionalStringList(fields: Fields, field: string): string[] | undefined {
  const value = fields[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw wrong(field, "a list of strings");
  return value as string[];
}

export function optionalObject(fields: Fields, field: string): Record<string, unknown> | undefined {
  const value = fields[field];
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw wrong(field, "a JSON object");
  return value;
}
