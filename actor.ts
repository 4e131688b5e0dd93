// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Generator actors, part 6 of the tutorial, done properly and then made
 * real. An actor is a generator that receives its messages with
 * `const msg = yield`; {@linkcode send} queues a message and {@linkcode run}
 * delivers the queue one message at a time, so actors that send to each
 * other (ping-pong) never re-enter a running generator and never grow the
 * stack.
 *
 * ```ts
 * import { actor, run, send } from "@frontier/generators/actor";
 * import assert from "node:assert/strict";
 *
 * const seen: number[] = [];
 * const printer = actor(function* printer(): Generator<void, void, number> {
 *   while (true) {
 *     const msg = yield;
 *     seen.push(msg);
 *   }
 * });
 * printer();
 * for (let n = 3; n > 0; n--) send("printer", n);
 * assert.equal(run(), 3);
 * assert.deepEqual(seen, [3, 2, 1]);
 * ```
 *
 * Beyond the tutorial: {@linkcode ActorSystem}s without global state, names
 * chosen at run time ({@linkcode ActorSystem.prototype.spawn}), dead letters,
 * crash reports and restarts, questions with {@linkcode ask} and
 * {@linkcode reply}, an automatic mode ({@linkcode ActorSystem.prototype.start})
 * that delivers messages as they arrive, and actors that run in a Web Worker
 * ({@linkcode ActorSystem.prototype.spawnWorker}) for real concurrency.
 *
 * @module
 */

import { Future, InvalidStateError, TimeoutError } from "./future.ts";
import { describe, isGeneratorFunction } from "./_core/describe.ts";
import { checkCount, checkMilliseconds } from "./_core/checks.ts";
import { queueJob, reportLater, runJob, tick } from "./_core/scheduler.ts";
import { ActorError } from "./_actor/error.ts";
import { type HostSide, WorkerHost } from "./_actor/host.ts";
import {
  actorInternals,
  answer,
  type AskSlot,
  failAsk,
  type Link,
  serializeError,
  type SpawnControl,
  type WorkerControl,
} from "./_actor/link.ts";
import type { ArgsOf } from "./_core/types.ts";

export { ActorError };

/**
 * The generator of an actor that takes messages of type `M`: it receives
 * each one with `const msg = yield` and yields nothing else. Annotate actor
 * functions with it: `function* printer(): ActorGenerator<string> { … }`.
 *
 * @typeParam M The type of the messages.
 */
export type ActorGenerator<M = unknown> = Generator<void, void, M>;

/**
 * A generator function that makes an actor from its arguments `A`.
 *
 * @typeParam A The arguments.
 * @typeParam M The type of the messages.
 */
export type ActorFunction<A extends unknown[] = unknown[], M = unknown> = (
  ...args: A
) => Generator<void, unknown, M>;

/** The message type of an actor function. */
export type MessageOf<F> = F extends
  (...args: never[]) => Generator<unknown, unknown, infer M> ? M : never;

/** The names of a module's exports that are actor functions. */
export type ActorExports<Mod> =
  & {
    [K in keyof Mod]: Mod[K] extends
      (...args: never[]) => Generator<void, unknown, never> ? K : never;
  }[keyof Mod]
  & string;

/** A message that could not be delivered, kept in `system.deadLetters`. */
export interface DeadLetter {
  /** The name of the actor it was for. */
  name: string;
  /** The message. */
  message: unknown;
}

/** What {@linkcode ActorSystemOptions.onError} hears besides the error. */
export interface ActorErrorInfo {
  /** The name of the actor that failed. */
  name: string;
  /**
   * The message it was handling, or `undefined` when it failed while
   * starting or stopping (or, in a Worker, outside its generator).
   */
  message: unknown;
  /** Whether its restart policy restarts it now. */
  restarting: boolean;
}

/** Options of {@linkcode ActorSystem}. */
export interface ActorSystemOptions {
  /**
   * Called with the error of an actor whose generator threw (it is stopped,
   * or restarted if its policy says so, and the others go on). By default
   * the error is reported like an uncaught error, wrapped in an
   * {@linkcode ActorError} that names the actor.
   */
  onError?: (error: unknown, info: ActorErrorInfo) => void;
  /**
   * In automatic mode ({@linkcode ActorSystem.prototype.start}), how many
   * messages are delivered before other queued work (tasks woken by replies)
   * gets its turn. Defaults to 1024. The event loop gets its turn at the
   * latest after a time slice of the package's run queue.
   */
  batchSize?: number;
  /**
   * Milliseconds a Worker actor has to run its `finally` blocks when
   * stopped before its Worker is terminated anyway. Defaults to 5000.
   */
  stopTimeout?: number;
}

/** When a crashed actor is started again. */
export interface RestartOptions {
  /**
   * `"never"` (the default): an actor that throws stays stopped. `"always"`:
   * it is made again from its function and arguments, up to
   * {@linkcode maxRestarts} times within {@linkcode restartWindow}.
   */
  restart?: "never" | "always";
  /** The most restarts within the window; defaults to 3. */
  maxRestarts?: number;
  /**
   * The window, in milliseconds, over which restarts are counted; defaults
   * to 10 000. Pass `Infinity` to count restarts over the actor's lifetime.
   */
  restartWindow?: number;
}

/** The name of an actor and its restart policy. */
export interface SpawnOptions extends RestartOptions {
  /** The name it is registered under. */
  name: string;
}

/** Options of {@linkcode ActorSystem.prototype.ask}. */
export interface AskOptions {
  /**
   * Milliseconds after which the future fails with a `TimeoutError` if the
   * actor has not replied.
   */
  timeout?: number;
}

/** Options of {@linkcode ActorSystem.prototype.run}. */
export interface RunOptions {
  /** The most messages to deliver; defaults to all that are queued. */
  maxMessages?: number;
}

/**
 * A handle on one actor: typed sends and questions, and a way to stop it.
 * It stays bound to that actor: once it has stopped, messages sent through
 * the handle are dead letters even if another actor takes its name.
 *
 * @typeParam M The type of the messages.
 */
export interface ActorRef<M = unknown> {
  /** The actor's name. */
  readonly name: string;
  /** Whether it has stopped (returned, failed, or was stopped). */
  readonly stopped: boolean;
  /** Queues a message for it, as {@linkcode ActorSystem.prototype.send}. */
  send(message: M): void;
  /** Asks it a question, as {@linkcode ActorSystem.prototype.ask}. */
  ask<R = unknown>(message: M, options?: AskOptions): Future<R>;
  /** Stops it, as {@linkcode ActorSystem.prototype.stop}. */
  stop(): Promise<void>;
}

/**
 * A module of actor functions, for {@linkcode ActorSystem.prototype.spawnWorker}:
 * the module's URL, typed with the module so that export names, arguments and
 * messages are checked. Make one with {@linkcode actorModule}.
 *
 * @typeParam Mod The module's type, `typeof import("./module.ts")`.
 */
export class ActorModule<Mod = unknown> {
  /** The module's absolute URL. */
  readonly url: string;
  /** Never set: carries the module's type for the type checker. */
  declare readonly exports?: Mod;

  /**
   * Makes an `ActorModule`; see {@linkcode actorModule}.
   *
   * @param url The module's absolute URL.
   */
  constructor(url: string | URL) {
    this.url = checkModuleUrl("new ActorModule(url)", url);
  }
}

/**
 * Names a module of actor functions by its URL, typed with the module, for
 * {@linkcode ActorSystem.prototype.spawnWorker}. The module is not loaded
 * here: `typeof import(...)` is a type only.
 *
 * @example
 * ```ts
 * import { actorModule } from "@frontier/generators/actor";
 * import assert from "node:assert/strict";
 *
 * const url = new URL("./examples/actors.ts", import.meta.url);
 * const mod = actorModule<typeof import("./examples/actors.ts")>(url);
 * assert.equal(mod.url, url.href);
 * ```
 *
 * @typeParam Mod The module's type, `typeof import("./module.ts")`.
 * @param url The module's URL: a `URL`, or an absolute URL string (make one
 * with `new URL("./module.ts", import.meta.url)`).
 */
export function actorModule<Mod>(url: string | URL): ActorModule<Mod> {
  return new ActorModule<Mod>(url);
}

/**
 * What to run in a Worker: a module and the name of the actor function it
 * exports.
 */
export interface WorkerActorSpec<Mod, K> {
  /**
   * The module: an {@linkcode ActorModule} (typed), a `URL`, or an absolute
   * URL string.
   */
  module: ActorModule<Mod> | URL | string;
  /** The name of the exported actor function. */
  export: K;
}

const ALIVE = 0;
const STOPPED = 1;

const DEFAULT_BATCH = 1024;
const DEFAULT_STOP_TIMEOUT = 5000;
const DEFAULT_MAX_RESTARTS = 3;
const DEFAULT_RESTART_WINDOW = 10_000;

interface Policy {
  max: number;
  window: number;
  times: number[];
}

// The message being delivered, shared by every system: delivery is
// synchronous, so one set of variables (saved and restored around a nested
// delivery) says which actor runs and which question it may answer.
let currentCell: Cell | undefined = undefined;
let currentAsk: AskSlot | undefined = undefined;
let replied = false;

// Filled in by the static block of `ActorSystem`, for `Cell`.
let postTo!: (
  system: ActorSystem,
  cell: Cell,
  message: unknown,
  ask: AskSlot | undefined,
) => void;
let askTo!: (
  system: ActorSystem,
  cell: Cell,
  message: unknown,
  options: AskOptions | undefined,
) => Future<unknown>;
let stopTo!: (system: ActorSystem, cell: Cell) => Promise<void>;
let batchOf!: (system: ActorSystem) => void;
let deliverOf!: (system: ActorSystem, limit: number) => number;

// One actor: a name bound to a generator (or, for a Worker actor, to the
// Worker that runs it). A restart keeps the cell and replaces the generator.
class Cell<M = unknown> implements ActorRef<M> {
  readonly name: string;
  readonly system: ActorSystem;
  state = ALIVE;
  gen: Generator<unknown, unknown, unknown> | undefined = undefined;
  fn:
    | ((...args: unknown[]) => Generator<unknown, unknown, unknown>)
    | undefined;
  args: unknown[];
  policy: Policy | undefined;
  host: WorkerHost | undefined = undefined;
  // Its handler is on the stack: stop() waits until it yields.
  running = false;
  closeRequested = false;
  // Stopped for good, and said so.
  ended = false;

  constructor(
    system: ActorSystem,
    name: string,
    fn:
      | ((...args: unknown[]) => Generator<unknown, unknown, unknown>)
      | undefined,
    args: unknown[],
    policy: Policy | undefined,
  ) {
    this.system = system;
    this.name = name;
    this.fn = fn;
    this.args = args;
    this.policy = policy;
  }

  get stopped(): boolean {
    return this.state === STOPPED;
  }

  send(message: M): void {
    postTo(this.system, this as Cell, message, undefined);
  }

  ask<R = unknown>(message: M, options?: AskOptions): Future<R> {
    return askTo(this.system, this as Cell, message, options) as Future<R>;
  }

  stop(): Promise<void> {
    return stopTo(this.system, this as Cell);
  }

  [Symbol.for("Deno.customInspect")](): string {
    const where = this.host === undefined ? "" : " in a Worker";
    return `ActorRef ${JSON.stringify(this.name)}${where} { <${
      this.state === ALIVE ? "running" : "stopped"
    }> }`;
  }
}

// A future that clears its timeout timer however it is completed.
class AskFuture<T> extends Future<T> {
  timer: ReturnType<typeof setTimeout> | undefined = undefined;
  override setResult(value: T): void {
    clearTimeout(this.timer);
    super.setResult(value);
  }
  override setException(error: unknown): void {
    clearTimeout(this.timer);
    super.setException(error);
  }
  override cancel(message?: string): boolean {
    clearTimeout(this.timer);
    return super.cancel(message);
  }
}

function batchJob(system: ActorSystem): void {
  batchOf(system);
}

interface RunJob {
  system: ActorSystem;
  limit: number;
  ran: boolean;
  count: number;
}

function runNow(job: RunJob): void {
  if (job.ran) return;
  job.ran = true;
  job.count = deliverOf(job.system, job.limit);
}

/**
 * A set of named actors and the queue of messages between them. Systems
 * share nothing: each has its own names, queue and dead letters. The
 * module-level functions ({@linkcode actor}, {@linkcode send},
 * {@linkcode run}, …) use {@linkcode defaultSystem}, or, inside a handler,
 * the system delivering the message.
 *
 * Messages are delivered in the order they were sent (so FIFO per sender),
 * one at a time, either by {@linkcode run} (the tutorial's manual loop) or,
 * after {@linkcode start}, automatically as they arrive.
 *
 * @example Ping-pong, the tutorial's failing example, working
 * ```ts
 * import { ActorSystem, type ActorGenerator } from "@frontier/generators/actor";
 * import assert from "node:assert/strict";
 *
 * const system = new ActorSystem();
 * const log: string[] = [];
 * function* ping(): ActorGenerator<number> {
 *   while (true) {
 *     const n = yield;
 *     log.push(`ping ${n}`);
 *     system.send("pong", n + 1);
 *   }
 * }
 * function* pong(): ActorGenerator<number> {
 *   while (true) {
 *     const n = yield;
 *     log.push(`pong ${n}`);
 *     system.send("ping", n + 1);
 *   }
 * }
 * system.actor(ping)();
 * system.actor(pong)();
 * system.send("ping", 0);
 * assert.equal(system.run({ maxMessages: 4 }), 4);
 * assert.deepEqual(log, ["ping 0", "pong 1", "ping 2", "pong 3"]);
 * ```
 */
export class ActorSystem {
  /**
   * Messages that reached an actor after it had stopped, in arrival order.
   * Nothing is dropped silently: read this, and clear it when you are done
   * (`system.deadLetters.length = 0`).
   */
  readonly deadLetters: DeadLetter[] = [];

  #cells = new Map<string, Cell>();
  // The queue: a ring of (cell, message, ask slot) in three parallel arrays.
  #qCells: (Cell | undefined)[] = new Array(64);
  #qMessages: unknown[] = new Array(64);
  #qAsks: (AskSlot | undefined)[] = new Array(64);
  #shiftedMessage: unknown = undefined;
  #shiftedAsk: AskSlot | undefined = undefined;
  #head = 0;
  #size = 0;

  #onError: (error: unknown, info: ActorErrorInfo) => void;
  #batchSize: number;
  #stopTimeout: number;
  #started = false;
  #scheduled = false;
  #delivering = false;
  #hosts = new Set<WorkerHost>();

  // Set inside a worker: where unknown names and dead letters go.
  #parent: Link | undefined = undefined;
  #onStopped: ((name: string) => void) | undefined = undefined;

  static {
    postTo = (system, cell, message, ask) => system.#post(cell, message, ask);
    askTo = (system, cell, message, options) =>
      system.#ask(cell, message, options);
    stopTo = (system, cell) => system.#stopCell(cell);
    batchOf = (system) => system.#batch();
    deliverOf = (system, limit) => system.#deliver(limit, false);
    actorInternals.attachParent = (system, link, onStopped) => {
      system.#parent = link;
      system.#onStopped = onStopped;
      system.#onError = (error, info) =>
        link.control(
          {
            type: "error",
            error: serializeError(error),
            name: info.name,
            message: describeForReport(info.message),
            restarting: info.restarting,
          } satisfies WorkerControl,
        );
    };
    actorInternals.deliver = (system, name, message, ask) => {
      const cell = system.#cells.get(name);
      if (cell === undefined) return false;
      system.#post(cell, message, ask);
      return true;
    };
  }

  /**
   * Makes an actor system.
   *
   * @param options Where errors go, and tuning of the automatic mode.
   */
  constructor(options: ActorSystemOptions = {}) {
    const onError = options.onError;
    if (onError !== undefined && typeof onError !== "function") {
      throw new TypeError(
        `new ActorSystem() option onError must be a function called with (error, info), got ${
          describe(onError)
        }`,
      );
    }
    this.#onError = onError ?? reportByDefault;
    this.#batchSize = options.batchSize === undefined
      ? DEFAULT_BATCH
      : checkCount(options.batchSize, {
        action: "create an ActorSystem",
        name: "option batchSize",
        min: 1,
        infinite: true,
      });
    this.#stopTimeout = options.stopTimeout === undefined
      ? DEFAULT_STOP_TIMEOUT
      : checkMilliseconds(options.stopTimeout, {
        action: "create an ActorSystem",
        name: "option stopTimeout",
      });
  }

  /**
   * The tutorial's `@actor` decorator: returns a function that makes the
   * generator from its arguments, primes it (runs it to its first `yield`),
   * and registers it under the generator function's name.
   *
   * @example
   * ```ts
   * import { ActorSystem, type ActorGenerator } from "@frontier/generators/actor";
   * import assert from "node:assert/strict";
   *
   * const system = new ActorSystem();
   * let total = 0;
   * const counter = system.actor(function* counter(start: number): ActorGenerator<number> {
   *   total = start;
   *   while (true) total += yield;
   * });
   * const ref = counter(10); // typed: (start: number) => ActorRef<number>
   * ref.send(5);
   * system.send("counter", 1);
   * system.run();
   * assert.equal(total, 16);
   * ```
   *
   * @param genFn A named generator function.
   * @param options Its restart policy.
   * @returns A function that starts the actor and returns its handle.
   * @throws {TypeError} If `genFn` is not a generator function or has no name.
   */
  actor<A extends unknown[], M>(
    genFn: ActorFunction<A, M>,
    options: RestartOptions = {},
  ): (...args: A) => ActorRef<M> {
    const name = actorName("actor()", genFn);
    const policy = checkPolicy("actor()", options);
    return (...args: A) =>
      this.#spawn("actor()", name, policy, genFn as never, args) as ActorRef<
        M
      >;
  }

  /**
   * Starts an actor under a name chosen at run time: makes the generator
   * from `genFn` and `args`, primes it, and registers it.
   *
   * @example
   * ```ts
   * import { ActorSystem, type ActorGenerator } from "@frontier/generators/actor";
   * import assert from "node:assert/strict";
   *
   * const system = new ActorSystem();
   * const seen: string[] = [];
   * function* worker(id: number): ActorGenerator<string> {
   *   while (true) seen.push(`${id}: ${yield}`);
   * }
   * for (const id of [1, 2]) system.spawn(`worker-${id}`, worker, id);
   * system.send("worker-2", "hello");
   * system.run();
   * assert.deepEqual(seen, ["2: hello"]);
   * assert.throws(() => system.spawn("worker-1", worker, 3), {
   *   name: "ActorError",
   * });
   * ```
   *
   * @example With a restart policy
   * ```ts
   * import { ActorSystem, type ActorGenerator } from "@frontier/generators/actor";
   * import assert from "node:assert/strict";
   *
   * const errors: unknown[] = [];
   * const system = new ActorSystem({ onError: (e) => errors.push(e) });
   * function* fragile(): ActorGenerator<number> {
   *   while (true) if ((yield) < 0) throw new RangeError("negative");
   * }
   * const ref = system.spawn({ name: "fragile", restart: "always" }, fragile);
   * ref.send(-1);
   * ref.send(1);
   * assert.equal(system.run(), 2);
   * assert.equal(errors.length, 1);
   * assert.equal(ref.stopped, false);
   * ```
   *
   * @param name The name, or the name with a restart policy.
   * @param genFn The generator function.
   * @param args Its arguments.
   * @returns The actor's handle.
   * @throws {ActorError} If a running actor already has that name.
   * @throws {TypeError} If `genFn` is not a generator function.
   * @throws The error of the generator, if it throws before its first `yield`.
   */
  spawn<A extends unknown[], M>(
    name: string | SpawnOptions,
    genFn: ActorFunction<A, M>,
    ...args: A
  ): ActorRef<M> {
    const { actorName, policy } = checkSpawnName("spawn()", name);
    if (!isGeneratorFunction(genFn)) {
      throw new TypeError(
        `spawn(${
          JSON.stringify(actorName)
        }, genFn) needs a generator function (function*), got ${
          describe(genFn)
        }`,
      );
    }
    return this.#spawn(
      "spawn()",
      actorName,
      policy,
      genFn as never,
      args,
    ) as ActorRef<M>;
  }

  /**
   * Starts an actor in its own Web Worker, for real concurrency: the
   * generator function `spec.export` of the module `spec.module` runs there
   * with `args` (copied by structured clone), under a system of its own whose
   * `send`, `ask` and `reply` reach back to this one. From here it is used
   * like any actor: {@linkcode send}, {@linkcode ask} and {@linkcode stop}
   * work the same, messages cross in batches (one `postMessage` per batch,
   * not per message), and its crashes reach `onError`.
   *
   * It returns at once; messages sent before the Worker is up wait for it.
   * A Worker keeps the process alive: {@linkcode stop} the system (or use
   * `await using`) when done, which runs the actor's `finally` blocks and
   * terminates its Worker.
   *
   * Inside the Worker, the actor's messages to names its Worker does not
   * know are sent to this system; one sent to a name this system does not
   * know either is reported to `onError` and kept in `deadLetters`.
   *
   * @example
   * ```ts
   * import { ActorSystem, actorModule } from "@frontier/generators/actor";
   * import assert from "node:assert/strict";
   *
   * await using system = new ActorSystem();
   * const mod = actorModule<typeof import("./examples/actors.ts")>(
   *   new URL("./examples/actors.ts", import.meta.url),
   * );
   * const echo = system.spawnWorker("echo", { module: mod, export: "echo" });
   * assert.equal(await echo.ask("hello"), "hello");
   * ```
   *
   * @param name The name, or the name with a restart policy (applied inside
   * the Worker when its generator throws).
   * @param spec The module and the name of the actor function it exports.
   * @param args The function's arguments.
   * @returns The actor's handle.
   * @throws {ActorError} If a running actor already has that name.
   * @throws {TypeError} If the module is not an absolute URL, or `args`
   * cannot be copied to a Worker.
   */
  spawnWorker<
    Mod = Record<string, ActorFunction>,
    K extends ActorExports<Mod> = ActorExports<Mod>,
  >(
    name: string | SpawnOptions,
    spec: WorkerActorSpec<Mod, K>,
    ...args: ArgsOf<Mod[K]>
  ): ActorRef<MessageOf<Mod[K]>> {
    const { actorName, policy } = checkSpawnName("spawnWorker()", name);
    if (typeof spec !== "object" || spec === null) {
      throw new TypeError(
        `spawnWorker(${
          JSON.stringify(actorName)
        }, spec) needs { module, export }, got ${describe(spec)}`,
      );
    }
    const module = spec.module instanceof ActorModule
      ? spec.module.url
      : checkModuleUrl("spawnWorker() spec.module", spec.module);
    const exportName = spec.export as unknown;
    if (typeof exportName !== "string" || exportName === "") {
      throw new TypeError(
        `spawnWorker() spec.export must be the name of an exported generator function, got ${
          describe(exportName)
        }`,
      );
    }
    this.#checkFree("spawnWorker()", actorName);
    const cell = new Cell(this, actorName, undefined, [], undefined);
    const control: SpawnControl = {
      type: "spawn",
      name: actorName,
      module,
      export: exportName,
      args,
      restart: policy === undefined ? "never" : "always",
      maxRestarts: policy?.max ?? 0,
      restartWindow: policy?.window ?? 0,
    };
    const side: HostSide = {
      post: (name, message, ask) => {
        const target = this.#cells.get(name);
        if (target === undefined) return false;
        this.#post(target, message, ask);
        return true;
      },
      deadLetter: (name, message) =>
        this.#deadLetter(name, message, undefined, ""),
      report: (error, info) => this.#report(error, info),
      stopped: () => this.#setStopped(cell),
      closed: () => this.#hosts.delete(host),
    };
    const host = new WorkerHost(side, control, this.#stopTimeout);
    cell.host = host;
    this.#hosts.add(host);
    this.#cells.set(actorName, cell);
    return cell as ActorRef<MessageOf<Mod[K]>>;
  }

  /**
   * Queues `message` for the actor `name`. It is delivered by
   * {@linkcode run}, or soon after by itself once the system is
   * {@linkcode start}ed. A message for an actor that has stopped goes to
   * {@linkcode deadLetters}.
   *
   * @example
   * ```ts
   * import { ActorSystem, type ActorGenerator } from "@frontier/generators/actor";
   * import assert from "node:assert/strict";
   *
   * const system = new ActorSystem();
   * const got: string[] = [];
   * system.spawn("sink", function* (): ActorGenerator<string> {
   *   got.push(yield);
   * });
   * system.send("sink", "first");
   * system.send("sink", "second"); // the actor returns after the first
   * system.run();
   * assert.deepEqual(got, ["first"]);
   * assert.deepEqual(system.deadLetters, [{ name: "sink", message: "second" }]);
   * ```
   *
   * @param name The actor's name.
   * @param message The message.
   * @throws {ActorError} If no actor was ever registered under `name`.
   */
  send(name: string, message: unknown): void {
    const cell = this.#cells.get(name);
    if (cell !== undefined) this.#post(cell, message, undefined);
    else if (this.#parent !== undefined) this.#parent.send(name, message);
    else throw this.#unknown("send", name, message);
  }

  /**
   * Sends `message` to the actor `name` as a question: the future finishes
   * with the value the actor passes to {@linkcode reply} while it handles
   * this message. It fails with an {@linkcode ActorError} if the actor takes
   * its next message without replying, fails, or has stopped; and with a
   * `TimeoutError` if `options.timeout` passes first.
   *
   * @example Inside a task, with `yield*`
   * ```ts
   * import { ActorSystem, type ActorGenerator, reply } from "@frontier/generators/actor";
   * import { runInlineFuture } from "@frontier/generators/task";
   * import assert from "node:assert/strict";
   *
   * await using system = new ActorSystem();
   * system.spawn("doubler", function* (): ActorGenerator<number> {
   *   while (true) reply(2 * (yield));
   * });
   * system.start();
   * const sum = await runInlineFuture((function* () {
   *   const a = yield* system.ask<number>("doubler", 20);
   *   const b = yield* system.ask<number>("doubler", 1);
   *   return a + b;
   * })());
   * assert.equal(sum, 42);
   * ```
   *
   * @typeParam R The type of the reply.
   * @param name The actor's name.
   * @param message The message.
   * @param options A time limit.
   * @returns A future of the reply.
   * @throws {ActorError} If no actor was ever registered under `name`.
   */
  ask<R = unknown>(
    name: string,
    message: unknown,
    options?: AskOptions,
  ): Future<R> {
    const cell = this.#cells.get(name);
    if (cell !== undefined) {
      return this.#ask(cell, message, options) as Future<R>;
    }
    if (this.#parent === undefined) throw this.#unknown("ask", name, message);
    const future = makeAsk(name, message, options);
    this.#parent.ask(name, message, future);
    return future as Future<R>;
  }

  /**
   * Delivers queued messages, one at a time and in order, until the queue
   * is empty or `maxMessages` have been delivered; messages that actors send
   * meanwhile are queued and delivered in the same loop, so the stack never
   * grows. This is the tutorial's `run()`.
   *
   * @example
   * ```ts
   * import { ActorSystem, type ActorGenerator } from "@frontier/generators/actor";
   * import assert from "node:assert/strict";
   *
   * const system = new ActorSystem();
   * system.spawn("echo", function* (): ActorGenerator<number> {
   *   while (true) system.send("echo", (yield) + 1); // forever
   * });
   * system.send("echo", 0);
   * assert.equal(system.run({ maxMessages: 1_000 }), 1_000);
   * ```
   *
   * @param options The most messages to deliver.
   * @returns How many messages were delivered (dead letters not counted).
   * @throws {InvalidStateError} If called from inside a handler of this
   * system: handlers send, the loop that called them delivers.
   */
  run(options: RunOptions = {}): number {
    const limit = options.maxMessages === undefined
      ? Infinity
      : checkCount(options.maxMessages, {
        action: "run the actor system",
        name: "option maxMessages",
        infinite: true,
      });
    if (this.#delivering) {
      throw new InvalidStateError(
        `run() was called from inside the handler of actor ${
          JSON.stringify(currentCell?.name)
        }: handlers only send, and the loop that called them delivers what they sent`,
      );
    }
    // As a job of the run queue, so that the tasks woken by replies run after
    // the loop rather than nested in a handler; inside a job it runs at once.
    const job: RunJob = { system: this, limit, ran: false, count: 0 };
    runJob(runNow, job);
    runNow(job);
    // In automatic mode, what is left is delivered by itself.
    if (this.#started && this.#size > 0 && !this.#scheduled) this.#schedule();
    return job.count;
  }

  /**
   * Switches on the automatic mode: messages are delivered as they arrive,
   * without calls to {@linkcode run}, in batches of `batchSize` that let
   * other queued work (tasks woken by replies) and then the event loop have
   * their turn, so timers, I/O and Workers keep going during a long
   * exchange. A started system does not keep the process alive by itself.
   *
   * @example
   * ```ts
   * import { ActorSystem, type ActorGenerator, reply } from "@frontier/generators/actor";
   * import assert from "node:assert/strict";
   *
   * await using system = new ActorSystem();
   * system.spawn("greeter", function* (): ActorGenerator<string> {
   *   while (true) reply(`hello, ${yield}`);
   * });
   * system.start();
   * assert.equal(await system.ask("greeter", "world"), "hello, world");
   * ```
   */
  start(): void {
    this.#started = true;
    if (this.#size > 0) this.#schedule();
  }

  /**
   * Stops the actor `name`, or, without a name, the whole system.
   *
   * Stopping an actor closes its generator, so its `finally` blocks run
   * (an actor that stops itself from its handler is closed when the handler
   * yields); messages for it from then on go to {@linkcode deadLetters}. A
   * Worker actor runs its `finally` blocks in its Worker, which is then
   * terminated (after `stopTimeout` at the latest).
   *
   * Stopping the system switches off the automatic mode, stops every actor,
   * terminates every Worker, and moves the messages still queued to
   * {@linkcode deadLetters} (their questions fail). The system can be used
   * again afterwards. `await using system = new ActorSystem()` calls this.
   *
   * @example
   * ```ts
   * import { ActorSystem, type ActorGenerator } from "@frontier/generators/actor";
   * import assert from "node:assert/strict";
   *
   * const system = new ActorSystem();
   * const log: string[] = [];
   * system.spawn("conn", function* (): ActorGenerator<string> {
   *   try {
   *     while (true) log.push(yield);
   *   } finally {
   *     log.push("closed");
   *   }
   * });
   * system.send("conn", "data");
   * system.run();
   * await system.stop("conn");
   * system.send("conn", "late");
   * assert.deepEqual(log, ["data", "closed"]);
   * assert.deepEqual(system.deadLetters, [{ name: "conn", message: "late" }]);
   * ```
   *
   * @param name The actor to stop; leave it out to stop the whole system.
   * @returns A promise that resolves once the actor (or every actor) has
   * stopped and its Worker, if any, is terminated. It never rejects: errors
   * thrown while stopping go to `onError`.
   * @throws {ActorError} If no actor was ever registered under `name`.
   */
  stop(name?: string): Promise<void> {
    if (name === undefined) return this.#stopAll();
    const cell = this.#cells.get(name);
    if (cell === undefined) throw this.#unknown("stop", name, undefined);
    return this.#stopCell(cell);
  }

  /** Stops the whole system: `await using system = new ActorSystem()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#stopAll();
  }

  /**
   * Whether an actor named `name` is registered and has not stopped.
   *
   * @example
   * ```ts
   * import { ActorSystem } from "@frontier/generators/actor";
   * import assert from "node:assert/strict";
   *
   * const system = new ActorSystem();
   * system.spawn("idle", function* () {
   *   yield;
   * });
   * assert.equal(system.has("idle"), true);
   * assert.equal(system.has("other"), false);
   * ```
   *
   * @param name The name.
   */
  has(name: string): boolean {
    return this.#cells.get(name)?.state === ALIVE;
  }

  /**
   * How many messages are queued and not delivered yet (messages on their
   * way to or from a Worker are not counted).
   *
   * @example
   * ```ts
   * import { ActorSystem } from "@frontier/generators/actor";
   * import assert from "node:assert/strict";
   *
   * const system = new ActorSystem();
   * system.spawn("idle", function* () {
   *   while (true) yield;
   * });
   * system.send("idle", 1);
   * assert.equal(system.pending, 1);
   * system.run();
   * assert.equal(system.pending, 0);
   * ```
   */
  get pending(): number {
    return this.#size;
  }

  // ---------------------------------------------------------------------
  // Spawning

  #checkFree(what: string, name: string): void {
    const existing = this.#cells.get(name);
    if (existing !== undefined && existing.state === ALIVE) {
      throw new ActorError(
        `${what}: an actor named ${
          JSON.stringify(name)
        } is already running; stop it first, or give the new one another name`,
        name,
      );
    }
  }

  #spawn(
    what: string,
    name: string,
    policy: Policy | undefined,
    fn: (...args: unknown[]) => Generator<unknown, unknown, unknown>,
    args: unknown[],
  ): Cell {
    this.#checkFree(what, name);
    const cell = new Cell(this, name, fn, args, policy);
    // A generator that throws before its first `yield` throws here, and the
    // name stays free.
    this.#begin(cell);
    this.#cells.set(name, cell);
    if (cell.gen === undefined) this.#setStopped(cell);
    return cell;
  }

  // Makes the generator and runs it to its first `yield`; throws what it
  // throws. A generator that returns at once leaves `cell.gen` undefined.
  #begin(cell: Cell): void {
    const savedCell = currentCell;
    const savedAsk = currentAsk;
    const savedReplied = replied;
    currentCell = cell;
    currentAsk = undefined;
    try {
      const gen = cell.fn!(...cell.args);
      let result = gen.next();
      if (!result.done && result.value !== undefined) {
        result = badYields(cell, gen, result);
      }
      cell.gen = result.done ? undefined : gen;
    } finally {
      currentCell = savedCell;
      currentAsk = savedAsk;
      replied = savedReplied;
    }
  }

  // ---------------------------------------------------------------------
  // Sending

  #post(cell: Cell, message: unknown, ask: AskSlot | undefined): void {
    if (cell.state !== ALIVE) {
      this.#deadLetter(
        cell.name,
        message,
        ask,
        `actor ${JSON.stringify(cell.name)} has stopped`,
      );
      return;
    }
    if (cell.host !== undefined) {
      cell.host.post(message, ask);
      return;
    }
    let size = this.#size;
    if (size === this.#qCells.length) this.#grow();
    const mask = this.#qCells.length - 1;
    const slot = (this.#head + size) & mask;
    this.#qCells[slot] = cell;
    this.#qMessages[slot] = message;
    this.#qAsks[slot] = ask;
    this.#size = ++size;
    if (this.#started && !this.#scheduled) this.#schedule();
  }

  #grow(): void {
    const capacity = this.#qCells.length;
    const mask = capacity - 1;
    const cells: (Cell | undefined)[] = new Array(capacity * 2);
    const messages: unknown[] = new Array(capacity * 2);
    const asks: (AskSlot | undefined)[] = new Array(capacity * 2);
    for (let i = 0; i < this.#size; i++) {
      const slot = (this.#head + i) & mask;
      cells[i] = this.#qCells[slot];
      messages[i] = this.#qMessages[slot];
      asks[i] = this.#qAsks[slot];
    }
    this.#qCells = cells;
    this.#qMessages = messages;
    this.#qAsks = asks;
    this.#head = 0;
  }

  #ask(
    cell: Cell,
    message: unknown,
    options: AskOptions | undefined,
  ): Future<unknown> {
    const future = makeAsk(cell.name, message, options);
    this.#post(cell, message, future);
    return future;
  }

  #unknown(what: string, name: unknown, message: unknown): Error {
    if (typeof name !== "string") {
      return new TypeError(
        `${what}(name, …) takes the actor's name as a string, got ${
          describe(name)
        }`,
      );
    }
    const known = [...this.#cells.values()]
      .filter((c) => c.state === ALIVE)
      .map((c) => JSON.stringify(c.name));
    const list = known.length === 0
      ? "no actor is running"
      : `the running actors are ${known.slice(0, 10).join(", ")}${
        known.length > 10 ? ` and ${known.length - 10} more` : ""
      }`;
    const args = what === "stop"
      ? JSON.stringify(name)
      : `${JSON.stringify(name)}, ${describe(message)}`;
    return new ActorError(
      `${what}(${args}): no actor named ${
        JSON.stringify(name)
      } was ever started in this system (${list}); start it first with actor() or spawn(), or check the name`,
      name,
    );
  }

  #deadLetter(
    name: string,
    message: unknown,
    ask: AskSlot | undefined,
    reason: string,
  ): void {
    if (ask !== undefined) {
      failAsk(
        ask,
        new ActorError(
          `ask(${JSON.stringify(name)}, ${
            describe(message)
          }): ${reason}; the message is in deadLetters`,
          name,
        ),
      );
    }
    if (this.#parent !== undefined) this.#parent.dead(name, message);
    else this.deadLetters.push({ name, message });
  }

  // ---------------------------------------------------------------------
  // Delivering

  #schedule(): void {
    this.#scheduled = true;
    queueMicrotask(this.#kick);
  }

  #kick = () => queueJob(batchJob, this);

  #batch(): void {
    if (!this.#started || this.#delivering) {
      this.#scheduled = false;
      return;
    }
    this.#deliver(this.#batchSize, true);
    if (this.#size > 0 && this.#started) queueJob(batchJob, this);
    else this.#scheduled = false;
  }

  #deliver(limit: number, sliced: boolean): number {
    const savedCell = currentCell;
    const savedAsk = currentAsk;
    const savedReplied = replied;
    this.#delivering = true;
    let delivered = 0;
    try {
      while (this.#size > 0 && delivered < limit) {
        if (sliced && tick()) break;
        const cell = this.#shift();
        const message = this.#shiftedMessage;
        const ask = this.#shiftedAsk;
        if (cell.state !== ALIVE) {
          this.#deadLetter(
            cell.name,
            message,
            ask,
            `actor ${JSON.stringify(cell.name)} stopped before handling it`,
          );
          continue;
        }
        delivered++;
        const gen = cell.gen!;
        currentCell = cell;
        currentAsk = ask;
        replied = false;
        cell.running = true;
        let result: IteratorResult<unknown, unknown>;
        try {
          result = gen.next(message);
          if (!result.done && result.value !== undefined) {
            result = badYields(cell, gen, result);
          }
        } catch (error) {
          cell.running = false;
          this.#crashed(cell, error, message, ask);
          continue;
        }
        cell.running = false;
        if (ask !== undefined && !replied) {
          this.#unanswered(cell, message, ask, result.done);
        }
        if (result.done) {
          cell.gen = undefined;
          this.#setStopped(cell);
        } else if (cell.closeRequested) {
          this.#close(cell);
        }
      }
    } finally {
      this.#delivering = false;
      currentCell = savedCell;
      currentAsk = savedAsk;
      replied = savedReplied;
    }
    return delivered;
  }

  #unanswered(
    cell: Cell,
    message: unknown,
    ask: AskSlot,
    stopped: boolean | undefined,
  ): void {
    failAsk(
      ask,
      new ActorError(
        `ask(${JSON.stringify(cell.name)}, ${describe(message)}): the actor ${
          stopped ? "returned" : "took its next message"
        } without calling reply() for this one`,
        cell.name,
      ),
    );
  }

  // ---------------------------------------------------------------------
  // Failing, restarting and stopping

  #crashed(
    cell: Cell,
    error: unknown,
    message: unknown,
    ask: AskSlot | undefined,
  ): void {
    cell.gen = undefined;
    if (ask !== undefined && !replied) {
      failAsk(
        ask,
        new ActorError(
          `ask(${JSON.stringify(cell.name)}, ${
            describe(message)
          }): the actor failed while handling it`,
          cell.name,
          { cause: error },
        ),
      );
    }
    for (;;) {
      const restarting = cell.state === ALIVE && this.#mayRestart(cell);
      this.#report(error, { name: cell.name, message, restarting });
      // onError may have stopped it meanwhile.
      if (!restarting || cell.state !== ALIVE) {
        this.#setStopped(cell);
        return;
      }
      try {
        this.#begin(cell);
        if (cell.gen === undefined) this.#setStopped(cell);
        return;
      } catch (startError) {
        error = startError;
        message = undefined;
      }
    }
  }

  #mayRestart(cell: Cell): boolean {
    const policy = cell.policy;
    if (policy === undefined || cell.fn === undefined) return false;
    const now = performance.now();
    const times = policy.times;
    while (times.length > 0 && now - times[0] >= policy.window) times.shift();
    if (times.length >= policy.max) return false;
    times.push(now);
    return true;
  }

  #report(error: unknown, info: ActorErrorInfo): void {
    try {
      this.#onError(error, info);
    } catch (thrown) {
      reportLater(thrown);
    }
  }

  // Marks an actor stopped for good (once), and lets go of what made it.
  #setStopped(cell: Cell): void {
    cell.state = STOPPED;
    if (cell.ended) return;
    cell.ended = true;
    cell.fn = undefined;
    cell.args = [];
    this.#onStopped?.(cell.name);
  }

  #stopCell(cell: Cell): Promise<void> {
    if (cell.host !== undefined) {
      this.#setStopped(cell);
      return cell.host.close();
    }
    this.#close(cell);
    return Promise.resolve();
  }

  // Closes a local actor: no more messages, and its generator is returned so
  // that its `finally` blocks run (after its handler, if it is running).
  #close(cell: Cell): void {
    cell.state = STOPPED;
    if (cell.running) {
      cell.closeRequested = true;
      return;
    }
    cell.closeRequested = false;
    const gen = cell.gen;
    cell.gen = undefined;
    if (gen !== undefined) {
      const savedCell = currentCell;
      const savedAsk = currentAsk;
      currentCell = cell;
      currentAsk = undefined;
      cell.running = true;
      try {
        const result = gen.return(undefined);
        if (!result.done) {
          this.#report(
            new ActorError(
              `actor ${
                JSON.stringify(cell.name)
              } yielded in a finally block while stopping: a stopped actor takes no more messages, so its cleanup cannot wait for one`,
              cell.name,
            ),
            { name: cell.name, message: undefined, restarting: false },
          );
        }
      } catch (error) {
        this.#report(error, {
          name: cell.name,
          message: undefined,
          restarting: false,
        });
      } finally {
        cell.running = false;
        currentCell = savedCell;
        currentAsk = savedAsk;
      }
    }
    this.#setStopped(cell);
  }

  async #stopAll(): Promise<void> {
    this.#started = false;
    const closing: Promise<void>[] = [];
    for (const cell of this.#cells.values()) {
      if (cell.state === ALIVE) {
        const done = this.#stopCell(cell);
        if (cell.host !== undefined) closing.push(done);
      }
    }
    for (const host of this.#hosts) closing.push(host.close());
    this.#flushToDeadLetters();
    await Promise.all(closing);
    // What Workers sent while they were closing.
    this.#flushToDeadLetters();
  }

  // Takes the head of the queue: returns its actor, and leaves its message
  // and question in #shiftedMessage and #shiftedAsk (fields rather than a
  // returned object, so that delivering a message allocates nothing).
  #shift(): Cell {
    const head = this.#head;
    const cell = this.#qCells[head]!;
    this.#shiftedMessage = this.#qMessages[head];
    this.#shiftedAsk = this.#qAsks[head];
    this.#qCells[head] = undefined;
    this.#qMessages[head] = undefined;
    this.#qAsks[head] = undefined;
    this.#head = (head + 1) & (this.#qCells.length - 1);
    this.#size--;
    return cell;
  }

  #flushToDeadLetters(): void {
    while (this.#size > 0) {
      const cell = this.#shift();
      this.#deadLetter(
        cell.name,
        this.#shiftedMessage,
        this.#shiftedAsk,
        "the system was stopped before it was delivered",
      );
    }
  }
}

// An actor yielded a value: actors only receive, so that is a mistake (often
// `yield* future` in an actor, which would take the next message as the
// future's result). Throw a TypeError into it at that `yield`, as a task does.
// An actor that catches it and yields a value again is stopped: it would
// never take a message.
function badYields(
  cell: Cell,
  gen: Generator<unknown, unknown, unknown>,
  result: IteratorResult<unknown, unknown>,
): IteratorResult<unknown, unknown> {
  const value = result.value;
  const hint = value instanceof Future
    ? "; an actor cannot wait for a future: start a task for that, and have it send the result to the actor"
    : "; receive messages with a bare `const msg = yield`, and answer questions with reply(value)";
  const error = new TypeError(
    `actor ${JSON.stringify(cell.name)} yielded ${
      value instanceof Future ? "a Future" : describe(value)
    }, but an actor's generator may only yield nothing${hint}`,
  );
  result = gen.throw(error);
  if (!result.done && result.value !== undefined) {
    let closeError: unknown = undefined;
    try {
      gen.return(undefined);
    } catch (thrown) {
      closeError = thrown;
    }
    throw new TypeError(
      `actor ${JSON.stringify(cell.name)} yielded ${
        describe(result.value)
      } again after the TypeError for yielding ${
        describe(value)
      }; it was stopped, since it would never take a message`,
      closeError === undefined ? { cause: error } : { cause: closeError },
    );
  }
  return result;
}

function makeAsk(
  name: string,
  message: unknown,
  options: AskOptions | undefined,
): AskFuture<unknown> {
  const future = new AskFuture<unknown>();
  const timeout = options?.timeout;
  if (timeout !== undefined) {
    const ms = checkMilliseconds(timeout, {
      action: "ask",
      name: "option timeout",
    });
    future.timer = setTimeout(() => {
      if (!future.done()) {
        future.setException(
          new TimeoutError(
            `ask(${JSON.stringify(name)}, ${
              describe(message)
            }): no reply within ${ms} ms`,
          ),
        );
      }
    }, ms);
  }
  return future;
}

function reportByDefault(error: unknown, info: ActorErrorInfo): void {
  const during = info.message === undefined
    ? ""
    : ` while handling ${describe(info.message)}`;
  reportLater(
    new ActorError(
      `actor ${JSON.stringify(info.name)} failed${during}${
        info.restarting ? "; restarting it" : ""
      }: ${error instanceof Error ? error.message : describe(error)}`,
      info.name,
      { cause: error },
    ),
  );
}

function actorName(what: string, genFn: unknown): string {
  if (!isGeneratorFunction(genFn)) {
    throw new TypeError(
      `${what} needs a generator function (function*), got ${describe(genFn)}`,
    );
  }
  if (genFn.name === "") {
    throw new TypeError(
      `${what} registers an actor under its generator function's name, and this one has none; name it (function* printer() {…}) or use spawn(name, genFn)`,
    );
  }
  return genFn.name;
}

function checkSpawnName(
  what: string,
  name: unknown,
): { actorName: string; policy: Policy | undefined } {
  if (typeof name === "string") {
    if (name === "") {
      throw new TypeError(`${what} needs a non-empty name, got ""`);
    }
    return { actorName: name, policy: undefined };
  }
  if (typeof name === "object" && name !== null) {
    const options = name as SpawnOptions;
    if (typeof options.name !== "string" || options.name === "") {
      throw new TypeError(
        `${what} option name must be a non-empty string, got ${
          describe(options.name)
        }`,
      );
    }
    return { actorName: options.name, policy: checkPolicy(what, options) };
  }
  throw new TypeError(
    `${what} takes a name, or { name, restart, maxRestarts, restartWindow }, got ${
      describe(name)
    }`,
  );
}

function checkPolicy(
  what: string,
  options: RestartOptions,
): Policy | undefined {
  const restart = options.restart ?? "never";
  if (restart !== "never" && restart !== "always") {
    throw new TypeError(
      `${what} option restart must be "never" or "always", got ${
        describe(restart)
      }`,
    );
  }
  const max = options.maxRestarts === undefined
    ? DEFAULT_MAX_RESTARTS
    : checkCount(options.maxRestarts, {
      action: what,
      name: "option maxRestarts",
      infinite: true,
    });
  if (!Number.isFinite(max)) {
    throw new RangeError(
      `${what} option maxRestarts must be finite, got Infinity: an actor that fails as it starts would be restarted forever`,
    );
  }
  const window = options.restartWindow === undefined
    ? DEFAULT_RESTART_WINDOW
    : options.restartWindow === Infinity
    ? Infinity
    : checkMilliseconds(options.restartWindow, {
      action: what,
      name: "option restartWindow",
    });
  if (restart === "never") return undefined;
  return { max, window, times: [] };
}

function checkModuleUrl(what: string, url: unknown): string {
  if (url instanceof URL) return url.href;
  if (typeof url === "string") {
    if (URL.canParse(url)) return url;
    throw new TypeError(
      `${what} must be an absolute URL, got ${
        describe(url)
      }: a Worker resolves relative paths against this package, not your module; pass new URL(${
        JSON.stringify(url)
      }, import.meta.url)`,
    );
  }
  throw new TypeError(
    `${what} must be a URL or an absolute URL string, got ${describe(url)}`,
  );
}

function describeForReport(message: unknown): unknown {
  if (message === undefined) return undefined;
  try {
    structuredClone(message);
    return message;
  } catch {
    return describe(message);
  }
}

// ---------------------------------------------------------------------------
// The default system and the tutorial's module-level functions.

/**
 * The system that the module-level functions use outside a handler. Inside
 * a handler they use the system delivering the message, so an actor
 * function written with the module-level {@linkcode send} and
 * {@linkcode reply} works in any system, and in a Worker.
 *
 * @example
 * ```ts
 * import { defaultSystem, send } from "@frontier/generators/actor";
 * import assert from "node:assert/strict";
 *
 * defaultSystem.spawn("recorder", function* () {
 *   yield;
 * });
 * send("recorder", "hi");
 * assert.equal(defaultSystem.pending, 1);
 * assert.equal(defaultSystem.run(), 1);
 * ```
 */
export const defaultSystem: ActorSystem = new ActorSystem();

function current(): ActorSystem {
  return currentCell?.system ?? defaultSystem;
}

/**
 * The tutorial's `@actor`: returns a function that makes the generator,
 * primes it and registers it under the generator function's name, in
 * {@linkcode defaultSystem} (or, called from a handler, in that handler's
 * system). See {@linkcode ActorSystem.prototype.actor}.
 *
 * @example
 * ```ts
 * import { actor, type ActorGenerator, run, send } from "@frontier/generators/actor";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * const shouter = actor(function* shouter(): ActorGenerator<string> {
 *   while (true) lines.push((yield).toUpperCase());
 * });
 * shouter();
 * send("shouter", "hey");
 * run();
 * assert.deepEqual(lines, ["HEY"]);
 * ```
 *
 * @param genFn A named generator function.
 * @param options Its restart policy.
 * @returns A function that starts the actor and returns its handle.
 */
export function actor<A extends unknown[], M>(
  genFn: ActorFunction<A, M>,
  options: RestartOptions = {},
): (...args: A) => ActorRef<M> {
  const name = actorName("actor()", genFn);
  const policy = checkPolicy("actor()", options);
  return (...args: A) =>
    current().spawn(
      { name, ...policyOptions(policy) },
      genFn,
      ...args,
    );
}

function policyOptions(policy: Policy | undefined): RestartOptions {
  return policy === undefined ? {} : {
    restart: "always",
    maxRestarts: policy.max,
    restartWindow: policy.window,
  };
}

/**
 * Starts an actor under a name chosen at run time. See
 * {@linkcode ActorSystem.prototype.spawn}.
 *
 * @example
 * ```ts
 * import { type ActorGenerator, run, spawn } from "@frontier/generators/actor";
 * import assert from "node:assert/strict";
 *
 * let last = "";
 * const ref = spawn("last-word", function* (): ActorGenerator<string> {
 *   while (true) last = yield;
 * });
 * ref.send("bye");
 * run();
 * assert.equal(last, "bye");
 * ```
 *
 * @param name The name, or the name with a restart policy.
 * @param genFn The generator function.
 * @param args Its arguments.
 */
export function spawn<A extends unknown[], M>(
  name: string | SpawnOptions,
  genFn: ActorFunction<A, M>,
  ...args: A
): ActorRef<M> {
  return current().spawn(name, genFn, ...args);
}

/**
 * Starts an actor in its own Web Worker. See
 * {@linkcode ActorSystem.prototype.spawnWorker}.
 *
 * @example
 * ```ts
 * import { actorModule, spawnWorker, stop } from "@frontier/generators/actor";
 * import assert from "node:assert/strict";
 *
 * const mod = actorModule<typeof import("./examples/actors.ts")>(
 *   new URL("./examples/actors.ts", import.meta.url),
 * );
 * const echo = spawnWorker("worker-echo", { module: mod, export: "echo" });
 * assert.equal(await echo.ask(7), 7);
 * await stop("worker-echo");
 * ```
 *
 * @param name The name, or the name with a restart policy.
 * @param spec The module and the name of the actor function it exports.
 * @param args The function's arguments.
 */
export function spawnWorker<
  Mod = Record<string, ActorFunction>,
  K extends ActorExports<Mod> = ActorExports<Mod>,
>(
  name: string | SpawnOptions,
  spec: WorkerActorSpec<Mod, K>,
  ...args: ArgsOf<Mod[K]>
): ActorRef<MessageOf<Mod[K]>> {
  return current().spawnWorker(name, spec, ...args);
}

/**
 * The tutorial's `send(name, msg)`: queues a message. See
 * {@linkcode ActorSystem.prototype.send}.
 *
 * @example
 * ```ts
 * import { type ActorGenerator, run, send, spawn } from "@frontier/generators/actor";
 * import assert from "node:assert/strict";
 *
 * const got: number[] = [];
 * spawn("collector", function* (): ActorGenerator<number> {
 *   while (true) got.push(yield);
 * });
 * send("collector", 1);
 * send("collector", 2);
 * run();
 * assert.deepEqual(got, [1, 2]);
 * ```
 *
 * @param name The actor's name.
 * @param message The message.
 */
export function send(name: string, message: unknown): void {
  current().send(name, message);
}

/**
 * Asks an actor a question; the future finishes with its {@linkcode reply}.
 * See {@linkcode ActorSystem.prototype.ask}.
 *
 * @example
 * ```ts
 * import { type ActorGenerator, ask, reply, run, spawn } from "@frontier/generators/actor";
 * import assert from "node:assert/strict";
 *
 * spawn("squarer", function* (): ActorGenerator<number> {
 *   while (true) {
 *     const n = yield;
 *     reply(n * n);
 *   }
 * });
 * const answer = ask<number>("squarer", 12);
 * run();
 * assert.equal(answer.result(), 144);
 * ```
 *
 * @typeParam R The type of the reply.
 * @param name The actor's name.
 * @param message The message.
 * @param options A time limit.
 */
export function ask<R = unknown>(
  name: string,
  message: unknown,
  options?: AskOptions,
): Future<R> {
  return current().ask<R>(name, message, options);
}

/**
 * Answers the question being handled: called by an actor while it handles a
 * message sent with {@linkcode ask}, it finishes that question's future with
 * `value`. For a message sent with {@linkcode send} there is nobody to
 * answer, and it returns `false`, so one actor can serve both.
 *
 * @example
 * ```ts
 * import { ActorSystem, type ActorGenerator, reply } from "@frontier/generators/actor";
 * import assert from "node:assert/strict";
 *
 * const system = new ActorSystem();
 * const answered: boolean[] = [];
 * system.spawn("clock", function* (): ActorGenerator<string> {
 *   while (true) {
 *     yield;
 *     answered.push(reply("tick"));
 *   }
 * });
 * system.send("clock", "now?");
 * const answer = system.ask("clock", "now?");
 * system.run();
 * assert.equal(answer.result(), "tick");
 * assert.deepEqual(answered, [false, true]);
 * ```
 *
 * @param value The answer.
 * @returns `true` if a question was answered, `false` if the message was
 * not a question.
 * @throws {InvalidStateError} If called outside a handler, or twice for one
 * message.
 */
export function reply(value?: unknown): boolean {
  const cell = currentCell;
  if (cell === undefined) {
    throw new InvalidStateError(
      `reply(${
        describe(value)
      }) was called outside an actor's handler: an actor calls it while it handles a message sent with ask()`,
    );
  }
  const slot = currentAsk;
  if (slot === undefined) return false;
  if (replied) {
    throw new InvalidStateError(
      `reply(${describe(value)}): actor ${
        JSON.stringify(cell.name)
      } already replied to this message; a question has one answer`,
    );
  }
  replied = true;
  answer(slot, value);
  return true;
}

/**
 * The tutorial's `run()`: delivers the queued messages of
 * {@linkcode defaultSystem}. See {@linkcode ActorSystem.prototype.run}.
 *
 * @example
 * ```ts
 * import { type ActorGenerator, run, send, spawn } from "@frontier/generators/actor";
 * import assert from "node:assert/strict";
 *
 * spawn("countdown", function* (): ActorGenerator<number> {
 *   while (true) {
 *     const n = yield;
 *     if (n > 0) send("countdown", n - 1);
 *   }
 * });
 * send("countdown", 9);
 * assert.equal(run(), 10);
 * ```
 *
 * @param options The most messages to deliver.
 * @returns How many messages were delivered.
 */
export function run(options?: RunOptions): number {
  return current().run(options);
}

/**
 * Switches {@linkcode defaultSystem} to the automatic mode. See
 * {@linkcode ActorSystem.prototype.start}.
 *
 * @example
 * ```ts
 * import { type ActorGenerator, ask, reply, spawn, start, stop } from "@frontier/generators/actor";
 * import assert from "node:assert/strict";
 *
 * spawn("adder", function* (): ActorGenerator<[number, number]> {
 *   while (true) {
 *     const [a, b] = yield;
 *     reply(a + b);
 *   }
 * });
 * start();
 * assert.equal(await ask("adder", [2, 3]), 5);
 * await stop("adder");
 * ```
 */
export function start(): void {
  current().start();
}

/**
 * Stops an actor of {@linkcode defaultSystem}, or, without a name, the
 * whole default system. See {@linkcode ActorSystem.prototype.stop}.
 *
 * @example
 * ```ts
 * import { type ActorGenerator, spawn, stop } from "@frontier/generators/actor";
 * import assert from "node:assert/strict";
 *
 * let cleaned = false;
 * spawn("temp", function* (): ActorGenerator<string> {
 *   try {
 *     while (true) yield;
 *   } finally {
 *     cleaned = true;
 *   }
 * });
 * await stop("temp");
 * assert.equal(cleaned, true);
 * ```
 *
 * @param name The actor to stop; leave it out to stop the whole system.
 */
export function stop(name?: string): Promise<void> {
  return current().stop(name);
}
