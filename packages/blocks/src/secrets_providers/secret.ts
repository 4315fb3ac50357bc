/**
 * How blocks take secrets. A field that accepts the `secret` kind (an API key) may receive a
 * Secret from environment_secrets_store or a plain string from a parameter or literal; `reveal`
 * gives the text of either. The text goes only where it is due (a request's header); a provider's
 * error message that might echo it passes through `redactSecrets` before it becomes a WorkflowError.
 */
import { Secret, SECRET_MASK } from "@cvflow/engine";

export { Secret, SECRET_MASK };

/** The text of a secret or string field; undefined for anything else (absent, null, another kind). */
export function reveal(value: unknown): string | undefined {
  if (value instanceof Secret) return value.reveal();
  return typeof value === "string" ? value : undefined;
}

/** `text` with every occurrence of each of `secrets` masked (empty ones ignored). */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  // Longest first: a key that contains another is masked whole.
  const present = secrets.filter((s): s is string => typeof s === "string" && s !== "").sort((a, b) => b.length - a.length);
  for (const secret of present) out = out.split(secret).join(SECRET_MASK);
  return out;
}
