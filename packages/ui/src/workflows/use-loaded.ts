/** A value loaded from the service once per `key`; `reload()` loads it again (after an action changed it). */
import { useCallback, useEffect, useState } from "preact/hooks";
import { describeError } from "../errors.js";

interface Loaded<T> {
  value: T | null;
  error: string | null;
  /** The failure itself, for views that tell one code from another (404, 403). */
  failure: unknown;
  reload(): void;
}

export function useLoaded<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [value, setValue] = useState<T | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  useEffect(() => {
    let current = true;
    setFailure(null);
    load().then(
      (loaded) => current && setValue(loaded),
      (error: unknown) => current && setFailure(error ?? new Error("failed")),
    );
    return () => {
      current = false;
    };
    // `load` depends only on what `key` names.
  }, [key, round]);
  return { value, error: failure === null ? null : describeError(failure), failure, reload };
}
