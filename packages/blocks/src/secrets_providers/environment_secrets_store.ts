/**
 * Environment Secrets Store: hands environment variables to the workflow as `secret` outputs, one
 * per name, the output named after the variable in lower case (as Roboflow's).
 *
 * Which variables a definition may read — cvflow's rule, where Roboflow's self-hosted server reads
 * any and its hosted one none: only names that begin with one of the prefixes listed, comma-
 * separated, in CVFLOW_SECRETS_ENV_PREFIXES (default `WORKFLOW_SECRET_`), so that an operator
 * exposes a secret by naming it so (WORKFLOW_SECRET_OPENAI_KEY) and nothing else in the process
 * environment is reachable. Whatever the prefixes say, the service's own configuration and
 * credentials are never readable: names beginning with CVFLOW_, AWS_ (Lambda's role credentials),
 * LAMBDA_ or _ (Lambda's reserved variables). A name outside the rule is a compile error naming it;
 * a permitted name that is not set gives null (Roboflow's None).
 *
 * Each value is a Secret (secret.ts): blocks reveal it where it is due, everything else — outputs,
 * events, logs, checkpoints — sees `***` or the variable's name.
 */
import { defineBlock, Secret, type OutputSpec, type Problem } from "@cvflow/engine";
import { invalidField } from "../errors.js";
import { DEFAULT_SECRETS_PREFIX, SECRETS_PREFIXES_VARIABLE, secretRefusal } from "./secret-names.js";

interface EnvironmentSecretsStoreParams {
  [key: string]: unknown;
  variables_storing_secrets: string[];
}

/** Each permitted variable's value, as a Secret, under its lower-cased name (null when unset). */
export function readSecrets(names: readonly string[], env: NodeJS.ProcessEnv = process.env): Record<string, Secret | null> {
  const secrets: Record<string, Secret | null> = {};
  for (const name of names) {
    const refusal = secretRefusal(name, env);
    if (refusal !== undefined) throw invalidField(refusal);
    secrets[name.toLowerCase()] = Secret.fromEnvironment(name, env);
  }
  return secrets;
}

function namesOf(step: Readonly<Record<string, unknown>>): string[] {
  const names = step["variables_storing_secrets"];
  return Array.isArray(names) ? names.filter((n): n is string => typeof n === "string") : [];
}

export const environmentSecretsStoreBlock = defineBlock<EnvironmentSecretsStoreParams>({
  manifest: {
    type: "roboflow_core/environment_secrets_store@v1",
    name: "Environment Secrets Store",
    description:
      "Fetch secrets from environmental variables. cvflow exposes only variables whose names begin with a prefix listed in " +
      `${SECRETS_PREFIXES_VARIABLE} (default ${DEFAULT_SECRETS_PREFIX}), never the service's own (CVFLOW_*, AWS_*, LAMBDA_*, _*).`,
    family: "secrets_providers",
    fields: {
      variables_storing_secrets: {
        description: "Names of the environment variables to read; each becomes an output named in lower case.",
        schema: { type: "array", items: { type: "string" }, minItems: 1 },
        required: true,
      },
    },
    outputs: [],
    dynamicOutputs: (step) => namesOf(step).map((name): OutputSpec => ({ name: name.toLowerCase(), kinds: ["secret"] })),
  },
  validate(step): Problem[] {
    return namesOf(step).flatMap((name, i) => {
      const refusal = secretRefusal(name);
      return refusal === undefined ? [] : [{ property: "variables_storing_secrets", message: `item ${i}: ${refusal}`, code: "secret_not_exposed" }];
    });
  },
  run({ variables_storing_secrets }) {
    return readSecrets(variables_storing_secrets);
  },
});
