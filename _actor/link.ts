// Copyright 2026 the @frontier/generators authors. MIT license.
// The wire between an actor system and a Web Worker, used the same way on
// both sides. Sends, asks and replies are written into one flat array of
// operations and posted as a batch at the end of the current synchronous work
// (or as soon as the batch is full), so crossing the boundary costs one
// `postMessage` per batch, not per message. The target name is written only
// when it changes, so a stream of messages to one actor costs two slots each.
//
// Control messages (spawn, stopped, close, closed, error reports) are posted
// on their own, after flushing the batch in progress: one port keeps order,
// so a control message never overtakes the operations written before it.

import type { AskFuture } from "./ask.ts";
import { describe } from "../_core/describe.ts";
import { runJob } from "../_core/scheduler.ts";
import {
  deserializeError,
  type SerializedError,
  serializeError,
} from "../_core/error_clone.ts";
import {
  type Batch,
  type MessageTarget,
  type Piece,
  postBatch,
} from "../_core/post_batch.ts";

// Operation codes of a batch. Operands follow each code.
const TO = 0; // name: the target of the operations that follow
const SEND = 1; // message
const ASK = 2; // message, id
const REPLY = 3; // id, value
const FAIL = 4; // id, serialized error
const DEAD = 5; // message: a dead letter for the current target's name

/**
 * Slots after which a batch is posted at once rather than at the end of the
 * synchronous work: large enough that a batch amortises `postMessage`, small
 * enough that a long synchronous burst streams instead of buffering it all.
 */
const MAX_SLOTS = 1 << 14;

/** What a link needs from the side it serves. */
export interface LinkHandler {
  /** A message arrived for the actor `name`. */
  onSend(name: string, message: unknown): void;
  /** A question arrived for `name`; answer with `link.reply(id, …)`/`fail`. */
  onAsk(name: string, message: unknown, id: number): void;
  /** The other side could not deliver a message to `name`. */
  onDead(name: string, message: unknown): void;
  /**
   * A message for `name` could not be posted (structured clone refused it).
   * For an ask, its future has already failed with `error`.
   */
  onUnsendable(
    name: string,
    message: unknown,
    error: unknown,
    asked: boolean,
  ): void;
}

function receiveJob(received: [Link, unknown[]]): void {
  received[0].receiveNow(received[1]);
}

/** One side of the wire to a worker. */
export class Link {
  #port: MessageTarget;
  #handler: LinkHandler;
  #operations: unknown[] = [];
  #target: string | undefined = undefined;
  #scheduled = false;
  #closed = false;
  #pending = new Map<number, AskFuture<unknown>>();
  #nextId = 1;
  #flushNow = () => {
    this.#scheduled = false;
    this.flush();
  };

  // What flush() posts, made once: posting a batch allocates nothing more.
  // If structured clone refuses the whole batch (a function, a class instance
  // with private state…), postBatch posts its operations one by one, in
  // order, so that only those that cannot cross fail.
  #batch: Batch<unknown[]>;

  constructor(port: MessageTarget, handler: LinkHandler) {
    this.#port = port;
    this.#handler = handler;
    this.#batch = {
      message: undefined,
      // The operations are read here, when the batch was refused: a flush
      // nested in #refused() does not change the ones being salvaged.
      pieces: () => pieces(this.#batch.message as unknown[]),
      refused: (one, error) => this.#refused(one, error),
    };
  }

  /** Writes a message for `name`. */
  send(name: string, message: unknown): void {
    if (this.#target !== name) this.#retarget(name);
    this.#operations.push(SEND, message);
    this.#written();
  }

  /** Writes a question for `name`; `future` gets the answer. */
  ask(name: string, message: unknown, future: AskFuture<unknown>): void {
    const id = this.#nextId++;
    this.#pending.set(id, future);
    // A future that times out or is cancelled no longer waits for its answer.
    // (Not a done callback: that would count as observing its failure.)
    future.onDone = () => this.#pending.delete(id);
    if (this.#target !== name) this.#retarget(name);
    this.#operations.push(ASK, message, id);
    this.#written();
  }

  /** Writes the answer to question `id`. */
  reply(id: number, value: unknown): void {
    this.#operations.push(REPLY, id, value);
    this.#written();
  }

  /** Writes the failure of question `id`. */
  fail(id: number, error: unknown): void {
    this.#operations.push(FAIL, id, serializeError(error));
    this.#written();
  }

  /** Writes a dead letter for `name`, to be kept on the other side. */
  dead(name: string, message: unknown): void {
    if (this.#target !== name) this.#retarget(name);
    this.#operations.push(DEAD, message);
    this.#written();
  }

  /** Posts a control message after the operations written so far. */
  control(message: unknown): void {
    this.flush();
    if (!this.#closed) this.#port.postMessage(message);
  }

  /** Posts the operations written so far as one batch. */
  flush(): void {
    const operations = this.#operations;
    if (operations.length === 0) return;
    if (this.#closed) {
      // A late reply to a Worker that is gone: there is nowhere to post it.
      this.#operations = [];
      return;
    }
    this.#operations = [];
    this.#target = undefined;
    const batch = this.#batch;
    batch.message = operations;
    postBatch(this.#port, batch);
    batch.message = undefined;
  }

  /**
   * Stops the link: nothing more is posted, and every question still waiting
   * for an answer fails with `error`.
   */
  close(error: unknown): void {
    this.#closed = true;
    this.#operations = [];
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const future of pending) {
      if (!future.done()) future.setException(error);
    }
  }

  /**
   * Handles a batch that arrived. It runs as a job of the run queue, so the
   * tasks that answers wake up are queued behind it rather than nested in it.
   */
  receive(operations: unknown[]): void {
    runJob(receiveJob, [this, operations]);
  }

  /** Handles a batch now (see {@linkcode receive}). */
  receiveNow(operations: unknown[]): void {
    const handler = this.#handler;
    let name = "";
    const length = operations.length;
    let i = 0;
    while (i < length) {
      const code = operations[i];
      if (code === SEND) {
        handler.onSend(name, operations[i + 1]);
        i += 2;
      } else if (code === TO) {
        name = operations[i + 1] as string;
        i += 2;
      } else if (code === ASK) {
        handler.onAsk(name, operations[i + 1], operations[i + 2] as number);
        i += 3;
      } else if (code === REPLY || code === FAIL) {
        const future = this.#pending.get(operations[i + 1] as number);
        if (future !== undefined && !future.done()) {
          if (code === REPLY) future.setResult(operations[i + 2]);
          else {
            future.setException(
              deserializeError(operations[i + 2] as SerializedError),
            );
          }
        }
        i += 3;
      } else if (code === DEAD) {
        handler.onDead(name, operations[i + 1]);
        i += 2;
      } else {
        throw new TypeError(
          `Cannot read a batch from an actor link: unknown operation ${
            describe(code)
          } at slot ${i}`,
        );
      }
    }
  }

  #retarget(name: string): void {
    this.#target = name;
    this.#operations.push(TO, name);
  }

  #written(): void {
    if (this.#operations.length >= MAX_SLOTS) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#flushNow);
    }
  }

  // One operation of a batch (see `pieces`) could not cross on its own: its
  // sender hears why, each where it belongs.
  #refused(one: unknown[], error: unknown): void {
    const cloneError = new TypeError(
      `Cannot copy a message to the other side of a Worker: structured clone refused it (${
        error instanceof Error ? error.message : String(error)
      }); send only what structured clone can copy`,
      { cause: error },
    );
    const named = one[0] === TO;
    const code = named ? one[2] : one[0];
    const name = named ? one[1] as string : "";
    if (code === SEND || code === DEAD) {
      this.#handler.onUnsendable(name, one[3], cloneError, false);
    } else if (code === ASK) {
      const future = this.#pending.get(one[4] as number);
      if (future !== undefined && !future.done()) {
        future.setException(cloneError);
      }
      this.#handler.onUnsendable(name, one[3], cloneError, true);
    } else if (code === REPLY) {
      // The asker still gets an answer: the reason its reply could not come.
      this.fail(one[1] as number, cloneError);
      this.flush();
    }
    // A FAIL carries a serialized error made of clonable parts only.
  }
}

// The operations of a batch, one by one, each as a batch of its own that
// names its target (a reply or a failure needs none).
function* pieces(operations: unknown[]): Generator<Piece<unknown[]>> {
  let name = "";
  let i = 0;
  while (i < operations.length) {
    const code = operations[i];
    if (code === TO) {
      name = operations[i + 1] as string;
      i += 2;
      continue;
    }
    const width = code === SEND || code === DEAD ? 2 : 3;
    const one = code === REPLY || code === FAIL
      ? operations.slice(i, i + width)
      : [TO, name, ...operations.slice(i, i + width)];
    i += width;
    yield [one, one, undefined];
  }
}

/** The control message that starts the actor inside a fresh worker. */
export interface SpawnControl {
  type: "spawn";
  name: string;
  module: string;
  export: string;
  args: unknown[];
  restart: "never" | "always";
  maxRestarts: number;
  restartWindow: number;
}

/** Control messages from a worker to its host. */
export type WorkerControl =
  | {
    type: "error";
    error: unknown;
    name: string;
    message: unknown;
    restarting: boolean;
  }
  | { type: "stopped" }
  | { type: "closed" };
