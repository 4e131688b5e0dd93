// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * A pool of Deno Web Workers for parallel CPU work, with this package's
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

import { describe } from "./_core/describe.ts";
import { checkCount } from "./_core/checks.ts";
import { type ChunkRunner, orderedMap } from "./_executor/ordered_map.ts";
import {
  abortMessage,
  abortTimeout,
  checkLimits,
  type TaskLimits,
  timeoutError,
} from "./_executor/options.ts";
import {
  CANCELLED,
  CLOSED,
  CRASHED,
  deserializeError,
  FREE,
  INIT,
  KILLED,
  MAX_IN_FLIGHT,
  MODE_CALL,
  MODE_CHUNK,
  PENDING,
  READY,
  RESULT_SIZE,
  RESULTS,
  RUN,
  type SerializedError,
  STARTED,
  STATUS_CANCELLED,
  STATUS_ERROR,
  STATUS_OK,
  STATUS_SKIPPED,
} from "./_executor/pool_protocol.ts";
import {
  isTransfer,
  type Transfer,
  unwrapTransfer,
} from "./_executor/transfer.ts";
import {
  checkTaskFunction,
  type Executor,
  type MapOptions,
  QueueFullError,
  type ShutdownOptions,
  type SubmitOptions,
  type Submitter,
  type TaskResult,
  type WithTransfer,
} from "./executor.ts";
import {
  CancelledError,
  Future,
  InvalidStateError,
  TimeoutError,
} from "./future.ts";
import type { ArgsOf } from "./_core/types.ts";

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
   * How many workers may run at once (default
   * `navigator.hardwareConcurrency`). Workers start on demand.
   */
  maxWorkers?: number;
  /**
   * How many workers to start at once and keep while idle (default 0), so
   * that worker start-up stays off the path of the first tasks.
   */
  minWorkers?: number;
  /**
   * The module whose exports {@linkcode WorkerPool.call} runs: an absolute
   * URL, such as `new URL("./tasks.ts", import.meta.url)` or
   * `import.meta.resolve("./tasks.ts")`. Each worker imports it as it
   * starts.
   */
  module?: string | URL;
  /**
   * How many tasks may wait for a worker (default `Infinity`); past it
   * `submit` and `call` throw a `QueueFullError`.
   */
  maxQueue?: number;
  /**
   * Milliseconds after which an idle worker beyond `minWorkers` is stopped
   * (default 10 000). Idle workers never keep the process alive either way.
   */
  idleTimeout?: number;
  /** A name for the workers, shown in Deno's error messages. */
  name?: string;
  /**
   * How many tasks one worker is handed at once. By default the pool decides
   * from how long each function takes: tiny tasks are pipelined (up to 128
   * per worker) to hide the message round trip, long ones go one at a time.
   * Set it for async tasks that mostly wait, so that many overlap in each
   * worker whatever they cost.
   */
  tasksPerWorker?: number;
}

/** Options of {@linkcode WorkerPool.map}. */
export interface WorkerPoolMapOptions extends MapOptions {
  /**
   * How many items go to a worker in one task (default 1): larger chunks
   * cost fewer messages for small items.
   */
  chunkSize?: number;
}

/** Counts from {@linkcode WorkerPool.stats}. */
export interface WorkerPoolStats {
  /** Live workers, starting ones included. */
  workers: number;
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

/**
 * The error of a task whose worker stopped while it ran: the worker crashed
 * (an uncaught error, with it as the `cause`), closed itself (`close()`,
 * `Deno.exit()`), could not start, or was terminated to stop another task
 * running in it. The pool replaces the worker; tasks that had not started
 * there run elsewhere.
 *
 * @example
 * ```ts
 * import { WorkerDiedError, WorkerPool } from "@frontier/generators/worker-pool";
 * import assert from "node:assert/strict";
 *
 * await using pool = new WorkerPool({ maxWorkers: 1 });
 * const dying = pool.submit(() => {
 *   setTimeout(() => {
 *     throw new Error("boom");
 *   });
 *   return new Promise(() => {}); // never settles by itself
 * });
 * await assert.rejects(Promise.resolve(dying), WorkerDiedError);
 * assert.equal(await pool.submit(() => "next"), "next"); // a new worker
 * ```
 */
export class WorkerDiedError extends Error {
  /** Makes a `WorkerDiedError`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "WorkerDiedError";
  }
}

// Error classes rebuilt by name when they come back from a worker.
const ERROR_CLASSES: Record<string, new (message: string) => Error> = {
  CancelledError,
  InvalidStateError,
  TimeoutError,
  QueueFullError,
  WorkerDiedError,
};

const WORKER_URL = new URL("./_executor/worker.ts", import.meta.url);

/**
 * A worker is handed more tasks while the work it holds is expected to take
 * less than this many milliseconds: tiny tasks are pipelined to hide the
 * message round trip, long ones go one at a time so none waits behind
 * another while a worker is free.
 */
const BUDGET_MS = 2;
/** The expected cost of a function not measured yet: only an idle worker takes it. */
const UNKNOWN_COST = 1e6;
/** Weight of the newest measurement in a function's moving average cost. */
const COST_WEIGHT = 0.3;
/** Idle timeout when idle workers cannot be kept from holding the process. */
const FALLBACK_IDLE_MS = 1000;
/**
 * How long a worker stays referenced after its last task. Unreferencing at
 * once would cost two calls into Deno per task in a one-at-a-time loop; the
 * price of waiting is that a script ends at most this much later.
 */
const UNREF_DELAY_MS = 20;

// Deno's `Worker` keeps the process alive until it is terminated, and has no
// public `unref()`. Its implementation counts references behind an unnamed
// symbol method (the one `node:worker_threads` uses for `unref()`). When it
// is there, idle workers are unreferenced; when a later Deno drops it, idle
// workers are stopped after a short timeout instead.
const refWorker = findWorkerRef();

function findWorkerRef(): ((worker: Worker, ref: boolean) => void) | undefined {
  if (typeof Worker !== "function") return undefined;
  const proto = Worker.prototype as unknown as Record<symbol, unknown>;
  for (const symbol of Object.getOwnPropertySymbols(proto)) {
    const fn = proto[symbol];
    // Only a method that is recognisably the reference counter: a wrong
    // guess must fall back to stopping idle workers, never call into
    // something else.
    if (
      symbol.description === undefined && typeof fn === "function" &&
      fn.length === 1 &&
      /refCount|unrefOp/.test(Function.prototype.toString.call(fn))
    ) {
      return (worker, ref) => fn.call(worker, ref);
    }
  }
  return undefined;
}

function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  const t = timer as unknown as { unref?: () => void };
  if (typeof t.unref === "function") t.unref();
  else if (typeof Deno === "object") {
    Deno.unrefTimer(timer as unknown as number);
  }
}

type Key = number | string;
type AnyFunction = (...args: unknown[]) => unknown;

class Job {
  seq: number;
  key: Key;
  mode: number;
  args: unknown[];
  transfer: Transferable[] | undefined;
  future: PoolFuture<unknown>;
  worker: PoolWorker | undefined = undefined;
  slot = -1;
  est = 0;
  // Whether its transfer list went to a worker: then it cannot run again.
  moved = false;
  // Whether it waits in the pool's queue.
  queued = false;
  // Whether the future's outcome is decided (it may still be settling).
  settled = false;
  timer: ReturnType<typeof setTimeout> | undefined = undefined;
  signal: AbortSignal | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;
  constructor(
    seq: number,
    key: Key,
    mode: number,
    args: unknown[],
    transfer: Transferable[] | undefined,
    onCancel: (job: Job) => void,
  ) {
    this.seq = seq;
    this.key = key;
    this.mode = mode;
    this.args = args;
    this.transfer = transfer;
    this.future = new PoolFuture(this, onCancel);
  }
  get what(): string {
    if (this.mode === MODE_CHUNK) return "map()";
    return typeof this.key === "string"
      ? `call(${JSON.stringify(this.key)})`
      : "submit()";
  }
}

// A future whose `cancel()` also stops its task: a queued task is dropped,
// one a worker has not started is skipped, and a running one is stopped by
// terminating its worker.
class PoolFuture<T> extends Future<T> {
  readonly #job: Job;
  readonly #onCancel: (job: Job) => void;
  constructor(job: Job, onCancel: (job: Job) => void) {
    super();
    this.#job = job;
    this.#onCancel = onCancel;
  }
  static jobOf(future: PoolFuture<unknown>): Job {
    return future.#job;
  }
  override cancel(message?: string): boolean {
    if (this.done()) return false;
    const job = this.#job;
    if (!job.settled) {
      job.settled = true;
      this.#onCancel(job);
    }
    return super.cancel(message ?? `${job.what} was cancelled`);
  }
}

class PoolWorker {
  readonly jobs: (Job | undefined)[] = new Array(MAX_IN_FLIGHT);
  readonly free: number[] = [];
  // Ids of the submitted functions this worker has been sent.
  readonly known = new Set<number>();
  outbox: Job[] = [];
  ready = false;
  dead = false;
  refd = true;
  inFlight = 0;
  load = 0;
  idleSince = 0;
  waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  constructor(
    readonly worker: Worker,
    readonly states: Int32Array,
    readonly index: number,
  ) {
    for (let slot = MAX_IN_FLIGHT - 1; slot >= 0; slot--) this.free.push(slot);
  }
}

const EXPRESSION = /^(?:async\s*)?(?:function\b|\(|[\w$]+\s*=>)/;
const METHOD = /^(async\s+)?(\*\s*)?([\w$]+)\s*\(/;

// The source of `fn` as a function expression the worker can compile.
function sourceOf(fn: AnyFunction): string {
  const text = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(text)) {
    throw new TypeError(
      `submit() cannot send ${
        describe(fn)
      } to a worker: it is built in or bound, so it has no source code to send; wrap it in a function, e.g. (x: number) => Math.sqrt(x)`,
    );
  }
  if (/^class\b/.test(text)) {
    throw new TypeError(
      `submit() takes a function to call, got ${describe(fn)}`,
    );
  }
  if (EXPRESSION.test(text)) return text;
  // A method (`name() {}`) is sent as the function it stands for.
  const method = METHOD.exec(text);
  if (method !== null) {
    return `${method[1] ?? ""}function${method[2] ? "*" : ""} ${method[3]}${
      text.slice(method[0].length - 1)
    }`;
  }
  throw new TypeError(
    `submit() cannot send ${
      describe(fn)
    } to a worker: its source is not a function expression (a getter, or a method with a computed name?): ${
      text.slice(0, 80)
    }`,
  );
}

function moduleUrlOf(module: unknown): string {
  if (typeof module !== "string" && !(module instanceof URL)) {
    throw new TypeError(
      `WorkerPool option module must be a URL or a URL string, got ${
        describe(module)
      }`,
    );
  }
  const text = String(module);
  if (!URL.canParse(text)) {
    throw new TypeError(
      `WorkerPool option module must be an absolute URL, got ${
        JSON.stringify(text)
      }: a relative path has nothing to be relative to here; pass new URL(${
        JSON.stringify(text)
      }, import.meta.url) or import.meta.resolve(${JSON.stringify(text)})`,
    );
  }
  return text;
}

function noop(): void {}

/**
 * A pool of Web Workers that runs functions in parallel and returns
 * {@linkcode Future}s of their results.
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
 * uncaught error, `close()`, `Deno.exit()`) fails the tasks that were
 * running in it with a {@linkcode WorkerDiedError} and is replaced; tasks it
 * had not started run elsewhere. Cancelling a task that waits removes it;
 * cancelling one that runs (or its `timeout` passing, or its `signal`
 * aborting) terminates its worker and starts a fresh one. An out-of-memory
 * error is the exception: in Deno, a Web Worker running out of memory aborts
 * the whole process.
 *
 * Workers start on demand, up to `maxWorkers`, and idle workers never keep
 * the process alive: a script that never shuts its pool down still exits
 * when its work is done. `shutdown()` (or `await using`) releases them at
 * once.
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
  #max: number;
  #min: number;
  #maxQueue: number;
  #idleTimeout: number;
  #moduleUrl: string | null;
  #name: string;
  #perWorker: number | undefined;

  #workers: PoolWorker[] = [];
  #queue: (Job | undefined)[] = [];
  #head = 0;
  #queued = 0;
  #running = 0;
  #seq = 0;
  #dirty: PoolWorker[] = [];
  #flushQueued = false;

  // Submitted functions: ids by function and by source, sources by id.
  #fnIds = new WeakMap<AnyFunction, number>();
  #idsBySource = new Map<string, number>();
  #sources = new Map<number, string>();
  // Moving average cost (ms) of each function or export.
  #costs = new Map<Key, number>();

  #closed = false;
  #drained: Promise<void> | undefined = undefined;
  #resolveDrained: (() => void) | undefined = undefined;
  #reapTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  #unrefTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  #startFailures = 0;

  #completed = 0;
  #failed = 0;
  #cancelled = 0;
  #started = 0;

  #onCancel = (job: Job) => {
    this.#cancelled++;
    this.#withdraw(job, "it was cancelled");
  };

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
    this.#max = checkCount(
      options.maxWorkers ?? Math.max(1, navigator.hardwareConcurrency ?? 1),
      { action: "create a WorkerPool", name: "option maxWorkers", min: 1 },
    );
    this.#min = checkCount(options.minWorkers ?? 0, {
      action: "create a WorkerPool",
      name: "option minWorkers",
    });
    if (this.#min > this.#max) {
      throw new RangeError(
        `WorkerPool option minWorkers (${this.#min}) is more than maxWorkers (${this.#max})`,
      );
    }
    this.#maxQueue = checkCount(options.maxQueue ?? Infinity, {
      action: "create a WorkerPool",
      name: "option maxQueue",
      infinite: true,
    });
    const idle = options.idleTimeout ?? 10_000;
    if (typeof idle !== "number" || !(idle >= 0)) {
      throw new RangeError(
        `WorkerPool option idleTimeout must be a number of milliseconds >= 0, got ${
          describe(idle)
        }`,
      );
    }
    this.#idleTimeout = refWorker === undefined
      ? Math.min(idle, FALLBACK_IDLE_MS)
      : idle;
    this.#moduleUrl = options.module === undefined
      ? null
      : moduleUrlOf(options.module);
    this.#name = options.name ?? "WorkerPool";
    this.#perWorker = options.tasksPerWorker === undefined
      ? undefined
      : Math.min(
        checkCount(options.tasksPerWorker, {
          action: "create a WorkerPool",
          name: "option tasksPerWorker",
          min: 1,
        }),
        MAX_IN_FLIGHT,
      );
    this.#ensureWorkers();
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
    return this.#enqueue(this.#keyOf(fn as AnyFunction), MODE_CALL, args, {
      limits: undefined,
      bounded: true,
    }) as Future<TaskResult<R>>;
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
    return this.#enqueue(this.#checkName("call()", name), MODE_CALL, args, {
      limits: undefined,
      bounded: true,
    }) as Future<TaskResult<ReturnOf<M[K]>>>;
  }

  /**
   * Returns `submit` and `call` that apply a `timeout` and a `signal` to each
   * task. When either stops a running task, its worker is terminated and
   * replaced.
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
    const limits = checkLimits("with()", options);
    const submit = (fn: AnyFunction, ...args: unknown[]) =>
      this.#enqueue(this.#keyOf(fn), MODE_CALL, args, {
        limits,
        bounded: true,
      });
    const call = (name: string, ...args: unknown[]) =>
      this.#enqueue(this.#checkName("call()", name), MODE_CALL, args, {
        limits,
        bounded: true,
      });
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
    const key = typeof fn === "string"
      ? this.#checkName("map()", fn)
      : this.#keyOf(fn);
    const { timeout, signal } = checkLimits("map()", options);
    const chunkSize = checkCount(options.chunkSize ?? 1, {
      action: "map",
      name: "option chunkSize",
      min: 1,
    });
    if (this.#closed) throw this.#closedError("map()");
    const runner: ChunkRunner<unknown> = {
      chunked: true,
      // The window bounds what a map queues, so maxQueue does not apply.
      start: (chunk) =>
        this.#enqueue(key, MODE_CHUNK, [chunk], {
          limits: undefined,
          bounded: false,
        }),
      release: (future) => this.#release(future as PoolFuture<unknown>),
    };
    return orderedMap(runner, items, {
      what: "map()",
      chunkSize,
      window: this.#max * 32,
      timeout,
      signal,
    });
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
    if (this.#closed) throw this.#closedError("warm()");
    checkCount(count, { action: "warm the pool", name: "count" });
    const target = Math.min(count, this.#max);
    while (this.#workers.length < target) {
      if (this.#startWorker() === undefined) break;
    }
    const waiting = this.#workers.filter((w) => !w.ready).map((w) =>
      new Promise<void>((resolve, reject) =>
        w.waiters.push({ resolve, reject })
      )
    );
    return Promise.all(waiting).then(noop);
  }

  /**
   * Stops accepting work. Work already submitted still runs, unless
   * `cancelPending` cancels what has not started; once nothing is left, the
   * workers are terminated.
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
    const { wait = true, cancelPending = false } = options;
    if (!this.#closed) {
      this.#closed = true;
      const { promise, resolve } = Promise.withResolvers<void>();
      this.#drained = promise;
      this.#resolveDrained = resolve;
      clearTimeout(this.#reapTimer);
      this.#reapTimer = undefined;
    }
    if (cancelPending) {
      const message = "the pool was shut down before the task started";
      for (let i = this.#head; i < this.#queue.length; i++) {
        this.#queue[i]?.future.cancel(message);
      }
      for (const w of [...this.#workers]) {
        for (const job of w.jobs) {
          if (
            job !== undefined && Atomics.load(w.states, job.slot) === PENDING
          ) {
            this.#release(job.future);
          }
        }
      }
    }
    this.#checkDrained();
    return wait ? this.#drained! : Promise.resolve();
  }

  /**
   * `shutdown()`, for `await using`: waits for the submitted work, then
   * terminates the workers.
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
    let starting = 0;
    let idle = 0;
    for (const w of this.#workers) {
      if (!w.ready) starting++;
      else if (w.inFlight === 0) idle++;
    }
    return {
      workers: this.#workers.length,
      startingWorkers: starting,
      idleWorkers: idle,
      queued: this.#queued,
      running: this.#running,
      completed: this.#completed,
      failed: this.#failed,
      cancelled: this.#cancelled,
      workersStarted: this.#started,
    };
  }

  // --- submitting -------------------------------------------------------

  #closedError(what: string): InvalidStateError {
    return new InvalidStateError(
      `${what} on a WorkerPool that was shut down: submit work before shutdown(), or make a new pool`,
    );
  }

  #keyOf(fn: AnyFunction): number {
    let id = this.#fnIds.get(fn);
    if (id !== undefined) return id;
    checkTaskFunction("submit()", fn);
    const source = sourceOf(fn);
    id = this.#idsBySource.get(source);
    if (id === undefined) {
      id = this.#idsBySource.size + 1;
      this.#idsBySource.set(source, id);
      this.#sources.set(id, source);
    }
    this.#fnIds.set(fn, id);
    return id;
  }

  #checkName(what: string, name: unknown): string {
    if (typeof name !== "string") {
      throw new TypeError(
        `${what} takes the name of an export of the pool's module, got ${
          describe(name)
        }`,
      );
    }
    if (this.#moduleUrl === null) {
      throw new TypeError(
        `${what} runs exports of the pool's module, but this pool has none: make it with new WorkerPool({ module: new URL("./tasks.ts", import.meta.url) })`,
      );
    }
    return name;
  }

  #enqueue(
    key: Key,
    mode: number,
    args: unknown[],
    how: { limits: TaskLimits | undefined; bounded: boolean },
  ): Future<unknown> {
    if (this.#closed) {
      throw this.#closedError(mode === MODE_CHUNK ? "map()" : "submit()");
    }
    let transfers: Transferable[] | undefined;
    const values = mode === MODE_CHUNK ? args[0] as unknown[] : args;
    for (let i = 0; i < values.length; i++) {
      if (isTransfer(values[i])) {
        transfers ??= [];
        values[i] = unwrapTransfer(values[i], transfers);
      }
    }
    const job = new Job(
      ++this.#seq,
      key,
      mode,
      args,
      transfers,
      this.#onCancel,
    );
    const { limits } = how;
    const signal = limits?.signal;
    if (signal?.aborted) {
      this.#abort(job, signal);
      return job.future;
    }
    if (this.#queued > 0 || !this.#assign(job)) {
      if (how.bounded && this.#queued >= this.#maxQueue) {
        throw new QueueFullError(
          `${job.what}: the WorkerPool queue is full (maxQueue ${this.#maxQueue} tasks already wait for its ${this.#max} workers); wait for some work to finish before submitting more, or raise maxQueue`,
        );
      }
      this.#queue.push(job);
      job.queued = true;
      this.#queued++;
      this.#ensureWorkers();
    }
    if (limits?.timeout !== undefined) {
      const ms = limits.timeout;
      job.timer = setTimeout(() => this.#timeOut(job, ms), ms);
    }
    if (signal !== undefined) {
      job.signal = signal;
      job.onAbort = () => this.#abort(job, signal);
      signal.addEventListener("abort", job.onAbort, { once: true });
    }
    return job.future;
  }

  // Hands `job` to the least loaded ready worker, if one can take it now.
  #assign(job: Job): boolean {
    const perWorker = this.#perWorker;
    let best: PoolWorker | undefined;
    for (const w of this.#workers) {
      if (!w.ready || w.free.length === 0) continue;
      if (perWorker === undefined) {
        if (best === undefined || w.load < best.load) best = w;
      } else if (
        w.inFlight < perWorker &&
        (best === undefined || w.inFlight < best.inFlight)
      ) best = w;
    }
    if (best === undefined) return false;
    const est = this.#costs.get(job.key) ?? UNKNOWN_COST;
    if (
      perWorker === undefined && best.inFlight > 0 &&
      best.load + est > BUDGET_MS
    ) return false;
    const slot = best.free.pop()!;
    best.jobs[slot] = job;
    job.worker = best;
    job.slot = slot;
    job.est = est;
    Atomics.store(best.states, slot, PENDING);
    if (best.inFlight++ === 0 && !best.refd) this.#ref(best, true);
    best.load += est;
    this.#running++;
    if (!job.future.running()) job.future.setRunning();
    best.outbox.push(job);
    if (best.outbox.length === 1) this.#dirty.push(best);
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(this.#flush);
    }
    return true;
  }

  #pump(): void {
    if (this.#queued === 0 && this.#head === 0) return;
    const queue = this.#queue;
    while (this.#queued > 0) {
      const job = queue[this.#head]!;
      if (job.settled || job.future.done()) {
        // Cancelled while queued (already uncounted), or settled by hand.
        queue[this.#head++] = undefined;
        if (job.queued) {
          job.queued = false;
          this.#queued--;
        }
        continue;
      }
      if (!this.#assign(job)) break;
      queue[this.#head++] = undefined;
      job.queued = false;
      this.#queued--;
    }
    if (this.#queued === 0 || this.#head > 1024) {
      queue.splice(0, this.#head);
      this.#head = 0;
    }
    if (this.#queued > 0) this.#ensureWorkers();
  }

  // Batches go out once per microtask: one message per worker.
  #flush = (): void => {
    this.#flushQueued = false;
    const dirty = this.#dirty;
    this.#dirty = [];
    for (const w of dirty) if (!w.dead) this.#send(w);
  };

  #send(w: PoolWorker): void {
    const jobs = w.outbox;
    w.outbox = [];
    // One flat array: [RUN, ...entries]; every nested array costs time to clone.
    const message: unknown[] = [RUN];
    let transfers: Transferable[] | undefined;
    // Functions whose source goes with this batch, the first time each.
    let fresh: number[] | undefined;
    let sending = jobs;
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i];
      if (Atomics.load(w.states, job.slot) !== PENDING) {
        // Cancelled before it was sent: the worker never hears of it.
        if (sending === jobs) sending = jobs.slice(0, i);
        this.#freeSlot(w, job.slot, job);
        continue;
      }
      if (sending !== jobs) sending.push(job);
      const key = job.key;
      let source: string | null = null;
      if (typeof key === "number" && !w.known.has(key)) {
        w.known.add(key);
        (fresh ??= []).push(key);
        source = this.#sources.get(key)!;
      }
      message.push(job.slot, key, source, job.mode, job.args);
      if (job.transfer !== undefined) {
        transfers ??= [];
        for (const item of job.transfer) transfers.push(item);
      }
    }
    if (sending.length === 0) {
      this.#afterFree();
      return;
    }
    try {
      // Without a transfer list, Deno takes its fast path for postMessage.
      if (transfers === undefined) w.worker.postMessage(message);
      else w.worker.postMessage(message, transfers);
    } catch {
      if (fresh !== undefined) { for (const key of fresh) w.known.delete(key); }
      this.#sendOneByOne(w, sending);
      return;
    }
    if (transfers !== undefined) {
      for (const job of sending) job.moved = job.transfer !== undefined;
    }
    if (sending !== jobs) this.#afterFree();
  }

  // Something in a batch cannot be cloned: send its jobs one at a time, and
  // fail only those whose arguments cannot go.
  #sendOneByOne(w: PoolWorker, jobs: Job[]): void {
    const failed: [Job, unknown][] = [];
    for (const job of jobs) {
      const key = job.key;
      const source = typeof key === "number" && !w.known.has(key)
        ? this.#sources.get(key)!
        : null;
      try {
        const message = [RUN, job.slot, key, source, job.mode, job.args];
        if (job.transfer === undefined) w.worker.postMessage(message);
        else w.worker.postMessage(message, job.transfer);
        if (source !== null) w.known.add(key as number);
        job.moved = job.transfer !== undefined;
      } catch (error) {
        this.#freeSlot(w, job.slot, job);
        failed.push([job, error]);
      }
    }
    for (const [job, error] of failed) {
      this.#settleFailed(
        job,
        new DOMException(
          `${job.what}: its arguments could not be copied to a worker: ${
            (error as Error).message
          }. Pass data that structured clone can copy (no functions, symbols or class instances with private state), or use LocalExecutor to stay in this isolate`,
          "DataCloneError",
        ),
      );
    }
    this.#afterFree();
  }

  // --- results ----------------------------------------------------------

  #onMessage(w: PoolWorker, message: unknown[]): void {
    if (w.dead) return;
    switch (message[0]) {
      case RESULTS:
        this.#onResults(w, message);
        break;
      case READY:
        this.#onReady(w);
        break;
      case CRASHED: {
        const error = deserializeError(
          message[1] as SerializedError,
          ERROR_CLASSES,
        );
        const text = error instanceof Error
          ? `${error.name}: ${error.message}`
          : describe(error);
        this.#retire(
          w,
          `crashed with an uncaught error (${text})`,
          error,
        );
        break;
      }
      case CLOSED:
        this.#retire(
          w,
          "closed itself: close() or Deno.exit() was called in it",
          undefined,
        );
        break;
    }
  }

  #onReady(w: PoolWorker): void {
    w.ready = true;
    w.idleSince = performance.now();
    this.#startFailures = 0;
    for (const waiter of w.waiters) waiter.resolve();
    w.waiters = [];
    if (w.inFlight === 0) this.#becameIdle();
    this.#pump();
    this.#checkDrained();
  }

  // `results` is [RESULTS, ...results], RESULT_SIZE values each.
  #onResults(w: PoolWorker, results: unknown[]): void {
    const done: unknown[] = [];
    for (let i = 1; i < results.length; i += RESULT_SIZE) {
      const slot = results[i] as number;
      const job = w.jobs[slot];
      if (job === undefined) continue;
      const status = results[i + 1] as number;
      if (status !== STATUS_SKIPPED) {
        const cost = results[i + 3] as number;
        const old = this.#costs.get(job.key);
        this.#costs.set(
          job.key,
          old === undefined ? cost : old + (cost - old) * COST_WEIGHT,
        );
      }
      this.#freeSlot(w, slot, job);
      if (!job.settled) done.push(job, status, results[i + 2]);
    }
    // Refill the workers before the callbacks run: queued work starts sooner.
    this.#pump();
    for (let i = 0; i < done.length; i += 3) {
      this.#settle(done[i] as Job, done[i + 1] as number, done[i + 2]);
    }
    this.#checkDrained();
  }

  #freeSlot(w: PoolWorker, slot: number, job: Job): void {
    w.jobs[slot] = undefined;
    Atomics.store(w.states, slot, FREE);
    w.free.push(slot);
    job.worker = undefined;
    job.slot = -1;
    w.load -= job.est;
    this.#running--;
    if (--w.inFlight === 0) {
      w.load = 0;
      w.idleSince = performance.now();
      this.#becameIdle();
    }
  }

  #afterFree(): void {
    this.#pump();
    this.#checkDrained();
  }

  #settle(job: Job, status: number, value: unknown): void {
    job.settled = true;
    this.#cleanup(job);
    const future = job.future;
    if (future.done()) return;
    if (status === STATUS_OK) {
      this.#completed++;
      future.setResult(value);
    } else if (status === STATUS_ERROR) {
      this.#failed++;
      future.setException(
        deserializeError(value as SerializedError, ERROR_CLASSES),
      );
    } else if (status === STATUS_CANCELLED) {
      this.#cancelled++;
      future.cancel(value as string);
    }
  }

  #settleFailed(job: Job, error: unknown): void {
    job.settled = true;
    this.#cleanup(job);
    if (job.future.done()) return;
    this.#failed++;
    job.future.setException(error);
  }

  // --- stopping work ----------------------------------------------------

  // Stops the work of a job whose outcome was just decided elsewhere.
  #withdraw(job: Job, why: string): void {
    this.#cleanup(job);
    const w = job.worker;
    if (w === undefined) {
      if (job.queued) {
        // It stays in the array, skipped by #pump.
        job.queued = false;
        this.#queued--;
        this.#checkDrained();
      }
      return;
    }
    const slot = job.slot;
    if (
      Atomics.compareExchange(w.states, slot, PENDING, CANCELLED) === PENDING
    ) {
      return; // skipped by the worker, or not sent at all
    }
    if (Atomics.compareExchange(w.states, slot, STARTED, KILLED) === STARTED) {
      this.#retire(
        w,
        `was terminated to stop another task running in it (${job.what}: ${why})`,
        undefined,
      );
    }
    // Otherwise it finished: its result is on the way, and is ignored.
  }

  // Gives up on a task without stopping it if it already runs: for map.
  #release(future: PoolFuture<unknown>): void {
    const job = PoolFuture.jobOf(future);
    if (job.settled) return;
    const w = job.worker;
    if (
      w === undefined ||
      Atomics.compareExchange(w.states, job.slot, PENDING, CANCELLED) ===
        PENDING
    ) {
      // Not started: cancelled without touching a running worker.
      if (w !== undefined) {
        job.settled = true;
        this.#cancelled++;
        this.#cleanup(job);
      }
      future.cancel("its result is no longer wanted");
      return;
    }
    future.addDoneCallback(noop);
  }

  #timeOut(job: Job, ms: number): void {
    job.timer = undefined;
    if (job.settled) return;
    job.settled = true;
    this.#failed++;
    this.#withdraw(job, `its timeout of ${ms} ms passed`);
    if (!job.future.done()) job.future.setException(timeoutError(job.what, ms));
  }

  #abort(job: Job, signal: AbortSignal): void {
    const timedOut = abortTimeout(job.what, signal);
    if (timedOut === undefined) {
      job.future.cancel(abortMessage(job.what, signal));
      return;
    }
    if (job.settled) return;
    job.settled = true;
    this.#failed++;
    this.#withdraw(job, "its signal timed out");
    if (!job.future.done()) job.future.setException(timedOut);
  }

  #cleanup(job: Job): void {
    if (job.timer !== undefined) {
      clearTimeout(job.timer);
      job.timer = undefined;
    }
    if (job.onAbort !== undefined) {
      job.signal!.removeEventListener("abort", job.onAbort);
      job.onAbort = undefined;
    }
  }

  // --- workers ----------------------------------------------------------

  #becameIdle(): void {
    if (this.#unrefTimer === undefined && refWorker !== undefined) {
      this.#unrefTimer = setTimeout(this.#unrefIdle, UNREF_DELAY_MS);
      unrefTimer(this.#unrefTimer);
    }
    this.#scheduleReap();
  }

  #unrefIdle = (): void => {
    this.#unrefTimer = undefined;
    const now = performance.now();
    let later = false;
    for (const w of this.#workers) {
      if (!w.ready || w.inFlight > 0 || !w.refd) continue;
      if (now - w.idleSince >= UNREF_DELAY_MS) this.#ref(w, false);
      else later = true;
    }
    if (later) this.#becameIdle();
  };

  #ref(w: PoolWorker, ref: boolean): void {
    if (refWorker === undefined || w.refd === ref || w.dead) return;
    w.refd = ref;
    refWorker(w.worker, ref);
  }

  #ensureWorkers(): void {
    let starting = 0;
    for (const w of this.#workers) if (!w.ready) starting++;
    while (this.#workers.length < this.#max) {
      const forQueue = this.#queued > starting;
      const forMin = !this.#closed && this.#startFailures === 0 &&
        this.#workers.length < this.#min;
      if (!forQueue && !forMin) break;
      if (this.#startWorker() === undefined) break;
      starting++;
    }
  }

  #startWorker(): PoolWorker | undefined {
    const index = ++this.#started;
    let worker: Worker;
    try {
      worker = new Worker(WORKER_URL, {
        type: "module",
        name: `${this.#name} worker ${index}`,
      });
    } catch (error) {
      this.#failQueued(
        `no worker could be started (${
          error instanceof Error ? error.message : describe(error)
        })`,
        error,
      );
      return undefined;
    }
    const states = new Int32Array(
      new SharedArrayBuffer(MAX_IN_FLIGHT * Int32Array.BYTES_PER_ELEMENT),
    );
    const w = new PoolWorker(worker, states, index);
    worker.onmessage = (event) => this.#onMessage(w, event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.#retire(w, `failed: ${event.message}`, undefined);
    };
    worker.onmessageerror = () => {
      this.#retire(w, "sent a message that could not be read", undefined);
    };
    worker.postMessage([INIT, states, this.#moduleUrl]);
    this.#workers.push(w);
    return w;
  }

  // Terminates a worker that holds no work (idle, or the pool is done).
  #stopWorker(w: PoolWorker): void {
    if (w.dead) return;
    w.dead = true;
    w.worker.terminate();
    this.#workers.splice(this.#workers.indexOf(w), 1);
    for (const waiter of w.waiters) waiter.resolve();
    w.waiters = [];
  }

  // A worker died or is being killed: fail the tasks it had started, rerun
  // those it had not, and start a replacement if there is work.
  #retire(w: PoolWorker, reason: string, cause: unknown): void {
    if (w.dead) return;
    const wasReady = w.ready;
    w.dead = true;
    w.ready = false;
    w.worker.terminate();
    this.#workers.splice(this.#workers.indexOf(w), 1);
    w.outbox = [];
    const requeue: Job[] = [];
    const failed: Job[] = [];
    for (let slot = 0; slot < MAX_IN_FLIGHT; slot++) {
      const job = w.jobs[slot];
      if (job === undefined) continue;
      w.jobs[slot] = undefined;
      this.#running--;
      job.worker = undefined;
      job.slot = -1;
      if (job.settled || job.future.done()) continue;
      const unstarted =
        Atomics.compareExchange(w.states, slot, PENDING, CANCELLED) === PENDING;
      // Buffers moved to the dead worker are gone: such a task cannot rerun.
      if (unstarted && !job.moved) {
        job.queued = true;
        requeue.push(job);
      } else failed.push(job);
    }
    w.inFlight = 0;
    w.load = 0;
    if (requeue.length > 0) {
      requeue.sort((a, b) => a.seq - b.seq);
      this.#queue = [...requeue, ...this.#queue.slice(this.#head)];
      this.#head = 0;
      this.#queued += requeue.length;
    }
    const error = new WorkerDiedError(`the worker ${reason}`, { cause });
    for (const waiter of w.waiters) waiter.reject(error);
    w.waiters = [];
    if (!wasReady) {
      this.#startFailures++;
      // A worker that cannot start says nothing good about the next one:
      // with no worker ready, fail the waiting work rather than loop.
      if (!this.#workers.some((other) => other.ready)) {
        this.#failQueued(`could not start: it ${reason}`, cause);
      }
    }
    for (const job of failed) {
      this.#settleFailed(
        job,
        new WorkerDiedError(
          `${job.what} failed: the worker running it ${reason}; the pool replaces the worker`,
          { cause },
        ),
      );
    }
    this.#pump();
    this.#ensureWorkers();
    this.#checkDrained();
  }

  #failQueued(reason: string, cause: unknown): void {
    const jobs = this.#queue.slice(this.#head);
    this.#queue = [];
    this.#head = 0;
    this.#queued = 0;
    for (const job of jobs) {
      if (job === undefined || !job.queued) continue;
      job.queued = false;
      this.#settleFailed(
        job,
        new WorkerDiedError(`${job.what} failed: a worker ${reason}`, {
          cause,
        }),
      );
    }
  }

  #scheduleReap(): void {
    if (this.#reapTimer !== undefined || this.#closed) return;
    if (this.#workers.length <= this.#keep()) return;
    this.#reapTimer = setTimeout(this.#reap, this.#idleTimeout);
    unrefTimer(this.#reapTimer);
  }

  // Without unref, idle workers would hold the process: none are kept.
  #keep(): number {
    return refWorker === undefined ? 0 : this.#min;
  }

  #reap = (): void => {
    this.#reapTimer = undefined;
    const now = performance.now();
    let next = Infinity;
    for (const w of [...this.#workers]) {
      if (this.#workers.length <= this.#keep()) break;
      if (!w.ready || w.inFlight > 0) continue;
      const due = w.idleSince + this.#idleTimeout;
      if (due <= now) this.#stopWorker(w);
      else next = Math.min(next, due);
    }
    if (next !== Infinity && this.#workers.length > this.#keep()) {
      this.#reapTimer = setTimeout(this.#reap, next - now);
      unrefTimer(this.#reapTimer);
    }
  };

  #checkDrained(): void {
    if (!this.#closed || this.#running > 0 || this.#queued > 0) return;
    for (const w of [...this.#workers]) this.#stopWorker(w);
    clearTimeout(this.#reapTimer);
    this.#reapTimer = undefined;
    clearTimeout(this.#unrefTimer);
    this.#unrefTimer = undefined;
    this.#resolveDrained?.();
  }
}
