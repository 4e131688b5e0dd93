// Copyright 2026 the @frontier/generators authors. MIT license.
// The executor's jobs on their way to the jobs stream: the jobs submitted in
// one turn of the event loop travel together, small ones in batch messages
// (a stream message and its acknowledgement cost far more than encoding a
// tiny job) encoded in one pass, split into enough messages that many
// workers share them; a job too large to travel with others, or among
// which one cannot be cloned, goes alone (so that only that one fails), its
// arguments in chunks when they do not fit in one message. A message's
// acknowledgement is not awaited before its jobs can start: it only tells
// whether the server took them.

import type { JetStreamClient } from "npm:@nats-io/jetstream@3.4.0";
import type { MsgHdrs, NatsConnection } from "npm:@nats-io/nats-core@3.4.0";
import { describe } from "../_core/describe.ts";
import { Job, type JobOwner } from "../_executor/job.ts";
import { chunkSize, putBlob } from "./blobs.ts";
import { publishDurably, type Watching } from "./connection.ts";
import { JobLostError } from "./errors.ts";
import { batchSize, encodeBatch, MAX_BATCH_BYTES } from "./job_batch.ts";
import { type BlobRef, jobHeaders } from "./messages.ts";
import type { QueueNames } from "./names.ts";
import { encode, formatBytes, MAX_VALUE_BYTES } from "./wire.ts";

// Phases of a job.
export const QUEUED = 0; // being published, or in the stream: no worker said it started
export const RUNNING = 1; // a worker started it
export const GONE = 2; // settled and forgotten

/** One message of the jobs stream: one job, or a batch of small ones. */
export interface Batch {
  /** The message's id: the job's id for one job, its own for a batch. */
  id: string;
  jobs: NatsJob[];
  /** Jobs of the batch not yet settled. */
  live: number;
  /** Its sequence in the jobs stream, once the server acknowledged it. */
  seq: number;
  /** Whether a worker said it holds the message. */
  started: boolean;
  /** Where the arguments are, when they did not fit in one message. */
  blob: BlobRef | undefined;
}

export class NatsJob extends Job {
  phase = QUEUED;
  args: unknown[] | undefined;
  batch: Batch | undefined = undefined;
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

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : describe(error);
}

/** How many messages are encoded in one turn of the event loop. */
const MESSAGES_PER_TURN = 8;

/** What the sender needs from the engine. */
export interface SenderHost {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly names: QueueNames;
  /** The client's id. */
  readonly client: string;
  /** The watch on the connection. */
  watcher(): Watching;
  /** A fresh id for a batch. */
  nextId(): string;
  /** Keeps a new batch, for the answers about it. */
  register(batch: Batch): void;
  /** The server took the batch (its `seq` is set). */
  accepted(batch: Batch): void;
  /** Settles a job (once). */
  settle(job: NatsJob, ok: boolean, value: unknown): void;
  /** Keeps a background promise, awaited before disconnecting. */
  track(promise: Promise<unknown>): void;
  /** Removes the chunks of a large value. */
  drop(blob: BlobRef): void;
}

/** Sends jobs to the jobs stream. */
export class JobSender {
  readonly #host: SenderHost;

  constructor(host: SenderHost) {
    this.#host = host;
  }

  // Sends the jobs of this turn: small ones together, encoded in one pass
  // per message; one by one those too large together, or among which one
  // cannot be cloned (so that it fails alone).
  send(jobs: NatsJob[]): void {
    const ready = jobs.filter((job) => !job.settled);
    this.#send(ready, batchSize(ready.length), 0);
  }

  #send(ready: NatsJob[], per: number, from: number): void {
    const limit = Math.min(MAX_BATCH_BYTES, this.#chunkSize());
    let messages = 0;
    for (let i = from; i < ready.length; i += per) {
      if (messages === MESSAGES_PER_TURN) {
        // The first messages go out, and workers start on them, while the
        // rest are encoded.
        const { promise, resolve } = Promise.withResolvers<void>();
        setTimeout(() => resolve(this.#send(ready, per, i)), 0);
        this.#host.track(promise);
        return;
      }
      // Cancelled or timed out while waiting for their turn.
      const jobs = ready.slice(i, i + per).filter((job) => !job.settled);
      if (jobs.length === 0) continue;
      messages++;
      if (jobs.length > 1) {
        const id = this.#host.nextId();
        let message;
        try {
          message = encodeBatch(
            id,
            this.#host.client,
            jobs.map((job) => ({
              job: job.id,
              name: job.name,
              args: job.args,
            })),
          );
        } catch {
          message = undefined;
        }
        if (message !== undefined && message.body.length <= limit) {
          for (const job of jobs) job.args = undefined;
          this.#host.track(this.#publish(this.#batch(id, jobs), message));
          continue;
        }
      }
      for (const job of jobs) this.#host.track(this.#publishAlone(job));
    }
  }

  #chunkSize(): number {
    return chunkSize(this.#host.nc.info?.max_payload ?? 1 << 20);
  }

  #batch(id: string, jobs: NatsJob[]): Batch {
    const batch: Batch = {
      id,
      jobs,
      live: jobs.length,
      seq: 0,
      started: false,
      blob: undefined,
    };
    for (const job of jobs) job.batch = batch;
    this.#host.register(batch);
    return batch;
  }

  // A job in a message of its own; arguments that do not fit in a message
  // go ahead in chunks.
  async #publishAlone(job: NatsJob): Promise<void> {
    let body: Uint8Array;
    try {
      body = encodeArgs(job.args!, job.what);
    } catch (error) {
      this.#host.settle(job, false, error);
      return;
    } finally {
      job.args = undefined;
    }
    const batch = this.#batch(job.id, [job]);
    const size = this.#chunkSize();
    if (body.length > size) {
      try {
        batch.blob = await putBlob(this.#host.js, this.#host.names, body, size);
      } catch (error) {
        this.#host.settle(job, false, error);
        return;
      }
      // Withdrawn meanwhile: nobody will read it.
      if (batch.live === 0) return this.#host.drop(batch.blob);
      body = new Uint8Array(0);
    }
    const headers = jobHeaders({
      job: job.id,
      client: this.#host.client,
      name: job.name,
      argCount: job.argCount,
    }, batch.blob);
    await this.#publish(batch, { headers, body });
  }

  async #publish(
    batch: Batch,
    message: { headers: MsgHdrs; body: Uint8Array },
  ): Promise<void> {
    let seq: number;
    try {
      const ack = await publishDurably(
        this.#host.js,
        this.#host.watcher(),
        this.#host.names.jobs,
        message.body,
        {
          headers: message.headers,
          msgID: batch.id,
          abandoned: () => batch.live === 0,
        },
      );
      if (ack === undefined) return;
      seq = ack.seq;
    } catch (error) {
      for (const job of batch.jobs) {
        if (job.batch !== batch) continue;
        this.#host.settle(
          job,
          false,
          new JobLostError(
            `Cannot submit ${job.what}: the NATS server did not take the job (${
              errorText(error)
            })`,
            { cause: error },
          ),
        );
      }
      return;
    }
    batch.seq = seq;
    this.#host.accepted(batch);
  }
}
