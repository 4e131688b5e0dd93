// Copyright 2026 the @frontier/generators authors. MIT license.
// One actor system connected to a NATS cluster of actor systems: the engine's
// way to other processes (`RemoteRoute`). It serves the subject of each of
// its live actors (subscribed before the name is claimed, so that nobody who
// hears of the name can publish before the subscription is in place; what
// arrives while the claim is pending waits, and goes to dead letters if the
// claim fails), keeps its names alive in the bucket, sends to other
// processes' actors through the outbox, and answers the questions they ask.

import type {
  Msg,
  NatsConnection,
  Subscription,
} from "npm:@nats-io/transport-node@3.4.0";
import type { JetStreamManager } from "npm:@nats-io/jetstream@3.4.0";
import { ActorError } from "../_actor/error.ts";
import { type AskSlot, failAsk, noReply, RemoteReply } from "../_actor/ask.ts";
import { ALIVE, type Cell } from "../_actor/cell.ts";
import type { Engine } from "../_actor/engine.ts";
import type { RemoteRoute } from "../_actor/remote.ts";
import { type ClusterNames, nameKeyFor } from "./actor_names.ts";
import { type Holder, Registry } from "./actor_registry.ts";
import { Directory } from "./actor_directory.ts";
import { describeHolder, PendingAsks } from "./actor_asks.ts";
import {
  ASK,
  Outbox,
  readActorBatch,
  SEND,
  type Sent,
  type Target,
  target,
} from "./actor_wire.ts";
import { NATS_ERROR_CLASSES } from "./errors.ts";
import { ConnectionState } from "./actor_status.ts";

const CLASSES: Record<string, new (message: string) => Error> = {
  ...NATS_ERROR_CLASSES,
  ActorError: ActorError as unknown as new (message: string) => Error,
};

/** One actor this process serves, from its claim to its release. */
interface Served {
  name: string;
  key: string;
  cell: Cell | undefined;
  subscription: Subscription;
  /** The revision of the name this process wrote last, once claimed. */
  revision: number | undefined;
  /** What arrived before the claim was settled. */
  waiting: [unknown, AskSlot | undefined][] | undefined;
  /** Settles with the claim. */
  claimed: Promise<void>;
  /** Whether its actor stops if the claim fails. */
  stopOnLoss: boolean;
  /**
   * The renewal on its way, if any: the release waits for it, since it
   * writes a new revision (and may claim the name again).
   */
  renewing: Promise<unknown> | undefined;
}

/** What a node is made of. */
export interface NodeParts {
  nc: NatsConnection;
  jsm: JetStreamManager;
  names: ClusterNames;
  self: Holder;
  ttl: number;
  probeInterval: number;
}

/** Counts of what a node did, for `stats()`. */
export interface NodeStats {
  sent: number;
  received: number;
  malformed: number;
}

/** An actor system's engine, connected to a cluster. */
export class ActorNode implements RemoteRoute {
  readonly where: string;
  readonly self: Holder;
  readonly ttl: number;
  readonly directory: Directory;
  readonly stats: NodeStats = { sent: 0, received: 0, malformed: 0 };
  readonly #engine: Engine;
  readonly #nc: NatsConnection;
  readonly #names: ClusterNames;
  readonly #registry: Registry;
  readonly #outbox: Outbox;
  readonly #asks: PendingAsks;
  readonly #served = new Map<string, Served>();
  readonly #targets = new Map<string, Target>();
  readonly #subscriptions: Subscription[] = [];
  readonly #releasing = new Set<Promise<unknown>>();
  readonly #replyPattern: RegExp;
  readonly #state: ConnectionState;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #beating = false;
  // How often the connection came back: see `actor_asks.ts`.
  #epoch = 0;
  #closed = false;

  constructor(engine: Engine, parts: NodeParts) {
    const { nc, names, self } = parts;
    this.#engine = engine;
    this.#nc = nc;
    this.#names = names;
    this.self = self;
    this.ttl = parts.ttl;
    this.where = ` or, as far as it knows, in NATS cluster ${
      JSON.stringify(names.cluster)
    }`;
    this.directory = new Directory(parts.ttl);
    this.#registry = new Registry(parts.jsm, names, self);
    const replies = names.reply(self.process);
    this.#outbox = new Outbox(nc, replies, {
      undelivered: (sent, reason) => this.#undelivered(sent, reason),
      isUp: () => this.#state.up,
      unsendable: (to, operations, error) =>
        this.#unsendable(to, operations, error),
    });
    const asks = this.#asks = new PendingAsks(nc, {
      subject: names.process,
      interval: parts.probeInterval,
    });
    this.#state = new ConnectionState(
      nc,
      () =>
        // Answers sent while this process is cut off never reach it.
        asks.failAll(
          "the connection to NATS dropped while it waited for the reply",
        ),
      () => {
        // Questions to this process's actors may have been lost meanwhile:
        // their askers see the new epoch in their next probe.
        this.#epoch++;
        this.#outbox.resume();
      },
    );
    this.#replyPattern = new RegExp(
      `^${
        names.reply("").replaceAll(".", "\\.")
      }[A-Za-z0-9_-]{1,64}\\.\\d{1,15}$`,
    );
    this.#subscriptions.push(
      nc.subscribe(`${replies}.*`, {
        callback: (_e, msg) => this.#onReply(msg),
      }),
      nc.subscribe(names.process(self.process), {
        callback: (_e, msg) => {
          msg.respond(String(this.#epoch));
        },
      }),
    );
    this.#heartbeat = setInterval(
      () => this.#beat(),
      Math.max(100, parts.ttl / 3),
    );
  }

  // -------------------------------------------------------------------------
  // Sending to other processes

  forward(name: string, message: unknown, ask: AskSlot | undefined): boolean {
    const held = this.directory.lookup(name);
    if (held === undefined || held.process === this.self.process) return false;
    let to = this.#targets.get(name);
    if (to === undefined) {
      to = target(this.#names.actor(held.key), name, held.process);
      this.#targets.set(name, to);
    } else to.process = held.process;
    this.stats.sent++;
    if (ask === undefined) this.#outbox.write2(to, SEND, message);
    else {
      const id = this.#asks.add(ask, name, message, held);
      this.#outbox.write3(to, ASK, id, message);
    }
    return true;
  }

  checkFree(action: string, name: string): void {
    // Claimed by this process: the directory may not have heard yet.
    if (this.#served.has(name)) return;
    // Refused before the actor starts, not by `serve` once it runs.
    nameKeyFor(action, name);
    const held = this.directory.lookup(name);
    if (held === undefined || held.process === this.self.process) return;
    throw new ActorError(
      `Cannot ${action}: an actor named ${
        JSON.stringify(name)
      } is already running in ${describeHolder(held)} of NATS cluster ${
        JSON.stringify(this.#names.cluster)
      }; stop it there, or give the new one another name`,
      name,
    );
  }

  // Nobody served an actor's subject: its messages are dead letters here,
  // its questions fail.
  #undelivered(sent: Sent, reason: string): void {
    const name = sent.target.name;
    if (reason.startsWith("no process")) {
      this.directory.forget(name, sent.process);
    }
    const operations = sent.operations;
    for (let i = 0; i < operations.length;) {
      if (operations[i] === SEND) {
        this.#engine.deadLetter(name, operations[i + 1]);
        i += 2;
      } else {
        this.#engine.deadLetter(name, operations[i + 2]);
        this.#asks.failFor(
          operations[i + 1] as number,
          `${reason}; the message is in deadLetters`,
        );
        i += 3;
      }
    }
  }

  #unsendable(to: Target, operations: unknown[], error: Error): void {
    if (operations[0] === ASK) {
      this.#asks.fail(operations[1] as number, error);
      return;
    }
    if (operations[0] === SEND) this.#engine.deadLetter(to.name, operations[1]);
    this.#engine.report(error, {
      name: to.name,
      message: operations[1],
      restarting: false,
    });
  }

  // Answers to this process's questions, and the server's "no responders".
  #onReply(msg: Msg): void {
    if (msg.data.length === 0 && msg.headers?.code === 503) {
      const seq = Number(msg.subject.slice(msg.subject.lastIndexOf(".") + 1));
      this.#outbox.noResponders(seq);
      return;
    }
    if (!this.#asks.receive(msg.data, CLASSES)) this.stats.malformed++;
  }

  // -------------------------------------------------------------------------
  // Serving this process's actors

  started(cell: Cell): void {
    // Messages from other processes arrive by themselves: a system stopped
    // and used again delivers them without a call to run().
    this.#engine.start();
    const served = this.#served.get(cell.name);
    if (served !== undefined && served.cell === undefined) {
      // Claimed beforehand by `spawn` of the face.
      served.cell = cell;
      this.#release(served);
      return;
    }
    this.serve(cell.name, cell).claimed.catch((error) =>
      this.#engine.report(error, {
        name: cell.name,
        message: undefined,
        restarting: false,
      })
    );
  }

  /**
   * Serves `name`: subscribes to its subject and claims it. Without a cell,
   * what arrives waits until one is given (`started`). If the claim fails,
   * the actor of `cell` is stopped, unless `stopOnLoss` is `false` (an actor
   * that was running before the system connected).
   */
  serve(name: string, cell: Cell | undefined, stopOnLoss = true): Served {
    const key = nameKeyFor("serve an actor to other processes", name);
    const served: Served = {
      name,
      key,
      cell,
      subscription: this.#nc.subscribe(this.#names.actor(key), {
        callback: (_error, msg) => this.#onMessage(served, msg),
      }),
      revision: undefined,
      waiting: [],
      claimed: Promise.resolve(),
      stopOnLoss,
      renewing: undefined,
    };
    this.#served.set(name, served);
    served.claimed = this.#registry.claim(key).then((claim) => {
      if ("revision" in claim) {
        served.revision = claim.revision;
        if (this.#served.get(name) !== served) {
          // Stopped while the claim was on its way.
          this.#free(served);
        } else if (served.cell !== undefined) this.#release(served);
        return;
      }
      this.#lost(served, served.stopOnLoss);
      throw new ActorError(
        `Cannot spawn actor ${
          JSON.stringify(name)
        }: an actor of that name is already running in ${
          describeHolder(claim.holder)
        } of NATS cluster ${
          JSON.stringify(this.#names.cluster)
        }; stop it there, or give the new one another name`,
        name,
      );
    }, (error) => {
      this.#lost(served, served.stopOnLoss, error);
      throw error;
    });
    return served;
  }

  // Delivers what waited for the claim, in order.
  #release(served: Served): void {
    const waiting = served.waiting;
    if (served.revision === undefined || waiting === undefined) return;
    served.waiting = undefined;
    for (const [message, slot] of waiting) {
      this.#engine.post(served.cell!, message, slot);
    }
  }

  // The name is not (or no longer) this process's: what waited goes to
  // dead letters, and the local actor, if any, is stopped if `stop`.
  //
  // Questions that arrived meanwhile fail only if the claim itself failed
  // (`error`): lost to a holder, they reached its actor too (subscribed
  // before it claimed, and until it frees the name), which answers them; a
  // failure from here could reach the asker first, for a question answered.
  #lost(served: Served, stop: boolean, error?: Error): void {
    if (this.#served.get(served.name) === served) {
      this.#served.delete(served.name);
    }
    served.subscription.unsubscribe();
    const waiting = served.waiting ?? [];
    served.waiting = undefined;
    for (const [message, slot] of waiting) {
      this.#engine.deadLetter(served.name, message);
      if (slot !== undefined && error !== undefined) {
        failAsk(
          slot,
          noReply(served.name, message, {
            reason:
              `this process could not claim its name (${error.message}); the message is in deadLetters`,
            cause: error,
          }),
        );
      }
    }
    const cell = served.cell;
    served.cell = undefined;
    if (stop && cell !== undefined && cell.state === ALIVE) void cell.stop();
  }

  stopped(cell: Cell): void {
    const served = this.#served.get(cell.name);
    if (served === undefined || served.cell !== cell) return;
    this.#served.delete(cell.name);
    served.subscription.unsubscribe();
    if (served.revision !== undefined) this.#free(served);
  }

  /**
   * Stops serving a name claimed for a cell that never came. A cell that
   * came meanwhile (a `system.spawn` of the name while the face claimed it)
   * keeps it.
   */
  abandon(served: Served): void {
    if (served.cell === undefined) this.#drop(served);
  }

  #drop(served: Served): void {
    if (this.#served.get(served.name) !== served) return;
    this.#served.delete(served.name);
    served.subscription.unsubscribe();
    if (served.revision !== undefined) this.#free(served);
  }

  #free(served: Served): void {
    // After the renewal on its way, with the revision it wrote: released
    // before it lands, the name would be written again (or claimed again)
    // by a process that no longer serves it, and held until the age limit.
    const releasing = (served.renewing ?? Promise.resolve())
      .catch(() => {})
      .then(() =>
        served.revision === undefined
          ? undefined
          : this.#registry.release(served.key, served.revision)
      )
      .catch(() => {});
    this.#releasing.add(releasing);
    releasing.finally(() => this.#releasing.delete(releasing));
  }

  #onMessage(served: Served, msg: Msg): void {
    const canAsk = msg.reply !== undefined &&
      this.#replyPattern.test(msg.reply);
    const operations = readActorBatch(msg.data, canAsk);
    if (operations === undefined) {
      this.#malformed(served, msg.data);
      return;
    }
    const reply = canAsk
      ? this.#outbox.replyLink(
        msg.reply!.slice(0, msg.reply!.lastIndexOf(".")),
      )
      : undefined;
    const length = operations.length;
    for (let i = 0; i < length;) {
      if (operations[i] === SEND) {
        this.#deliver(served, operations[i + 1], undefined);
        i += 2;
      } else {
        const slot = new RemoteReply(reply!, operations[i + 1] as number);
        this.#deliver(served, operations[i + 2], slot);
        i += 3;
      }
    }
  }

  #deliver(served: Served, message: unknown, slot: AskSlot | undefined): void {
    this.stats.received++;
    if (served.waiting !== undefined) served.waiting.push([message, slot]);
    else if (served.cell !== undefined) {
      this.#engine.post(served.cell, message, slot);
    } else this.#engine.deadLetter(served.name, message);
  }

  // Bytes that are not a batch: kept as a dead letter, never thrown.
  #malformed(served: Served, data: Uint8Array): void {
    this.stats.malformed++;
    this.#engine.deadLetter(served.name, new Uint8Array(data));
  }

  // -------------------------------------------------------------------------
  // Keeping names alive

  async #beat(): Promise<void> {
    if (this.#beating || this.#closed) return;
    this.#beating = true;
    try {
      await Promise.all([...this.#served.values()].map(async (served) => {
        if (served.revision === undefined) return;
        try {
          // The revision is updated as the renewal settles, before a release
          // that waits for it reads it.
          const renewing = this.#registry.renew(served.key, served.revision)
            .then((claim) => {
              served.revision = "revision" in claim
                ? claim.revision
                : undefined;
              return claim;
            });
          served.renewing = renewing;
          let claim;
          try {
            claim = await renewing;
          } finally {
            if (served.renewing === renewing) served.renewing = undefined;
          }
          if ("revision" in claim) return;
          // Stopped meanwhile: nothing to stop, nor to report.
          if (this.#served.get(served.name) !== served) return;
          this.#lost(served, true);
          this.#engine.report(
            new ActorError(
              `Actor ${JSON.stringify(served.name)} lost its name to ${
                describeHolder(claim.holder)
              }: this process did not renew it within ${this.ttl} ms (cut off from NATS?); it was stopped here`,
              served.name,
            ),
            { name: served.name, message: undefined, restarting: false },
          );
        } catch {
          // The connection is down: the next beat tries again.
        }
      }));
    } finally {
      this.#beating = false;
    }
  }

  /** Whether this process serves `name` (claimed, or being claimed). */
  serves(name: string): boolean {
    return this.#served.has(name);
  }

  /** The names this process serves. */
  servedNames(): string[] {
    return [...this.#served.keys()];
  }

  // -------------------------------------------------------------------------
  // Closing

  /**
   * Stops serving and sending: what was written is published, every name is
   * freed, and the questions still waiting fail.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    this.#outbox.flush();
    // Cut off from NATS, there is nothing to wait for: the names are freed
    // by the bucket's age limit instead.
    const up = this.#state.up && !this.#nc.isClosed();
    if (up) await this.#nc.flush().catch(() => {});
    for (const served of [...this.#served.values()]) {
      if (up) await served.claimed.catch(() => {});
      else served.revision = undefined;
      this.#drop(served);
    }
    await Promise.all(this.#releasing);
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    await this.#asks.close((name) =>
      new ActorError(
        `Cannot get a reply from actor ${
          JSON.stringify(name)
        }: this system was disconnected from NATS cluster ${
          JSON.stringify(this.#names.cluster)
        } before it came`,
        name,
      )
    );
    await this.directory.close();
    await this.#state.stop();
  }
}
