// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * The one small `Future` that every module of this package shares: a result
 * to be computed later, in the style of Python's `concurrent.futures.Future`,
 * that also works with `await` and, inside a task, with `yield*`.
 *
 * ```ts
 * import { Future, sleep } from "@frontier/generators/future";
 * import assert from "node:assert/strict";
 *
 * const fut = new Future<number>();
 * fut.addDoneCallback((f) => console.log("Got:", f.result()));
 * fut.setResult(5); // prints "Got: 5"
 * assert.equal(await fut, 5);
 * assert.equal(await sleep(1, "later"), "later");
 * ```
 *
 * Also here: {@linkcode sleep}, {@linkcode wait}, {@linkcode asCompleted},
 * {@linkcode gather}, and the errors {@linkcode CancelledError},
 * {@linkcode InvalidStateError} and {@linkcode TimeoutError}.
 *
 * @module
 */

import {
  CANCELLED,
  FAILED,
  FINISHED,
  type InspectFn,
  internals,
  PENDING,
  RUNNING,
} from "./_core/internals.ts";
import { describe, isThenable } from "./_core/describe.ts";
import { checkMilliseconds } from "./_core/checks.ts";
import { reportLater, runJob } from "./_core/scheduler.ts";
import { formatFuture, stateName } from "./_core/describe_future.ts";
import { FutureIterator } from "./_core/future_iterator.ts";
import {
  makePromise,
  markObserved,
  promiseOf,
  reportUnobserved,
} from "./_core/future_promise.ts";
import { completeWait } from "./_core/wait.ts";
import { AsCompletedIterator } from "./_core/as_completed.ts";
import { Gathering } from "./_core/gather.ts";
import { checkFutures } from "./_core/check_futures.ts";
import { SleepTimer } from "./_core/sleep_timer.ts";

/**
 * Thrown by a cancelled future's `result()` and `exception()`, thrown into a
 * task's generator when the task is cancelled, and the reason an awaited
 * cancelled future rejects with.
 *
 * @example Recognising cancellation
 * ```ts
 * import { CancelledError, Future } from "@frontier/generators/future";
 * import assert from "node:assert/strict";
 *
 * const fut = new Future<number>();
 * fut.cancel();
 * assert.throws(() => fut.result(), CancelledError);
 * ```
 */
export class CancelledError extends Error {
  /** Makes a `CancelledError`. */
  constructor(message = "The future was cancelled", options?: ErrorOptions) {
    super(message, options);
    this.name = "CancelledError";
  }
}

/**
 * Thrown when a future is used in a way its state does not allow: reading the
 * result of a pending future, or completing a future twice.
 *
 * @example
 * ```ts
 * import { Future, InvalidStateError } from "@frontier/generators/future";
 * import assert from "node:assert/strict";
 *
 * const fut = new Future<number>();
 * assert.throws(() => fut.result(), InvalidStateError);
 * fut.setResult(1);
 * assert.throws(() => fut.setResult(2), InvalidStateError);
 * ```
 */
export class InvalidStateError extends Error {
  /** Makes an `InvalidStateError`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InvalidStateError";
  }
}

/**
 * Thrown when a time limit passes before the awaited work is done, as by
 * {@linkcode asCompleted} with a `timeout`.
 *
 * @example
 * ```ts
 * import { TimeoutError } from "@frontier/generators/future";
 * import assert from "node:assert/strict";
 *
 * const error = new TimeoutError("no answer within 100 ms");
 * assert.equal(error.name, "TimeoutError");
 * ```
 */
export class TimeoutError extends Error {
  /** Makes a `TimeoutError`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TimeoutError";
  }
}

/** A done callback: called with the future once it is done. */
export type DoneCallback<T> = (future: Future<T>) => void;

// What a future keeps of its callbacks: none, one, or an array. A callback is
// a user's function, or a task waiting on the future (an object, woken through
// `internals.wake`), so that waiting costs no closure per task. While the
// callbacks run, the array is run in place: a slot is blanked (`undefined`)
// once its callback has run or was removed.
type Callback = DoneCallback<never> | object;
type Callbacks = Callback | (Callback | undefined)[] | undefined;

// The state word holds the state in its low bits and these flags above.
const STATE = 7;
const OBSERVED = 8; // someone will see the error: no unhandled report
const FLUSHING = 16; // done, callbacks queued or running: new ones wait in line
const PROMISED = 32; // a promise for `then` (or the unhandled report) exists
const SEALED = 64; // completed only by its owner (a task): the setters refuse

/**
 * A result to be computed later.
 *
 * Someone holds the future and completes it once with {@linkcode setResult},
 * {@linkcode setException} or {@linkcode cancel}; everyone else reads it with
 * {@linkcode result}, {@linkcode addDoneCallback}, `await`, or, inside a task,
 * `yield*`:
 *
 * - `await fut` works because a future is `PromiseLike`.
 * - `const v = yield* fut` works inside a task (see `task.ts`) and gives `v`
 *   the type `T`; on a future that is already done it does not suspend at all.
 *
 * Callbacks run in the order they were added, each exactly once, even when a
 * callback completes another future: that work is queued and run by one loop,
 * so a chain of a million futures settles without growing the call stack. A
 * callback that throws does not stop the others; its error is reported like
 * an uncaught error. A future that fails while nobody observes it (no
 * callback, no `await`, no `result()` or `exception()`) is reported like an
 * unhandled promise rejection.
 *
 * @typeParam T The type of the result.
 *
 * @example Callbacks, as in the tutorial's thread pool example
 * ```ts
 * import { Future } from "@frontier/generators/future";
 * import assert from "node:assert/strict";
 *
 * const fut = new Future<number>();
 * const seen: string[] = [];
 * fut.addDoneCallback((f) => {
 *   try {
 *     seen.push(`Got: ${f.result()}`);
 *   } catch (e) {
 *     seen.push(`Failed: ${(e as Error).name}`);
 *   }
 * });
 * fut.setException(new TypeError("unsupported operand"));
 * assert.deepEqual(seen, ["Failed: TypeError"]);
 * ```
 *
 * @example Awaiting a future
 * ```ts
 * import { Future } from "@frontier/generators/future";
 * import assert from "node:assert/strict";
 *
 * const fut = new Future<string>();
 * setTimeout(() => fut.setResult("hello"), 1);
 * assert.equal(await fut, "hello");
 * ```
 */
export class Future<T> implements PromiseLike<T> {
  // Three fields only: a suspended task is a future plus a little, and a
  // program may hold a million of them.
  #state = PENDING;
  #value: unknown = undefined;
  #callbacks: Callbacks = undefined;

  static {
    internals.state = (future) => future.#state & STATE;
    internals.peek = (future) => future.#value;
    internals.take = (future) => {
      if ((future.#state & STATE) !== FINISHED) future.#observe();
      return future.#value;
    };
    internals.settle = (future, state, value) => future.#settle(state, value);
    internals.markRunning = (future) => {
      if ((future.#state & STATE) === PENDING) {
        future.#state += RUNNING - PENDING;
      }
    };
    internals.addWaiter = (future, waiter) => future.#add(waiter);
    internals.stash = (future, value) => {
      future.#value = value;
    };
    internals.format = (future, title, inspect, options) =>
      formatFuture(future, { title, inspect, options });
    internals.seal = (future) => {
      future.#state |= SEALED;
    };
  }

  /**
   * Wraps a value, a promise or any thenable in a future. A future is returned
   * as it is.
   *
   * @example
   * ```ts
   * import { Future } from "@frontier/generators/future";
   * import assert from "node:assert/strict";
   *
   * assert.equal(Future.from(42).result(), 42);
   * assert.equal(await Future.from(Promise.resolve("later")), "later");
   * ```
   *
   * @param value The value, promise or thenable.
   * @returns A future of the value; done at once for a plain value.
   */
  static from<T>(value: T | PromiseLike<T>): Future<Awaited<T>> {
    if (value instanceof Future) return value as Future<Awaited<T>>;
    const future = new Future<Awaited<T>>();
    if (!isThenable(value)) {
      future.#settle(FINISHED, value);
      return future;
    }
    const settle = (state: number, outcome: unknown) => {
      // A future cancelled while the promise was pending ignores its outcome.
      if (!future.done()) future.#settle(state, outcome);
    };
    try {
      value.then(
        (result) => settle(FINISHED, result),
        (error) => settle(FAILED, error),
      );
    } catch (error) {
      settle(FAILED, error);
    }
    return future;
  }

  /**
   * Whether the future is done: finished with a result, failed, or cancelled.
   *
   * @example
   * ```ts
   * import { Future } from "@frontier/generators/future";
   * import assert from "node:assert/strict";
   *
   * const fut = new Future<number>();
   * assert.equal(fut.done(), false);
   * fut.setResult(1);
   * assert.equal(fut.done(), true);
   * ```
   */
  done(): boolean {
    return (this.#state & STATE) >= FINISHED;
  }

  /**
   * Whether the future was cancelled.
   *
   * @example
   * ```ts
   * import { Future } from "@frontier/generators/future";
   * import assert from "node:assert/strict";
   *
   * const fut = new Future<number>();
   * fut.cancel();
   * assert.equal(fut.cancelled(), true);
   * ```
   */
  cancelled(): boolean {
    return (this.#state & STATE) === CANCELLED;
  }

  /**
   * Whether the work behind the future has started and is not done yet (a
   * task that has taken its first step, work an executor has started).
   *
   * @example
   * ```ts
   * import { Future } from "@frontier/generators/future";
   * import assert from "node:assert/strict";
   *
   * const fut = new Future<number>();
   * fut.setRunning();
   * assert.equal(fut.running(), true);
   * ```
   */
  running(): boolean {
    return (this.#state & STATE) === RUNNING;
  }

  /**
   * The result of a finished future.
   *
   * @throws {InvalidStateError} If the future is not done yet: JavaScript
   * cannot block, so `await` it, add a done callback, or `yield*` it in a task.
   * @throws {CancelledError} If the future was cancelled.
   * @throws The future's own error, if it failed.
   *
   * @example
   * ```ts
   * import { Future } from "@frontier/generators/future";
   * import assert from "node:assert/strict";
   *
   * const fut = new Future<number>();
   * fut.setResult(5);
   * assert.equal(fut.result(), 5);
   * ```
   */
  result(): T {
    const state = this.#state & STATE;
    if (state === FINISHED) return this.#value as T;
    if (state < FINISHED) throw this.#notDone("the result");
    this.#observe();
    throw this.#value;
  }

  /**
   * The error of a failed future, or `undefined` if it finished with a result.
   *
   * @throws {InvalidStateError} If the future is not done yet.
   * @throws {CancelledError} If the future was cancelled.
   *
   * @example
   * ```ts
   * import { Future } from "@frontier/generators/future";
   * import assert from "node:assert/strict";
   *
   * const fut = new Future<number>();
   * const error = new RangeError("too big");
   * fut.setException(error);
   * assert.equal(fut.exception(), error);
   * ```
   */
  exception(): unknown {
    const state = this.#state & STATE;
    if (state === FINISHED) return undefined;
    if (state < FINISHED) throw this.#notDone("the exception");
    this.#observe();
    if (state === CANCELLED) throw this.#value;
    return this.#value;
  }

  /**
   * Calls `fn(future)` once the future is done: at once if it already is,
   * otherwise after the callbacks added before it. A callback that throws
   * does not stop the others; its error is reported like an uncaught error
   * (the global `error` event).
   *
   * @example
   * ```ts
   * import { Future } from "@frontier/generators/future";
   * import assert from "node:assert/strict";
   *
   * const fut = new Future<number>();
   * const order: number[] = [];
   * fut.addDoneCallback(() => order.push(1));
   * fut.addDoneCallback(() => order.push(2));
   * fut.setResult(0);
   * fut.addDoneCallback(() => order.push(3));
   * assert.deepEqual(order, [1, 2, 3]);
   * ```
   *
   * @param fn The callback.
   */
  addDoneCallback(fn: DoneCallback<T>): void {
    if (typeof fn !== "function") {
      throw new TypeError(
        `Cannot add a done callback: expected a function, got ${
          describe(fn)
        }; pass a function, which is called with the future`,
      );
    }
    this.#add(fn);
  }

  /**
   * Removes every registration of `fn` that has not run yet, also from inside
   * a callback while the callbacks run. A callback removed before the future
   * is done does not count as observing it: if the future then fails with no
   * other observer, its failure is reported.
   *
   * @example
   * ```ts
   * import { Future } from "@frontier/generators/future";
   * import assert from "node:assert/strict";
   *
   * const fut = new Future<number>();
   * const fn = () => {
   *   throw new Error("never called");
   * };
   * fut.addDoneCallback(fn);
   * assert.equal(fut.removeDoneCallback(fn), 1);
   * fut.setResult(1);
   * ```
   *
   * @param fn The callback to remove.
   * @returns How many registrations were removed.
   */
  removeDoneCallback(fn: DoneCallback<T>): number {
    const callbacks = this.#callbacks;
    if (!Array.isArray(callbacks)) {
      if (callbacks === undefined || callbacks !== fn) return 0;
      this.#callbacks = undefined;
      return 1;
    }
    if (this.#state & FLUSHING) {
      // The array is being run: blank the slots not run yet, in place.
      let removed = 0;
      for (let i = 0; i < callbacks.length; i++) {
        if (callbacks[i] === fn) {
          callbacks[i] = undefined;
          removed++;
        }
      }
      return removed;
    }
    const kept = callbacks.filter((callback) => callback !== fn);
    // No empty array is left: a future without callbacks is one nobody
    // observes, and its failure is reported.
    this.#callbacks = kept.length === 0 ? undefined : kept;
    return callbacks.length - kept.length;
  }

  /**
   * Cancels the future if it is not done yet, and runs its callbacks.
   *
   * @example
   * ```ts
   * import { Future } from "@frontier/generators/future";
   * import assert from "node:assert/strict";
   *
   * const fut = new Future<number>();
   * assert.equal(fut.cancel(), true);
   * assert.equal(fut.cancel(), false);
   * ```
   *
   * @param message The message of the `CancelledError` readers will see.
   * @returns `true` if this call moved the future to the cancelled state.
   */
  cancel(message?: string): boolean {
    if (this.done()) return false;
    this.#settle(CANCELLED, new CancelledError(message));
    return true;
  }

  /**
   * Marks the future as running, for executors about to start its work.
   *
   * @example
   * ```ts
   * import { Future } from "@frontier/generators/future";
   * import assert from "node:assert/strict";
   *
   * const fut = new Future<number>();
   * fut.cancel();
   * assert.equal(fut.setRunning(), false); // skip the work
   * ```
   *
   * @returns `false` if the future was cancelled (do not start the work),
   * `true` otherwise.
   * @throws {InvalidStateError} If the future is already running or done.
   */
  setRunning(): boolean {
    if (this.#state & SEALED) throw this.#sealed("mark", "running");
    const state = this.#state & STATE;
    if (state === CANCELLED) return false;
    if (state !== PENDING) {
      throw new InvalidStateError(
        `Cannot mark the future running: it is already ${
          stateName(state)
        }; call setRunning() once, before the work starts`,
      );
    }
    this.#state += RUNNING - PENDING;
    return true;
  }

  /**
   * Completes the future with a result and runs its callbacks.
   *
   * @example
   * ```ts
   * import { Future } from "@frontier/generators/future";
   * import assert from "node:assert/strict";
   *
   * const fut = new Future<string>();
   * fut.setResult("done");
   * assert.equal(fut.result(), "done");
   * ```
   *
   * @param value The result.
   * @throws {InvalidStateError} If the future is already done.
   */
  setResult(value: T): void {
    if (this.#state & SEALED) throw this.#sealed("set", "the result of");
    if (this.done()) throw this.#alreadyDone("the result", value);
    this.#settle(FINISHED, value);
  }

  /**
   * Completes the future with an error and runs its callbacks.
   *
   * @example
   * ```ts
   * import { Future } from "@frontier/generators/future";
   * import assert from "node:assert/strict";
   *
   * const fut = new Future<string>();
   * fut.setException(new Error("no luck"));
   * await assert.rejects(Promise.resolve(fut), { message: "no luck" });
   * ```
   *
   * @param error The error.
   * @throws {InvalidStateError} If the future is already done.
   */
  setException(error: unknown): void {
    if (this.#state & SEALED) throw this.#sealed("set", "the exception of");
    if (this.done()) {
      throw this.#alreadyDone("the exception", error);
    }
    this.#settle(FAILED, error);
  }

  /**
   * Attaches callbacks as a promise would, so that `await future` works. A
   * cancelled future rejects with its `CancelledError`.
   *
   * @example
   * ```ts
   * import { Future } from "@frontier/generators/future";
   * import assert from "node:assert/strict";
   *
   * const fut = new Future<number>();
   * fut.setResult(2);
   * assert.equal(await fut.then((v) => v * 10), 20);
   * ```
   */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.#state |= OBSERVED;
    return this.#asPromise().then(onFulfilled, onRejected);
  }

  /**
   * Makes `yield* future` work inside a task: it suspends the task until the
   * future is done (not at all if it already is), then evaluates to the
   * result, typed `T`, or throws the future's error at that point.
   *
   * The iterator is one-shot: it hands the future out at most once, then
   * ends with the result. A future is not a list of one future: spreading a
   * pending one (`[...future]`) throws `InvalidStateError`.
   *
   * @example
   * ```ts
   * import { Future } from "@frontier/generators/future";
   * import { runInlineFuture } from "@frontier/generators/task";
   * import assert from "node:assert/strict";
   *
   * const fut = new Future<number>();
   * setTimeout(() => fut.setResult(21), 1);
   * const doubled = await runInlineFuture((function* () {
   *   const n = yield* fut; // n: number
   *   return n * 2;
   * })());
   * assert.equal(doubled, 42);
   * ```
   */
  [Symbol.iterator](): Iterator<Future<T>, T, unknown> {
    return new FutureIterator(this);
  }

  /**
   * Shows the state, like `Future { <pending> }` or `Future { 42 }`.
   *
   * @example
   * ```ts
   * import { Future } from "@frontier/generators/future";
   * import assert from "node:assert/strict";
   *
   * assert.equal(Deno.inspect(Future.from(42)), "Future { 42 }");
   * ```
   */
  [Symbol.for("Deno.customInspect")](
    inspect: InspectFn,
    options: unknown,
  ): string {
    return formatFuture(this as Future<unknown>, {
      title: "Future",
      inspect,
      options,
    });
  }

  #add(callback: Callback): void {
    const state = this.#state;
    if ((state & STATE) >= FINISHED && !(state & FLUSHING)) {
      this.#observe();
      invoke(callback, this);
      return;
    }
    // A callback observes the outcome only if it is still there when the
    // future settles: one added and removed again does not.
    const callbacks = this.#callbacks;
    if (callbacks === undefined) this.#callbacks = callback;
    else if (Array.isArray(callbacks)) callbacks.push(callback);
    else this.#callbacks = [callbacks, callback];
  }

  #settle(state: number, value: unknown): void {
    const flags = this.#state & ~STATE;
    this.#value = value;
    if (this.#callbacks !== undefined) {
      this.#state = state | flags | FLUSHING;
      runJob(Future.#flush, this as Future<unknown>);
      return;
    }
    this.#state = state | flags;
    if (state === FAILED && !(flags & OBSERVED)) {
      // A rejected promise nobody handles is what Deno reports as an unhandled
      // rejection; observing the future later hands it a handler in time.
      this.#state |= PROMISED;
      reportUnobserved(this as Future<unknown>, value);
    }
  }

  static #flush(future: Future<unknown>): void {
    // Callbacks added while these run are appended and run after them. The
    // array stays in place while it runs, so that `removeDoneCallback` from
    // inside a callback still reaches the callbacks not run yet.
    let callbacks = future.#callbacks;
    while (callbacks !== undefined) {
      if (Array.isArray(callbacks)) {
        for (let i = 0; i < callbacks.length; i++) {
          const callback = callbacks[i];
          if (callback === undefined) continue;
          callbacks[i] = undefined;
          invoke(callback, future);
        }
        future.#callbacks = undefined;
        break;
      }
      future.#callbacks = undefined;
      invoke(callbacks, future);
      callbacks = future.#callbacks;
    }
    future.#state &= ~FLUSHING;
  }

  #observe(): void {
    const state = this.#state;
    if (state & OBSERVED) return;
    this.#state = state | OBSERVED;
    // Hand the pending unhandled-rejection report a handler.
    if (state & PROMISED) markObserved(this as Future<unknown>);
  }

  #asPromise(): Promise<T> {
    if (this.#state & PROMISED) return promiseOf(this);
    this.#state |= PROMISED;
    return makePromise(this);
  }

  #notDone(what: string): InvalidStateError {
    return new InvalidStateError(
      `Cannot read ${what}: the future is ${
        stateName(this.#state & STATE)
      }, and JavaScript cannot block until it is done; \`await\` it, add a done callback, or \`yield*\` it inside a task`,
    );
  }

  #sealed(verb: string, what: string): InvalidStateError {
    return new InvalidStateError(
      `Cannot ${verb} ${what} this future: it is a task's, completed only by its generator; return or throw from the generator instead`,
    );
  }

  #alreadyDone(what: string, value: unknown): InvalidStateError {
    return new InvalidStateError(
      `Cannot set ${what} to ${describe(value)}: the future is already ${
        stateName(this.#state & STATE)
      }; a future completes once, so check done() first or use a new future`,
    );
  }
}

function invoke(callback: Callback, future: Future<unknown>): void {
  try {
    if (typeof callback === "function") {
      (callback as DoneCallback<unknown>)(future);
    } else internals.wake(callback, future);
  } catch (error) {
    reportLater(error);
  }
}

// A future that owns its timer (and its signal's listener), so that
// completing it any way clears the timer. It extends `Future`, so it lives
// here: `_core/` files import no value from this module.
class SleepFuture<T> extends Future<T> {
  #timer: SleepTimer | undefined = undefined;
  constructor(ms: number, value: T, signal: AbortSignal | undefined) {
    super();
    if (signal?.aborted) {
      internals.settle(this as Future<unknown>, CANCELLED, abortError(signal));
    } else {
      this.#timer = new SleepTimer(
        this as Future<unknown>,
        ms,
        value,
        signal,
        abortError,
      );
    }
  }
  override cancel(message?: string): boolean {
    this.#timer?.stop();
    return super.cancel(message);
  }
  override setResult(value: T): void {
    this.#timer?.stop();
    super.setResult(value);
  }
  override setException(error: unknown): void {
    this.#timer?.stop();
    super.setException(error);
  }
}

function abortError(signal: AbortSignal): CancelledError {
  return new CancelledError("The sleep was cancelled by its signal", {
    cause: signal.reason,
  });
}

/** Options of {@linkcode sleep}. */
export interface SleepOptions {
  /**
   * A signal that cancels the sleep when it aborts (and clears its timer);
   * one already aborted gives a sleep cancelled from the start. The abort
   * reason is the `cause` of the `CancelledError`.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/**
 * A future that finishes with `value` after `ms` milliseconds, the shape of
 * `setTimeout` in `node:timers/promises`. Cancelling it clears its timer, and
 * so does its `signal` aborting. Called without a `value`, it finishes with
 * `undefined`.
 *
 * @example Waiting inside a task
 * ```ts
 * import { sleep } from "@frontier/generators/future";
 * import { runInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * const got = await runInlineFuture((function* () {
 *   const word = yield* sleep(5, "awake");
 *   return word.toUpperCase();
 * })());
 * assert.equal(got, "AWAKE");
 * ```
 *
 * @example Cancelling clears the timer
 * ```ts
 * import { sleep } from "@frontier/generators/future";
 * import assert from "node:assert/strict";
 *
 * const nap = sleep(60_000);
 * assert.equal(nap.cancel(), true); // no timer is left behind
 * ```
 *
 * @example Cancelling through a signal
 * ```ts
 * import { CancelledError, sleep } from "@frontier/generators/future";
 * import assert from "node:assert/strict";
 *
 * const controller = new AbortController();
 * const nap = sleep(60_000, "late", { signal: controller.signal });
 * controller.abort("user left");
 * assert.equal(nap.cancelled(), true);
 * await assert.rejects(async () => await nap, (error) => {
 *   assert.ok(error instanceof CancelledError);
 *   assert.equal(error.cause, "user left");
 *   return true;
 * });
 * ```
 *
 * @param ms How long to wait, in milliseconds.
 * @param value The result; left out, `undefined`.
 * @param options A signal that cancels the sleep.
 * @returns A future of `undefined`.
 * @throws {RangeError} If `ms` is not a finite number >= 0.
 * @throws {TypeError} If `options.signal` is not an `AbortSignal`.
 */
export function sleep(
  ms: number,
  value?: undefined,
  options?: SleepOptions,
): Future<undefined>;
/**
 * A future that finishes with `value` after `ms` milliseconds (the examples
 * are on the overload above).
 *
 * @param ms How long to wait, in milliseconds.
 * @param value The result.
 * @param options A signal that cancels the sleep.
 * @returns A future of `value`.
 * @throws {RangeError} If `ms` is not a finite number >= 0.
 * @throws {TypeError} If `options.signal` is not an `AbortSignal`.
 */
export function sleep<T>(
  ms: number,
  value: T,
  options?: SleepOptions,
): Future<T>;
export function sleep<T>(
  ms: number,
  value?: T,
  options: SleepOptions = {},
): Future<T | undefined> {
  checkMilliseconds(ms, { action: "sleep", name: "ms" });
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(
      `Cannot sleep: option signal must be an AbortSignal, got ${
        describe(signal)
      }; pass controller.signal of an AbortController`,
    );
  }
  return new SleepFuture(ms, value, signal);
}

/** When {@linkcode wait} returns. */
export type ReturnWhen =
  | "FIRST_COMPLETED"
  | "FIRST_EXCEPTION"
  | "ALL_COMPLETED";

/** Options of {@linkcode wait}. */
export interface WaitOptions {
  /**
   * Milliseconds after which `wait` resolves with what is done by then. Left
   * out, it waits without a limit.
   *
   * @default {undefined}
   */
  timeout?: number;
  /**
   * `"ALL_COMPLETED"` waits for every future; `"FIRST_COMPLETED"` for any
   * one; `"FIRST_EXCEPTION"` for the first that fails (a cancelled one does
   * not count), or all.
   *
   * @default {"ALL_COMPLETED"}
   */
  returnWhen?: ReturnWhen;
}

/** What {@linkcode wait} resolves to. */
export interface WaitResult<T> {
  /** The futures that were done. */
  done: Set<Future<T>>;
  /** The futures that were not. */
  notDone: Set<Future<T>>;
}

/**
 * The type of the list argument of {@linkcode wait} and
 * {@linkcode asCompleted}: `L` itself when it is a list of futures, and a
 * type that names the mistake when it is one future or a generator (each is
 * iterable, but not a list of futures), so that TypeScript refuses the call.
 *
 * @typeParam L The type of the argument.
 */
export type FutureList<L> = L extends PromiseLike<unknown>
  ? "expected a list of futures, not one future: put it in an array, [future]"
  : L extends { throw(...args: never[]): unknown }
    ? "expected a list of futures, not a generator: run it as a task and pass [task]"
  : L;

/**
 * The result type of the futures in a list of them: `number | string` for
 * a list of `Future<number>` and `Future<string>`.
 *
 * @typeParam L The type of the list.
 */
export type FutureListValue<L> = L extends Iterable<Future<infer T>> ? T
  : never;

const isFuture = (value: unknown): value is Future<unknown> =>
  value instanceof Future;

const RETURN_WHEN: readonly ReturnWhen[] = [
  "FIRST_COMPLETED",
  "FIRST_EXCEPTION",
  "ALL_COMPLETED",
];

/**
 * Waits for some or all of `futures`, and resolves to the sets of those done
 * and not done. A `timeout` resolves with what is done by then, it does not
 * fail. Cancelling the returned future stops the waiting and clears its timer.
 * A future that is done already counts at once: with `"FIRST_COMPLETED"`, a
 * done future in the list makes `wait` return at once.
 *
 * @example
 * ```ts
 * import { Future, sleep, wait } from "@frontier/generators/future";
 * import assert from "node:assert/strict";
 *
 * const quick = sleep(1, "quick");
 * const never = new Future<string>();
 * const { done, notDone } = await wait([quick, never], {
 *   returnWhen: "FIRST_COMPLETED",
 * });
 * assert.deepEqual([...done], [quick]);
 * assert.deepEqual([...notDone], [never]);
 * ```
 *
 * @typeParam L The type of the list of futures.
 * @param futures The futures to wait for: an array or other iterable, not one
 * future on its own.
 * @param options When to return, and a time limit.
 * @throws {TypeError} If `futures` is not an iterable of futures (a lone
 * future or a generator included).
 * @throws {RangeError} If `futures` is empty: waiting on nothing is a mistake,
 * as in asyncio.
 */
export function wait<L extends Iterable<Future<unknown>>>(
  futures: L & FutureList<L>,
  options: WaitOptions = {},
): Future<WaitResult<FutureListValue<L>>> {
  type T = FutureListValue<L>;
  const list = checkFutures<T>(futures, { action: "wait", isFuture });
  const returnWhen = options.returnWhen ?? "ALL_COMPLETED";
  if (!RETURN_WHEN.includes(returnWhen)) {
    throw new TypeError(
      `Cannot wait: option returnWhen must be one of ${
        RETURN_WHEN.map((name) => JSON.stringify(name)).join(", ")
      }, got ${describe(returnWhen)}`,
    );
  }
  const timeout = options.timeout === undefined
    ? undefined
    : checkMilliseconds(options.timeout, {
      action: "wait",
      name: "option timeout",
    });
  if (list.length === 0) {
    throw new RangeError(
      `Cannot wait: got no futures (${
        describe(futures)
      }), and waiting on nothing is a mistake; skip the call when there is nothing to wait for`,
    );
  }

  const result = new Future<WaitResult<T>>();
  completeWait(result, list, { returnWhen, timeout });
  return result;
}

/**
 * A done future as {@linkcode asCompleted} hands it over: the future itself,
 * typed without `then`. (TypeScript types a `for await` loop variable as the
 * awaited value of a thenable; without `then` it stays the future.) Read it
 * with `result()` or `exception()`.
 */
export type CompletedFuture<T> = Omit<Future<T>, "then">;

/** Options of {@linkcode asCompleted}. */
export interface AsCompletedOptions {
  /**
   * Milliseconds, counted from the call, after which iterating throws a
   * `TimeoutError` instead of waiting for the next future. Left out, it waits
   * without a limit.
   *
   * @default {undefined}
   */
  timeout?: number;
}

/**
 * Iterates over `futures` in the order they complete, with `for await`.
 * Each item is one of the futures, done, so read it with `result()` (see
 * {@linkcode CompletedFuture}). Futures already done at the first `next()`
 * come first, in their order in the list; a future listed twice comes once;
 * an empty list ends at once. The iterator keeps only the futures it has not
 * handed out yet. Several `next()` calls may wait at once: they get futures
 * in the order they were made, and `return()` ends those still waiting.
 *
 * @example
 * ```ts
 * import { asCompleted, sleep } from "@frontier/generators/future";
 * import assert from "node:assert/strict";
 *
 * const order: string[] = [];
 * for await (const f of asCompleted([sleep(20, "slow"), sleep(1, "fast")])) {
 *   order.push(f.result());
 * }
 * assert.deepEqual(order, ["fast", "slow"]);
 * ```
 *
 * @typeParam L The type of the list of futures.
 * @param futures The futures: an array or other iterable, not one future on
 * its own.
 * @param options A time limit.
 * @throws {TypeError} If `futures` is not an iterable of futures (a lone
 * future or a generator included).
 * @throws {TimeoutError} When the time limit passes before the next future is
 * done; the futures still pending are left as they are.
 */
export function asCompleted<L extends Iterable<Future<unknown>>>(
  futures: L & FutureList<L>,
  options: AsCompletedOptions = {},
): AsyncIterableIterator<CompletedFuture<FutureListValue<L>>, undefined> {
  type T = FutureListValue<L>;
  const list = checkFutures<T>(futures, {
    action: "iterate asCompleted()",
    isFuture,
  });
  const timeout = options.timeout === undefined
    ? undefined
    : checkMilliseconds(options.timeout, {
      action: "iterate asCompleted()",
      name: "option timeout",
    });
  return new AsCompletedIterator(list, { timeout, TimeoutError });
}

/** The result type of a future type. */
export type FutureValue<F> = F extends Future<infer T> ? T : never;

/**
 * A future of the results of `futures`, in their order. It fails with the
 * first error among them, and is cancelled, with its `CancelledError`, by the
 * first of them cancelled. An empty list gives `[]` at once.
 *
 * Cancelling it cancels those of `futures` not done yet, and returns `true`
 * if any of them accepted (asyncio's rule): the gather then ends cancelled
 * once they have ended. When they have all finished already (their callbacks
 * may still be queued), `cancel()` returns `false` and the results are kept.
 *
 * Nothing observes the gather's own outcome but its reader: a failure nobody
 * reads is reported once, as an unhandled rejection of the gather.
 *
 * @example
 * ```ts
 * import { Future, gather, sleep } from "@frontier/generators/future";
 * import assert from "node:assert/strict";
 *
 * const both = gather([sleep(5, "a"), Future.from(1)]);
 * const [a, one] = await both; // typed [string, number]
 * assert.equal(a + one, "a1");
 * ```
 *
 * @example Cancelling a gather
 * ```ts
 * import { Future, gather } from "@frontier/generators/future";
 * import assert from "node:assert/strict";
 *
 * const slow = new Future<number>();
 * const both = gather([Future.from(1), slow]);
 * assert.equal(both.cancel(), true);
 * assert.equal(slow.cancelled(), true);
 * assert.equal(both.cancelled(), true);
 * ```
 *
 * @typeParam F The types of the futures, as a tuple.
 * @param futures The futures, in an array.
 * @throws {TypeError} If `futures` is not an array of futures.
 */
export function gather<const F extends readonly Future<unknown>[]>(
  futures: F,
): Future<{ -readonly [K in keyof F]: FutureValue<F[K]> }> {
  type Results = { -readonly [K in keyof F]: FutureValue<F[K]> };
  const list = checkFutures<unknown>(futures, { action: "gather", isFuture });
  return new GatherFuture<Results>(list);
}

// The future of a `gather()`, whose `cancel()` follows asyncio's rule (see
// `_core/gather.ts`). It extends `Future`, so it lives here.
class GatherFuture<T> extends Future<T> {
  #gathering: Gathering;
  constructor(children: readonly Future<unknown>[]) {
    super();
    this.#gathering = new Gathering(
      this as Future<unknown>,
      children,
      (message) => new CancelledError(message),
    );
  }
  override cancel(message?: string): boolean {
    return !this.done() && this.#gathering.cancel(message);
  }
}
