/**
 * Which environment variables a workflow may read through environment_secrets_store: names that
 * begin with a prefix listed, comma-separated, in CVFLOW_SECRETS_ENV_PREFIXES (default
 * `WORKFLOW_SECRET_`), never the service's own. A plain module (no imports), exported as
 * `@cvflow/blocks/secret-names`: the block applies the rule, the deployment (infra) passes the
 * variables it selects into the functions' environments.
 */

export const SECRETS_PREFIXES_VARIABLE = "CVFLOW_SECRETS_ENV_PREFIXES";
export const DEFAULT_SECRETS_PREFIX = "WORKFLOW_SECRET_";
/** The service's own variables (its configuration, Lambda's role credentials and reserved names): never a workflow's to read. */
export const NEVER_READABLE_PREFIXES: readonly string[] = ["CVFLOW_", "AWS_", "LAMBDA_", "_"];

export function secretPrefixes(env: Readonly<Record<string, string | undefined>>): string[] {
  const listed = env[SECRETS_PREFIXES_VARIABLE];
  if (listed === undefined) return [DEFAULT_SECRETS_PREFIX];
  return listed.split(",").map((p) => p.trim()).filter((p) => p !== "");
}

/** Why `name` may not be read, or undefined when it may. */
export function secretRefusal(name: string, env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const reserved = NEVER_READABLE_PREFIXES.find((p) => name.startsWith(p));
  if (reserved !== undefined) return `environment variable ${JSON.stringify(name)} belongs to the service (names beginning with ${reserved} are never readable by a workflow)`;
  const prefixes = secretPrefixes(env);
  if (!prefixes.some((p) => name.startsWith(p))) {
    return `environment variable ${JSON.stringify(name)} is not exposed to workflows: only names beginning with ${prefixes.length ? prefixes.join(" or ") : "(none: " + SECRETS_PREFIXES_VARIABLE + " is empty)"} are (the server's ${SECRETS_PREFIXES_VARIABLE})`;
  }
  return undefined;
}
