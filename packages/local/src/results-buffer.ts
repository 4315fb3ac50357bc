/**
 * A bounded FIFO of results waiting to be consumed: Roboflow's InMemoryBufferSink (a deque with a
 * maxlen). When full, a new result pushes the oldest out, and that is counted, so a client that
 * consumes too slowly sees what it lost instead of a server whose memory grows.
 */
export class ResultsBuffer<T> {
  readonly #items: T[] = [];
  #dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`a results buffer holds at least 1 result, not ${capacity}`);
  }

  push(item: T): void {
    this.#items.push(item);
    if (this.#items.length > this.capacity) {
      this.#items.shift();
      this.#dropped += 1;
    }
  }

  /** The oldest result, removed; undefined when none waits. */
  shift(): T | undefined {
    return this.#items.shift();
  }

  get size(): number {
    return this.#items.length;
  }

  /** Results pushed out unconsumed, since the start. */
  get dropped(): number {
    return this.#dropped;
  }
}
