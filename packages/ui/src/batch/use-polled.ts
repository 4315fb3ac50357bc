/**
 * A value loaded from the service and loaded again every `intervalMs` until `settled` says it is final
 * (a finished job changes no more). `reload()` loads at once, e.g. after an action changed it.
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import { describeError } from "../errors.js";

interface Polled<T> {
  value: T | null;
  error: string | null;
  reload(): void;
}

export function usePolled<T>(load: () => Promise<T>, key: string, intervalMs: number, settled: (value: T) => boolean): Polled<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const loaded = await load();
        if (stopped) return;
        setValue(loaded);
        setError(null);
        if (!settled(loaded)) timer = setTimeout(tick, intervalMs);
      } catch (failure) {
        if (stopped) return;
        setError(describeError(failure));
        // A failed load (the service restarting, a network blip) is tried again, as a running job would be.
        timer = setTimeout(tick, intervalMs);
      }
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // `load` and `settled` depend only on what `key` names: a new key or a reload starts the loop again.
  }, [key, round]);
  return { value, error, reload };
}
