// Copyright 2026 the @frontier/generators authors. MIT license.
// How a worker hands results to their clients: the results of one client
// finished in the same turn travel in one message, straight to the client
// on core NATS, which confirms it; a client that does not confirm (away,
// or gone for a while) finds them later on its subject of the results
// stream. A result resolves `true` once it was confirmed or stored: only
// then may its job be acknowledged.

import type { JetStreamClient } from "npm:@nats-io/jetstream@3.4.0";
import type { MsgHdrs, NatsConnection } from "npm:@nats-io/nats-core@3.4.0";
import { chunkSize, putBlob } from "./blobs.ts";
import { publishDurably, type Watching } from "./connection.ts";
import {
  ALONE_BYTES,
  encodeResults,
  MAX_BATCH,
  MAX_BATCH_BYTES,
  type ResultEntry,
} from "./job_batch.ts";
import { type BlobRef, resultHeaders } from "./messages.ts";
import { type QueueNames, randomId } from "./names.ts";
import { encode, encodeError, formatBytes, MAX_VALUE_BYTES } from "./wire.ts";

/** A result waiting to go out, and who waits for its delivery. */
interface Outgoing {
  entry: ResultEntry;
  delivered: (ok: boolean) => void;
}

/** The worker's results on their way to the clients. */
export class ResultOutbox {
  readonly #nc: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #watcher: Watching;
  readonly #names: QueueNames;
  readonly #waiting = new Map<string, { list: Outgoing[]; bytes: number }>();

  constructor(
    connection: { nc: NatsConnection; js: JetStreamClient },
    watcher: Watching,
    names: QueueNames,
  ) {
    this.#nc = connection.nc;
    this.#js = connection.js;
    this.#watcher = watcher;
    this.#names = names;
  }

  /**
   * Sends the outcome of job `job` (of export `name`) to `client`; resolves
   * whether it was delivered or stored.
   */
  send(
    client: string,
    job: string,
    name: string,
    outcome: { ok: boolean; value: unknown },
  ): Promise<boolean> {
    const { ok, value } = encodeOutcome(name, outcome.ok, outcome.value);
    if (value.length > ALONE_BYTES) {
      return this.#sendAlone(client, job, ok, value);
    }
    const { promise, resolve } = Promise.withResolvers<boolean>();
    let waiting = this.#waiting.get(client);
    if (waiting === undefined) {
      waiting = { list: [], bytes: 0 };
      this.#waiting.set(client, waiting);
      queueMicrotask(() => this.#flush(client));
    }
    waiting.list.push({ entry: { job, ok, value }, delivered: resolve });
    waiting.bytes += value.length;
    if (waiting.list.length >= MAX_BATCH || waiting.bytes >= MAX_BATCH_BYTES) {
      this.#flush(client);
    }
    return promise;
  }

  #flush(client: string): void {
    const waiting = this.#waiting.get(client);
    if (waiting === undefined) return;
    this.#waiting.delete(client);
    const { list } = waiting;
    let message: { headers: MsgHdrs; body: Uint8Array };
    if (list.length === 1) {
      const { job, ok, value } = list[0].entry;
      message = { headers: resultHeaders(job, ok, undefined), body: value };
    } else message = encodeResults(list.map((outgoing) => outgoing.entry));
    this.#deliver(client, message.headers, message.body).then(
      (delivered) => {
        for (const outgoing of list) outgoing.delivered(delivered);
      },
    );
  }

  async #sendAlone(
    client: string,
    job: string,
    ok: boolean,
    value: Uint8Array,
  ): Promise<boolean> {
    let blob: BlobRef | undefined;
    let body = value;
    const size = chunkSize(this.#nc.info?.max_payload ?? 1 << 20);
    if (body.length > size) {
      try {
        blob = await putBlob(this.#js, this.#names, body, size);
      } catch {
        return false;
      }
      body = new Uint8Array(0);
    }
    return this.#deliver(client, resultHeaders(job, ok, blob), body);
  }

  async #deliver(
    client: string,
    headers: MsgHdrs,
    body: Uint8Array,
  ): Promise<boolean> {
    try {
      // Straight to the client, which confirms: the quick way.
      await this.#nc.request(this.#names.reply(client), body, {
        headers,
        timeout: 5_000,
      });
      return true;
    } catch {
      // The client is away, or its confirmation is: store the results on
      // its subject of the results stream, where it will look.
    }
    try {
      const ack = await publishDurably(
        this.#js,
        this.#watcher,
        this.#names.results(client),
        body,
        { headers, msgID: randomId() },
      );
      return ack !== undefined;
    } catch {
      return false;
    }
  }
}

/** Encodes a job's outcome; one that cannot be sent becomes an error. */
function encodeOutcome(
  name: string,
  ok: boolean,
  value: unknown,
): { ok: boolean; value: Uint8Array } {
  try {
    const bytes = ok ? encode(value) : encodeError(value);
    if (bytes.length > MAX_VALUE_BYTES) {
      throw new RangeError(
        `Cannot send the result of call(${JSON.stringify(name)}): it is ${
          formatBytes(bytes.length)
        } once encoded, more than the limit of ${
          formatBytes(MAX_VALUE_BYTES)
        }; return a reference to the data (a path, a URL, a key) instead`,
      );
    }
    return { ok, value: bytes };
  } catch (error) {
    return { ok: false, value: encodeError(error) };
  }
}
