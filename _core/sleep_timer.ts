// Copyright 2026 the @frontier/generators authors. MIT license.
// The timer and the abort listener behind `sleep()`. Both go away together
// whichever way the sleep ends (its time, its signal, `cancel()`, or a
// `setResult` by hand), so a finished sleep leaves no timer and no listener
// behind, and a timer never completes a future that is already done.

import type { Future } from "../future.ts";
import { CANCELLED, FINISHED, internals } from "./internals.ts";

/** Makes the `CancelledError` of a sleep whose signal was aborted. */
export type MakeAbortError = (signal: AbortSignal) => Error;

/** Finishes a future after a delay, or cancels it when a signal aborts. */
export class SleepTimer {
  #future: Future<unknown>;
  #timer: ReturnType<typeof setTimeout>;
  #signal: AbortSignal | undefined;
  #makeAbortError: MakeAbortError;

  /**
   * Starts the timer that finishes `future` with `value` after `ms`, and
   * listens to `signal`, unless it has already aborted: check that first.
   */
  constructor(
    future: Future<unknown>,
    ms: number,
    value: unknown,
    signal: AbortSignal | undefined,
    makeAbortError: MakeAbortError,
  ) {
    this.#future = future;
    this.#makeAbortError = makeAbortError;
    this.#timer = setTimeout(() => {
      this.stop();
      if (!future.done()) internals.settle(future, FINISHED, value);
    }, ms);
    this.#signal = signal;
    signal?.addEventListener("abort", this);
  }

  /** Clears the timer and stops listening to the signal. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener("abort", this);
    this.#signal = undefined;
  }

  /** Called by the signal when it aborts. */
  handleEvent(): void {
    const signal = this.#signal;
    this.stop();
    if (signal !== undefined && !this.#future.done()) {
      internals.settle(this.#future, CANCELLED, this.#makeAbortError(signal));
    }
  }
}
