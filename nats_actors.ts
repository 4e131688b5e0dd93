// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Actors across machines: {@linkcode connectActors} connects an
 * `ActorSystem` to a NATS cluster (the `nats-server` program, with
 * JetStream), and from then on `system.send(name, message)`,
 * `system.ask(name, message)` and `reply(value)` work the same whether the
 * actor `name` lives in this process or in another one connected to the same
 * servers. A message between two actors of one process stays in the process:
 * it never reaches the server, and costs what it cost before.
 *
 * ```ts ignore
 * // pong.ts: deno run -A pong.ts
 * import { ActorSystem, type ActorGenerator, reply } from "@frontier/generators/actor";
 * import { connectActors } from "@frontier/generators/nats-actors";
 *
 * const system = new ActorSystem();
 * const remote = await connectActors(system, { servers: "127.0.0.1:4222" });
 * await remote.spawn("pong", function* (): ActorGenerator<number> {
 *   while (true) reply((yield) + 1);
 * });
 *
 * // ping.ts, in another process or on another machine
 * await using system = new ActorSystem();
 * await using remote = await connectActors(system, { servers: "127.0.0.1:4222" });
 * await remote.waitFor("pong");
 * console.log(await system.ask("pong", 41)); // 42
 * ```
 *
 * (The examples of this module need a running `nats-server -js`, so they are
 * not run as documentation tests; `tests/nats_actors_test.ts` runs the same
 * code against a real server and real processes.)
 *
 * ## Names
 * An actor's name is unique in its cluster: every live actor of a connected
 * system holds its name in a JetStream key-value bucket, written only if the
 * key has no value, so of two processes that spawn one name at the same
 * moment exactly one gets it. {@linkcode RemoteActors.prototype.spawn} waits
 * for the name and fails with an `ActorError` that names the process holding
 * it; `system.spawn` (and `actor()`, `spawnWorker`) refuse at once a name this
 * process knows to be held elsewhere, and claim the name in the background:
 * if another process won it meanwhile, the new actor is stopped and the
 * error goes to the system's `onError`. A process writes its names again
 * every `nameTtl / 3`; the bucket's age limit (`max_age`, `nameTtl`) removes
 * the names of a process that died without freeing them, so they are free
 * again within `nameTtl` (15 s by default) of its death. Stopping an actor,
 * or closing the connection, frees its name at once.
 *
 * ## Delivery
 * Messages from one sender to one actor arrive in the order they were sent.
 * Nothing is lost silently: a name that no process is known to serve throws
 * the same `ActorError` as locally; a message to an actor whose process has
 * just stopped serving it goes to this system's `deadLetters` (the server
 * says at once that nobody serves its subject), and its question fails; a
 * question whose actor's process dies before answering fails within
 * `probeInterval` with an error that says so, and so does one whose actor's
 * process lost its connection to NATS and came back while it waited (the
 * question, or its answer, may have been lost with the connection); an
 * answer written as its process's connection drops is published again once
 * it is back (the asker takes the first answer only); a message for a remote actor
 * that has stopped is a dead letter of the process that owned it, as
 * locally. NATS itself keeps no message for an actor (core NATS, at most
 * once): while this process's connection is down, what it sends to other
 * processes goes to `deadLetters` at once and its questions fail, a batch
 * sent just as the connection dropped is reported the same way (it may
 * have arrived), and the questions waiting when it drops fail, since their
 * answers cannot reach it. Messages and answers cross with structured-clone
 * semantics (`Map`, `Date`, typed arrays, `BigInt`, errors with name,
 * message, stack and cause), each up to the server's `max_payload` (1 MiB by default); bytes on
 * an actor's subject that are not a message of this package are kept in
 * `deadLetters` as a `Uint8Array` and never throw. Sends are batched: what a
 * process sends to one actor within one synchronous stretch of work is one
 * NATS message.
 *
 * Restart policies apply in the process that owns the actor, as locally;
 * its name stays held while it restarts.
 *
 * A process subscribes to an actor's subject before it claims the name, so
 * that nobody can hear of the name before the actor can be reached; if the
 * claim fails, what arrived meanwhile (also delivered to the actor that holds
 * the name, which answers its questions) is kept in its `deadLetters`. A process cut off from NATS for
 * longer than `nameTtl` may find its names taken when it comes back: its
 * actors that lost their names are stopped, and `onError` hears why.
 *
 * ## Subjects, bucket and permissions
 * For a cluster named `C` (option `cluster`, `default` by default), a
 * process with id `P` (random, per connection):
 *
 * | name | kind | each process |
 * | --- | --- | --- |
 * | `frontier.actors.C.actor.<name>` (core NATS) | an actor's messages | subscribe to its own actors', publish to all |
 * | `frontier.actors.C.reply.P.*` (core NATS) | answers, and "no responders" | subscribe to its own, publish to all |
 * | `frontier.actors.C.process.P` (core NATS) | "are you there?" | subscribe to its own, publish to all |
 * | bucket `frontier-actors-C` (stream `KV_frontier-actors-C`, subjects `$KV.frontier-actors-C.>`) | names | publish, read |
 *
 * Each process also uses the JetStream API (`$JS.API.>`: stream info, create
 * the bucket when it is missing, get a message, an ordered consumer that
 * follows the bucket) and receives the client's replies on `_INBOX.>`. In a
 * `nats-server` configuration, a user that may run actors of cluster `C` and
 * nothing else:
 *
 * ```text
 * permissions: {
 *   publish: ["frontier.actors.C.>", "$KV.frontier-actors-C.>", "$JS.API.>"]
 *   subscribe: ["frontier.actors.C.>", "_INBOX.>"]
 * }
 * ```
 *
 * Narrower, instead of `$JS.API.>` (for a bucket that exists, the create
 * may go): `$JS.API.INFO`, and, with `B` for `KV_frontier-actors-C`,
 * `$JS.API.STREAM.INFO.B`, `$JS.API.STREAM.CREATE.B`,
 * `$JS.API.STREAM.MSG.GET.B`, `$JS.API.CONSUMER.CREATE.B`,
 * `$JS.API.CONSUMER.CREATE.B.>`, `$JS.API.CONSUMER.MSG.NEXT.B.>`,
 * `$JS.API.CONSUMER.INFO.B.>` and `$JS.API.CONSUMER.DELETE.B.>`. A name
 * that is not made of letters, digits, `_` and `-` (up to 128) is written in
 * subjects and keys as `=` and its UTF-8 bytes in base64url.
 *
 * @module
 */

import type {
  ActorExports,
  ActorFunction,
  ActorRef,
  ActorSystem,
  MessageOf,
  SpawnOptions,
  WorkerActorSpec,
} from "./actor.ts";
import type { ArgsOf } from "./_core/types.ts";
import { checkMilliseconds } from "./_core/checks.ts";
import { describe } from "./_core/describe.ts";
import { ActorError } from "./_actor/error.ts";
import { checkActorFunction, checkSpawnName } from "./_actor/checks.ts";
import { type Engine, engineOf } from "./_actor/engine.ts";
import { checkConnectSettings, openConnection } from "./_nats/connection.ts";
import { clusterNames } from "./_nats/actor_names.ts";
import { ensureBucket } from "./_nats/actor_registry.ts";
import { ActorNode } from "./_nats/actor_node.ts";
import { randomId } from "./_nats/names.ts";
import { jetstreamManager } from "npm:@nats-io/jetstream@3.4.0";
import type { NatsConnection } from "npm:@nats-io/transport-node@3.4.0";
import type { NatsConnectOptions } from "./nats.ts";

/** Options of {@linkcode connectActors}. */
export interface NatsActorsOptions extends NatsConnectOptions {
  /**
   * The cluster's name: systems connected with the same name (and servers)
   * reach each other's actors; names are unique within it. Letters, digits,
   * `_` and `-`.
   *
   * @default {"default"}
   */
  cluster?: string;
  /**
   * Milliseconds after which the names of a process that died are free: the
   * age limit of the bucket of names, which this process makes if it is
   * missing (a bucket that exists keeps its own limit, and
   * {@linkcode RemoteActors.prototype.nameTtl} says which holds; one with
   * no limit, or one under 500 ms, is refused). Names are written again
   * every third of it. At least 500.
   *
   * @default {15000}
   */
  nameTtl?: number;
  /**
   * Milliseconds between "are you there?" checks of the processes that
   * questions wait for: about the longest a question to an actor whose
   * process died waits before it fails. At least 10.
   *
   * @default {250}
   */
  probeInterval?: number;
}

/** What {@linkcode RemoteActors.prototype.stats} reports. */
export interface RemoteActorsStats {
  /** Names of this process's actors held in the cluster. */
  served: number;
  /** Messages and questions sent to actors of other processes. */
  sent: number;
  /** Messages and questions received for this process's actors. */
  received: number;
  /** Batches on this process's subjects that were not messages. */
  malformed: number;
}

/** Options of {@linkcode RemoteActors.prototype.waitFor}. */
export interface WaitForOptions {
  /**
   * Milliseconds after which the promise rejects. Left out, it waits
   * without a limit.
   *
   * @default {undefined}
   */
  timeout?: number;
}

const connected = new WeakMap<Engine, RemoteActors>();

/** What a connection is made of, for the private constructor. */
interface RemoteParts {
  engine: Engine;
  node: ActorNode;
  nc: NatsConnection;
  owned: boolean;
  cluster: string;
}

// The one way to the private constructor, set by the class as it is made.
let makeRemote: (system: ActorSystem, parts: RemoteParts) => RemoteActors;

/**
 * The connection of one `ActorSystem` to a NATS cluster of actor systems;
 * made by {@linkcode connectActors}. Closing it (`await using`, or
 * {@linkcode close}) frees this process's names and leaves its actors
 * running locally.
 *
 * @example
 * ```ts ignore
 * import { ActorSystem, type ActorGenerator } from "@frontier/generators/actor";
 * import { connectActors } from "@frontier/generators/nats-actors";
 *
 * await using system = new ActorSystem();
 * await using remote = await connectActors(system, { cluster: "shop" });
 * await remote.spawn("stock", function* (): ActorGenerator<string> {
 *   while (true) console.log("restock", yield);
 * });
 * console.log(remote.processId, remote.nameTtl, remote.stats());
 * ```
 */
export class RemoteActors implements AsyncDisposable {
  /** The cluster's name. */
  readonly cluster: string;
  /** This process's id in the cluster (a random subject token). */
  readonly processId: string;
  /** The bucket's age limit, in milliseconds: see `nameTtl`. */
  readonly nameTtl: number;
  readonly #system: ActorSystem;
  readonly #engine: Engine;
  readonly #node: ActorNode;
  readonly #nc: NatsConnection;
  readonly #owned: boolean;
  #closing: Promise<void> | undefined = undefined;
  // The waitFor() calls still waiting, ended by close().
  readonly #waiting = new Set<(error: Error) => void>();

  static {
    makeRemote = (system, parts) => new RemoteActors(system, parts);
  }

  /** Use {@linkcode connectActors}. */
  private constructor(
    system: ActorSystem,
    parts: RemoteParts,
  ) {
    this.#system = system;
    this.#engine = parts.engine;
    this.#node = parts.node;
    this.#nc = parts.nc;
    this.#owned = parts.owned;
    this.cluster = parts.cluster;
    this.processId = parts.node.self.process;
    this.nameTtl = parts.node.ttl;
  }

  /**
   * Starts an actor once its name is held for it in the cluster: the
   * promise rejects with an `ActorError` that names the process holding it
   * when another process has it, and the generator is not made then.
   *
   * @example
   * ```ts ignore
   * import { ActorSystem, type ActorGenerator } from "@frontier/generators/actor";
   * import { connectActors } from "@frontier/generators/nats-actors";
   *
   * await using system = new ActorSystem();
   * await using remote = await connectActors(system);
   * const printer = await remote.spawn("printer", function* (): ActorGenerator<string> {
   *   while (true) console.log(yield);
   * });
   * printer.send("reachable from every connected process");
   * ```
   *
   * @param name The name, or the name with a restart policy.
   * @param genFn The generator function.
   * @param args Its arguments.
   * @returns The actor's handle.
   */
  async spawn<A extends unknown[], M>(
    name: string | SpawnOptions,
    genFn: ActorFunction<A, M>,
    ...args: A
  ): Promise<ActorRef<M>> {
    const checked = checkSpawnName("spawn an actor", name);
    checkActorFunction(genFn, checked.name);
    return await this.#claimed(
      "spawn an actor",
      checked.name,
      () => this.#system.spawn(name, genFn, ...args),
    );
  }

  /**
   * Starts an actor in a Worker thread of its own once its name is held for
   * it in the cluster, as {@linkcode spawn} does for an actor of this
   * thread (see `ActorSystem.prototype.spawnWorker`).
   *
   * @example
   * ```ts ignore
   * import { ActorSystem, actorModule } from "@frontier/generators/actor";
   * import { connectActors } from "@frontier/generators/nats-actors";
   *
   * await using system = new ActorSystem();
   * await using remote = await connectActors(system);
   * const mod = actorModule<typeof import("./examples/actors.ts")>(
   *   new URL("./examples/actors.ts", import.meta.url),
   * );
   * await remote.spawnWorker("worker-echo", { module: mod, export: "echo" });
   * ```
   *
   * @param name The name, or the name with a restart policy.
   * @param spec The module and the name of the actor function it exports.
   * @param args The function's arguments.
   * @returns The actor's handle.
   */
  async spawnWorker<
    Mod = Record<string, ActorFunction>,
    K extends ActorExports<Mod> = ActorExports<Mod>,
  >(
    name: string | SpawnOptions,
    spec: WorkerActorSpec<Mod, K>,
    ...args: ArgsOf<Mod[K]>
  ): Promise<ActorRef<MessageOf<Mod[K]>>> {
    const checked = checkSpawnName("spawn a Worker actor", name);
    return await this.#claimed(
      "spawn a Worker actor",
      checked.name,
      () => this.#system.spawnWorker(name, spec, ...args),
    );
  }

  // Claims `name`, then starts its actor with `start`; frees the name if the
  // actor does not start (or returns at once).
  async #claimed<R extends ActorRef<never>>(
    action: string,
    name: string,
    start: () => R,
  ): Promise<R> {
    this.#checkOpen(action);
    if (this.#system.has(name) || this.#node.serves(name)) {
      throw new ActorError(
        `Cannot ${action}: an actor named ${
          JSON.stringify(name)
        } is already running; stop it first, or give the new one another name`,
        name,
      );
    }
    // The bucket decides, not this process's view of it, which may lag.
    const served = this.#node.serve(name, undefined);
    await served.claimed;
    // Closed meanwhile: the name is freed, and an actor started now would
    // be this process's only.
    this.#checkOpen(action);
    let ref: R;
    try {
      ref = start();
    } catch (error) {
      this.#node.abandon(served);
      throw error;
    }
    if (ref.stopped) this.#node.abandon(served);
    return ref;
  }

  /**
   * Waits until an actor named `name` runs in this process or in another
   * one of the cluster (as this process hears of it). Closing the
   * connection rejects the promise.
   *
   * @example
   * ```ts ignore
   * import { ActorSystem } from "@frontier/generators/actor";
   * import { connectActors } from "@frontier/generators/nats-actors";
   *
   * await using system = new ActorSystem();
   * await using remote = await connectActors(system);
   * await remote.waitFor("pong", { timeout: 10_000 });
   * system.send("pong", 0);
   * ```
   *
   * @param name The actor's name.
   * @param options A time limit.
   * @throws {TypeError} If `name` is not a non-empty string, or the
   * timeout is not a number of milliseconds.
   */
  waitFor(name: string, options: WaitForOptions = {}): Promise<void> {
    if (typeof name !== "string" || name === "") {
      throw new TypeError(
        `Cannot wait for an actor: expected the actor's name as a non-empty string, got ${
          describe(name)
        }`,
      );
    }
    const timeout = options.timeout === undefined
      ? undefined
      : checkMilliseconds(
        options.timeout,
        { action: "wait for an actor", name: "option timeout" },
      );
    this.#checkOpen("wait for an actor");
    const found = () => {
      if (this.#system.has(name)) return true;
      const held = this.#node.directory.lookup(name);
      return held !== undefined && held.process !== this.processId;
    };
    if (found()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Local actors are not written to the directory before their claim:
      // look again now and then too.
      const poll = setInterval(() => {
        if (found()) done();
      }, 50);
      const cancel = this.#node.directory.onWritten(name, () => done());
      const done = (error?: Error) => {
        clearTimeout(timer);
        clearInterval(poll);
        cancel();
        this.#waiting.delete(done);
        if (error === undefined) resolve();
        else reject(error);
      };
      this.#waiting.add(done);
      if (timeout !== undefined) {
        timer = setTimeout(() =>
          done(
            new ActorError(
              `Cannot find actor ${
                JSON.stringify(name)
              }: no process of NATS cluster ${
                JSON.stringify(this.cluster)
              } started it within ${timeout} ms`,
              name,
            ),
          ), timeout);
      }
    });
  }

  /**
   * What this connection has done so far.
   *
   * @example
   * ```ts ignore
   * import { ActorSystem } from "@frontier/generators/actor";
   * import { connectActors } from "@frontier/generators/nats-actors";
   *
   * await using system = new ActorSystem();
   * await using remote = await connectActors(system);
   * console.log(remote.stats()); // { served: 0, sent: 0, received: 0, malformed: 0 }
   * ```
   */
  stats(): RemoteActorsStats {
    const { sent, received, malformed } = this.#node.stats;
    return {
      served: this.#node.servedNames().length,
      sent,
      received,
      malformed,
    };
  }

  /**
   * Disconnects the system: what was sent is published, this process's
   * names are freed, questions still waiting for other processes fail, and
   * the connection is closed (unless it was given as `connection`). The
   * system and its actors go on locally.
   *
   * @example
   * ```ts ignore
   * import { ActorSystem } from "@frontier/generators/actor";
   * import { connectActors } from "@frontier/generators/nats-actors";
   *
   * const system = new ActorSystem();
   * const remote = await connectActors(system);
   * await remote.close();
   * ```
   */
  close(): Promise<void> {
    return this.#closing ??= this.#close();
  }

  async #close(): Promise<void> {
    this.#engine.attachRemote(undefined);
    for (const done of [...this.#waiting]) {
      done(
        new ActorError(
          `Cannot find an actor: this system was disconnected from NATS cluster ${
            JSON.stringify(this.cluster)
          } while waiting for it`,
          "",
        ),
      );
    }
    if (connected.get(this.#engine) === this) connected.delete(this.#engine);
    await this.#node.close();
    if (this.#owned) await this.#nc.drain().catch(() => this.#nc.close());
  }

  /** Disconnects: `await using remote = await connectActors(system)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #checkOpen(action: string): void {
    if (this.#closing !== undefined) {
      throw new ActorError(
        `Cannot ${action}: this system was disconnected from NATS cluster ${
          JSON.stringify(this.cluster)
        }; connect it again with connectActors()`,
        "",
      );
    }
  }
}

function hostName(): string {
  try {
    return Deno.hostname();
  } catch {
    return "unknown";
  }
}

/**
 * Connects `system` to the actor systems of a NATS cluster: from then on its
 * `send`, `ask` and `reply` reach actors of every connected process by name,
 * its actors are reachable from them, and the system delivers in its
 * automatic mode (as after `system.start()`), since messages arrive by
 * themselves. Its actors' names, present and to come, are held in the
 * cluster (see the module's "Names").
 *
 * @example
 * ```ts ignore
 * import { ActorSystem, type ActorGenerator, reply } from "@frontier/generators/actor";
 * import { connectActors } from "@frontier/generators/nats-actors";
 *
 * await using system = new ActorSystem();
 * await using remote = await connectActors(system, {
 *   servers: "127.0.0.1:4222",
 *   cluster: "demo",
 * });
 * await remote.spawn("doubler", function* (): ActorGenerator<number> {
 *   while (true) reply(2 * (yield));
 * });
 * // From this or any other process connected to cluster "demo":
 * console.log(await system.ask("doubler", 21)); // 42
 * ```
 *
 * @example Options are checked before anything is connected
 * ```ts
 * import { ActorSystem } from "@frontier/generators/actor";
 * import { connectActors } from "@frontier/generators/nats-actors";
 * import assert from "node:assert/strict";
 *
 * const system = new ActorSystem();
 * await assert.rejects(connectActors(system, { cluster: "two words" }), {
 *   name: "TypeError",
 *   message: /option cluster must be 1 to 64 letters, digits/,
 * });
 * await assert.rejects(connectActors(system, { nameTtl: 100 }), RangeError);
 * ```
 *
 * @param system The actor system.
 * @param options Servers, authentication, cluster name, and timings.
 * @returns The connection; close it to disconnect.
 * @throws {ActorError} If an actor of `system` has a name another process
 * of the cluster holds, `system` is already connected, or the bucket of
 * names exists without an age limit (see `nameTtl`).
 */
export function connectActors(
  system: ActorSystem,
  options: NatsActorsOptions = {},
): Promise<RemoteActors> {
  return connectNow(system, options);
}

async function connectNow(
  system: ActorSystem,
  options: NatsActorsOptions,
): Promise<RemoteActors> {
  const action = "connect an actor system to NATS";
  const engine = engineOf(system);
  if (engine === undefined) {
    throw new TypeError(
      `Cannot ${action}: expected an ActorSystem, got ${describe(system)}`,
    );
  }
  if (connected.has(engine)) {
    throw new ActorError(
      `Cannot ${action}: this system is already connected to NATS cluster ${
        JSON.stringify(connected.get(engine)!.cluster)
      }; close that connection first`,
      "",
    );
  }
  checkConnectSettings(
    { ...options, options: options.nats },
    action,
  );
  const names = clusterNames(options.cluster ?? "default", action);
  const ttl = options.nameTtl === undefined ? 15_000 : checkMilliseconds(
    options.nameTtl,
    { action, name: "option nameTtl" },
  );
  if (ttl < 500) {
    throw new RangeError(
      `Cannot ${action}: option nameTtl must be at least 500 ms, got ${ttl}; names are written again every third of it`,
    );
  }
  const probeInterval = options.probeInterval === undefined
    ? 250
    : checkMilliseconds(options.probeInterval, {
      action,
      name: "option probeInterval",
    });
  if (probeInterval < 10) {
    throw new RangeError(
      `Cannot ${action}: option probeInterval must be at least 10 ms, got ${probeInterval}; it is how often a process that questions wait for is checked`,
    );
  }
  const { nc, owned } = await openConnection(
    { ...options, options: options.nats },
    `frontier-actors-${names.cluster}`,
  );
  let node: ActorNode | undefined;
  let remote: RemoteActors;
  try {
    const jsm = await jetstreamManager(nc);
    const bucketTtl = await ensureBucket(jsm, names, ttl);
    if (bucketTtl < 500) {
      // Made by another tool (`nats kv add` gives no age limit): the names
      // of a process that died would be held for ever, or for too short a
      // time to be written again.
      throw new ActorError(
        `Cannot ${action}: the bucket of names ${
          JSON.stringify(names.bucket)
        } has ${
          bucketTtl <= 0 ? "no age limit" : `an age limit of ${bucketTtl} ms`
        } (max_age), so the names of a process that died would ${
          bucketTtl <= 0 ? "never be freed" : "be freed while it lives"
        }; delete the bucket (connectActors makes it again), or give it a max_age of at least 500 ms`,
        "",
      );
    }
    node = new ActorNode(engine, {
      nc,
      jsm,
      names,
      ttl: bucketTtl,
      probeInterval,
      self: { process: randomId(), host: hostName(), pid: Deno.pid },
    });
    await node.directory.start(jsm, names);
    remote = makeRemote(system, {
      engine,
      node,
      nc,
      owned,
      cluster: names.cluster,
    });
  } catch (error) {
    await node?.close();
    if (owned) await nc.close();
    throw error;
  }
  connected.set(engine, remote);
  // A connection closed by its owner (or for good) disconnects the system.
  nc.closed().then(() => remote.close());
  try {
    // The actors already running are published like those to come.
    const claims = [];
    for (const cell of engine.live()) {
      claims.push(node.serve(cell.name, cell, false).claimed);
    }
    engine.attachRemote(node);
    engine.start();
    const failed = (await Promise.allSettled(claims)).find((outcome) =>
      outcome.status === "rejected"
    );
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  } catch (error) {
    await remote.close();
    throw error;
  }
  return remote;
}
