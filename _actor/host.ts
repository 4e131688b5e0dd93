// Copyright 2026 the @frontier/generators authors. MIT license.
// The main side of an actor in a Worker: one Worker thread running one
// actor. It posts the actor's messages and questions over a link, hands what
// the actor sends back to its system, and closes the Worker when the actor
// stops (the actor's `finally` blocks run there first, then the Worker says
// "closed" and is terminated; after `stopTimeout` it is terminated anyway,
// which stops it even in the middle of a loop). A Worker that ends by itself
// (`Deno.exit()`, `close()`, a crash) fails the questions waiting for it, is
// reported, and is started again if the actor's restart policy allows.

import { describe } from "../_core/describe.ts";
import {
  deserializeError,
  type SerializedError,
} from "../_core/error_clone.ts";
import { ActorError } from "./error.ts";
import {
  askFuture,
  type AskSlot,
  failAsk,
  noReply,
  relay,
  RemoteReply,
} from "./ask.ts";
import { ALIVE, type Cell } from "./cell.ts";
import type { Engine } from "./engine.ts";
import { type RestartPolicy, takeRestart } from "./restart.ts";
import {
  Link,
  type LinkHandler,
  type SpawnControl,
  type WorkerControl,
} from "./link.ts";
import { Thread } from "./thread.ts";

// Loaded from this package's own URL, so it works from JSR or any host.
const WORKER_URL = new URL("./worker.ts", import.meta.url);

/** What a Worker actor runs: an actor function of a module, and its arguments. */
export interface WorkerSpec {
  /** The module's absolute URL. */
  module: string;
  /** The name of the actor function it exports. */
  export: string;
  /** The function's arguments. */
  args: unknown[];
  /**
   * The actor's restart policy: applied inside the Worker when its generator
   * throws, and here when its Worker ends by itself.
   */
  policy?: RestartPolicy | undefined;
}

/** One Worker running one actor, seen from the system that spawned it. */
export class WorkerHost implements LinkHandler {
  readonly name: string;
  /** The wire to the actor's Worker (a new one after a restart). */
  link!: Link;
  #cell: Cell;
  #engine: Engine;
  #spec: WorkerSpec;
  #thread: Thread | undefined = undefined;
  #closing: Promise<void> | undefined = undefined;
  #closed: (() => void) | undefined = undefined;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  // Its Worker is gone for good.
  #ended = false;

  /**
   * Starts the Worker of the actor of `cell`, and tells it what to run.
   *
   * @throws {TypeError} If the arguments in `spec` cannot be copied.
   */
  constructor(cell: Cell, spec: WorkerSpec) {
    this.name = cell.name;
    this.#cell = cell;
    this.#engine = cell.engine;
    this.#spec = spec;
    try {
      this.#start();
    } catch (error) {
      // The Worker itself could not be made: nothing to say about the
      // arguments.
      if (this.#thread === undefined) throw error;
      this.#thread.terminate();
      throw new TypeError(
        `Cannot spawn Worker actor ${
          JSON.stringify(this.name)
        }: its arguments cannot be copied to a Worker (structured clone refused them: ${
          error instanceof Error ? error.message : String(error)
        }); pass only what structured clone can copy`,
        { cause: error },
      );
    }
  }

  // Starts a Worker for the actor, and tells it what to run; throws if the
  // arguments cannot be copied.
  #start(): void {
    const thread = new Thread(WORKER_URL, {
      name: `actor ${this.name}`,
      events: {
        message: (data) => this.#onMessage(data),
        failed: (reason) => this.#died(`failed (${reason})`, false),
        exited: (code) => this.#died(`exited (exit code ${code})`, true),
      },
    });
    this.#thread = thread;
    this.link = new Link(thread, this);
    const spec = this.#spec;
    const policy = spec.policy;
    thread.postMessage(
      {
        type: "spawn",
        name: this.name,
        module: spec.module,
        export: spec.export,
        args: spec.args,
        restart: policy === undefined ? "never" : "always",
        maxRestarts: policy?.maxRestarts ?? 0,
        restartWindow: policy?.window ?? 0,
      } satisfies SpawnControl,
    );
  }

  /** Posts a message, or a question, to the actor. */
  post(message: unknown, ask: AskSlot | undefined): void {
    if (ask === undefined) this.link.send(this.name, message);
    else if (!(ask instanceof RemoteReply)) {
      this.link.ask(this.name, message, ask);
    } else {
      // A question from another Worker, passed on to this one.
      const future = askFuture(this.name, message, undefined);
      relay(future, { slot: ask, name: this.name });
      this.link.ask(this.name, message, future);
    }
  }

  /** What the actor in the Worker sends to names of this system. */
  onSend(name: string, message: unknown): void {
    if (this.#engine.postByName(name, message, undefined)) return;
    if (this.#engine.forward(name, message, undefined)) return;
    this.#engine.deadLetter(name, message);
    this.#report(
      new ActorError(
        `Cannot deliver ${describe(message)} from actor ${
          JSON.stringify(this.name)
        } (in a Worker) to ${
          JSON.stringify(name)
        }: no actor of its Worker or of this system has that name; the message is in deadLetters`,
        name,
      ),
      message,
    );
  }

  /** A question the actor in the Worker asks an actor of this system. */
  onAsk(name: string, message: unknown, id: number): void {
    const slot = new RemoteReply(this.link, id);
    if (this.#engine.postByName(name, message, slot)) return;
    if (this.#engine.forward(name, message, slot)) return;
    // As for a send; the asker hears of it through its question.
    this.#engine.deadLetter(name, message);
    failAsk(
      slot,
      noReply(name, message, {
        reason:
          "no actor of this Worker or of the main system has that name; check the name; the message is in deadLetters",
      }),
    );
  }

  /** A message the Worker could not deliver. */
  onDead(name: string, message: unknown): void {
    this.#engine.deadLetter(name, message);
  }

  /** A message that could not be copied to the Worker. */
  onUnsendable(
    name: string,
    message: unknown,
    error: unknown,
    asked: boolean,
  ): void {
    this.#engine.deadLetter(name, message);
    // The asker of a question already has the error.
    if (!asked) this.#report(error, message);
  }

  /**
   * Asks the Worker to close: the actor's `finally` blocks run there, what
   * it sends meanwhile still arrives, then the Worker is terminated.
   */
  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#engine.setStopped(this.#cell);
    if (this.#ended) return this.#closing = Promise.resolve();
    this.#closing = new Promise<void>((resolve) => this.#closed = resolve);
    this.link.control({ type: "close" });
    this.#timer = setTimeout(() => {
      this.#report(
        new ActorError(
          `Cannot stop actor ${
            JSON.stringify(this.name)
          } cleanly: it did not stop within ${this.#engine.stopTimeout} ms (is its handler stuck in a loop?); its Worker was terminated without running its finally blocks`,
          this.name,
        ),
        undefined,
      );
      this.#terminate();
    }, this.#engine.stopTimeout);
    return this.#closing;
  }

  #onMessage(data: unknown): void {
    if (Array.isArray(data)) {
      this.link.receive(data);
      return;
    }
    const control = data as WorkerControl;
    switch (control.type) {
      case "error":
        this.#engine.report(
          deserializeError(control.error as SerializedError),
          {
            name: control.name,
            message: control.message,
            restarting: control.restarting,
          },
        );
        break;
      case "stopped":
        void this.close();
        break;
      case "closed":
        this.#terminate();
        break;
    }
  }

  #report(error: unknown, message: unknown): void {
    this.#engine.report(error, { name: this.name, message, restarting: false });
  }

  // The Worker ended by itself (`exited`), or failed: whatever it was
  // running, it is not to be trusted, and what was on its way to it is lost.
  #died(what: string, exited: boolean): void {
    this.#thread!.terminate();
    const name = JSON.stringify(this.name);
    if (this.#closing !== undefined) {
      // It was being stopped: that is done.
      this.#terminate();
      return;
    }
    this.link.close(
      new ActorError(
        `Cannot get a reply from actor ${name}: its Worker ${what} before it replied`,
        this.name,
      ),
    );
    const policy = this.#spec.policy;
    let restarting = this.#cell.state === ALIVE && policy !== undefined &&
      takeRestart(policy);
    if (restarting) {
      try {
        this.#start();
      } catch {
        // Its arguments, copied once, no longer can be (changed since).
        this.#thread!.terminate();
        restarting = false;
      }
    }
    const lost =
      `its Worker ${what} without being stopped, so what was on its way to it is lost`;
    const error = new ActorError(
      restarting
        ? `Actor ${name} restarted in a new Worker, as its restart policy says: ${lost}`
        : `Actor ${name} stopped: ${lost}${
          exited
            ? "; stop a Worker actor with stop(), not with Deno.exit() or close() in its Worker"
            : ""
        }`,
      this.name,
    );
    if (!restarting) {
      this.#engine.setStopped(this.#cell);
      this.#closing = Promise.resolve();
      this.#terminate();
    }
    this.#engine.report(error, {
      name: this.name,
      message: undefined,
      restarting,
    });
  }

  #terminate(): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#timer);
    this.#thread!.terminate();
    this.link.close(
      new ActorError(
        `Cannot get a reply from actor ${
          JSON.stringify(this.name)
        }: it stopped before it replied (its Worker was closed)`,
        this.name,
      ),
    );
    this.#engine.hostClosed(this);
    this.#closed?.();
  }
}
