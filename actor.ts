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
 * that delivers messages as they arrive, and actors that run in a Worker
 * ({@linkcode ActorSystem.prototype.spawnWorker}) for real concurrency.
 *
 * @module
 */

import type { Future } from "./future.ts";
import { describe } from "./_core/describe.ts";
import type { ArgsOf } from "./_core/types.ts";
import { ActorError } from "./_actor/error.ts";
import { handling, replyWith } from "./_actor/ask.ts";
import type { AnyGeneratorFunction } from "./_actor/cell.ts";
import {
  checkActorFunction,
  checkModuleUrl,
  checkNamedActorFunction,
  checkSpawnName,
} from "./_actor/checks.ts";
import { Engine } from "./_actor/engine.ts";
import { restartOptions, restartPolicy } from "./_actor/restart.ts";

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
   * starting or stopping (or, in a Worker, outside its generator, or when
   * its Worker ended by itself).
   */
  message: unknown;
  /** Whether its restart policy restarts it now. */
  restarting: boolean;
}

/** Options of {@linkcode ActorSystem}. */
export interface ActorSystemOptions {
  /**
   * Called with the error of an actor whose generator threw (it is stopped,
   * or restarted if its policy says so, and the others go on). Left out, the
   * error is reported like an uncaught error, wrapped in an
   * {@linkcode ActorError} that names the actor.
   *
   * @default {undefined}
   */
  onError?: (error: unknown, info: ActorErrorInfo) => void;
  /**
   * In automatic mode ({@linkcode ActorSystem.prototype.start}), how many
   * messages are delivered before other queued work (tasks woken by replies)
   * gets its turn. The event loop gets its turn at the latest after a time
   * slice of the package's run queue.
   *
   * @default {1024}
   */
  batchSize?: number;
  /**
   * Milliseconds a Worker actor has to run its `finally` blocks when
   * stopped before its Worker is terminated anyway (which stops it even in
   * the middle of a loop).
   *
   * @default {5000}
   */
  stopTimeout?: number;
}

/** When a crashed actor is started again. */
export interface RestartOptions {
  /**
   * `"never"`: an actor that throws stays stopped. `"always"`: it is made
   * again from its function and arguments, up to {@linkcode maxRestarts}
   * times within {@linkcode restartWindow}.
   *
   * @default {"never"}
   */
  restart?: "never" | "always";
  /**
   * The most restarts within the window.
   *
   * @default {3}
   */
  maxRestarts?: number;
  /**
   * The window, in milliseconds, over which restarts are counted. Pass
   * `Infinity` to count restarts over the actor's lifetime.
   *
   * @default {10000}
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
   * actor has not replied. Left out, the future waits without a limit.
   *
   * @default {undefined}
   */
  timeout?: number;
}

/** Options of {@linkcode ActorSystem.prototype.run}. */
export interface RunOptions {
  /**
   * The most messages to deliver. Left out, every message queued, including
   * those sent meanwhile, is delivered.
   *
   * @default {Infinity}
   */
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
    this.url = checkModuleUrl(url, {
      action: "create an ActorModule",
      name: "url",
    });
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

// Checks what spawnWorker() is to run, here because only this module knows
// ActorModule.
function checkWorkerSpec(
  spec: unknown,
  name: string,
): { module: string; exportName: string } {
  const action = `spawn Worker actor ${JSON.stringify(name)}`;
  if (typeof spec !== "object" || spec === null) {
    throw new TypeError(
      `Cannot ${action}: expected a spec { module, export }, got ${
        describe(spec)
      }`,
    );
  }
  const { module, export: exportName } = spec as WorkerActorSpec<
    unknown,
    unknown
  >;
  const url = module instanceof ActorModule
    ? module.url
    : checkModuleUrl(module, { action, name: "spec.module" });
  if (typeof exportName !== "string" || exportName === "") {
    throw new TypeError(
      `Cannot ${action}: spec.export must be the name of an exported generator function, got ${
        describe(exportName)
      }`,
    );
  }
  return { module: url, exportName };
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
 * after {@linkcode start}, automatically as they arrive. A system nobody
 * runs starts by itself when a question to one of its actors would
 * otherwise wait forever (see {@linkcode ask}).
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

  // Everything else: the engine holds the actors and the queue, and delivers.
  #engine: Engine;

  /**
   * Makes an actor system.
   *
   * @param options Where errors go, and tuning of the automatic mode.
   */
  constructor(options: ActorSystemOptions = {}) {
    this.#engine = new Engine(this, options);
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
    const name = checkNamedActorFunction(genFn);
    const spawnName = {
      name,
      policy: restartPolicy("create an actor", options),
    };
    const engine = this.#engine;
    return (...args: A) =>
      engine.spawn("spawn an actor", spawnName, {
        generatorFunction: genFn as AnyGeneratorFunction,
        args,
      }) as ActorRef<M>;
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
    const spawnName = checkSpawnName("spawn an actor", name);
    checkActorFunction(genFn, spawnName.name);
    return this.#engine.spawn("spawn an actor", spawnName, {
      generatorFunction: genFn as AnyGeneratorFunction,
      args,
    }) as ActorRef<M>;
  }

  /**
   * Starts an actor in a Worker of its own, for real concurrency: the
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
   * terminates its Worker. An actor the system has stopped is gone, thread
   * and all, even one stuck in a loop (its Worker is terminated after
   * `stopTimeout`), so the process can exit.
   *
   * The Worker is a `node:worker_threads` Worker, which Deno runs as a
   * Worker of its own (with Node's globals, such as `process`, besides
   * Deno's). It says when it ends, and its `terminate()` halts running code
   * (in Deno 2.9 only because the Worker holds a Web Lock of its own, taken
   * before the actor starts: Deno halts a thread that holds locks before it
   * releases them). If it ends by itself (the actor calls
   * `Deno.exit()` or `close()`, or the Worker crashes), the questions
   * waiting for it fail with an {@linkcode ActorError} that says its Worker
   * exited, messages on their way to it are lost, the end is reported to
   * `onError` (with `message: undefined`), and the actor is stopped, or,
   * if its restart policy allows, started again in a new Worker (such
   * restarts are counted by this system, apart from those of the actor's
   * generator inside its Worker).
   *
   * Inside the Worker, the actor's messages to names its Worker does not
   * know are sent to this system; one sent to a name this system does not
   * know either is reported to `onError` and kept in `deadLetters` (a
   * question to such a name fails, and is kept there too). An error that escapes the actor's generator in
   * its Worker (thrown by a timer's callback, or a failed question nobody
   * observes, which the main thread would report as uncaught) is reported
   * to `onError` and stops the actor. Here, a failed question to the actor
   * that nobody observes is reported once, as for a local actor.
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
    const spawnName = checkSpawnName("spawn a Worker actor", name);
    const { module, exportName } = checkWorkerSpec(spec, spawnName.name);
    return this.#engine.spawnWorker(spawnName, {
      module,
      export: exportName,
      args,
    }) as ActorRef<MessageOf<Mod[K]>>;
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
    this.#engine.send(name, message);
  }

  /**
   * Sends `message` to the actor `name` as a question: the future finishes
   * with the value the actor passes to {@linkcode reply} while it handles
   * this message. It fails with an {@linkcode ActorError} if the actor takes
   * its next message without replying, fails, or has stopped; and with a
   * `TimeoutError` if `options.timeout` passes first.
   *
   * A question is answered only once its message is delivered. If the
   * system is neither {@linkcode start}ed nor being {@linkcode run}, and the
   * question's message is still queued once the current synchronous work is
   * done (nobody called {@linkcode run} meanwhile), the system switches to
   * the automatic mode by itself, as {@linkcode start} does: `await
   * system.ask(…)` gets its answer rather than waiting forever for a
   * `run()` that never comes. A question that `run()` delivers in the same
   * synchronous work, as in the tutorial's loop, leaves the system manual;
   * so does one asked from a handler (the loop running it delivers it).
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
   * @example Awaited in a system nobody runs: it starts by itself
   * ```ts
   * import { ActorSystem, type ActorGenerator, reply } from "@frontier/generators/actor";
   * import assert from "node:assert/strict";
   *
   * await using system = new ActorSystem();
   * system.spawn("upper", function* (): ActorGenerator<string> {
   *   while (true) reply((yield).toUpperCase());
   * });
   * assert.equal(await system.ask("upper", "no run() needed"), "NO RUN() NEEDED");
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
    return this.#engine.ask(name, message, options) as Future<R>;
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
    return this.#engine.run(options);
  }

  /**
   * Switches on the automatic mode: messages are delivered as they arrive,
   * without calls to {@linkcode run}, in batches of `batchSize` that let
   * other queued work (tasks woken by replies) and then the event loop have
   * their turn, so timers, I/O and Workers keep going during a long
   * exchange. A started system does not keep the process alive by itself.
   * A question left undelivered by a system nobody runs switches it on too
   * (see {@linkcode ask}); {@linkcode stop} switches it off.
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
    this.#engine.start();
  }

  /**
   * Stops the actor `name`, or, without a name, the whole system.
   *
   * Stopping an actor closes its generator, so its `finally` blocks run
   * (an actor that stops itself from its handler is closed when the handler
   * yields); messages for it from then on go to {@linkcode deadLetters}. A
   * Worker actor runs its `finally` blocks in its Worker, which is then
   * terminated (after `stopTimeout` at the latest, even in the middle of a
   * loop: once the promise resolves, its thread is gone).
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
    return this.#engine.stop(name);
  }

  /** Stops the whole system: `await using system = new ActorSystem()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#engine.stopAll();
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
    return this.#engine.has(name);
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
    return this.#engine.pending;
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
  return handling.cell?.system ?? defaultSystem;
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
  const name = checkNamedActorFunction(genFn);
  const policy = restartPolicy("create an actor", options);
  return (...args: A) =>
    current().spawn(
      { name, ...restartOptions(policy) },
      genFn,
      ...args,
    );
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
 * Starts an actor in a Worker thread of its own. See
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
  return replyWith(value);
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
