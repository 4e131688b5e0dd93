// Copyright 2026 the @frontier/generators authors. MIT license.
// The client side of the executor on NATS: sends the jobs to the queue's
// work-queue stream (`executor_sender.ts`), hears from the workers which
// jobs they hold, takes the results a worker hands it straight (and
// confirms them), or else from its own subject of the results stream (kept
// by the server, so a result sent while this client was disconnected still
// arrives), and settles each job's future exactly once: a second result of
// a job that ran twice finds it settled and is dropped. Cancelling a job
// removes its message from the stream when no other job shares it, and
// always leaves a cancel in the cancels stream, where every worker reads it
// (even one that was away, or gets the job later). The server's "given up"
// advisories are kept in a stream too, so a client that was disconnected
// when its job was given up still hears of it.

import {
  type JetStreamClient,
  type JetStreamManager,
  jetstreamManager,
  type JsMsg,
} from "npm:@nats-io/jetstream@3.4.0";
import type {
  MsgHdrs,
  NatsConnection,
  Subscription,
} from "npm:@nats-io/nats-core@3.4.0";
import { QueueFullError } from "../_core/queue_full_error.ts";
import type { Job, JobOwner } from "../_executor/job.ts";
import type { TaskLimits } from "../_executor/options.ts";
import { InvalidStateError } from "../future.ts";
import type { NatsExecutorStats } from "../nats.ts";
import type { Future } from "../future.ts";
import { dropBlob, getBlob } from "./blobs.ts";
import {
  type ConnectSettings,
  openConnection,
  watchConnection,
  type Watching,
} from "./connection.ts";
import { JobLostError, NATS_ERROR_CLASSES } from "./errors.ts";
import {
  type Batch,
  GONE,
  JobSender,
  NatsJob,
  QUEUED,
  RUNNING,
} from "./executor_sender.ts";
import { decodeResults, resultsCount } from "./job_batch.ts";
import { jobStreamNames } from "./job_names.ts";
import { StreamReader } from "./job_stream_reader.ts";
import { type BlobRef, readResult } from "./messages.ts";
import { type QueueNames, queueNames, randomId } from "./names.ts";
import { ensureStreams } from "./streams.ts";
import { decode, decodeError } from "./wire.ts";

/** What the engine needs from `NatsExecutorOptions`, checked. */
export interface EngineSettings {
  connect: ConnectSettings;
  queue: string;
  maxQueue: number;
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
  readonly #batches = new Map<string, Batch>();
  readonly #bySeq = new Map<number, Batch>();
  readonly #background = new Set<Promise<unknown>>();
  readonly #subscriptions: Subscription[] = [];
  readonly #readers: StreamReader[] = [];
  // Jobs submitted this turn, sent together once it ends.
  #outbox: NatsJob[] = [];
  #watcher: Watching | undefined = undefined;
  readonly #sender: JobSender;
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
    this.#sender = new JobSender({
      nc,
      js: this.#js,
      names: this.#names,
      client: this.#client,
      watcher: () => this.#watcher!,
      nextId: () => `${this.#client}-${++this.#count}`,
      register: (batch) => this.#batches.set(batch.id, batch),
      accepted: (batch) => {
        if (batch.live > 0) this.#bySeq.set(batch.seq, batch);
        else if (!batch.started) this.#remove(batch);
      },
      settle: (job, ok, value) => this.#settle(job, ok, value),
      track: (promise) => this.#track(promise),
      drop: (blob) => this.#drop(blob),
    });
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
    );
    // What is kept for us while we are away: our results, and the jobs the
    // queue gave up; read from now on, and after a drop from where we were.
    const { lostStream } = jobStreamNames(names);
    for (
      const [stream, subject, onMessage] of [
        [
          names.resultsStream,
          names.results(this.#client),
          (msg: JsMsg) => this.#onResult(msg.headers, msg.data),
        ],
        [lostStream, undefined, (msg: JsMsg) => this.#givenUp(msg.data)],
      ] as const
    ) {
      const { state } = await this.#jsm.streams.info(stream);
      this.#readers.push(
        await StreamReader.start(
          { nc, js: this.#js },
          { stream, subject, from: state.last_seq + 1 },
          onMessage,
        ),
      );
    }
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
    if (this.#outbox.push(job) === 1) queueMicrotask(() => this.#flush());
    return job.future;
  }

  #flush(): void {
    const jobs = this.#outbox;
    this.#outbox = [];
    this.#sender.send(jobs);
  }

  #started(id: string): void {
    const batch = this.#batches.get(id);
    if (batch === undefined) return;
    if (batch.started) {
      this.#redelivered++;
      return;
    }
    batch.started = true;
    for (const job of batch.jobs) {
      if (job.phase !== QUEUED || job.batch !== batch) continue;
      job.phase = RUNNING;
      this.#queued--;
      this.#running++;
    }
  }

  #givenUp(data: Uint8Array): void {
    let advisory: { stream_seq?: unknown; deliveries?: unknown };
    try {
      advisory = JSON.parse(new TextDecoder().decode(data));
    } catch {
      return;
    }
    const batch = typeof advisory.stream_seq === "number"
      ? this.#bySeq.get(advisory.stream_seq)
      : undefined;
    if (batch === undefined) return;
    for (const job of [...batch.jobs]) {
      if (job.batch !== batch) continue;
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
  }

  #onResult(headers: MsgHdrs | undefined, data: Uint8Array): void {
    const count = resultsCount(headers);
    if (count !== 0) {
      let results;
      try {
        results = decodeResults(data, count);
      } catch {
        return; // Not ours to read; nothing waits for it.
      }
      for (const { job: id, ok, value } of results) {
        const job = this.#jobs.get(id);
        if (job === undefined) continue;
        if (ok) this.#settle(job, true, value);
        else this.#settleFrom(job, false, value as Uint8Array);
      }
      return;
    }
    let result;
    try {
      result = readResult(headers);
    } catch {
      return; // Not ours to read; nothing waits for it.
    }
    const job = this.#jobs.get(result.job);
    // A batch's answer as a whole: the worker could not read it.
    const jobs = job !== undefined
      ? [job]
      : (this.#batches.get(result.job)?.jobs ?? []);
    const blob = result.blob;
    if (jobs.every((job) => job.settled)) {
      if (blob !== undefined) this.#drop(blob);
      return;
    }
    if (blob === undefined) {
      for (const job of jobs) this.#settleFrom(job, result.ok, data);
      return;
    }
    this.#track(
      getBlob(this.#jsm, this.#names, blob).then(
        (bytes) => this.#settleFrom(jobs[0], result.ok, bytes),
        (error) => this.#settle(jobs[0], false, error),
      ).finally(() => this.#drop(blob)),
    );
  }

  #settleFrom(job: NatsJob, ok: boolean, bytes: Uint8Array): void {
    if (job.settled) return;
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
    const batch = job.batch;
    this.#forget(job);
    if (batch === undefined) return; // Never sent: the flush skips it.
    // Kept by the server in the cancels stream: a worker that holds the job
    // stops it, one that gets it later (or was away) skips it.
    this.#nc.publish(this.#names.cancel, job.id);
    if (batch.live === 0 && !batch.started && batch.seq !== 0) {
      this.#remove(batch);
    }
  }

  // Takes a message off the stream; a worker may already have it (then it
  // has the cancels).
  #remove(batch: Batch): void {
    this.#track(
      this.#jsm.streams.deleteMessage(this.#names.jobsStream, batch.seq, false)
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
    const batch = job.batch;
    if (batch !== undefined && --batch.live === 0) {
      this.#batches.delete(batch.id);
      if (batch.seq !== 0) this.#bySeq.delete(batch.seq);
      if (batch.blob !== undefined) this.#drop(batch.blob);
    }
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
    for (const reader of this.#readers) await reader.close();
    // Cancel messages and deletions go out before the connection closes.
    while (this.#background.size > 0) {
      await Promise.allSettled([...this.#background]);
    }
    this.#watcher?.stop();
    if (this.#owned) await this.#nc.drain().catch(() => this.#nc.close());
    await this.#watcher?.done;
  }

  /** Whether the connection is up, and the counts. */
  stats(): NatsExecutorStats {
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
