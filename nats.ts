// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Beyond one machine: {@linkcode NatsExecutor} is an `Executor` whose work
 * runs in worker processes on any machine connected to the same NATS
 * servers (the `nats-server` program, with JetStream). Each worker process
 * (`@frontier/generators/nats-worker`) serves one module's exports on a
 * `WorkerPool` of its machine's cores; the executor sends it calls of those
 * exports, never code.
 *
 * This is the only module of the package that imports the NATS client
 * (`@nats-io/transport-node` and `@nats-io/jetstream`): a program that never
 * imports it never downloads them.
 *
 * ```ts ignore
 * // tasks.ts, served by: deno run -A jsr:@frontier/generators/nats-worker --module tasks.ts
 * export function fib(n: number): number {
 *   return n <= 2 ? 1 : fib(n - 1) + fib(n - 2);
 * }
 *
 * // main.ts
 * import { NatsExecutor } from "@frontier/generators/nats";
 * import * as tasks from "./tasks.ts";
 *
 * await using pool = await NatsExecutor.connect({ module: tasks });
 * console.log(await pool.submit(tasks.fib, 30)); // 832040
 * console.log(await pool.call("fib", 31)); // 1346269, typed by the module
 * ```
 *
 * ## Delivery
 * Jobs go to a JetStream work-queue stream and are delivered at least once:
 * a job whose worker dies (killed, out of memory, its machine gone) is
 * delivered again to another worker once the server has heard nothing from
 * it for `ackWait`, and its future still settles exactly once. A job is
 * never lost while the server keeps it (a file store survives a server
 * restart); it fails with a {@linkcode JobLostError} only when it was
 * delivered `maxDeliver` times without an answer (the client hears of it
 * even if it was disconnected at that moment), or when the executor's
 * connection closes for good. A worker hands a result straight to its
 * client, which confirms it; a client that does not confirm finds it later
 * on its own subject of a results stream. Values cross with structured-clone
 * semantics (V8's serialization, as `structuredClone`), up to 64 MiB each
 * once encoded; values larger than the server's `max_payload` travel in
 * chunks.
 *
 * Jobs submitted in the same turn of the event loop travel together: small
 * ones share a stream message (up to 256 jobs, split into at least 16
 * messages when there are that many, so that as many workers share them),
 * which a worker takes, and the server redelivers, as a whole; each job
 * still settles, fails, times out or is cancelled alone. A cancel is kept
 * in a stream that every worker reads, so it stops the job even when it
 * reaches a worker that was disconnected when it was sent, or that is
 * handed the job later.
 *
 * ## Subjects, streams and permissions
 * For a queue named `Q` (option `queue`, `default` by default):
 *
 * | name | kind | client | worker |
 * | --- | --- | --- | --- |
 * | `frontier.Q.jobs` in stream `FRONTIER_Q_JOBS` (work queue) | jobs | publish | consume (durable consumer `workers`) |
 * | `frontier.Q.reply.<client>` (core NATS) | results, handed straight | subscribe, confirm | request |
 * | `frontier.Q.results.<client>` in stream `FRONTIER_Q_RESULTS` | results the client did not confirm | consume its own | publish |
 * | `frontier.Q.data.<id>` in stream `FRONTIER_Q_DATA` | large values, in chunks | publish, consume, purge | publish, consume |
 * | `frontier.Q.status.<client>` (core NATS) | "I hold these jobs" | subscribe | publish |
 * | `frontier.Q.cancel` in stream `FRONTIER_Q_CANCELS` | "stop this job" | publish | consume |
 * | `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.FRONTIER_Q_JOBS.workers` in stream `FRONTIER_Q_LOST` | a job given up | consume | |
 *
 * Both sides also use the JetStream API (`$JS.API.>`): to make the streams
 * and the consumer when they are missing (an operator may make them
 * beforehand instead, e.g. with replicas), to publish with acknowledgement,
 * to make the ordered consumers that read results, cancels, advisories and
 * chunks, and to delete a cancelled job or purge chunks. Replies (the
 * workers' confirmations, JetStream's acknowledgements) arrive on
 * `_INBOX.>`. An account limited to these subjects can run only the served
 * module's exports: a worker never runs code it receives.
 *
 * @module
 */

import type { ArgsOf } from "./_core/types.ts";
import { checkCount } from "./_core/checks.ts";
import { describe } from "./_core/describe.ts";
import { checkTaskFunction } from "./_executor/check_task_function.ts";
import { JobFuture } from "./_executor/job.ts";
import { type ChunkRunner, orderedMap } from "./_executor/ordered_map.ts";
import { checkLimits, type TaskLimits } from "./_executor/options.ts";
import { isTransfer } from "./_executor/transfer.ts";
import { checkConnectSettings } from "./_nats/connection.ts";
import { NatsEngine } from "./_nats/executor_engine.ts";
import { queueNames } from "./_nats/names.ts";
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
import type { FunctionKeys, ReturnOf } from "./worker_pool.ts";

export { JobLostError } from "./_nats/errors.ts";

/** TLS settings for the NATS client: files of PEM certificates and keys. */
export interface NatsTlsOptions {
  /**
   * The certificate authorities to trust.
   *
   * @default {undefined}
   */
  caFile?: string;
  /**
   * This client's certificate, for servers that verify clients.
   *
   * @default {undefined}
   */
  certFile?: string;
  /**
   * This client's private key.
   *
   * @default {undefined}
   */
  keyFile?: string;
  /** Other TLS options of the client, handed on as they are. */
  [option: string]: unknown;
}

/**
 * Options handed to the NATS client's `connect()` (of
 * `@nats-io/transport-node`) as they are; the common ones are listed, and
 * any other the client knows may be given too.
 */
export interface NatsClientOptions {
  /**
   * A user name, with `pass`.
   *
   * @default {undefined}
   */
  user?: string;
  /**
   * The user's password.
   *
   * @default {undefined}
   */
  pass?: string;
  /**
   * An authentication token.
   *
   * @default {undefined}
   */
  token?: string;
  /**
   * An authenticator of the client: `nkeyAuthenticator(seed)`,
   * `credsAuthenticator(creds)`, `jwtAuthenticator(jwt, seed)` or
   * `usernamePasswordAuthenticator(user, pass)` from
   * `@nats-io/transport-node`.
   *
   * @default {undefined}
   */
  authenticator?: unknown;
  /**
   * TLS: certificate files, or `{}` to require TLS with the system's
   * authorities.
   *
   * @default {undefined}
   */
  tls?: NatsTlsOptions;
  /**
   * Milliseconds between reconnection attempts.
   *
   * @default {500}
   */
  reconnectTimeWait?: number;
  /** Any other option of the client's `connect()`. */
  [option: string]: unknown;
}

/** How to reach NATS: servers, and the client's own options. */
export interface NatsConnectOptions {
  /**
   * The NATS servers, as `host:port` (or `nats://`, `tls://` URLs); the
   * client tries them in turn and reconnects without end.
   *
   * @default {"127.0.0.1:4222"}
   */
  servers?: string | string[];
  /**
   * Options handed to the NATS client's `connect()` as they are:
   * authentication, TLS, timeouts and reconnection.
   *
   * @default {{}}
   */
  nats?: NatsClientOptions;
  /**
   * A NATS credentials file (`.creds`: a user JWT and its NKey seed), read
   * and used to authenticate.
   *
   * @default {undefined}
   */
  credentialsFile?: string;
  /**
   * A connection to use instead of opening one: a `NatsConnection` from
   * `connect()` of `@nats-io/transport-node`, shared with the rest of the
   * program. It is left open at shutdown, for its owner to close.
   *
   * @default {undefined}
   */
  connection?: object;
}

/** Options of {@linkcode NatsExecutor.connect}. */
export interface NatsExecutorOptions<M> extends NatsConnectOptions {
  /**
   * The namespace of the module the workers serve (`import * as tasks from
   * "./tasks.ts"`): `submit` finds the function it is given among its
   * exports, and sends the export's name. Without it, only `call` works.
   * It also types `call`.
   *
   * @default {undefined}
   */
  module?: M;
  /**
   * The name of the work queue (letters, digits, `_`, `-`): the executor
   * and the workers it reaches must name the same one.
   *
   * @default {"default"}
   */
  queue?: string;
  /**
   * How many jobs may wait for a worker (sent, and not yet started by any
   * worker); past it `submit` and `call` throw a `QueueFullError`.
   *
   * @default {Infinity}
   */
  maxQueue?: number;
}

/** Options of {@linkcode NatsExecutor.map}. */
export interface NatsMapOptions extends MapOptions {
  /**
   * How many items may be in flight at once.
   *
   * @default {256}
   */
  inFlight?: number;
}

/** Counts from {@linkcode NatsExecutor.stats}. */
export interface NatsExecutorStats {
  /** Jobs sent that no worker has started yet. */
  queued: number;
  /** Jobs a worker started, not answered yet. */
  running: number;
  /** Jobs that finished with a result. */
  completed: number;
  /** Jobs that failed, timeouts and lost jobs included. */
  failed: number;
  /** Jobs that were cancelled. */
  cancelled: number;
  /** Times a job was started again by a worker after a first start. */
  redelivered: number;
  /** Times the connection came back after dropping. */
  reconnects: number;
  /** Whether the connection is up now. */
  connected: boolean;
}

/** What {@linkcode NatsExecutor.with} returns: `submit` and `call` under limits. */
export interface NatsSubmitter<M> extends Submitter {
  /**
   * Calls the export `name` of the served module under the limits given to
   * `with()`.
   *
   * @param name The export's name.
   * @param args Its arguments.
   * @returns A future of its result.
   */
  call<K extends FunctionKeys<M>>(
    name: K,
    ...args: ArgsOf<M[K]>
  ): Future<TaskResult<ReturnOf<M[K]>>>;
}

type AnyFunction = (...args: unknown[]) => unknown;

function unwrap(args: unknown[]): unknown[] {
  for (let i = 0; i < args.length; i++) {
    if (isTransfer(args[i])) args[i] = (args[i] as { value: unknown }).value;
  }
  return args;
}

function exportNames(module: unknown): Map<unknown, string> {
  const names = new Map<unknown, string>();
  if (module === undefined) return names;
  if (typeof module !== "object" || module === null) {
    throw new TypeError(
      `Cannot connect a NatsExecutor: option module must be a module namespace (import * as tasks from "./tasks.ts"), got ${
        describe(module)
      }`,
    );
  }
  for (const [name, value] of Object.entries(module)) {
    if (typeof value === "function" && !names.has(value)) {
      names.set(value, name);
    }
  }
  return names;
}

/**
 * An `Executor` whose work runs in worker processes, on this machine or
 * others, connected to the same NATS servers. Make one with
 * {@linkcode NatsExecutor.connect}; start workers with the
 * `@frontier/generators/nats-worker` entry (or its `serve()`).
 *
 * - {@linkcode submit} takes a function exported by the served module (found
 *   in the `module` namespace given to `connect`) and sends its name with
 *   the arguments: the worker runs its own copy of that export.
 * - {@linkcode call} runs an export by name, typed by the module
 *   (`NatsExecutor<typeof import("./tasks.ts")>`).
 * - {@linkcode map} keeps the order of its items, with a bounded number in
 *   flight.
 * - A generator export runs as a `Task` in the worker.
 *
 * Cancelling a job, its `timeout` passing or its `signal` aborting removes
 * it from the queue, or stops it in the worker that runs it (the pool's own
 * cancel, which terminates its Web Worker).
 *
 * @typeParam M The type of the served module, which types `call`.
 *
 * @example
 * ```ts ignore
 * import { NatsExecutor } from "@frontier/generators/nats";
 * import * as tasks from "./tasks.ts";
 *
 * await using pool = await NatsExecutor.connect({
 *   servers: "nats.example.com:4222",
 *   module: tasks,
 * });
 * for await (const n of pool.map(tasks.fib, [30, 31, 32])) console.log(n);
 * ```
 */
export class NatsExecutor<M extends object = Record<never, never>>
  implements Executor {
  readonly #engine: NatsEngine;
  readonly #exports: Map<unknown, string>;

  private constructor(engine: NatsEngine, exports: Map<unknown, string>) {
    this.#engine = engine;
    this.#exports = exports;
  }

  /**
   * Connects to NATS, makes the queue's streams where they are missing, and
   * returns an executor. Workers may start before or after.
   *
   * @example
   * ```ts ignore
   * import { NatsExecutor } from "@frontier/generators/nats";
   * import * as tasks from "./tasks.ts";
   *
   * await using pool = await NatsExecutor.connect({
   *   servers: ["nats1:4222", "nats2:4222", "nats3:4222"],
   *   module: tasks,
   *   nats: { user: "client", pass: Deno.env.get("NATS_PASSWORD") },
   * });
   * ```
   *
   * @param options Servers and credentials, the served module, the queue.
   * @returns A connected executor.
   * @throws {Error} When NATS cannot be reached or has no JetStream.
   * @throws {TypeError} For options of the wrong type.
   * @throws {RangeError} For a `maxQueue` that is not a whole number >= 0.
   */
  static async connect<M extends object = Record<never, never>>(
    options: NatsExecutorOptions<M> = {},
  ): Promise<NatsExecutor<M>> {
    const action = "connect a NatsExecutor";
    checkConnectSettings(
      { ...options, options: options.nats },
      action,
    );
    const queue = options.queue ?? "default";
    queueNames(queue, action);
    const maxQueue = checkCount(options.maxQueue ?? Infinity, {
      action,
      name: "option maxQueue",
      infinite: true,
    });
    const exports = exportNames(options.module);
    const engine = await NatsEngine.open({
      connect: {
        servers: options.servers,
        connection: options.connection,
        options: options.nats,
        credentialsFile: options.credentialsFile,
      },
      queue,
      maxQueue,
    });
    return new NatsExecutor<M>(engine, exports);
  }

  /**
   * Runs `fn(...args)` in a worker: `fn` must be an export of the served
   * module (the `module` given to `connect`); its name travels, not its
   * code.
   *
   * @example
   * ```ts ignore
   * const fut = pool.submit(tasks.fib, 30);
   * console.log(await fut); // 832040
   * ```
   *
   * @param fn An export of the served module.
   * @param args Its arguments (copied with structured-clone semantics).
   * @returns A future of the result.
   * @throws {TypeError} If `fn` is not an export of the module.
   * @throws {InvalidStateError} After `shutdown()`.
   * @throws {QueueFullError} If `maxQueue` jobs already wait.
   */
  submit<A extends unknown[], R>(
    fn: (...args: A) => R,
    ...args: WithTransfer<A>
  ): Future<TaskResult<R>> {
    return this.#submit(fn, args, undefined) as Future<TaskResult<R>>;
  }

  /**
   * Calls the export `name` of the served module in a worker, typed by `M`.
   *
   * @example
   * ```ts ignore
   * const pool = await NatsExecutor.connect<typeof import("./tasks.ts")>();
   * console.log(await pool.call("fib", 30)); // 832040
   * ```
   *
   * @param name The export's name.
   * @param args Its arguments.
   * @returns A future of the result.
   * @throws {InvalidStateError} After `shutdown()`.
   * @throws {QueueFullError} If `maxQueue` jobs already wait.
   */
  call<K extends FunctionKeys<M>>(
    name: K,
    ...args: ArgsOf<M[K]>
  ): Future<TaskResult<ReturnOf<M[K]>>> {
    return this.#call(name, args, undefined) as Future<
      TaskResult<ReturnOf<M[K]>>
    >;
  }

  /**
   * Returns `submit` and `call` that apply a `timeout` and a `signal` to each
   * job. Either one stops the job where it is: taken off the queue, or
   * cancelled in the worker that runs it.
   *
   * @example
   * ```ts ignore
   * const slow = pool.with({ timeout: 1000 }).call("fib", 45);
   * await slow; // TimeoutError after a second; the worker stops it
   * ```
   *
   * @param options The limits.
   * @throws {RangeError} For a `timeout` that is not a number >= 0.
   * @throws {TypeError} For a `signal` that is not an `AbortSignal`.
   */
  with(options: SubmitOptions): NatsSubmitter<M> {
    const limits = checkLimits(options, "set task limits");
    const submit = (fn: AnyFunction, ...args: unknown[]) =>
      this.#submit(fn, args, limits);
    const call = (name: string, ...args: unknown[]) =>
      this.#call(name, args, limits);
    return { submit, call } as unknown as NatsSubmitter<M>;
  }

  /**
   * Runs `fn` (an export of the served module, or its name) on every item
   * and yields the results in the order of the items, at most `inFlight`
   * at a time. Breaking out of the loop cancels the items no worker has
   * started.
   *
   * @example
   * ```ts ignore
   * for await (const n of pool.map(tasks.fib, [30, 31, 32])) console.log(n);
   * ```
   *
   * @param fn An export of the served module, or its name.
   * @param items The items (an iterable or async iterable), read lazily.
   * @param options A time limit for the whole map, a signal, `inFlight`.
   * @throws {TypeError} If `fn` is not an export or `items` not iterable.
   */
  map<T, R>(
    fn: ((item: T) => R) | FunctionKeys<M>,
    items: Iterable<T> | AsyncIterable<T>,
    options: NatsMapOptions = {},
  ): AsyncIterableIterator<TaskResult<R>> {
    const { timeout, signal } = checkLimits(options, "map");
    const inFlight = checkCount(options.inFlight ?? 256, {
      action: "map",
      name: "option inFlight",
      min: 1,
    });
    const name = typeof fn === "string" ? fn : this.#exportName(fn, "map");
    const what = `map(${JSON.stringify(name)})`;
    const engine = this.#engine;
    const runner: ChunkRunner<TaskResult<R>> = {
      chunked: false,
      start: (chunk) => engine.submit(name, unwrap(chunk), undefined, what),
      release: (future) => {
        // Work a worker started runs on; nobody reads its outcome.
        if (NatsEngine.started(JobFuture.jobOf(future))) {
          future.addDoneCallback(() => {});
        } else future.cancel();
      },
    };
    return orderedMap(runner, items, {
      what,
      chunkSize: 1,
      window: inFlight,
      timeout,
      signal,
    });
  }

  /**
   * Stops accepting work, and once the jobs already sent are settled, closes
   * the connection (unless it was given as `connection`). With
   * `cancelPending`, jobs no worker has started are cancelled.
   *
   * @example
   * ```ts ignore
   * await pool.shutdown({ cancelPending: true });
   * ```
   *
   * @param options `wait` (default `true`): whether the promise waits;
   * `cancelPending` (default `false`).
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    const { wait = true, cancelPending = false } = options;
    if (cancelPending) this.#engine.cancelQueued();
    const closed = this.#engine.close();
    return wait ? closed : Promise.resolve();
  }

  /**
   * `shutdown()`, for `await using`.
   *
   * @example
   * ```ts ignore
   * {
   *   await using pool = await NatsExecutor.connect({ module: tasks });
   *   await pool.submit(tasks.fib, 20);
   * } // shut down and disconnected here
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }

  /**
   * Counts of the jobs sent, running and finished, and the connection's
   * state.
   *
   * @example
   * ```ts ignore
   * const { queued, running, connected } = pool.stats();
   * ```
   */
  stats(): NatsExecutorStats {
    return this.#engine.stats();
  }

  #exportName(fn: unknown, action: string): string {
    checkTaskFunction(fn, {
      action,
      instead: "pass an export of the served module, or use call(name)",
    });
    const name = this.#exports.get(fn);
    if (name === undefined) {
      throw new TypeError(
        `Cannot ${action}: ${
          describe(fn)
        } is not an export of the executor's module, and a worker runs only the exports of the module it serves; export it from that module and pass the module's namespace as option module, or use call(name)`,
      );
    }
    return name;
  }

  #submit(
    fn: unknown,
    args: unknown[],
    limits: TaskLimits | undefined,
  ): Future<unknown> {
    const name = this.#exportName(fn, "submit");
    return this.#engine.submit(
      name,
      unwrap(args),
      limits,
      `submit(${name})`,
    );
  }

  #call(
    name: unknown,
    args: unknown[],
    limits: TaskLimits | undefined,
  ): Future<unknown> {
    if (typeof name !== "string" || name === "") {
      throw new TypeError(
        `Cannot call: expected the name of an export of the served module, got ${
          describe(name)
        }`,
      );
    }
    return this.#engine.submit(
      name,
      unwrap(args),
      limits,
      `call(${JSON.stringify(name)})`,
    );
  }
}
