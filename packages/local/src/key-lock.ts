/**
 * A readers-writer lock per key, held by the local S3 server around every request that touches
 * one object: writes are exclusive, reads share. s3rver writes an object in place (content, then
 * its md5, then metadata), so without this a read could see half a write, and two conditional
 * writes could both pass their check before either landed.
 *
 * Waiters are served in arrival order, so a stream of readers cannot starve a writer.
 */

type Release = () => void;

interface Waiter {
  exclusive: boolean;
  grant: () => void;
}

interface KeyState {
  readers: number;
  writer: boolean;
  queue: Waiter[];
}

export class KeyLocks {
  readonly #keys = new Map<string, KeyState>();

  /** Resolves when `key` is held; the returned function releases it (a second call does nothing). */
  acquire(key: string, exclusive: boolean): Promise<Release> {
    let state = this.#keys.get(key);
    if (!state) {
      state = { readers: 0, writer: false, queue: [] };
      this.#keys.set(key, state);
    }
    const held = state;
    return new Promise((resolve) => {
      held.queue.push({ exclusive, grant: () => resolve(this.#releaser(key, held, exclusive)) });
      this.#drain(key, held);
    });
  }

  /** Holds several keys at once, taken in sorted order so that two requests cannot deadlock. */
  async acquireAll(keys: readonly { key: string; exclusive: boolean }[]): Promise<Release> {
    const releases: Release[] = [];
    for (const { key, exclusive } of [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
      releases.push(await this.acquire(key, exclusive));
    }
    return () => releases.forEach((release) => release());
  }

  #releaser(key: string, state: KeyState, exclusive: boolean): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (exclusive) state.writer = false;
      else state.readers--;
      this.#drain(key, state);
    };
  }

  #drain(key: string, state: KeyState): void {
    for (;;) {
      const next = state.queue[0];
      if (!next) break;
      if (next.exclusive ? state.writer || state.readers > 0 : state.writer) break;
      state.queue.shift();
      if (next.exclusive) state.writer = true;
      else state.readers++;
      next.grant();
    }
    if (!state.writer && state.readers === 0 && state.queue.length === 0) this.#keys.delete(key);
  }
}
