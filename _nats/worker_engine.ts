// Copyright 2026 the @frontier/generators authors. MIT license.
// The worker side of the executor on NATS: pulls job messages from the
// queue's shared consumer (a message is one job, or a batch of small ones
// submitted together; pulls are long-lived and topped up, never more jobs
// asked for than `concurrency` allows, so that idle workers elsewhere get
// the rest), runs each job on a `WorkerPool` of this machine's cores, hands
// the results to their client (`worker_results.ts`) and only once they were
// received or stored acknowledges the message: a worker that dies before
// that leaves it to be delivered again. While a message is held, the worker
// tells the server it is still working on it, so a long job is not handed
// to someone else. Cancels come from the cancels stream (`worker_cancels.ts`).
//
// Everything on the job subject is read as hostile: a message that cannot
// be read (no headers, random bytes, a huge or missing value, an unknown
// export) fails its jobs for their client when it names one, and is
// terminated; the worker goes on.

import {
  type Consumer,
  type JetStreamClient,
  type JetStreamManager,
  jetstreamManager,
  type JsMsg,
} from "npm:@nats-io/jetstream@3.4.0";
import type { NatsConnection } from "npm:@nats-io/nats-core@3.4.0";
import { describe } from "../_core/describe.ts";
import type { Future } from "../future.ts";
import { WorkerPool } from "../worker_pool.ts";
import { getBlob } from "./blobs.ts";
import {
  type ConnectSettings,
  openConnection,
  watchConnection,
  type Watching,
} from "./connection.ts";
import { batchCount, decodeBatch } from "./job_batch.ts";
import { jobStreamNames } from "./job_names.ts";
import {
  type BlobRef,
  MAX_ARGS,
  readJob,
  replyIds,
  resultHeaders,
} from "./messages.ts";
import { type QueueNames, queueNames, randomId } from "./names.ts";
import { ensureConsumer, ensureStreams } from "./streams.ts";
import { decode, encodeError } from "./wire.ts";
import { CancelWatch } from "./worker_cancels.ts";
import { ResultOutbox } from "./worker_results.ts";

/** What the worker needs from `ServeOptions`, checked. */
export interface WorkerSettings {
  connect: ConnectSettings;
  /** The served module's URL. */
  module: string;
  queue: string;
  concurrency: number;
  maxWorkers: number;
  ackWait: number;
  maxDeliver: number;
}

/** Counts for the worker's `stats()`. */
export interface WorkerStats {
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
  rejected: number;
}

/** A message held: one job, or a batch. */
interface Held {
  msg: JsMsg;
  /** The message's id: the job's, or the batch's. */
  id: string;
  client: string;
  jobs: number;
  /** Jobs not yet answered. */
  open: number;
  cancelled: number;
  /** A result could be neither delivered nor stored. */
  undelivered: boolean;
}

/** A job of a held message. */
interface Entry {
  job: string;
  name: string;
  /**
   * The arguments (of a batch), their encoding or where it is (of a message
   * of one job); `undefined` for an entry of a batch that could not be read.
   */
  args: unknown[] | Uint8Array | BlobRef | undefined;
  /** The number of arguments announced, for a message of one job. */
  argCount: number | undefined;
}

/** A job being read or run. */
interface Running {
  future: Future<unknown> | undefined;
  cancelled: boolean;
}

type Exports = Record<string, unknown>;

/**
 * How long a worker waits before telling a client that it holds its jobs:
 * a job answered sooner needs no such message.
 */
const STATUS_DELAY = 5;

/** The worker process's connection, pool and jobs; `nats_worker.ts` is its face. */
export class WorkerEngine {
  readonly id = randomId();
  readonly exports: string[];
  readonly #nc: NatsConnection;
  readonly #owned: boolean;
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #names: QueueNames;
  readonly #settings: WorkerSettings;
  readonly #watcher: Watching;
  readonly #namespace: Exports;
  readonly #pool: WorkerPool<Record<string, (...args: unknown[]) => unknown>>;
  readonly #results: ResultOutbox;
  readonly #held = new Map<string, Held>();
  readonly #running = new Map<string, Running>();
  readonly #fetches = new Set<{ stop(): void }>();
  readonly #background = new Set<Promise<unknown>>();
  #cancels: CancelWatch | undefined;
  // Messages asked for and not yet received.
  #requested = 0;
  // The jobs a message carried lately, on average.
  #perMessage = 1;
  // Jobs being read or run: what `concurrency` bounds.
  #computing = 0;
  #consumer: Promise<Consumer> | undefined;
  #stopping = false;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #statusDue: Held[] = [];
  #statusTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped: Promise<void> | undefined;
  #idle: (() => void) | undefined;
  #completed = 0;
  #failed = 0;
  #cancelled = 0;
  #rejected = 0;

  private constructor(
    connection: { nc: NatsConnection; owned: boolean; jsm: JetStreamManager },
    settings: WorkerSettings,
    namespace: Exports,
  ) {
    this.#nc = connection.nc;
    this.#owned = connection.owned;
    this.#jsm = connection.jsm;
    this.#js = connection.jsm.jetstream();
    this.#settings = settings;
    this.#names = queueNames(settings.queue, "serve");
    this.#namespace = namespace;
    this.#watcher = watchConnection(this.#nc, { onClose: () => {} });
    this.#results = new ResultOutbox(
      { nc: this.#nc, js: this.#js },
      this.#watcher,
      this.#names,
    );
    this.exports = Object.keys(namespace).filter((key) =>
      typeof namespace[key] === "function"
    );
    this.#pool = new WorkerPool({
      module: settings.module,
      maxWorkers: settings.maxWorkers,
      name: `nats-worker ${settings.queue}`,
    });
  }

  /** Imports the module, connects, and starts taking jobs. */
  static async start(settings: WorkerSettings): Promise<WorkerEngine> {
    const names = queueNames(settings.queue, "serve");
    const namespace = await import(settings.module) as Exports;
    const { nc, owned } = await openConnection(
      settings.connect,
      `nats-worker (queue ${names.queue})`,
    );
    let engine: WorkerEngine | undefined;
    try {
      const jsm = await jetstreamManager(nc);
      await ensureStreams(jsm, names);
      await ensureConsumer(jsm, names, settings);
      engine = new WorkerEngine({ nc, owned, jsm }, settings, namespace);
      await engine.#begin();
      return engine;
    } catch (error) {
      if (engine !== undefined) {
        await engine.#pool.shutdown();
        engine.#watcher.stop();
      }
      if (owned) await nc.close();
      throw error;
    }
  }

  async #begin(): Promise<void> {
    // The cancels kept for us are known before the first job is taken.
    this.#cancels = await CancelWatch.start(
      { nc: this.#nc, jsm: this.#jsm },
      jobStreamNames(this.#names).cancelsStream,
      (id) => this.#cancel(id),
    );
    // A third of the ack wait: two in-progress acks may be lost before
    // the server gives the job to someone else.
    this.#heartbeat = setInterval(() => {
      for (const held of this.#held.values()) held.msg.working();
    }, Math.max(100, this.#settings.ackWait / 3));
    this.#pump();
  }

  // Asks the server for as many jobs as there are free slots, in a few
  // long-lived pull requests rather than one per job. A message may be a
  // batch: pulls count messages, slots count jobs, so the messages asked
  // for are the free slots over the jobs a message has lately carried.
  #pump(): void {
    if (this.#stopping) return;
    const { concurrency } = this.#settings;
    const perMessage = this.#perMessage;
    const room = concurrency - this.#computing -
      this.#requested * perMessage;
    if (room <= 0) return;
    if (this.#requested > 0 && room < Math.max(1, concurrency >> 2)) return;
    const count = Math.max(1, Math.floor(room / perMessage));
    this.#requested += count;
    this.#track(this.#fetch(count));
  }

  async #fetch(count: number): Promise<void> {
    let got = 0;
    let failed = false;
    try {
      // Looked up once (it costs a request), again after a failure.
      this.#consumer ??= this.#js.consumers.get(
        this.#names.jobsStream,
        this.#names.consumer,
      );
      const consumer = await this.#consumer;
      // Long-lived: it stays open until it brought `count` messages.
      const messages = await consumer.fetch({
        max_messages: count,
        expires: 30_000,
      });
      const handle = { stop: () => messages.stop() };
      // Stopped while the pull request was being made.
      if (this.#stopping) handle.stop();
      this.#fetches.add(handle);
      try {
        for await (const msg of messages) {
          got++;
          this.#requested--;
          this.#take(msg);
        }
      } finally {
        this.#fetches.delete(handle);
      }
    } catch {
      // The server is away or restarting: try again in a moment.
      failed = true;
      this.#consumer = undefined;
    }
    this.#requested -= count - got;
    if (failed && !this.#stopping) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    this.#pump();
  }

  #take(msg: JsMsg): void {
    if (this.#stopping) {
      // Leaving: someone else should run it, now.
      msg.nak();
      return;
    }
    let held: Held;
    let entries: Entry[];
    try {
      const count = batchCount(msg.headers);
      if (count === 0) {
        const request = readJob(msg.headers);
        const { job, client, name, argCount, blob } = request;
        held = this.#hold(msg, job, client, 1);
        entries = [{ job, name, args: blob ?? msg.data, argCount }];
      } else {
        const ids = replyIds(msg.headers);
        if (ids === undefined) readJob(msg.headers); // throws what is wrong
        entries = decodeBatch(msg.data, count).map((entry) => ({
          ...entry,
          argCount: undefined,
        }));
        held = this.#hold(msg, ids!.job, ids!.client, entries.length);
      }
    } catch (error) {
      this.#reject(msg, error);
      return;
    }
    if (this.#held.get(held.id) !== held) {
      // Delivered again while still running here: the running one answers.
      msg.working();
      return;
    }
    this.#computing += entries.length;
    this.#perMessage = Math.max(
      1,
      this.#perMessage * 0.75 + entries.length * 0.25,
    );
    if (entries.length === 0) this.#finish(held);
    for (const entry of entries) this.#run(entry, held);
  }

  #hold(msg: JsMsg, id: string, client: string, jobs: number): Held {
    const existing = this.#held.get(id);
    if (existing !== undefined) return { ...existing };
    const held: Held = {
      msg,
      id,
      client,
      jobs,
      open: jobs,
      cancelled: 0,
      undelivered: false,
    };
    this.#held.set(id, held);
    this.#statusDue.push(held);
    this.#statusTimer ??= setTimeout(() => this.#sendStatus(), STATUS_DELAY);
    return held;
  }

  // Tells the clients which of their messages are held here, unless they
  // were answered meanwhile.
  #sendStatus(): void {
    this.#statusTimer = undefined;
    const due = this.#statusDue;
    this.#statusDue = [];
    for (const held of due) {
      if (this.#held.get(held.id) !== held) continue;
      this.#nc.publish(this.#names.status(held.client), held.id);
    }
  }

  // Runs one job of a held message. No promise per job: with many tiny
  // jobs, what each one allocates is most of the worker's work.
  #run(entry: Entry, held: Held): void {
    const running: Running = {
      future: undefined,
      cancelled: this.#cancels!.has(entry.job),
    };
    this.#running.set(entry.job, running);
    let args: unknown[];
    try {
      const fn = Object.hasOwn(this.#namespace, entry.name)
        ? this.#namespace[entry.name]
        : undefined;
      if (entry.args === undefined) {
        throw new TypeError(
          `Cannot run call(${
            JSON.stringify(entry.name)
          }): its entry in the batch is malformed; it was not sent by a NatsExecutor of @frontier/generators`,
        );
      }
      if (typeof fn !== "function") {
        throw new TypeError(
          `Cannot run call(${
            JSON.stringify(entry.name)
          }): the worker's module has no such export (it exports ${
            this.exports.join(", ") || "no functions"
          }); start the worker with the module that has it`,
        );
      }
      const from = entry.args;
      if (!Array.isArray(from) && !(from instanceof Uint8Array)) {
        // Arguments in chunks: read them first.
        this.#track(
          getBlob(this.#jsm, this.#names, from).then(
            (bytes) =>
              this.#call(entry, held, running, this.#args(entry, bytes)),
          ).catch((error) => this.#ran(entry, held, running, false, error)),
        );
        return;
      }
      args = this.#args(entry, from);
    } catch (error) {
      this.#ran(entry, held, running, false, error);
      return;
    }
    this.#call(entry, held, running, args);
  }

  #call(entry: Entry, held: Held, running: Running, args: unknown[]): void {
    if (running.cancelled) {
      this.#ran(entry, held, running, false, undefined);
      return;
    }
    const future = this.#pool.call(entry.name, ...args);
    running.future = future;
    future.addDoneCallback(() => {
      if (future.cancelled()) {
        this.#ran(entry, held, running, false, undefined);
        return;
      }
      const error = future.exception();
      if (error === undefined) {
        this.#ran(entry, held, running, true, future.result());
      } else this.#ran(entry, held, running, false, error);
    });
  }

  // A job's outcome: its slot is free while the answer travels (the next
  // job is pulled now); the message is done once every answer was
  // delivered or stored.
  #ran(
    entry: Entry,
    held: Held,
    running: Running,
    ok: boolean,
    value: unknown,
  ): void {
    this.#running.delete(entry.job);
    this.#computing--;
    this.#pump();
    if (running.cancelled) {
      this.#cancelled++;
      held.cancelled++;
      if (--held.open === 0) this.#finish(held);
      return;
    }
    this.#results.send(
      held.client,
      { job: entry.job, name: entry.name, ok, value },
      (delivered) => {
        if (!delivered) held.undelivered = true;
        else if (ok) this.#completed++;
        else this.#failed++;
        if (--held.open === 0) this.#finish(held);
      },
    );
  }

  // The arguments of a job, checked: a batch's entry brings them decoded, a
  // message of one job encoded.
  #args(entry: Entry, from: unknown[] | Uint8Array): unknown[] {
    const args = Array.isArray(from) ? from : decode(from);
    const count = entry.argCount;
    if (
      !Array.isArray(args) ||
      (count === undefined ? args.length > MAX_ARGS : args.length !== count)
    ) {
      throw new TypeError(
        `Cannot run call(${JSON.stringify(entry.name)}): its arguments are ${
          describe(args)
        }, not the ${
          count ?? `at most ${MAX_ARGS}`
        } arguments its message announces`,
      );
    }
    return args;
  }

  // Every job of the message answered (or cancelled): done with it.
  #finish(held: Held): void {
    this.#held.delete(held.id);
    if (held.undelivered) {
      // A result could not be stored: leave the message to run again.
    } else if (held.jobs > 0 && held.cancelled === held.jobs) {
      held.msg.term("cancelled by its client");
    } else held.msg.ack();
    if (this.#held.size === 0) this.#idle?.();
    this.#pump();
  }

  // A message that cannot be read: fail it for its client if it names one.
  #reject(msg: JsMsg, error: unknown): void {
    this.#rejected++;
    const ids = replyIds(msg.headers);
    msg.term(
      error instanceof Error ? error.message.slice(0, 200) : "malformed",
    );
    if (ids === undefined) return;
    const subject = this.#names.results(ids.client);
    this.#track(
      this.#js.publish(subject, encodeError(error), {
        headers: resultHeaders(ids.job, false, undefined),
      }).catch(() => {}),
    );
  }

  // A cancel from the stream (remembered there for jobs not seen yet).
  #cancel(id: string): void {
    const running = this.#running.get(id);
    if (running === undefined || running.cancelled) return;
    running.cancelled = true;
    running.future?.cancel();
  }

  #track(promise: Promise<unknown>): void {
    this.#background.add(promise);
    promise.finally(() => this.#background.delete(promise));
  }

  /** Counts of the jobs handled. */
  stats(): WorkerStats {
    return {
      running: [...this.#held.values()].reduce((n, held) => n + held.open, 0),
      completed: this.#completed,
      failed: this.#failed,
      cancelled: this.#cancelled,
      rejected: this.#rejected,
    };
  }

  /**
   * Stops taking jobs, lets the running ones finish and releases everything.
   */
  stop(): Promise<void> {
    if (this.#stopped !== undefined) return this.#stopped;
    this.#stopping = true;
    for (const fetch of this.#fetches) fetch.stop();
    const idle = new Promise<void>((resolve) => {
      this.#idle = resolve;
      if (this.#held.size === 0) resolve();
    });
    this.#stopped = idle.then(async () => {
      clearInterval(this.#heartbeat);
      clearTimeout(this.#statusTimer);
      this.#statusTimer = undefined;
      await this.#cancels?.close();
      while (this.#background.size > 0) {
        await Promise.allSettled([...this.#background]);
      }
      await this.#pool.shutdown();
      this.#watcher.stop();
      if (this.#owned) await this.#nc.drain().catch(() => this.#nc.close());
      await this.#watcher.done;
    });
    return this.#stopped;
  }
}
