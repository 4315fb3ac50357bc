/** An action a person starts (a form sent, a button pressed): busy while it runs, and why it failed in one sentence. */
import { useState } from "preact/hooks";
import { describeError } from "./errors.js";

interface Action {
  busy: boolean;
  /** Why the last run failed; cleared when the next starts. */
  error: string | null;
  /** Runs `action`; `describe` words its failure (describeError's sentence by default). */
  run(action: () => Promise<unknown>, describe?: (failure: unknown) => string): Promise<void>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>, describe: (failure: unknown) => string = describeError) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(describe(failure));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
