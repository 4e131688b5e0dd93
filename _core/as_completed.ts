// Copyright 2026 the @frontier/generators authors. MIT license.
// The iterator behind `asCompleted()`. Hand-written rather than an async
// generator: an async generator awaits the thenables it yields, and this one
// yields futures, not their results. Every step is constant time (no
// `Array.prototype.shift`, no scan of the list), and the iterator holds only
// the futures it has not handed out yet.

import type { CompletedFuture, Future } from "../future.ts";
import { Fifo } from "./fifo.ts";
import { internals } from "./internals.ts";

type Step<T> = IteratorResult<Future<T>, undefined>;

/** A `next()` call waiting for a future to complete. */
interface Waiter<T> {
  resolve(step: Step<T>): void;
  reject(error: unknown): void;
}

/** How an {@linkcode AsCompletedIterator} gives up. */
export interface AsCompletedLimit {
  /** Milliseconds, counted from the call, to wait for all the futures. */
  timeout: number | undefined;
  /**
   * The class of the error to throw when the time is up: `TimeoutError`,
   * handed in because it is declared in `future.ts`, which imports this file.
   */
  TimeoutError: new (message: string) => Error;
}

const END: Step<never> = Object.freeze({ done: true, value: undefined });

/** Hands over `futures` as they complete, each once, with `for await`. */
export class AsCompletedIterator<T>
  implements AsyncIterableIterator<CompletedFuture<T>, undefined> {
  // Until the first `next()`: the futures, not listened to yet, so that an
  // iterator nobody reads leaves nothing behind on them.
  #unread: Future<T>[] | undefined;
  #total: number;
  // Futures not done yet, each with `#onDone` added.
  #pending = new Set<Future<T>>();
  // Futures done and not handed out yet, in completion order.
  #ready = new Fifo<Future<T>>();
  // `next()` calls waiting for a future, first come, first served.
  #waiters = new Fifo<Waiter<T>>();
  #timeout: number | undefined;
  #deadline: number;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #TimeoutError: new (message: string) => Error;
  #onDone = (future: Future<T>) => {
    if (!this.#pending.delete(future)) return;
    const waiter = this.#waiters.shift();
    if (waiter === undefined) {
      this.#ready.push(future);
      return;
    }
    waiter.resolve({ done: false, value: future });
    // Waiters beyond the number of futures left get the end.
    if (this.#pending.size === 0) this.#end();
    else if (this.#waiters.size === 0) this.#stopTimer();
  };

  constructor(futures: Future<T>[], limit: AsCompletedLimit) {
    this.#unread = futures;
    this.#total = 0;
    this.#timeout = limit.timeout;
    this.#TimeoutError = limit.TimeoutError;
    this.#deadline = limit.timeout === undefined
      ? Infinity
      : performance.now() + limit.timeout;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<Step<T>> {
    if (this.#unread !== undefined) this.#listen(this.#unread);
    // A waiter queued before this call goes first; it only waits while
    // nothing is ready.
    if (this.#waiters.size === 0) {
      const future = this.#ready.shift();
      if (future !== undefined) {
        return Promise.resolve({ done: false, value: future });
      }
      if (this.#pending.size === 0) return Promise.resolve(END);
      if (
        this.#timeout !== undefined && this.#deadline <= performance.now()
      ) {
        return Promise.reject(this.#timedOut());
      }
    }
    return new Promise<Step<T>>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      if (this.#timer === undefined && this.#timeout !== undefined) {
        this.#timer = setTimeout(
          this.#onTimeout,
          Math.max(0, this.#deadline - performance.now()),
        );
      }
    });
  }

  return(): Promise<Step<T>> {
    this.#unread = undefined;
    this.#end();
    return Promise.resolve(END);
  }

  #listen(futures: Future<T>[]): void {
    this.#unread = undefined;
    // A future listed twice is handed out once; `#pending` is its own check.
    const pending = this.#pending;
    let ready: Set<Future<T>> | undefined;
    for (const future of futures) {
      if (!future.done()) {
        if (pending.has(future)) continue;
        pending.add(future);
        future.addDoneCallback(this.#onDone);
        continue;
      }
      ready ??= new Set();
      if (ready.has(future)) continue;
      ready.add(future);
      // Handing a failed future out counts as observing its error, as a
      // done callback would.
      internals.take(future as Future<unknown>);
      this.#ready.push(future);
    }
    this.#total = pending.size + this.#ready.size;
  }

  #onTimeout = () => {
    this.#timer = undefined;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) waiter.reject(this.#timedOut());
  };

  /** Ends the iteration on a timeout, and makes the error to throw. */
  #timedOut(): Error {
    const missing = this.#pending.size;
    this.#end();
    return new this.#TimeoutError(
      `Cannot get the next completed future: ${missing} of ${this.#total} futures were not done within ${this.#timeout} ms`,
    );
  }

  /** Stops listening, lets go of every future, and ends every waiter. */
  #end(): void {
    this.#stopTimer();
    for (const future of this.#pending) future.removeDoneCallback(this.#onDone);
    this.#pending.clear();
    this.#ready.clear();
    for (const waiter of this.#waiters.clear()) waiter.resolve(END);
  }

  #stopTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
