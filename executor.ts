// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Executors run functions and hand back {@linkcode Future}s: the tutorial's
 * `fut = pool.submit(func, 2, 3)`. The {@linkcode Executor} interface is
 * shared by {@linkcode LocalExecutor}, which runs work in the calling isolate
 * with bounded concurrency (the counterpart of the tutorial's thread pool, for
 * I/O-bound work), and by `WorkerPool` (`@frontier/generators/worker-pool`),
 * which runs it in parallel on Worker threads.
 *
 * A function may be sync, async, or a generator function: a generator runs
 * as a {@linkcode Task}, so it can `yield*` futures.
 *
 * ```ts
 * import { LocalExecutor } from "@frontier/generators/executor";
 * import { sleep } from "@frontier/generators/future";
 * import assert from "node:assert/strict";
 *
 * await using pool = new LocalExecutor({ maxConcurrency: 8 });
 * const fut = pool.submit(async (x: number, y: number) => {
 *   await sleep(5);
 *   return x + y;
 * }, 2, 3);
 * fut.addDoneCallback((f) => console.log("Got:", f.result()));
 * assert.equal(await fut, 5);
 * ```
 *
 * @module
 */

import { isGeneratorLike, isThenable } from "./_core/describe.ts";
import { checkCount } from "./_core/checks.ts";
import { CANCELLED, FINISHED, internals } from "./_core/internals.ts";
import { checkTaskFunction } from "./_executor/check_task_function.ts";
import { QueueFullError } from "./_executor/errors.ts";
import { Job, JobContext, JobFuture, type JobOwner } from "./_executor/job.ts";
import { type ChunkRunner, orderedMap } from "./_executor/ordered_map.ts";
import { checkLimits, type TaskLimits } from "./_executor/options.ts";
import { isTransfer, type Transfer } from "./_executor/transfer.ts";
import { Future, InvalidStateError } from "./future.ts";
import { Task } from "./task.ts";

export { Transfer, transfer } from "./_executor/transfer.ts";

/** `T`, or the value inside a {@linkcode Transfer} marker. */
export type Untransfer<T> = T extends Transfer<infer U> ? U : T;

/**
 * What a task's future settles to, for a function returning `R`: the return
 * value of a generator (which runs as a task), the value of a promise, or the
 * value itself, with a {@linkcode Transfer} marker unwrapped.
 */
export type TaskResult<R> = R extends Generator<unknown, infer T, never>
  ? Untransfer<T>
  : Untransfer<Awaited<R>>;

/** Argument types `A`, each of which may also be passed as a {@linkcode Transfer} marker. */
export type WithTransfer<A extends readonly unknown[]> = {
  [K in keyof A]: A[K] | Transfer<A[K]>;
};

/** Limits for one task; see the `with()` method of each executor. */
export interface SubmitOptions {
  /**
   * Milliseconds, counted from the call, after which the task's future fails
   * with a `TimeoutError` and its work is stopped. Without it, the task has
   * no time limit.
   *
   * @default {undefined}
   */
  timeout?: number;
  /**
   * Aborting it cancels the task (a `TimeoutError` if it timed out).
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/** Options of `map`. */
export interface MapOptions {
  /**
   * Milliseconds, counted from the call, that the whole map may take; after
   * that, iterating throws a `TimeoutError` and the work still going on is
   * stopped. Without it, the map has no time limit.
   *
   * @default {undefined}
   */
  timeout?: number;
  /**
   * Aborting it stops the map, like the timeout.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/** Options of `shutdown`. */
export interface ShutdownOptions {
  /**
   * Whether the returned promise waits until the work already submitted is
   * done and everything is released. Either way no new work is accepted,
   * and the work already submitted still runs.
   *
   * @default {true}
   */
  wait?: boolean;
  /**
   * Whether to cancel the work that has not started yet.
   *
   * @default {false}
   */
  cancelPending?: boolean;
}

/** What an executor's `with()` returns: `submit` under the given limits. */
export interface Submitter {
  /**
   * Runs `fn(...args)` under the limits given to `with()`.
   *
   * @param fn The function.
   * @param args Its arguments.
   * @returns A future of its result.
   */
  submit<A extends unknown[], R>(
    fn: (...args: A) => R,
    ...args: WithTransfer<A>
  ): Future<TaskResult<R>>;
}

/**
 * What `this` is inside a function a {@linkcode LocalExecutor} runs: declare
 * it as `function (this: LocalTaskContext, ...)` to read the task's signal.
 * Arrow functions, and functions that do not declare `this`, run as before.
 */
export interface LocalTaskContext {
  /**
   * Aborted when the task is cancelled (its reason is the `CancelledError`)
   * or times out (its reason is the `TimeoutError`): hand it to `fetch`,
   * `sleep` or anything else that takes a signal, so the work stops too.
   * It is not aborted when the task ends on its own.
   */
  readonly signal: AbortSignal;
}

/**
 * What {@linkcode LocalExecutor.with} returns: `submit` under the given
 * limits, with the task's signal as `this`.
 */
export interface LocalSubmitter extends Submitter {
  /**
   * Runs `fn(...args)` under the limits given to `with()`; `this` inside `fn`
   * is a {@linkcode LocalTaskContext}.
   *
   * @param fn The function.
   * @param args Its arguments.
   * @returns A future of its result.
   */
  submit<A extends unknown[], R>(
    fn: (this: LocalTaskContext, ...args: A) => R,
    ...args: WithTransfer<A>
  ): Future<TaskResult<R>>;
}

/**
 * Something that runs functions and returns futures of their results, after
 * Python's `concurrent.futures.Executor`.
 */
export interface Executor {
  /**
   * Runs `fn(...args)` and returns a future of its result.
   *
   * @param fn The function; a generator function runs as a task.
   * @param args Its arguments.
   */
  submit<A extends unknown[], R>(
    fn: (...args: A) => R,
    ...args: WithTransfer<A>
  ): Future<TaskResult<R>>;
  /**
   * Runs `fn` on every item and yields the results in the order of the
   * items, while later items are still being worked on.
   *
   * @param fn The function.
   * @param items The items, read lazily.
   * @param options A time limit and a signal.
   */
  map<T, R>(
    fn: (item: T) => R,
    items: Iterable<T | Transfer<T>> | AsyncIterable<T | Transfer<T>>,
    options?: MapOptions,
  ): AsyncIterableIterator<TaskResult<R>>;
  /**
   * Stops accepting work and releases the executor's resources once the
   * work already submitted is done.
   *
   * @param options Whether to wait, and whether to cancel pending work.
   */
  shutdown(options?: ShutdownOptions): Promise<void>;
  /** `shutdown()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options of {@linkcode LocalExecutor}. */
export interface LocalExecutorOptions {
  /**
   * How many tasks may run at once.
   *
   * @default {Infinity}
   */
  maxConcurrency?: number;
  /**
   * How many tasks may wait for a free slot; past it `submit` throws a
   * {@linkcode QueueFullError}.
   *
   * @default {Infinity}
   */
  maxQueue?: number;
}

/** Counts from {@linkcode LocalExecutor.stats}. */
export interface LocalExecutorStats {
  /** Tasks holding a slot: started, or about to start. */
  running: number;
  /** Tasks waiting for a slot. */
  queued: number;
  /** Tasks that finished with a result. */
  completed: number;
  /** Tasks that failed, timeouts included. */
  failed: number;
  /** Tasks that were cancelled. */
  cancelled: number;
  /**
   * Functions still running after their task was settled by a timeout or a
   * cancel: they hold no slot, and their results are ignored. Each leaves
   * this count when it ends.
   */
  abandoned: number;
}

type AnyFunction = (...args: unknown[]) => unknown;

// Phases of a local job.
const QUEUED = 0; // waiting for a slot
const CLAIMED = 1; // holds a slot, starts in a microtask
const STARTED = 2; // its function was called
const RELEASED = 3; // its slot is free again

const SUBMIT = { action: "submit", instead: "pass a function to run" };
const MAP = { action: "map", instead: "pass a function to run on each item" };

class LocalJob extends Job {
  phase = QUEUED;
  // Whether the work runs on after its task was settled from outside.
  abandoned = false;
  // A future the work returned (a task, say): cancelled with the job.
  inner: Future<unknown> | undefined = undefined;
  readonly fn: AnyFunction;
  readonly args: unknown[];
  readonly what: string;
  // Positional: one job is made per task, and an options object would cost
  // an allocation each time.
  constructor(
    owner: JobOwner<LocalJob>,
    fn: AnyFunction,
    args: unknown[],
    what: string,
  ) {
    super(owner);
    this.fn = fn;
    this.args = args;
    this.what = what;
  }
}

function unwrapArgs(args: unknown[]): unknown[] {
  for (let i = 0; i < args.length; i++) {
    if (isTransfer(args[i])) args[i] = (args[i] as Transfer<unknown>).value;
  }
  return args;
}

/**
 * Runs sync and async functions in the calling isolate, at most
 * `maxConcurrency` at a time; the rest wait in order. Functions may close
 * over anything (nothing is copied), and a generator function runs as a
 * {@linkcode Task}.
 *
 * Work starts in a microtask after `submit`, so the caller can add callbacks
 * first. Cancelling a task that has not started removes it; cancelling a
 * running generator task cancels the task (its `finally` blocks run), and a
 * future the function returned is cancelled with it. A running async
 * function cannot be stopped from outside, so it is told: `this.signal`
 * (see {@linkcode LocalTaskContext}) is aborted when its task is cancelled
 * or times out. Its slot is freed at once either way; a function that runs
 * on is abandoned (its result is ignored, `stats().abandoned` counts it), so
 * it can neither block later tasks nor `shutdown()`.
 *
 * @example The tutorial's futures, with a done callback
 * ```ts
 * import { LocalExecutor } from "@frontier/generators/executor";
 * import assert from "node:assert/strict";
 *
 * await using pool = new LocalExecutor({ maxConcurrency: 8 });
 * const seen: string[] = [];
 * const fut = pool.submit((x: number, y: number) => x + y, 2, 3);
 * fut.addDoneCallback((f) => seen.push(`Got: ${f.result()}`));
 * await fut;
 * assert.deepEqual(seen, ["Got: 5"]);
 * ```
 *
 * @example Bounded concurrency for I/O
 * ```ts
 * import { LocalExecutor } from "@frontier/generators/executor";
 * import { sleep } from "@frontier/generators/future";
 * import assert from "node:assert/strict";
 *
 * await using pool = new LocalExecutor({ maxConcurrency: 2 });
 * let now = 0;
 * let peak = 0;
 * const fetchOne = async (id: number) => {
 *   peak = Math.max(peak, ++now);
 *   await sleep(2);
 *   now--;
 *   return id * 10;
 * };
 * const results: number[] = [];
 * for await (const r of pool.map(fetchOne, [1, 2, 3, 4, 5])) results.push(r);
 * assert.deepEqual(results, [10, 20, 30, 40, 50]);
 * assert.equal(peak, 2);
 * ```
 */
export class LocalExecutor implements Executor {
  #max: number;
  #maxQueue: number;
  #queue: (LocalJob | undefined)[] = [];
  #head = 0;
  #queued = 0;
  #running = 0;
  #ready: LocalJob[] = [];
  #startQueued = false;
  #closed = false;
  #drained: Promise<void> | undefined = undefined;
  #resolveDrained: (() => void) | undefined = undefined;
  #completed = 0;
  #failed = 0;
  #cancelled = 0;
  #abandoned = 0;
  // What this executor's jobs report to it.
  #owner: JobOwner<LocalJob> = {
    onCancel: (job) => this.#withdraw(job, true),
    onTimeout: (job) => {
      this.#failed++;
      this.#withdraw(job, false);
    },
  };

  /**
   * Makes an executor.
   *
   * @param options How many tasks may run at once, and may wait.
   * @throws {RangeError} If a count is not a whole number >= 1 (or 0 for
   * `maxQueue`), or `Infinity`.
   */
  constructor(options: LocalExecutorOptions = {}) {
    this.#max = checkCount(options.maxConcurrency ?? Infinity, {
      action: "create a LocalExecutor",
      name: "option maxConcurrency",
      min: 1,
      infinite: true,
    });
    this.#maxQueue = checkCount(options.maxQueue ?? Infinity, {
      action: "create a LocalExecutor",
      name: "option maxQueue",
      infinite: true,
    });
  }

  /**
   * Runs `fn(...args)` and returns a future of its result. A generator
   * function runs as a task; a promise or future it returns is waited for.
   *
   * @example
   * ```ts
   * import { LocalExecutor } from "@frontier/generators/executor";
   * import { sleep } from "@frontier/generators/future";
   * import assert from "node:assert/strict";
   *
   * await using pool = new LocalExecutor();
   * const fut = pool.submit(function* (ms: number) {
   *   yield* sleep(ms);
   *   return "slept";
   * }, 5);
   * assert.equal(await fut, "slept");
   * ```
   *
   * @param fn The function.
   * @param args Its arguments ({@linkcode transfer} markers are unwrapped).
   * @returns A future of the result.
   * @throws {InvalidStateError} After `shutdown()`.
   * @throws {QueueFullError} If `maxQueue` tasks are already waiting.
   * @throws {TypeError} If `fn` is not a function, or an async generator
   * function.
   */
  submit<A extends unknown[], R>(
    fn: (this: LocalTaskContext, ...args: A) => R,
    ...args: WithTransfer<A>
  ): Future<TaskResult<R>> {
    return this.#submit(
      "submit()",
      fn as AnyFunction,
      args,
      undefined,
    ) as Future<
      TaskResult<R>
    >;
  }

  /**
   * Returns a {@linkcode LocalSubmitter} whose `submit` applies a `timeout`
   * and a `signal` to each task. A function declared with
   * `this: LocalTaskContext` reads its task's own signal as `this.signal`,
   * aborted on timeout or cancel, to stop the work it started.
   *
   * @example A time limit
   * ```ts
   * import { LocalExecutor } from "@frontier/generators/executor";
   * import { sleep, TimeoutError } from "@frontier/generators/future";
   * import assert from "node:assert/strict";
   *
   * await using pool = new LocalExecutor();
   * const slow = pool.with({ timeout: 5 }).submit(function* () {
   *   yield* sleep(60_000);
   * });
   * await assert.rejects(Promise.resolve(slow), TimeoutError);
   * ```
   *
   * @example The task's signal, the way `fetch` takes it
   * ```ts
   * import {
   *   LocalExecutor,
   *   type LocalTaskContext,
   * } from "@frontier/generators/executor";
   * import { sleep, TimeoutError } from "@frontier/generators/future";
   * import assert from "node:assert/strict";
   *
   * await using pool = new LocalExecutor();
   * let reason: unknown;
   * const slow = pool.with({ timeout: 5 }).submit(
   *   async function (this: LocalTaskContext, ms: number) {
   *     // As with fetch(url, { signal: this.signal }): the timer stops too.
   *     this.signal.addEventListener("abort", () => reason = this.signal.reason);
   *     await sleep(ms, undefined, { signal: this.signal });
   *   },
   *   60_000,
   * );
   * await assert.rejects(Promise.resolve(slow), TimeoutError);
   * assert.ok(reason instanceof TimeoutError);
   * ```
   *
   * @param options The limits.
   * @throws {TypeError} For a `signal` that is not an `AbortSignal`.
   * @throws {RangeError} For a `timeout` that is not a number >= 0.
   */
  with(options: SubmitOptions): LocalSubmitter {
    const limits = checkLimits(options, "set task limits");
    const submit = (fn: AnyFunction, ...args: unknown[]) =>
      this.#submit("submit()", fn, args, limits);
    return { submit } as LocalSubmitter;
  }

  /**
   * Runs `fn` on every item, at most `maxConcurrency` at a time, and yields
   * the results in the order of the items. Items are read lazily. Breaking
   * out of the loop (or an item failing) cancels the items not started yet.
   *
   * @example
   * ```ts
   * import { LocalExecutor } from "@frontier/generators/executor";
   * import assert from "node:assert/strict";
   *
   * await using pool = new LocalExecutor({ maxConcurrency: 4 });
   * const squares = await Array.fromAsync(pool.map((n: number) => n * n, [1, 2, 3]));
   * assert.deepEqual(squares, [1, 4, 9]);
   * ```
   *
   * @param fn The function.
   * @param items The items (an iterable or async iterable).
   * @param options A time limit for the whole map, and a signal.
   * @throws {TypeError} If `fn` is not a function or `items` not iterable.
   */
  map<T, R>(
    fn: (item: T) => R,
    items: Iterable<T | Transfer<T>> | AsyncIterable<T | Transfer<T>>,
    options: MapOptions = {},
  ): AsyncIterableIterator<TaskResult<R>> {
    checkTaskFunction(fn, MAP);
    const { timeout, signal } = checkLimits(options, "map");
    if (this.#closed) throw this.#closedError("map");
    const runner: ChunkRunner<TaskResult<R>> = {
      chunked: false,
      start: (chunk) =>
        this.#submit("map()", fn as AnyFunction, chunk, undefined),
      release: (future) => {
        // Work that has started runs on; nobody reads its outcome.
        const job = JobFuture.jobOf(future) as LocalJob;
        if (job.phase >= STARTED) future.addDoneCallback(noop);
        else future.cancel();
      },
    };
    return orderedMap(runner, items, {
      what: "map()",
      chunkSize: 1,
      window: Number.isFinite(this.#max) ? this.#max * 2 : 1024,
      timeout,
      signal,
    });
  }

  /**
   * Stops accepting work. The work already submitted still runs, unless
   * `cancelPending` cancels what has not started.
   *
   * @example
   * ```ts
   * import { LocalExecutor } from "@frontier/generators/executor";
   * import { sleep } from "@frontier/generators/future";
   * import assert from "node:assert/strict";
   *
   * const pool = new LocalExecutor({ maxConcurrency: 1 });
   * const first = pool.submit(() => sleep(5, "first"));
   * await sleep(1); // `first` is running
   * const second = pool.submit(() => "second");
   * await pool.shutdown({ cancelPending: true });
   * assert.equal(first.result(), "first");
   * assert.equal(second.cancelled(), true);
   * ```
   *
   * @param options `wait` (default `true`): whether the promise waits for
   * the work to end; `cancelPending` (default `false`).
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    const { wait = true, cancelPending = false } = options;
    if (!this.#closed) {
      this.#closed = true;
      const { promise, resolve } = Promise.withResolvers<void>();
      this.#drained = promise;
      this.#resolveDrained = resolve;
    }
    if (cancelPending) {
      for (const job of [...this.#queue, ...this.#ready]) {
        if (job !== undefined && job.phase < STARTED) {
          job.future.cancel(
            "the executor was shut down before the task started",
          );
        }
      }
    }
    this.#checkDrained();
    return wait ? this.#drained! : Promise.resolve();
  }

  /**
   * `shutdown()`: waits for the submitted work, for `await using`.
   *
   * @example
   * ```ts
   * import { LocalExecutor } from "@frontier/generators/executor";
   * import assert from "node:assert/strict";
   *
   * let fut;
   * {
   *   await using pool = new LocalExecutor();
   *   fut = pool.submit(() => 42);
   * }
   * assert.equal(fut.result(), 42);
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }

  /**
   * Counts of running, waiting and finished tasks.
   *
   * @example
   * ```ts
   * import { LocalExecutor } from "@frontier/generators/executor";
   * import assert from "node:assert/strict";
   *
   * await using pool = new LocalExecutor();
   * await pool.submit(() => 1);
   * assert.deepEqual(pool.stats(), {
   *   running: 0,
   *   queued: 0,
   *   completed: 1,
   *   failed: 0,
   *   cancelled: 0,
   *   abandoned: 0,
   * });
   * ```
   */
  stats(): LocalExecutorStats {
    return {
      running: this.#running,
      queued: this.#queued,
      completed: this.#completed,
      failed: this.#failed,
      cancelled: this.#cancelled,
      abandoned: this.#abandoned,
    };
  }

  #closedError(action: string): InvalidStateError {
    return new InvalidStateError(
      `Cannot ${action}: the LocalExecutor was shut down; do it before shutdown(), or make a new executor`,
    );
  }

  #submit(
    what: string,
    fn: AnyFunction,
    args: unknown[],
    limits: TaskLimits | undefined,
  ): Future<unknown> {
    const check = what === "map()" ? MAP : SUBMIT;
    if (this.#closed) throw this.#closedError(check.action);
    checkTaskFunction(fn, check);
    const hasSlot = this.#running < this.#max && this.#queued === 0;
    if (!hasSlot && this.#queued >= this.#maxQueue) {
      throw new QueueFullError(
        `Cannot ${check.action}: the LocalExecutor queue is full (maxQueue ${this.#maxQueue}, all ${this.#max} slots busy); wait for some work to finish before submitting more`,
      );
    }
    const job = new LocalJob(this.#owner, fn, unwrapArgs(args), what);
    if (limits?.signal?.aborted) {
      // Never queued: settled as it is.
      job.phase = RELEASED;
      job.settleIfAborted(limits);
      return job.future;
    }
    if (hasSlot) this.#claim(job);
    else {
      this.#queue.push(job);
      this.#queued++;
    }
    if (limits !== undefined) job.arm(limits);
    return job.future;
  }

  #claim(job: LocalJob): void {
    this.#running++;
    job.phase = CLAIMED;
    this.#ready.push(job);
    if (!this.#startQueued) {
      this.#startQueued = true;
      queueMicrotask(this.#startReady);
    }
  }

  #startReady = (): void => {
    // Jobs claimed while these start (a sync job ends, the next claims its
    // slot) are appended and started in the same loop.
    const ready = this.#ready;
    for (let i = 0; i < ready.length; i++) this.#start(ready[i]);
    ready.length = 0;
    this.#startQueued = false;
  };

  #start(job: LocalJob): void {
    if (job.phase !== CLAIMED) return;
    job.phase = STARTED;
    // Settled from outside (setResult by hand): nothing to do.
    if (job.future.done() || !job.future.setRunning()) {
      this.#release(job);
      return;
    }
    let value: unknown;
    try {
      value = job.fn.apply(new JobContext(job), job.args);
      if (isGeneratorLike(value)) {
        const task = new Task(value as Generator<unknown, unknown, unknown>);
        task.step();
        value = task;
      }
    } catch (error) {
      this.#end(job, false, error);
      return;
    }
    if (value instanceof Future) {
      job.inner = value;
      const inner = value;
      inner.addDoneCallback(() => this.#innerDone(job, inner));
    } else if (isThenable(value)) {
      try {
        value.then(
          (result) => this.#end(job, true, result),
          (error) => this.#end(job, false, error),
        );
      } catch (error) {
        this.#end(job, false, error);
      }
    } else {
      this.#end(job, true, value);
    }
  }

  #innerDone(job: LocalJob, inner: Future<unknown>): void {
    const state = internals.state(inner);
    if (state === CANCELLED) {
      this.#workEnded(job);
      if (!job.settled) {
        job.disarm();
        job.settled = true;
        this.#cancelled++;
        job.future.cancel((internals.take(inner) as Error).message);
      }
      return;
    }
    this.#end(job, state === FINISHED, internals.take(inner));
  }

  // The work ended with a value or an error: free the slot, settle.
  #end(job: LocalJob, ok: boolean, value: unknown): void {
    this.#workEnded(job);
    if (job.settled) return;
    job.settled = true;
    job.disarm();
    if (job.future.done()) return;
    if (ok) {
      this.#completed++;
      job.future.setResult(isTransfer(value) ? value.value : value);
    } else {
      this.#failed++;
      job.future.setException(value);
    }
  }

  // Stops the job's work as far as it can; `cancelled` counts it.
  #withdraw(job: LocalJob, cancelled: boolean): void {
    if (cancelled) this.#cancelled++;
    job.disarm();
    if (job.phase === QUEUED) {
      job.phase = RELEASED;
      this.#queued--;
      this.#checkDrained();
    } else if (job.phase === CLAIMED) {
      this.#release(job);
    } else if (job.phase === STARTED) {
      // A task stops in its `finally` blocks; an async function only if it
      // heeds its signal. Either way the slot is freed now: work that runs on
      // is abandoned, so it cannot hold the executor.
      const inner = job.inner;
      inner?.cancel();
      if (inner === undefined || !inner.done()) {
        job.abandoned = true;
        this.#abandoned++;
      }
      this.#release(job);
    }
  }

  // The function's work really ended: free its slot, if it still holds one.
  #workEnded(job: LocalJob): void {
    if (job.abandoned) {
      job.abandoned = false;
      this.#abandoned--;
    }
    this.#release(job);
  }

  #release(job: LocalJob): void {
    if (job.phase === RELEASED || job.phase === QUEUED) return;
    job.phase = RELEASED;
    this.#running--;
    this.#pump();
  }

  #pump(): void {
    const queue = this.#queue;
    while (this.#running < this.#max && this.#queued > 0) {
      const job = queue[this.#head];
      queue[this.#head++] = undefined;
      if (job === undefined || job.phase !== QUEUED) continue;
      this.#queued--;
      this.#claim(job);
    }
    if (this.#queued === 0 || this.#head > 1024) {
      queue.splice(0, this.#head);
      this.#head = 0;
    }
    this.#checkDrained();
  }

  #checkDrained(): void {
    if (this.#closed && this.#running === 0 && this.#queued === 0) {
      this.#resolveDrained?.();
    }
  }
}

function noop(): void {}
