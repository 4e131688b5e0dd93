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

import { Future } from "../future.ts";
import { ActorError } from "./error.ts";
import { describe } from "../_core/describe.ts";
import { runJob } from "../_core/scheduler.ts";
import {
  deserializeError,
  type SerializedError,
  serializeError,
} from "../_core/error_clone.ts";

export { deserializeError, serializeError };
import type { ActorSystem } from "../actor.ts";

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

/** Where a link posts: a `Worker`, or a worker's global scope. */
export interface Port {
  postMessage(message: unknown): void;
}

/**
 * The answer slot of a question that came over a link: replying to it posts
 * the reply back across.
 */
export class RemoteReply {
  readonly link: Link;
  readonly id: number;
  constructor(link: Link, id: number) {
    this.link = link;
    this.id = id;
  }
}

function receiveJob(arg: [Link, unknown[]]): void {
  arg[0].receiveNow(arg[1]);
}

/** One side of the wire to a worker. */
export class Link {
  #port: Port;
  #handler: LinkHandler;
  #ops: unknown[] = [];
  #target: string | undefined = undefined;
  #scheduled = false;
  #closed = false;
  #pending = new Map<number, Future<unknown>>();
  #nextId = 1;
  #flushNow = () => {
    this.#scheduled = false;
    this.flush();
  };

  constructor(port: Port, handler: LinkHandler) {
    this.#port = port;
    this.#handler = handler;
  }

  /** Writes a message for `name`. */
  send(name: string, message: unknown): void {
    if (this.#target !== name) this.#retarget(name);
    this.#ops.push(SEND, message);
    this.#written();
  }

  /** Writes a question for `name`; `future` gets the answer. */
  ask(name: string, message: unknown, future: Future<unknown>): void {
    const id = this.#nextId++;
    this.#pending.set(id, future);
    // A future that times out or is cancelled no longer waits for its answer.
    future.addDoneCallback(() => this.#pending.delete(id));
    if (this.#target !== name) this.#retarget(name);
    this.#ops.push(ASK, message, id);
    this.#written();
  }

  /** Writes the answer to question `id`. */
  reply(id: number, value: unknown): void {
    this.#ops.push(REPLY, id, value);
    this.#written();
  }

  /** Writes the failure of question `id`. */
  fail(id: number, error: unknown): void {
    this.#ops.push(FAIL, id, serializeError(error));
    this.#written();
  }

  /** Writes a dead letter for `name`, to be kept on the other side. */
  dead(name: string, message: unknown): void {
    if (this.#target !== name) this.#retarget(name);
    this.#ops.push(DEAD, message);
    this.#written();
  }

  /** Posts a control message after the operations written so far. */
  control(message: unknown): void {
    this.flush();
    if (!this.#closed) this.#port.postMessage(message);
  }

  /** Posts the operations written so far as one batch. */
  flush(): void {
    const ops = this.#ops;
    if (ops.length === 0 || this.#closed) return;
    this.#ops = [];
    this.#target = undefined;
    try {
      this.#port.postMessage(ops);
    } catch (error) {
      this.#salvage(ops, error);
    }
  }

  /**
   * Stops the link: nothing more is posted, and every question still waiting
   * for an answer fails with `error`.
   */
  close(error: unknown): void {
    this.#closed = true;
    this.#ops = [];
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
  receive(ops: unknown[]): void {
    runJob(receiveJob, [this, ops]);
  }

  /** Handles a batch now (see {@linkcode receive}). */
  receiveNow(ops: unknown[]): void {
    const handler = this.#handler;
    let name = "";
    const length = ops.length;
    let i = 0;
    while (i < length) {
      const op = ops[i];
      if (op === SEND) {
        handler.onSend(name, ops[i + 1]);
        i += 2;
      } else if (op === TO) {
        name = ops[i + 1] as string;
        i += 2;
      } else if (op === ASK) {
        handler.onAsk(name, ops[i + 1], ops[i + 2] as number);
        i += 3;
      } else if (op === REPLY || op === FAIL) {
        const future = this.#pending.get(ops[i + 1] as number);
        if (future !== undefined && !future.done()) {
          if (op === REPLY) future.setResult(ops[i + 2]);
          else {
            future.setException(
              deserializeError(ops[i + 2] as SerializedError),
            );
          }
        }
        i += 3;
      } else if (op === DEAD) {
        handler.onDead(name, ops[i + 1]);
        i += 2;
      } else {
        throw new TypeError(
          `actor link: unknown operation ${describe(op)} at slot ${i}`,
        );
      }
    }
  }

  #retarget(name: string): void {
    this.#target = name;
    this.#ops.push(TO, name);
  }

  #written(): void {
    if (this.#ops.length >= MAX_SLOTS) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#flushNow);
    }
  }

  // The batch held something structured clone refuses (a function, a class
  // instance with private state…). Post its operations one by one, in order,
  // so that only the ones that cannot cross fail, each where it belongs.
  #salvage(ops: unknown[], batchError: unknown): void {
    let name = "";
    let i = 0;
    while (i < ops.length) {
      const op = ops[i];
      if (op === TO) {
        name = ops[i + 1] as string;
        i += 2;
        continue;
      }
      const width = op === SEND || op === DEAD ? 2 : 3;
      const one = op === REPLY || op === FAIL
        ? ops.slice(i, i + width)
        : [TO, name, ...ops.slice(i, i + width)];
      i += width;
      try {
        this.#port.postMessage(one);
      } catch (error) {
        this.#refused(op, name, one, error ?? batchError);
      }
    }
  }

  #refused(op: unknown, name: string, one: unknown[], error: unknown): void {
    const cloneError = new TypeError(
      `a message could not be copied to the other side of a Worker (structured clone refused it): ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error },
    );
    if (op === SEND || op === DEAD) {
      this.#handler.onUnsendable(name, one[3], cloneError, false);
    } else if (op === ASK) {
      const future = this.#pending.get(one[4] as number);
      if (future !== undefined && !future.done()) {
        future.setException(cloneError);
      }
      this.#handler.onUnsendable(name, one[3], cloneError, true);
    } else if (op === REPLY) {
      // The asker still gets an answer: the reason its reply could not come.
      this.fail(one[1] as number, cloneError);
      this.flush();
    }
    // A FAIL carries a serialized error made of clonable parts only.
  }
}

/** Where the answer to a question goes: its future, or back over a link. */
export type AskSlot = Future<unknown> | RemoteReply;

/** Answers a question: finishes its future, or posts the reply back. */
export function answer(slot: AskSlot, value: unknown): void {
  if (slot instanceof Future) {
    if (!slot.done()) slot.setResult(value);
  } else {
    slot.link.reply(slot.id, value);
  }
}

/** Fails a question: fails its future, or posts the failure back. */
export function failAsk(slot: AskSlot, error: unknown): void {
  if (slot instanceof Future) {
    if (!slot.done()) slot.setException(error);
  } else {
    slot.link.fail(slot.id, error);
  }
}

/** Passes the outcome of a relayed question back to where it came from. */
export function relay(
  future: Future<unknown>,
  slot: AskSlot,
  name: string,
): void {
  future.addDoneCallback((f) => {
    if (f.cancelled()) {
      failAsk(
        slot,
        new ActorError(
          `the question to actor ${JSON.stringify(name)} was cancelled`,
          name,
        ),
      );
    } else {
      const error = f.exception();
      if (error === undefined) answer(slot, f.result());
      else failAsk(slot, error);
    }
  });
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

/** What the worker script needs from an actor system, filled in by `actor.ts`. */
export interface ActorInternals {
  /**
   * Makes `system` the system of a worker: names it does not know are sent
   * over `link`, its dead letters and errors go over it, and `onStopped` hears
   * of every actor that stops.
   */
  attachParent(
    system: ActorSystem,
    link: Link,
    onStopped: (name: string) => void,
  ): void;
  /** Posts a message that came over a link; `false` if no actor has `name`. */
  deliver(
    system: ActorSystem,
    name: string,
    message: unknown,
    ask: RemoteReply | undefined,
  ): boolean;
}

/** Filled in by `actor.ts` when it loads. */
export const actorInternals = {} as ActorInternals;
