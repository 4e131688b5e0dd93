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
import { encodeResults, MAX_BATCH, MAX_BATCH_BYTES } from "./job_batch.ts";
import { type BlobRef, resultHeaders } from "./messages.ts";
import { type QueueNames, randomId } from "./names.ts";
import { encode, encodeError, formatBytes, MAX_VALUE_BYTES } from "./wire.ts";

/** A result waiting to go out, and who waits for its delivery. */
interface Outgoing {
  job: string;
  name: string;
  ok: boolean;
  value: unknown;
  delivered: (ok: boolean) => void;
}

/** The worker's results on their way to the clients. */
export class ResultOutbox {
  readonly #nc: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #watcher: Watching;
  readonly #names: QueueNames;
  readonly #waiting = new Map<string, Outgoing[]>();

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
   * Sends the outcome of a job to `client`; `delivered` hears whether it
   * was delivered or stored.
   */
  send(
    client: string,
    outcome: { job: string; name: string; ok: boolean; value: unknown },
    delivered: (delivered: boolean) => void,
  ): void {
    let list = this.#waiting.get(client);
    if (list === undefined) {
      list = [];
      this.#waiting.set(client, list);
      queueMicrotask(() => this.#flush(client));
    }
    list.push({ ...outcome, delivered });
    if (list.length >= MAX_BATCH) this.#flush(client);
  }

  // Sends a client's waiting results: together, encoded in one pass, or one
  // by one when they are too large together or one cannot be cloned.
  #flush(client: string): void {
    const list = this.#waiting.get(client);
    if (list === undefined) return;
    this.#waiting.delete(client);
    if (list.length > 1) {
      let message;
      try {
        message = encodeResults(list.map((outgoing) => ({
          job: outgoing.job,
          ok: outgoing.ok,
          value: outgoing.ok ? outgoing.value : encodeError(outgoing.value),
        })));
      } catch {
        message = undefined;
      }
      const limit = Math.min(MAX_BATCH_BYTES, this.#chunkSize());
      if (message !== undefined && message.body.length <= limit) {
        this.#deliver(client, message.headers, message.body).then(
          (delivered) => {
            for (const outgoing of list) outgoing.delivered(delivered);
          },
        );
        return;
      }
    }
    for (const outgoing of list) {
      this.#sendAlone(client, outgoing).then(outgoing.delivered);
    }
  }

  #chunkSize(): number {
    return chunkSize(this.#nc.info?.max_payload ?? 1 << 20);
  }

  async #sendAlone(client: string, outgoing: Outgoing): Promise<boolean> {
    const { ok, value } = encodeOutcome(
      outgoing.name,
      outgoing.ok,
      outgoing.value,
    );
    let blob: BlobRef | undefined;
    let body = value;
    const size = this.#chunkSize();
    if (body.length > size) {
      try {
        blob = await putBlob(this.#js, this.#names, body, size);
      } catch {
        return false;
      }
      body = new Uint8Array(0);
    }
    return this.#deliver(client, resultHeaders(outgoing.job, ok, blob), body);
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
