// Copyright 2026 the @frontier/generators authors. MIT license.
// The worker's side of cancels: it reads the queue's cancels stream (from
// the start of what is kept, and again from where it was after a drop of
// its connection), so a cancel sent while it was away, or before it was
// handed the job, is not missed: a job it holds is stopped, and a job it is
// handed later is skipped.

import type { JetStreamManager } from "npm:@nats-io/jetstream@3.4.0";
import type { NatsConnection } from "npm:@nats-io/nats-core@3.4.0";
import { StreamReader } from "./job_stream_reader.ts";
import { KEPT_CANCELS } from "./streams.ts";

/** The cancels a worker has heard of, from the queue's cancels stream. */
export class CancelWatch {
  readonly #ids = new Set<string>();
  #reader: StreamReader | undefined = undefined;

  /**
   * Starts reading the cancels of stream `stream`; `onCancel` hears each
   * job id as it arrives. Resolves once the cancels kept when it started
   * were read (or after a few seconds: the rest still arrive).
   */
  static async start(
    connection: { nc: NatsConnection; jsm: JetStreamManager },
    stream: string,
    onCancel: (id: string) => void,
  ): Promise<CancelWatch> {
    const { state } = await connection.jsm.streams.info(stream);
    const watch = new CancelWatch();
    const { promise, resolve } = Promise.withResolvers<void>();
    if (state.messages === 0) resolve();
    watch.#reader = await StreamReader.start(
      { nc: connection.nc, js: connection.jsm.jetstream() },
      { stream, from: 1 },
      (msg) => {
        watch.#add(msg.string(), onCancel);
        if (msg.seq >= state.last_seq) resolve();
      },
    );
    const timer = setTimeout(resolve, 5_000);
    await promise;
    clearTimeout(timer);
    return watch;
  }

  #add(id: string, onCancel: (id: string) => void): void {
    if (this.#ids.size >= KEPT_CANCELS) {
      this.#ids.delete(this.#ids.values().next().value!);
    }
    this.#ids.add(id);
    onCancel(id);
  }

  /** Whether job `id` was cancelled. */
  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Stops reading. */
  async close(): Promise<void> {
    await this.#reader?.close();
  }
}
