// Copyright 2026 the @frontier/generators authors. MIT license.
// The thread a Worker actor runs on: a `node:worker_threads` Worker, which
// Deno runs as a Worker of its own. Measured in Deno 2.9.6, a Web Worker's
// terminate() does not interrupt running code (a Worker stuck in a loop
// stays alive, and keeps the process alive), and a Web Worker that calls
// `Deno.exit()` or `close()` goes without a word. This Worker says when it
// exits, does not keep the process alive once terminated, and its
// terminate() halts a loop when the thread holds a Web Lock, which the
// actor's script takes before the actor runs (see _core/halt_lock.ts). Its
// one-way throughput and round trip match a Web Worker's as long as the
// Worker's side listens on its global scope (`onmessage`), not on
// `parentPort.on("message")`, which walks every message it receives looking
// for ports (3.4x slower for a batch of 16,384 slots).

import { Worker } from "node:worker_threads";
import type { MessageTarget } from "../_core/post_batch.ts";

/** What a thread says; nothing once it has been terminated. */
export interface ThreadEvents {
  /** A message arrived. */
  message(data: unknown): void;
  /**
   * The Worker failed outside the handlers its script installs, or a
   * message from it could not be read (no more can be, then).
   */
  failed(reason: string): void;
  /** The Worker ended by itself (`Deno.exit()`, `close()`, a crash). */
  exited(code: number): void;
}

/**
 * The URL a Worker thread is started from: `node:worker_threads` takes only
 * `file:` and `data:` URLs, so a script from anywhere else (the package
 * imported from JSR) is imported by a one-line `data:` module.
 */
export function threadUrl(script: URL): URL {
  if (script.protocol === "file:" || script.protocol === "data:") {
    return script;
  }
  return new URL(
    `data:text/javascript,${
      encodeURIComponent(`import ${JSON.stringify(script.href)};`)
    }`,
  );
}

/** One Worker thread, which can be stopped whatever it is running. */
export class Thread implements MessageTarget {
  #worker: Worker;
  #terminated = false;

  /**
   * Starts the Worker.
   *
   * @param script Its entry script.
   * @param options Its name (in stack traces and the inspector), and where
   * its events go.
   */
  constructor(script: URL, options: { name: string; events: ThreadEvents }) {
    const events = options.events;
    const worker = new Worker(threadUrl(script), { name: options.name });
    this.#worker = worker;
    worker.on("message", (data: unknown) => {
      if (!this.#terminated) events.message(data);
    });
    worker.on("error", (error: unknown) => {
      if (!this.#terminated) {
        events.failed(
          error instanceof Error
            ? error.message
            : String((error as { message?: unknown })?.message ?? error),
        );
      }
    });
    worker.on("messageerror", () => {
      if (!this.#terminated) {
        events.failed("a message from it could not be deserialized");
      }
    });
    worker.on("exit", (code: number) => {
      if (!this.#terminated) {
        this.#terminated = true;
        events.exited(code);
      }
    });
  }

  /** Whether it has ended, or been terminated. */
  get terminated(): boolean {
    return this.#terminated;
  }

  /** Posts a message to the Worker (a no-op once it has ended). */
  postMessage(message: unknown, transfer?: Transferable[]): void {
    if (transfer === undefined) this.#worker.postMessage(message);
    else this.#worker.postMessage(message, transfer as never);
  }

  /**
   * Stops the Worker at once, even in the middle of a loop; its events are
   * not heard from any more.
   */
  terminate(): void {
    if (this.#terminated) return;
    this.#terminated = true;
    void this.#worker.terminate();
  }
}
