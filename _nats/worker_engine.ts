// Copyright 2026 the @frontier/generators authors. MIT license.
// The worker side of the executor on NATS: pulls jobs from the queue's shared
// consumer (never more than `concurrency` held at once, so that idle workers
// elsewhere get the rest), runs each on a `WorkerPool` of this machine's
// cores, stores the result on the client's subject of the results stream and
// only then acknowledges the job: a worker that dies before that leaves the
// job to be delivered again. While a job runs, the worker tells the server it
// is still working on it, so a long job is not handed to someone else.
//
// Everything on the job subject is read as hostile: a job that cannot be read
// (no headers, random bytes, a huge or missing value, an unknown export) is
// failed for its client when it names one, and terminated; the worker goes
// on.

import {
  type Consumer,
  type JetStreamClient,
  type JetStreamManager,
  jetstreamManager,
  type JsMsg,
} from "npm:@nats-io/jetstream@3.4.0";
import type {
  NatsConnection,
  Subscription,
} from "npm:@nats-io/nats-core@3.4.0";
import { describe } from "../_core/describe.ts";
import type { Future } from "../future.ts";
import { WorkerPool } from "../worker_pool.ts";
import { chunkSize, getBlob, putBlob } from "./blobs.ts";
import {
  type ConnectSettings,
  openConnection,
  publishDurably,
  watchConnection,
  type Watching,
} from "./connection.ts";
import {
  type BlobRef,
  type JobRequest,
  readJob,
  replyIds,
  resultHeaders,
} from "./messages.ts";
import { type QueueNames, queueNames, randomId } from "./names.ts";
import { ensureConsumer, ensureStreams } from "./streams.ts";
import {
  decode,
  encode,
  encodeError,
  formatBytes,
  MAX_VALUE_BYTES,
} from "./wire.ts";

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

interface Held {
  msg: JsMsg;
  future: Future<unknown> | undefined;
  cancelled: boolean;
}

type Exports = Record<string, unknown>;

/** How many cancelled job ids are remembered for jobs not yet seen. */
const REMEMBERED_CANCELS = 10_000;

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
  readonly #held = new Map<string, Held>();
  readonly #cancels = new Set<string>();
  readonly #fetches = new Set<{ stop(): void }>();
  readonly #background = new Set<Promise<unknown>>();
  #requested = 0;
  // Jobs being read or run: what `concurrency` bounds.
  #computing = 0;
  #consumer: Promise<Consumer> | undefined;
  #stopping = false;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #cancelSub: Subscription | undefined;
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
    try {
      const jsm = await jetstreamManager(nc);
      await ensureStreams(jsm, names);
      await ensureConsumer(jsm, names, settings);
      const engine = new WorkerEngine({ nc, owned, jsm }, settings, namespace);
      engine.#begin();
      return engine;
    } catch (error) {
      if (owned) await nc.close();
      throw error;
    }
  }

  #begin(): void {
    this.#cancelSub = this.#nc.subscribe(this.#names.cancel, {
      callback: (error, msg) => {
        if (error === null) this.#cancel(msg.string());
      },
    });
    // A third of the ack wait: two in-progress acks may be lost before
    // the server gives the job to someone else.
    this.#heartbeat = setInterval(() => {
      for (const held of this.#held.values()) held.msg.working();
    }, Math.max(100, this.#settings.ackWait / 3));
    this.#pump();
  }

  // Asks the server for as many jobs as there are free slots, in a few
  // pull requests rather than one per job.
  #pump(): void {
    if (this.#stopping) return;
    const { concurrency } = this.#settings;
    const free = concurrency - this.#computing - this.#requested;
    if (free <= 0) return;
    if (this.#requested > 0 && free < Math.max(1, concurrency >> 2)) return;
    this.#requested += free;
    this.#track(this.#fetch(free));
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
      const messages = await consumer.fetch({
        max_messages: count,
        expires: 5_000,
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
    let request: JobRequest;
    try {
      request = readJob(msg.headers);
    } catch (error) {
      this.#reject(msg, error);
      return;
    }
    const key = request.job;
    if (this.#held.has(key)) {
      // Delivered again while still running here: the running one answers.
      msg.working();
      return;
    }
    const held: Held = { msg, future: undefined, cancelled: false };
    this.#held.set(key, held);
    this.#computing++;
    this.#track(this.#run(request, held));
  }

  async #run(request: JobRequest, held: Held): Promise<void> {
    const { msg } = held;
    let ok = false;
    let value: unknown;
    try {
      const fn = Object.hasOwn(this.#namespace, request.name)
        ? this.#namespace[request.name]
        : undefined;
      if (typeof fn !== "function") {
        throw new TypeError(
          `Cannot run call(${
            JSON.stringify(request.name)
          }): the worker's module has no such export (it exports ${
            this.exports.join(", ") || "no functions"
          }); start the worker with the module that has it`,
        );
      }
      const args = await this.#readArgs(request, msg);
      if (this.#cancels.delete(request.job)) held.cancelled = true;
      if (held.cancelled) return this.#end(request, held, "cancelled");
      this.#nc.publish(this.#names.status(request.client), request.job);
      held.future = this.#pool.call(request.name, ...args);
      value = await held.future;
      ok = true;
    } catch (error) {
      value = error;
    } finally {
      // The slot is free while the answer travels: pull the next job now.
      this.#computing--;
      this.#pump();
    }
    if (held.cancelled) return this.#end(request, held, "cancelled");
    await this.#reply(request, held, ok, value);
  }

  async #readArgs(request: JobRequest, msg: JsMsg): Promise<unknown[]> {
    const bytes = request.blob === undefined
      ? msg.data
      : await getBlob(this.#jsm, this.#names, request.blob);
    const args = decode(bytes);
    if (!Array.isArray(args) || args.length !== request.argCount) {
      throw new TypeError(
        `Cannot run call(${JSON.stringify(request.name)}): its arguments are ${
          describe(args)
        }, not the ${request.argCount} arguments its headers announce`,
      );
    }
    return args;
  }

  // Stores the outcome on the client's subject, then acknowledges the job.
  async #reply(
    request: JobRequest,
    held: Held,
    ok: boolean,
    value: unknown,
  ): Promise<void> {
    let body: Uint8Array;
    try {
      body = ok ? encode(value) : encodeError(value);
      if (body.length > MAX_VALUE_BYTES) {
        throw new RangeError(
          `Cannot send the result of call(${
            JSON.stringify(request.name)
          }): it is ${
            formatBytes(body.length)
          } once encoded, more than the limit of ${
            formatBytes(MAX_VALUE_BYTES)
          }; return a reference to the data (a path, a URL, a key) instead`,
        );
      }
    } catch (error) {
      ok = false;
      body = encodeError(error);
    }
    try {
      const size = chunkSize(this.#nc.info?.max_payload ?? 1 << 20);
      let blob: BlobRef | undefined;
      if (body.length > size) {
        blob = await putBlob(this.#js, this.#names, body, size);
        body = new Uint8Array(0);
      }
      await this.#publishResult(request, ok, body, blob);
      this.#end(request, held, ok ? "completed" : "failed");
    } catch {
      // The result could not be stored: leave the job to run again.
      this.#held.delete(request.job);
      this.#pump();
    }
  }

  async #publishResult(
    request: JobRequest,
    ok: boolean,
    body: Uint8Array,
    blob: BlobRef | undefined,
  ): Promise<void> {
    const headers = resultHeaders(request.job, ok, blob);
    try {
      // Straight to the client, which confirms: the quick way.
      await this.#nc.request(this.#names.reply(request.client), body, {
        headers,
        timeout: 5_000,
      });
      return;
    } catch {
      // The client is away, or its confirmation is: store the result on
      // its subject of the results stream, where it will look.
    }
    const ack = await publishDurably(
      this.#js,
      this.#watcher,
      this.#names.results(request.client),
      body,
      { headers, msgID: `${request.job}-${this.id}` },
    );
    if (ack === undefined) throw new Error("the connection closed");
  }

  #end(
    request: JobRequest,
    held: Held,
    outcome: "completed" | "failed" | "cancelled",
  ): void {
    this.#held.delete(request.job);
    if (outcome === "cancelled") {
      this.#cancelled++;
      held.msg.term("cancelled by its client");
    } else {
      if (outcome === "completed") this.#completed++;
      else this.#failed++;
      held.msg.ack();
    }
    if (this.#held.size === 0) this.#idle?.();
    this.#pump();
  }

  // A job that cannot be read: fail it for its client if it names one.
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

  #cancel(id: string): void {
    const held = this.#held.get(id);
    if (held === undefined) {
      // Not here (yet): remember it, in case it comes.
      if (this.#cancels.size >= REMEMBERED_CANCELS) {
        this.#cancels.delete(this.#cancels.values().next().value!);
      }
      this.#cancels.add(id);
      return;
    }
    held.cancelled = true;
    held.future?.cancel();
  }

  #track(promise: Promise<unknown>): void {
    this.#background.add(promise);
    promise.finally(() => this.#background.delete(promise));
  }

  /** Counts of the jobs handled. */
  stats(): WorkerStats {
    return {
      running: this.#held.size,
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
      this.#cancelSub?.unsubscribe();
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
