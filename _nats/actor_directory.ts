// Copyright 2026 the @frontier/generators authors. MIT license.
// This process's view of the names of its cluster: an ordered consumer on the
// bucket of names (`actor_registry.ts`) that starts with the last value of
// every key and follows every write, so that `send` decides at once, without
// a round trip, whether another process serves a name. The view lags behind
// the bucket by the time a write takes to arrive. An entry not written again
// within one and a half times the bucket's age limit, by the server's clock
// as the writes of all processes show it, counts as gone (the server removes
// such entries without a word); a message to a name whose process has just
// died is caught by the server's "no responders" answer instead.

import {
  DeliverPolicy,
  type JetStreamManager,
  type JsMsg,
} from "npm:@nats-io/jetstream@3.4.0";
import type { ClusterNames } from "./actor_names.ts";
import { keyName } from "./actor_names.ts";
import { type Holder, isDeleted, readHolder } from "./actor_registry.ts";

// How often start() looks at the bucket again while it catches up.
const CATCH_UP_RECHECK_MS = 200;

/** A name held by a process, as this process last heard. */
export interface Held extends Holder {
  /** The name's key and subject token. */
  key: string;
  /** When it was last written, by the server's clock (milliseconds). */
  seen: number;
}

/** The names of a cluster, followed as they are written. */
export class Directory {
  readonly #held = new Map<string, Held>();
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #ttl: number;
  // The latest write heard of, by the server's clock: the directory's "now".
  // Not this process's clock, which runs on while a long synchronous burst
  // keeps the writes from being read, and may differ from the server's.
  #now = 0;
  #stop: (() => void) | undefined = undefined;
  #done: Promise<void> = Promise.resolve();

  constructor(ttl: number) {
    this.#ttl = ttl;
  }

  /**
   * Starts following the bucket; resolves once every key written before
   * has been read.
   */
  async start(jsm: JetStreamManager, names: ClusterNames): Promise<void> {
    const info = await jsm.streams.info(names.stream);
    const caughtUp = Promise.withResolvers<void>();
    if (info.state.messages === 0) caughtUp.resolve();
    // The bucket's stream holds only its keys: no filter needed (and
    // nats-server 2.9 takes no list of filters).
    const consumer = await jsm.jetstream().consumers.get(names.stream, {
      deliver_policy: DeliverPolicy.LastPerSubject,
    });
    let lastRead = 0;
    const messages = await consumer.consume({
      callback: (msg) => {
        this.#read(msg, names);
        lastRead = msg.seq;
        if (msg.info.pending === 0) caughtUp.resolve();
      },
    });
    this.#stop = () => messages.stop();
    this.#done = messages.closed().then(() => {
      caughtUp.reject(
        new Error(
          `Cannot follow the names of cluster ${
            JSON.stringify(names.cluster)
          }: the reader of bucket ${names.bucket} closed before it caught up; check the connection to NATS and connect again`,
        ),
      );
    });
    // Entries that expire between the first look and the consumer's start
    // are never delivered, and the last one delivered may then still say
    // more are pending: look at the stream again until what it holds has
    // been read.
    const recheck = setInterval(() => {
      jsm.streams.info(names.stream).then(({ state }) => {
        if (state.messages === 0 || state.last_seq <= lastRead) {
          caughtUp.resolve();
        }
      }, () => {});
    }, CATCH_UP_RECHECK_MS);
    try {
      await caughtUp.promise;
    } finally {
      clearInterval(recheck);
    }
  }

  #read(msg: JsMsg, names: ClusterNames): void {
    const prefix = names.key("");
    if (!msg.subject.startsWith(prefix)) return;
    const key = msg.subject.slice(prefix.length);
    const name = keyName(key);
    if (name === undefined) return;
    const holder = isDeleted(msg.headers?.get("KV-Operation"))
      ? undefined
      : readHolder(msg.data);
    if (holder === undefined) {
      this.#held.delete(name);
      return;
    }
    // (A bigint at run time, whatever the type says.)
    const seen = Number(msg.info.timestampNanos) / 1e6;
    if (seen > this.#now) this.#now = seen;
    this.#held.set(name, { ...holder, key, seen });
    const waiters = this.#waiters.get(name);
    if (waiters !== undefined) {
      this.#waiters.delete(name);
      for (const wake of waiters) wake();
    }
  }

  /** Who holds `name`, if anyone (as far as this process knows). */
  lookup(name: string): Held | undefined {
    const held = this.#held.get(name);
    if (held === undefined) return undefined;
    // With some slack: a holder's writes may come late (a slow server, a
    // busy process), and one gone is caught by "no responders" anyway.
    if (this.#now - held.seen > 1.5 * this.#ttl) {
      this.#held.delete(name);
      return undefined;
    }
    return held;
  }

  /** Forgets `name`, held by `process` (the server said nobody serves it). */
  forget(name: string, process: string): void {
    if (this.#held.get(name)?.process === process) this.#held.delete(name);
  }

  /** The names held, with their holders. */
  entries(): IterableIterator<[string, Held]> {
    return this.#held.entries();
  }

  /** Calls `wake` the next time `name` is written; returns a canceller. */
  onWritten(name: string, wake: () => void): () => void {
    let waiters = this.#waiters.get(name);
    if (waiters === undefined) this.#waiters.set(name, waiters = new Set());
    waiters.add(wake);
    return () => {
      waiters.delete(wake);
      if (waiters.size === 0 && this.#waiters.get(name) === waiters) {
        this.#waiters.delete(name);
      }
    };
  }

  /** Stops following the bucket. */
  async close(): Promise<void> {
    this.#stop?.();
    this.#stop = undefined;
    await this.#done;
  }
}
