// Copyright 2026 the @frontier/generators authors. MIT license.
// The iterator behind `asCompleted()`. Hand-written rather than an async
// generator: an async generator awaits the thenables it yields, and this one
// yields futures, not their results.

import type { CompletedFuture, Future } from "../future.ts";

type Timer = ReturnType<typeof setTimeout>;

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

/** Hands over `futures` as they complete, each once, with `for await`. */
export class AsCompletedIterator<T>
  implements AsyncIterableIterator<CompletedFuture<T>, undefined> {
  #futures: Future<T>[];
  #ready: Future<T>[] = [];
  #given = 0;
  #timeout: number | undefined;
  #deadline: number;
  #TimeoutError: new (message: string) => Error;
  #listening = false;
  #wake: (() => void) | undefined = undefined;
  #onDone = (future: Future<T>) => {
    this.#ready.push(future);
    this.#wake?.();
  };

  constructor(futures: Future<T>[], limit: AsCompletedLimit) {
    this.#futures = futures;
    this.#timeout = limit.timeout;
    this.#TimeoutError = limit.TimeoutError;
    this.#deadline = limit.timeout === undefined
      ? 0
      : performance.now() + limit.timeout;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<Future<T>, undefined>> {
    if (this.#given === this.#futures.length) return this.#end();
    if (!this.#listening) {
      // Listen from the first `next()` on, so an iterator nobody reads leaves
      // nothing behind on the futures.
      this.#listening = true;
      for (const future of this.#futures) future.addDoneCallback(this.#onDone);
    }
    while (this.#ready.length === 0) {
      const left = this.#timeout === undefined
        ? Infinity
        : this.#deadline - performance.now();
      if (left <= 0) {
        const missing = this.#futures.length - this.#given;
        this.#end();
        throw new this.#TimeoutError(
          `Cannot get the next completed future: ${missing} of ${this.#futures.length} futures were not done within ${this.#timeout} ms`,
        );
      }
      let timer: Timer | undefined;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        if (left !== Infinity) timer = setTimeout(resolve, left);
      });
      this.#wake = undefined;
      clearTimeout(timer);
    }
    this.#given++;
    return { done: false, value: this.#ready.shift()! };
  }

  return(): Promise<IteratorResult<Future<T>, undefined>> {
    return Promise.resolve(this.#end());
  }

  #end(): IteratorResult<Future<T>, undefined> {
    this.#given = this.#futures.length;
    this.#ready.length = 0;
    for (const future of this.#futures) {
      future.removeDoneCallback(this.#onDone);
    }
    return { done: true, value: undefined };
  }
}
