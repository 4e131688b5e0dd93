// Copyright 2026 the @frontier/generators authors. MIT license.
// The client side of the executor on NATS: publishes each job to the queue's
// work-queue stream (with its id as `Nats-Msg-Id`, so a publish retried
// across a reconnect is stored once), hears from the workers which jobs
// started, collects the results from its own subject of the results stream
// (kept by the server, so a result sent while this client was disconnected
// still arrives), and settles each job's future exactly once: a second result
// of a job that ran twice finds it settled and is dropped. Cancelling a job
// removes it from the stream and tells the workers to stop it.

import {
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstreamManager,
} from "npm:@nats-io/jetstream@3.4.0";
import type {
  NatsConnection,
  Subscription,
} from "npm:@nats-io/nats-core@3.4.0";
import { describe } from "../_core/describe.ts";
import { QueueFullError } from "../_core/queue_full_error.ts";
import { Job, type JobOwner } from "../_executor/job.ts";
import type { TaskLimits } from "../_executor/options.ts";
import { InvalidStateError } from "../future.ts";
import type { Future } from "../future.ts";
import { chunkSize, dropBlob, getBlob, putBlob } from "./blobs.ts";
import {
  type ConnectSettings,
  openConnection,
  publishDurably,
  watchConnection,
  type Watching,
} from "./connection.ts";
import { JobLostError, NATS_ERROR_CLASSES } from "./errors.ts";
import { type BlobRef, jobHeaders, readResult } from "./messages.ts";
import { type QueueNames, queueNames, randomId } from "./names.ts";
import { ensureStreams } from "./streams.ts";
import {
  decode,
  decodeError,
  encode,
  formatBytes,
  MAX_VALUE_BYTES,
} from "./wire.ts";

/** What the engine needs from `NatsExecutorOptions`, checked. */
export interface EngineSettings {
  connect: ConnectSettings;
  queue: string;
  maxQueue: number;
}

/** Counts for `stats()`. */
export interface EngineStats {
  queued: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
  redelivered: number;
  reconnects: number;
  connected: boolean;
}

// Phases of a job.
const QUEUED = 0; // being published, or in the stream: no worker said it started
const RUNNING = 1; // a worker started it
const GONE = 2; // settled and forgotten

class NatsJob extends Job {
  phase = QUEUED;
  seq = 0;
  args: unknown[] | undefined;
  blob: BlobRef | undefined = undefined;
  readonly what: string;
  readonly id: string;
  readonly name: string;
  readonly argCount: number;
  constructor(
    owner: JobOwner<NatsJob>,
    ids: { id: string; what: string },
    name: string,
    args: unknown[],
  ) {
    super(owner);
    this.id = ids.id;
    this.what = ids.what;
    this.name = name;
    this.args = args;
    this.argCount = args.length;
  }
}

function encodeArgs(args: unknown[], what: string): Uint8Array {
  const body = encode(args);
  if (body.length <= MAX_VALUE_BYTES) return body;
  for (let i = 0; i < args.length; i++) {
    const size = encode(args[i]).length;
    if (size > MAX_VALUE_BYTES) {
      throw new RangeError(
        `Cannot send ${what}: argument ${i + 1} is ${
          formatBytes(size)
        } once encoded, more than the limit of ${
          formatBytes(MAX_VALUE_BYTES)
        }; pass a reference to the data (a path, a URL, a key) instead`,
      );
    }
  }
  return body;
}

/** The executor's connection, jobs and futures; `nats.ts` is its face. */
export class NatsEngine {
  readonly #nc: NatsConnection;
  readonly #owned: boolean;
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #names: QueueNames;
  readonly #client = randomId();
  readonly #maxQueue: number;
  readonly #jobs = new Map<string, NatsJob>();
  readonly #bySeq = new Map<number, NatsJob>();
  readonly #background = new Set<Promise<unknown>>();
  readonly #subscriptions: Subscription[] = [];
  #results: ConsumerMessages | undefined = undefined;
  #watcher: Watching | undefined = undefined;
  #count = 0;
  #queued = 0;
  #running = 0;
  #completed = 0;
  #failed = 0;
  #cancelled = 0;
  #redelivered = 0;
  #closed = false;
  #lost: Error | undefined = undefined;
  #released: Promise<void> | undefined = undefined;
  #release: (() => void) | undefined = undefined;
  readonly #owner: JobOwner<NatsJob> = {
    onCancel: (job) => {
      this.#cancelled++;
      this.#withdraw(job);
    },
    onTimeout: (job) => {
      this.#failed++;
      this.#withdraw(job);
    },
  };

  private constructor(
    nc: NatsConnection,
    owned: boolean,
    jsm: JetStreamManager,
    settings: EngineSettings,
  ) {
    this.#nc = nc;
    this.#owned = owned;
    this.#jsm = jsm;
    this.#js = jsm.jetstream();
    this.#names = queueNames(settings.queue, "create a NatsExecutor");
    this.#maxQueue = settings.maxQueue;
  }

  /** Connects, makes the queue's streams where missing, and listens. */
  static async open(settings: EngineSettings): Promise<NatsEngine> {
    const names = queueNames(settings.queue, "create a NatsExecutor");
    const { nc, owned } = await openConnection(
      settings.connect,
      `NatsExecutor (queue ${names.queue})`,
    );
    try {
      const jsm = await jetstreamManager(nc);
      await ensureStreams(jsm, names);
      const engine = new NatsEngine(nc, owned, jsm, settings);
      await engine.#listen();
      return engine;
    } catch (error) {
      if (owned) await nc.close();
      throw error;
    }
  }

  async #listen(): Promise<void> {
    const names = this.#names;
    const nc = this.#nc;
    this.#subscriptions.push(
      nc.subscribe(names.status(this.#client), {
        callback: (error, msg) => {
          if (error === null) this.#started(msg.string());
        },
      }),
      nc.subscribe(names.reply(this.#client), {
        callback: (error, msg) => {
          if (error !== null) return;
          this.#onResult(msg.headers, msg.data);
          // Received: the worker need not store it for later.
          msg.respond();
        },
      }),
      nc.subscribe(names.maxDeliveries, {
        callback: (error, msg) => {
          if (error === null) this.#givenUp(msg.data);
        },
      }),
    );
    const consumer = await this.#js.consumers.get(names.resultsStream, {
      filter_subjects: names.results(this.#client),
      deliver_policy: DeliverPolicy.New,
    });
    this.#results = await consumer.consume({
      callback: (msg) => this.#onResult(msg.headers, msg.data),
    });
    this.#watcher = watchConnection(nc, {
      onClose: (error) => this.#onClose(error),
    });
  }

  /** Submits a call of export `name`; `what` names it in messages. */
  submit(
    name: string,
    args: unknown[],
    limits: TaskLimits | undefined,
    what: string,
  ): Future<unknown> {
    if (this.#closed) {
      throw new InvalidStateError(
        `Cannot submit ${what}: the NatsExecutor was shut down; submit before shutdown(), or connect a new executor`,
      );
    }
    if (this.#queued >= this.#maxQueue) {
      throw new QueueFullError(
        `Cannot submit ${what}: the NatsExecutor has ${this.#queued} jobs waiting for a worker (maxQueue ${this.#maxQueue}); wait for some to start, or start more workers`,
      );
    }
    const id = `${this.#client}-${++this.#count}`;
    const job = new NatsJob(this.#owner, { id, what }, name, args);
    if (limits?.signal !== undefined && job.settleIfAborted(limits)) {
      return job.future;
    }
    if (this.#lost !== undefined) {
      job.settled = true;
      job.future.setException(this.#lost);
      return job.future;
    }
    this.#jobs.set(id, job);
    this.#queued++;
    if (limits !== undefined) job.arm(limits);
    this.#track(this.#publish(job));
    return job.future;
  }

  async #publish(job: NatsJob): Promise<void> {
    let body: Uint8Array;
    try {
      body = encodeArgs(job.args!, job.what);
      job.args = undefined;
      if (body.length > chunkSize(this.#nc.info?.max_payload ?? 1 << 20)) {
        const size = chunkSize(this.#nc.info?.max_payload ?? 1 << 20);
        job.blob = await putBlob(this.#js, this.#names, body, size);
        body = new Uint8Array(0);
      }
    } catch (error) {
      this.#settle(job, false, error);
      return;
    }
    const headers = jobHeaders({
      job: job.id,
      client: this.#client,
      name: job.name,
      argCount: job.argCount,
    }, job.blob);
    let seq: number;
    try {
      const ack = await publishDurably(
        this.#js,
        this.#watcher!,
        this.#names.jobs,
        body,
        { headers, msgID: job.id, abandoned: () => job.settled },
      );
      if (ack === undefined) return;
      seq = ack.seq;
    } catch (error) {
      this.#settle(
        job,
        false,
        new JobLostError(
          `Cannot submit ${job.what}: the NATS server did not take the job (${
            error instanceof Error ? error.message : describe(error)
          })`,
          { cause: error },
        ),
      );
      return;
    }
    job.seq = seq;
    if (job.phase === GONE) this.#remove(job);
    else this.#bySeq.set(seq, job);
  }

  #started(id: string): void {
    const job = this.#jobs.get(id);
    if (job === undefined) return;
    if (job.phase === RUNNING) {
      this.#redelivered++;
      return;
    }
    job.phase = RUNNING;
    this.#queued--;
    this.#running++;
  }

  #givenUp(data: Uint8Array): void {
    let advisory: { stream_seq?: unknown; deliveries?: unknown };
    try {
      advisory = JSON.parse(new TextDecoder().decode(data));
    } catch {
      return;
    }
    const job = typeof advisory.stream_seq === "number"
      ? this.#bySeq.get(advisory.stream_seq)
      : undefined;
    if (job === undefined) return;
    this.#settle(
      job,
      false,
      new JobLostError(
        `${job.what} was delivered ${
          String(advisory.deliveries)
        } times and no worker finished it (each one died or stopped answering): the queue gave it up; look for what kills the workers, or raise the workers' maxDeliver`,
      ),
    );
  }

  #onResult(
    headers: Parameters<typeof readResult>[0],
    data: Uint8Array,
  ): void {
    let result;
    try {
      result = readResult(headers);
    } catch {
      return; // Not ours to read; nothing waits for it.
    }
    const job = this.#jobs.get(result.job);
    const blob = result.blob;
    if (job === undefined || job.settled) {
      if (blob !== undefined) this.#drop(blob);
      return;
    }
    if (blob === undefined) {
      this.#settleFrom(job, result.ok, data);
      return;
    }
    this.#track(
      getBlob(this.#jsm, this.#names, blob).then(
        (bytes) => this.#settleFrom(job, result.ok, bytes),
        (error) => this.#settle(job, false, error),
      ).finally(() => this.#drop(blob)),
    );
  }

  #settleFrom(job: NatsJob, ok: boolean, bytes: Uint8Array): void {
    let value: unknown;
    try {
      value = ok ? decode(bytes) : decodeError(bytes, NATS_ERROR_CLASSES);
    } catch (error) {
      this.#settle(job, false, error);
      return;
    }
    this.#settle(job, ok, value);
  }

  // The job's outcome, from its worker or from here: settles it once.
  #settle(job: NatsJob, ok: boolean, value: unknown): void {
    if (job.settled) return;
    job.settled = true;
    job.disarm();
    this.#forget(job);
    if (ok) this.#completed++;
    else this.#failed++;
    if (job.future.done()) return;
    if (ok) job.future.setResult(value);
    else job.future.setException(value);
  }

  // Stops a job settled from outside (cancelled, timed out) where it is.
  #withdraw(job: NatsJob): void {
    job.disarm();
    const wasRunning = job.phase === RUNNING;
    this.#forget(job);
    // A worker may hold it, or get it any moment: tell them all.
    this.#nc.publish(this.#names.cancel, job.id);
    if (job.seq !== 0 && !wasRunning) this.#remove(job);
  }

  // Takes a job off the stream; a worker may already have it (then it gets
  // the cancel message).
  #remove(job: NatsJob): void {
    this.#track(
      this.#jsm.streams.deleteMessage(this.#names.jobsStream, job.seq, false)
        .catch(() => {}),
    );
  }

  #forget(job: NatsJob): void {
    if (job.phase === GONE) return;
    if (job.phase === QUEUED) this.#queued--;
    else this.#running--;
    job.phase = GONE;
    job.args = undefined;
    this.#jobs.delete(job.id);
    if (job.seq !== 0) this.#bySeq.delete(job.seq);
    if (job.blob !== undefined) this.#drop(job.blob);
    if (this.#jobs.size === 0) this.#release?.();
  }

  #drop(blob: BlobRef): void {
    if (this.#nc.isClosed()) return;
    this.#track(dropBlob(this.#jsm, this.#names, blob).catch(() => {}));
  }

  #track(promise: Promise<unknown>): void {
    this.#background.add(promise);
    promise.finally(() => this.#background.delete(promise));
  }

  #onClose(error: Error | undefined): void {
    if (this.#jobs.size === 0) return;
    this.#lost = new JobLostError(
      `Cannot finish the job: the connection to NATS closed${
        error === undefined ? "" : ` (${error.message})`
      } while it was pending, and its result can no longer arrive`,
      { cause: error },
    );
    for (const job of [...this.#jobs.values()]) {
      this.#settle(job, false, this.#lost);
    }
  }

  /** Cancels the jobs no worker has started. */
  cancelQueued(): void {
    for (const job of [...this.#jobs.values()]) {
      if (job.phase === QUEUED) {
        job.future.cancel(
          `${job.what} was cancelled: the executor was shut down before a worker started it`,
        );
      }
    }
  }

  /** Stops taking work; resolves once every job settled and all is released. */
  close(): Promise<void> {
    this.#closed = true;
    if (this.#released === undefined) {
      const { promise, resolve } = Promise.withResolvers<void>();
      this.#release = resolve;
      this.#released = promise.then(() => this.#disconnect());
      if (this.#jobs.size === 0) resolve();
    }
    return this.#released;
  }

  async #disconnect(): Promise<void> {
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    await this.#results?.close();
    // Cancel messages and deletions go out before the connection closes.
    while (this.#background.size > 0) {
      await Promise.allSettled([...this.#background]);
    }
    this.#watcher?.stop();
    if (this.#owned) await this.#nc.drain().catch(() => this.#nc.close());
    await this.#watcher?.done;
  }

  /** Whether the connection is up, and the counts. */
  stats(): EngineStats {
    return {
      queued: this.#queued,
      running: this.#running,
      completed: this.#completed,
      failed: this.#failed,
      cancelled: this.#cancelled,
      redelivered: this.#redelivered,
      reconnects: this.#watcher?.reconnects ?? 0,
      connected: this.#watcher?.connected ?? false,
    };
  }

  /** Whether the job behind `future` was started by a worker. */
  static started(job: Job): boolean {
    return (job as NatsJob).phase !== QUEUED;
  }
}
