// Copyright 2026 the @frontier/generators authors. MIT license.
// The iterator behind `yield* future`. Hand-written rather than a generator
// method, because it is faster: `yield*` calls `next()` once, and once more
// after the task resumes it. It is also its own result object, so a `yield*`
// on a done future allocates nothing more, and a suspended one holds nothing
// more.

import type { Future } from "../future.ts";
import { tick } from "./scheduler.ts";

/**
 * The one-shot iterator that `Future.prototype[Symbol.iterator]` returns: it
 * hands out the future at most once, then ends with its result. A second
 * `next()` on a future still pending throws the `InvalidStateError` of
 * `result()` (asyncio's "await wasn't used with future") instead of handing
 * out the same future again, which made `[...future]`, or `wait(future)`,
 * loop until the memory ran out.
 */
export class FutureIterator<T> implements Iterator<Future<T>, T, unknown> {
  done = false;
  value: Future<T> | T;
  #handedOut = false;

  constructor(future: Future<T>) {
    this.value = future;
  }

  next(): IteratorResult<Future<T>, T> {
    if (this.done) return { done: true, value: undefined as T };
    const future = this.value as Future<T>;
    // A done future does not suspend, unless the time slice is used up: then
    // the task gets control back and lets the event loop run.
    if (this.#handedOut || (future.done() && !tick())) {
      this.done = true;
      this.value = future.result();
    } else {
      this.#handedOut = true;
    }
    return this as IteratorResult<Future<T>, T>;
  }

  throw(error: unknown): never {
    this.done = true;
    this.value = undefined as T;
    throw error;
  }

  return(value?: T): IteratorResult<Future<T>, T> {
    this.done = true;
    this.value = undefined as T;
    return { done: true, value: value as T };
  }
}
