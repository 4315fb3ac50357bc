/** How a contract suite gets the implementation it checks: a fresh store, and how to let it go. */
import { afterAll, beforeAll } from "vitest";

export interface StoreUnderTest<T> {
  store: T;
  close(): Promise<void>;
}

export type MakeStore<T> = () => Promise<StoreUnderTest<T>>;

/** In a describe block: a store made before its tests (handed to `take`) and let go after them. */
export function useStore<T>(makeStore: MakeStore<T>, take: (store: T) => void): void {
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const made = await makeStore();
    close = made.close;
    take(made.store);
  });
  afterAll(() => close?.());
}
