/** Workflow urls made from display names. (The store checks every name before it becomes part of a key.) */
import { urlFromName as suggestedUrl } from "@cvflow/wire";
import { invalidRequest } from "./errors.js";

/** "My Workflow!" -> "my-workflow" (@cvflow/wire's rule, which the page suggests too); refused when nothing is left. */
export function urlFromName(name: string): string {
  const url = suggestedUrl(name);
  if (url === "") throw invalidRequest(`No url can be made from the name ${JSON.stringify(name)}: give "url"`, { field: "url" });
  return url;
}
