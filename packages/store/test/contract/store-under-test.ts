/** How a contract suite gets the implementation it checks: a fresh store, and how to let it go. */
export interface StoreUnderTest<T> {
  store: T;
  close(): Promise<void>;
}

export type MakeStore<T> = () => Promise<StoreUnderTest<T>>;
