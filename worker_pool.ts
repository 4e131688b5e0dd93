// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * A pool of worker threads for parallel CPU work, with this package's
 * {@linkcode Future}s: the tutorial's process pool. Submit a self-contained
 * function, or call an export of a module; inside a task, `yield*` the
 * future, and two tasks on one pool run in parallel.
 *
 * ```ts
 * import { WorkerPool } from "@frontier/generators/worker-pool";
 * import { gather } from "@frontier/generators/future";
 * import { startInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * function fib(n: number): number {
 *   return n <= 2 ? 1 : fib(n - 1) + fib(n - 2);
 * }
 *
 * await using pool = new WorkerPool({ maxWorkers: 2 });
 *
 * function* computeFibs(n: number) {
 *   const result: number[] = [];
 *   for (let i = 0; i < n; i++) result.push(yield* pool.submit(fib, i));
 *   return result;
 * }
 *
 * const t1 = startInlineFuture(computeFibs(20));
 * const t2 = startInlineFuture(computeFibs(20));
 * const [r1, r2] = await gather([t1, t2]);
 * assert.equal(r1[19], 4181);
 * assert.deepEqual(r1, r2);
 * ```
 *
 * @module
 */

import type { ArgsOf } from "./_core/types.ts";
import { PoolEngine } from "./_executor/pool_engine.ts";
import { checkLimits } from "./_executor/options.ts";
import type { Transfer } from "./_executor/transfer.ts";
import type {
  Executor,
  MapOptions,
  ShutdownOptions,
  SubmitOptions,
  Submitter,
  TaskResult,
  WithTransfer,
} from "./executor.ts";
import type { Future } from "./future.ts";

export { WorkerDiedError } from "./_executor/errors.ts";

/** The names of the function exports of a module type `M`. */
export type FunctionKeys<M> =
  & {
    [K in keyof M]-?: M[K] extends (...args: never[]) => unknown ? K : never;
  }[keyof M]
  & string;

export type { ArgsOf };

/** The return type of a function type. */
export type ReturnOf<F> = F extends (...args: never[]) => infer R ? R
  : never;

/** Options of {@linkcode WorkerPool}. */
export interface WorkerPoolOptions {
  /**
   * How many workers may run at once. Workers start on demand.
   *
   * @default {navigator.hardwareConcurrency}
   */
  maxWorkers?: number;
  /**
   * How many workers to start at once and keep while idle, so that worker
   * start-up stays off the path of the first tasks. Idle workers never keep
   * the process alive; a pool dropped without `shutdown()` releases them
   * when it is garbage-collected, which may be late: shut a pool down (or
   * use `await using`) to release its workers at once.
   *
   * @default {0}
   */
  minWorkers?: number;
  /**
   * The module whose exports {@linkcode WorkerPool.call} runs: an absolute
   * URL, such as `new URL("./tasks.ts", import.meta.url)` or
   * `import.meta.resolve("./tasks.ts")`. Each worker imports it as it
   * starts. Without it, the pool runs only submitted functions.
   *
   * @default {undefined}
   */
  module?: string | URL;
  /**
   * How many tasks may wait for a worker; past it `submit` and `call` throw
   * a `QueueFullError`.
   *
   * @default {Infinity}
   */
  maxQueue?: number;
  /**
   * Milliseconds after which an idle worker beyond `minWorkers` is stopped.
   * Idle workers never keep the process alive either way.
   *
   * @default {10000}
   */
  idleTimeout?: number;
  /**
   * A name for the workers, shown in Deno's error messages.
   *
   * @default {"WorkerPool"}
   */
  name?: string;
  /**
   * Megabytes of heap each worker may use. A worker that needs more dies
   * with a {@linkcode WorkerDiedError} for the tasks it was running, and is
   * replaced; the process and the other workers go on. (In Deno 2.9 a worker
   * says so only from a task the pool expected to take a millisecond or
   * more, as any task that fills a heap does; one it expected to be quicker
   * stops in silence, and only its `timeout` ends it.)
   *
   * @default {the heap limit of the calling isolate}
   */
  heapLimit?: number;
  /**
   * How many tasks one worker is handed at once. By default the pool decides
   * from how long each function takes: tiny tasks are pipelined (up to 128
   * per worker) to hide the message round trip, long ones go one at a time.
   * Set it for async tasks that mostly wait, so that many overlap in each
   * worker whatever they cost.
   *
   * @default {undefined}
   */
  tasksPerWorker?: number;
}

/** Options of {@linkcode WorkerPool.map}. */
export interface WorkerPoolMapOptions extends MapOptions {
  /**
   * How many items go to a worker in one task: larger chunks cost fewer
   * messages for small items.
   *
   * @default {1}
   */
  chunkSize?: number;
}

/** Counts from {@linkcode WorkerPool.stats}. */
export interface WorkerPoolStats {
  /**
   * Worker threads alive: the pool's workers, starting ones included, and
   * the `stoppingWorkers`.
   */
  workers: number;
  /**
   * Threads of workers the pool stopped that have not ended yet: for at
   * most 100 ms each, after which a busy one is halted and no longer
   * counted (see {@linkcode WorkerPool} for the rare halt Deno loses),
   * except a worker stopped while still starting, which ends once its
   * script and module have loaded. None holds the process open.
   */
  stoppingWorkers: number;
  /** Workers still starting (loading their script and module). */
  startingWorkers: number;
  /** Started workers with no task. */
  idleWorkers: number;
  /** Tasks waiting for a worker. */
  queued: number;
  /** Tasks handed to a worker and not answered yet. */
  running: number;
  /** Tasks that finished with a result. */
  completed: number;
  /** Tasks that failed, timeouts and dead workers included. */
  failed: number;
  /** Tasks that were cancelled. */
  cancelled: number;
  /** Workers started since the pool was made, replacements included. */
  workersStarted: number;
}

/** What {@linkcode WorkerPool.with} returns: `submit` and `call` under limits. */
export interface WorkerPoolSubmitter<M> extends Submitter {
  /**
   * Calls the export `name` of the pool's module under the limits given to
   * `with()`.
   *
   * @param name The export's name.
   * @param args Its arguments.
   * @returns A future of its result.
   */
  call<K extends FunctionKeys<M>>(
    name: K,
    ...args: WithTransfer<ArgsOf<M[K]>>
  ): Future<TaskResult<ReturnOf<M[K]>>>;
}

type AnyFunction = (...args: unknown[]) => unknown;

// Shuts down the pools nobody references, so that their workers (kept idle
// for minWorkers) do not live on until the process exits.
const dropped = new FinalizationRegistry<PoolEngine>((engine) => {
  engine.shutdown({ wait: false });
});

/**
 * A pool of worker threads that runs functions in parallel and returns
 * {@linkcode Future}s of their results. The workers are `node:worker_threads`
 * threads with a Web Worker's globals (`self`, `postMessage`, `close`);
 * stopping one halts the code running in it and ends its thread.
 *
 * - {@linkcode submit} sends a self-contained function by its source code
 *   (compiled once per worker, then cached) with its arguments. The function
 *   cannot use variables from around it; if it does, it fails with an error
 *   that says so.
 * - {@linkcode call} runs an export of the pool's `module`, type-checked
 *   through `WorkerPool<typeof import("./tasks.ts")>`. An exported generator
 *   function runs as a `Task` inside the worker: it can `yield*` futures
 *   there (the tutorial's "run the generator entirely in one thread").
 * - {@linkcode map} runs a function over items in chunks, in order.
 * - Arguments and results are copied by structured clone; mark buffers with
 *   {@linkcode transfer} to move them instead. Errors keep their name,
 *   message, stack and cause.
 *
 * A task that throws fails only its own future. A worker that dies (an
 * uncaught error, `close()`, `Deno.exit()`, running out of its `heapLimit`)
 * fails the tasks that were running in it with a {@linkcode WorkerDiedError}
 * and is replaced; tasks it had not started run elsewhere. Cancelling a task
 * that waits removes it; cancelling one that runs (or its `signal` aborting,
 * or its `timeout` passing) stops its worker, and a fresh one takes the next
 * tasks; other tasks running in that worker at that moment (async tasks
 * share their worker) fail with a {@linkcode WorkerDiedError}, and those it
 * had not started run elsewhere. A stopped worker that does not close by itself within 100 ms
 * (its task is busy in synchronous code, even a `for (;;)`) is halted where
 * it is, and its thread ends; a `timeout` even interrupts the task's
 * synchronous code without losing the worker (the worker enforces it
 * itself; a task still running 50 ms after its deadline, awaiting
 * something, stops its worker). A halt that lands while the task is loading
 * a module (a Node.js built-in the first time, say) can be lost, leaving the
 * thread running uncounted, or crash the process: a Deno 2.9 bug, which
 * waiting the 100 ms first makes unlikely.
 *
 * No task waits behind another while a worker is free: tiny tasks are
 * pipelined to a busy worker, and those still waiting there when its current
 * task has run for 10 ms are taken back for the free workers. A worker that
 * does not take up the work it was sent while it runs no task (a timer left
 * behind by a task blocks its event loop, or its code replaced `onmessage`)
 * is replaced when a task waiting there times out, and after 2 seconds in
 * any case; the tasks it had not started run elsewhere.
 *
 * Workers start on demand, up to `maxWorkers`, and idle workers never keep
 * the process alive: a script that never shuts its pool down still exits
 * when its work is done. `shutdown()` (or `await using`) releases them at
 * once, and a pool dropped without it releases them when it is
 * garbage-collected.
 *
 * @typeParam M The type of the pool's module, `typeof import("./tasks.ts")`,
 * which types {@linkcode call}.
 *
 * @example The tutorial's futures
 * ```ts
 * import { WorkerPool } from "@frontier/generators/worker-pool";
 * import assert from "node:assert/strict";
 *
 * await using pool = new WorkerPool({ maxWorkers: 2 });
 * const fut = pool.submit((x: number, y: number) => x + y, 2, 3);
 * const seen: string[] = [];
 * fut.addDoneCallback((f) => seen.push(`Got: ${f.result()}`));
 * assert.equal(await fut, 5);
 * assert.deepEqual(seen, ["Got: 5"]);
 * ```
 *
 * @example Calling the exports of a module
 * ```ts
 * import { WorkerPool } from "@frontier/generators/worker-pool";
 * import assert from "node:assert/strict";
 *
 * // Usually `typeof import("./tasks.ts")` and `new URL("./tasks.ts",
 * // import.meta.url)`; a data: URL keeps this example self-contained.
 * interface Tasks {
 *   add(x: number, y: number): number;
 *   countdown(n: number): Generator<never, string, unknown>;
 * }
 * const source = `
 *   export function add(x, y) { return x + y; }
 *   export function* countdown(n) { while (n > 0) n--; return "liftoff"; }
 * `;
 * await using pool = new WorkerPool<Tasks>({
 *   module: `data:text/javascript,${encodeURIComponent(source)}`,
 * });
 * assert.equal(await pool.call("add", 2, 3), 5);
 * assert.equal(await pool.call("countdown", 3), "liftoff");
 * ```
 */
export class WorkerPool<M extends object = Record<never, never>>
  implements Executor {
  // The queue, the workers and the futures live in the engine; this class is
  // its public face.
  readonly #engine: PoolEngine;
  // The default of warm(), as its signature shows it.
  readonly #max: number;

  /**
   * Makes a pool. No worker starts until there is work, unless `minWorkers`
   * asks for some.
   *
   * @example
   * ```ts
   * import { WorkerPool } from "@frontier/generators/worker-pool";
   * import assert from "node:assert/strict";
   *
   * await using pool = new WorkerPool({ maxWorkers: 2, minWorkers: 1 });
   * await pool.warm(1); // the worker the constructor started is ready
   * assert.equal(pool.stats().workers, 1);
   * assert.equal(pool.stats().idleWorkers, 1);
   * ```
   *
   * @param options Limits, the module for `call`, and more.
   * @throws {RangeError} For counts that are not whole numbers in range.
   * @throws {TypeError} For a `module` that is not an absolute URL.
   */
  constructor(options: WorkerPoolOptions = {}) {
    this.#engine = new PoolEngine(options);
    this.#max = this.#engine.maxWorkers;
    // The engine never references this object, so it can be collected.
    dropped.register(this, this.#engine, this);
  }

  /**
   * Runs `fn(...args)` in a worker and returns a future of its result. `fn`
   * travels as source code: it must be self-contained (it may use globals,
   * its parameters, and {@linkcode transfer}). A generator function runs as
   * a task in the worker; a promise it returns is waited for there.
   *
   * @example
   * ```ts
   * import { WorkerPool } from "@frontier/generators/worker-pool";
   * import assert from "node:assert/strict";
   *
   * await using pool = new WorkerPool({ maxWorkers: 1 });
   * const fut = pool.submit((x: number, y: string) => x + y.length, 2, "abc");
   * assert.equal(await fut, 5);
   * ```
   *
   * @example A function that uses a variable from around it
   * ```ts
   * import { WorkerPool } from "@frontier/generators/worker-pool";
   * import assert from "node:assert/strict";
   *
   * await using pool = new WorkerPool({ maxWorkers: 1 });
   * const factor = 10;
   * await assert.rejects(
   *   Promise.resolve(pool.submit((x: number) => x * factor, 2)),
   *   /factor is not defined in the worker.*pool\.call/,
   * );
   * ```
   *
   * @param fn A self-contained function.
   * @param args Its arguments; mark buffers to move with `transfer`.
   * @returns A future of the result.
   * @throws {InvalidStateError} After `shutdown()`.
   * @throws {QueueFullError} If `maxQueue` tasks already wait.
   * @throws {TypeError} If `fn` is not a function that can be sent.
   */
  submit<A extends unknown[], R>(
    fn: (...args: A) => R,
    ...args: WithTransfer<A>
  ): Future<TaskResult<R>> {
    return this.#engine.submit(fn as AnyFunction, args) as Future<
      TaskResult<R>
    >;
  }

  /**
   * Calls the export `name` of the pool's module in a worker. TypeScript
   * checks the name and the arguments against `M`. An exported generator
   * function runs as a task inside the worker.
   *
   * @example
   * ```ts
   * import { WorkerPool } from "@frontier/generators/worker-pool";
   * import assert from "node:assert/strict";
   *
   * const source = "export const shout = (s) => s.toUpperCase() + '!';";
   * await using pool = new WorkerPool<{ shout(s: string): string }>({
   *   maxWorkers: 1,
   *   module: `data:text/javascript,${encodeURIComponent(source)}`,
   * });
   * assert.equal(await pool.call("shout", "hi"), "HI!");
   * ```
   *
   * @param name The export's name.
   * @param args Its arguments; mark buffers to move with `transfer`.
   * @returns A future of the result.
   * @throws {TypeError} If the pool has no `module`.
   * @throws {InvalidStateError} After `shutdown()`.
   * @throws {QueueFullError} If `maxQueue` tasks already wait.
   */
  call<K extends FunctionKeys<M>>(
    name: K,
    ...args: WithTransfer<ArgsOf<M[K]>>
  ): Future<TaskResult<ReturnOf<M[K]>>> {
    return this.#engine.call(name, args) as Future<
      TaskResult<ReturnOf<M[K]>>
    >;
  }

  /**
   * Returns `submit` and `call` that apply a `timeout` and a `signal` to each
   * task. When either stops a running task, its worker's code is halted
   * where it is and the worker replaced; a `timeout` interrupts the task's
   * synchronous code in the worker itself, which it keeps (see
   * {@linkcode WorkerPool}).
   *
   * @example
   * ```ts
   * import { TimeoutError } from "@frontier/generators/future";
   * import { WorkerPool } from "@frontier/generators/worker-pool";
   * import assert from "node:assert/strict";
   *
   * await using pool = new WorkerPool({ maxWorkers: 1 });
   * const spin = pool.with({ timeout: 50 }).submit(() => {
   *   for (;;); // never ends by itself
   * });
   * await assert.rejects(Promise.resolve(spin), TimeoutError);
   * assert.equal(await pool.submit(() => "still works"), "still works");
   * ```
   *
   * @param options The limits.
   * @throws {RangeError} For a `timeout` that is not a number >= 0.
   * @throws {TypeError} For a `signal` that is not an `AbortSignal`.
   */
  with(options: SubmitOptions): WorkerPoolSubmitter<M> {
    const limits = checkLimits(options, "set task limits");
    const engine = this.#engine;
    const submit = (fn: AnyFunction, ...args: unknown[]) =>
      engine.submit(fn, args, limits);
    const call = (name: string, ...args: unknown[]) =>
      engine.call(name, args, limits);
    return { submit, call } as unknown as WorkerPoolSubmitter<M>;
  }

  /**
   * Runs `fn` (a self-contained function, or the name of an export of the
   * pool's module) on every item, `chunkSize` items per task, and yields the
   * results in the order of the items. Items are read lazily, and a bounded
   * number of chunks is in flight at once. Breaking out of the loop, or an
   * item failing, cancels the chunks not started yet; a `timeout` or a
   * `signal` stops all of them.
   *
   * @example
   * ```ts
   * import { WorkerPool } from "@frontier/generators/worker-pool";
   * import assert from "node:assert/strict";
   *
   * await using pool = new WorkerPool({ maxWorkers: 2 });
   * const squares: number[] = [];
   * const items = Array.from({ length: 10 }, (_, i) => i);
   * for await (const sq of pool.map((n: number) => n * n, items, { chunkSize: 3 })) {
   *   squares.push(sq);
   * }
   * assert.deepEqual(squares, items.map((n) => n * n));
   * ```
   *
   * @param fn A self-contained function of one item.
   * @param items The items: an iterable or async iterable.
   * @param options `chunkSize`, and a `timeout` and `signal` for the whole map.
   */
  map<T, R>(
    fn: (item: T) => R,
    items: Iterable<T | Transfer<T>> | AsyncIterable<T | Transfer<T>>,
    options?: WorkerPoolMapOptions,
  ): AsyncIterableIterator<TaskResult<R>>;
  /**
   * Runs the export `name` of the pool's module on every item, in order.
   *
   * @param name The export's name.
   * @param items The items, each the export's first argument.
   * @param options `chunkSize`, and a `timeout` and `signal` for the whole map.
   */
  map<K extends FunctionKeys<M>>(
    name: K,
    items:
      | Iterable<ArgsOf<M[K]>[0] | Transfer<ArgsOf<M[K]>[0]>>
      | AsyncIterable<ArgsOf<M[K]>[0] | Transfer<ArgsOf<M[K]>[0]>>,
    options?: WorkerPoolMapOptions,
  ): AsyncIterableIterator<TaskResult<ReturnOf<M[K]>>>;
  map(
    fn: AnyFunction | string,
    items: Iterable<unknown> | AsyncIterable<unknown>,
    options: WorkerPoolMapOptions = {},
  ): AsyncIterableIterator<unknown> {
    return this.#engine.map(fn, items, options);
  }

  /**
   * Starts workers until `count` are live (all of them by default) and
   * resolves when they are ready, so that their start-up is not on the path
   * of the first tasks. Workers beyond `minWorkers` stop again after
   * `idleTimeout` without work.
   *
   * @example
   * ```ts
   * import { WorkerPool } from "@frontier/generators/worker-pool";
   * import assert from "node:assert/strict";
   *
   * await using pool = new WorkerPool({ maxWorkers: 2 });
   * await pool.warm();
   * assert.equal(pool.stats().idleWorkers, 2);
   * ```
   *
   * @param count How many workers to have; at most `maxWorkers`.
   * @returns A promise that resolves once they are ready.
   * @throws {InvalidStateError} After `shutdown()`.
   */
  warm(count: number = this.#max): Promise<void> {
    return this.#engine.warm(count);
  }

  /**
   * Stops accepting work. Work already submitted still runs, unless
   * `cancelPending` cancels what has not started; once every task has
   * settled, the workers are stopped, and whatever code still runs in them
   * (a timer left behind by a task) is halted. The promise resolves when
   * their threads have ended, or one second later for workers still loading
   * their module (they keep no process alive, and `stats().stoppingWorkers`
   * counts them until they end). A task that never settles holds it for
   * good: give such tasks a `timeout`.
   *
   * @example
   * ```ts
   * import { WorkerPool } from "@frontier/generators/worker-pool";
   * import assert from "node:assert/strict";
   *
   * const pool = new WorkerPool({ maxWorkers: 1 });
   * const fut = pool.submit(() => 42);
   * await pool.shutdown();
   * assert.equal(fut.result(), 42);
   * assert.equal(pool.stats().workers, 0);
   * ```
   *
   * @param options `wait` (default `true`): whether the promise waits for
   * the work and the workers to end; `cancelPending` (default `false`).
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    return this.#engine.shutdown(options);
  }

  /**
   * `shutdown()`, for `await using`: waits for the submitted work, then
   * stops the workers.
   *
   * @example
   * ```ts
   * import { WorkerPool } from "@frontier/generators/worker-pool";
   * import assert from "node:assert/strict";
   *
   * let fut;
   * {
   *   await using pool = new WorkerPool({ maxWorkers: 1 });
   *   fut = pool.submit(() => "done");
   * }
   * assert.equal(fut.result(), "done");
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }

  /**
   * Counts of workers and tasks, e.g. to check that nothing was left behind.
   *
   * @example
   * ```ts
   * import { WorkerPool } from "@frontier/generators/worker-pool";
   * import assert from "node:assert/strict";
   *
   * const pool = new WorkerPool({ maxWorkers: 1 });
   * await pool.submit(() => 1);
   * await pool.shutdown();
   * const stats = pool.stats();
   * assert.equal(stats.completed, 1);
   * assert.equal(stats.workers, 0);
   * ```
   */
  stats(): WorkerPoolStats {
    return this.#engine.stats();
  }
}
