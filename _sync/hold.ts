// Copyright 2026 the @frontier/generators authors. MIT license.
// What `acquire()` of a lock or a semaphore resolves to: a `Disposable` that
// releases once, so that `using _held = yield* lock.acquire()` holds it for a
// block, and a hold disposed twice (or given back, then disposed) does not
// release someone else's turn.

import type { GiveBack } from "./waiter.ts";

/** Something a hold releases. */
export interface Releasable {
  release(): void;
}

/** One acquire's hold: disposing it releases once. */
export class Hold implements Disposable {
  #owner: Releasable | undefined;

  constructor(owner: Releasable) {
    this.#owner = owner;
  }

  [Symbol.dispose](): void {
    const owner = this.#owner;
    if (owner === undefined) return;
    this.#owner = undefined;
    owner.release();
  }
}

/** The owner of an `acquire()`'s waiter: a hold not taken is released. */
export const RELEASE_HOLD: GiveBack = {
  giveBack(_future, hold) {
    (hold as Disposable)[Symbol.dispose]();
  },
};
