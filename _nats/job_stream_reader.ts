// Copyright 2026 the @frontier/generators authors. MIT license.
// Reads a stream the executor keeps things in for a reader that may be away
// (results, cancels, "given up" advisories) with an ordered consumer that,
// each time the connection comes back, starts again after the last message
// it saw. The client's own ordered consumer is not enough: a message the
// server delivered to the pull request of a connection that was dropping is
// gone for it (an ordered consumer acknowledges nothing), and it notices
// the gap only when a later message comes, which may be never.

import {
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JsMsg,
} from "npm:@nats-io/jetstream@3.4.0";
import type { NatsConnection } from "npm:@nats-io/nats-core@3.4.0";

/** What to read: a stream, a subject of it, from which sequence. */
export interface StreamReading {
  stream: string;
  /** Only this subject of the stream. */
  subject?: string;
  /** The first sequence to read (1 for all that is kept). */
  from: number;
}

/** A running read of a stream; see the file's comment. */
export class StreamReader {
  readonly #nc: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #reading: StreamReading;
  readonly #onMessage: (msg: JsMsg) => void;
  #last: number;
  #messages: ConsumerMessages | undefined = undefined;
  #events: { stop?(): void } | undefined = undefined;
  #watching: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(
    connection: { nc: NatsConnection; js: JetStreamClient },
    reading: StreamReading,
    onMessage: (msg: JsMsg) => void,
  ) {
    this.#nc = connection.nc;
    this.#js = connection.js;
    this.#reading = reading;
    this.#onMessage = onMessage;
    this.#last = reading.from - 1;
  }

  /** Starts reading; `onMessage` hears each message once, in order. */
  static async start(
    connection: { nc: NatsConnection; js: JetStreamClient },
    reading: StreamReading,
    onMessage: (msg: JsMsg) => void,
  ): Promise<StreamReader> {
    const reader = new StreamReader(connection, reading, onMessage);
    await reader.#open();
    reader.#watch();
    return reader;
  }

  /** The sequence of the last message read (0 for none). */
  get last(): number {
    return this.#last;
  }

  async #open(): Promise<void> {
    const consumer = await this.#js.consumers.get(this.#reading.stream, {
      filter_subjects: this.#reading.subject,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: this.#last + 1,
    });
    this.#messages = await consumer.consume({
      callback: (msg) => {
        // A message the previous consumer still delivered.
        if (msg.seq <= this.#last) return;
        this.#last = msg.seq;
        this.#onMessage(msg);
      },
    });
  }

  #watch(): void {
    // The client's status iterator can be stopped, though its type hides it.
    const events = this.#nc.status() as AsyncIterable<{ type: string }> & {
      stop?(): void;
    };
    this.#events = events;
    this.#watching = (async () => {
      for await (const event of events) {
        if (event.type !== "reconnect" || this.#closed) continue;
        await this.#messages?.close().catch(() => {});
        // Again until it works: the server may still be starting.
        while (!this.#closed && !this.#nc.isClosed()) {
          try {
            await this.#open();
            break;
          } catch {
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      }
    })();
  }

  /** Stops reading. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#events?.stop?.();
    await this.#messages?.close().catch(() => {});
    await this.#watching;
  }
}
