/**
 * A secret value in a run (an API key read by environment_secrets_store): a runtime type of the
 * `secret` kind whose text only `reveal()` gives. Everything that writes values out — the output
 * serializer, JSON.stringify, util.inspect and so console and loggers, string conversion — sees
 * `***`, so a secret wired to a workflow output, an event or a log line never shows. A step's
 * checkpoint keeps the variable's NAME and reads the value again when it is restored.
 */
import { inspect } from "node:util";

/** What a secret shows everywhere but `reveal()`. */
export const SECRET_MASK = "***";

export class Secret {
  readonly #value: string;

  /** `name`: where the value was read (an environment variable), never the value. */
  constructor(
    readonly name: string,
    value: string,
  ) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return SECRET_MASK;
  }

  toString(): string {
    return SECRET_MASK;
  }

  [inspect.custom](): string {
    return SECRET_MASK;
  }

  /** The secret environment variable `name` holds now, or null when it is unset (as the store block gives it). */
  static fromEnvironment(name: string, env: Readonly<Record<string, string | undefined>> = process.env): Secret | null {
    const value = env[name];
    return value === undefined ? null : new Secret(name, value);
  }
}
