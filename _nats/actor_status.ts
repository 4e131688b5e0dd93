// Copyright 2026 the @frontier/generators authors. MIT license.
// Whether a process's connection to NATS is up, followed through the client's
// status events: actors on NATS send nothing while it is down (the client
// would drop it without a word), and fail the questions waiting at the moment
// it drops (answers sent while a process is cut off never reach it).

import type { NatsConnection } from "npm:@nats-io/transport-node@3.4.0";

/** The state of a connection, as its status events tell it. */
export class ConnectionState {
  /** Whether the connection is up. */
  up = true;
  readonly #stop: () => void;
  readonly #done: Promise<void>;

  /**
   * Follows `nc`; `onDrop` is called each time it goes down, `onBack` each
   * time it is up again.
   */
  constructor(nc: NatsConnection, onDrop: () => void, onBack: () => void) {
    // The client's status events can be stopped, though its type hides it.
    const events = nc.status() as AsyncIterable<{ type: string }> & {
      stop?(): void;
    };
    this.#stop = () => events.stop?.();
    this.#done = (async () => {
      for await (const event of events) {
        if (event.type === "disconnect" && this.up) {
          this.up = false;
          onDrop();
        } else if (event.type === "reconnect") {
          this.up = true;
          onBack();
        }
      }
    })();
  }

  /** Stops following. */
  async stop(): Promise<void> {
    this.#stop();
    await this.#done;
  }
}
