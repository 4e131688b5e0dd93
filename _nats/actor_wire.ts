// Copyright 2026 the @frontier/generators authors. MIT license.
// Messages between the actors of two processes, on the wire. What one process
// sends to one remote actor within the current synchronous work is written
// into one flat array of operations and published as one NATS message at the
// end of it (or as soon as it is long enough), so a burst of sends costs one
// publish per batch, not per message, and never waits for anything. One
// subject per actor and one connection per process keep the order of one
// sender's messages to one actor.
//
// A batch carries a reply subject of its own: if nobody serves the actor's
// subject, the server answers there at once with "no responders", and its
// messages go to dead letters (its questions fail) instead of vanishing.
// Batches are kept until a PING sent after them comes back: by then any such
// answer has arrived, since the server answers one connection in order.
// Answers to other processes' questions are kept the same way, and those
// that may have been lost with a connection that dropped (or were written
// while it was down) are published again once it is back: the asker may
// still wait, and ignores an answer it already has.

import type { NatsConnection } from "npm:@nats-io/transport-node@3.4.0";
import { describe } from "../_core/describe.ts";
import { decode, encode, encodeError, formatBytes } from "./wire.ts";
import { ActorError } from "../_actor/error.ts";
import type { ReplyLink } from "../_actor/ask.ts";

/** A message: the message follows. */
export const SEND = 1;
/** A question: its id and the message follow. */
export const ASK = 2;
/** An answer: the question's id and the value follow. */
export const REPLY = 3;
/** A failed question: its id and the encoded error follow. */
export const FAIL = 4;

/**
 * The operations of a batch for an actor (messages, and questions if
 * `canAsk`), read to the end before anything is delivered: `undefined` for
 * bytes that are not such a batch, even in part, so that a batch with a
 * fault is a dead letter as a whole and not delivered in part as well.
 */
export function readActorBatch(
  data: Uint8Array,
  canAsk: boolean,
): unknown[] | undefined {
  let operations: unknown;
  try {
    operations = decode(data);
  } catch {
    return undefined;
  }
  if (!Array.isArray(operations)) return undefined;
  const length = operations.length;
  for (let i = 0; i < length;) {
    const code = operations[i];
    if (code === SEND && i + 1 < length) i += 2;
    else if (
      code === ASK && canAsk && i + 2 < length &&
      Number.isSafeInteger(operations[i + 1])
    ) i += 3;
    else return undefined;
  }
  return operations;
}

/**
 * An encoded error, as a plain Uint8Array: inside a batch, a Node Buffer
 * would come back through Buffer's deprecated constructor.
 */
export function errorBytes(error: unknown): Uint8Array {
  const bytes = encodeError(error);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Why a batch was not delivered: nobody serves its subject. */
const NO_RESPONDERS =
  "no process serves it any more (it stopped, or its process died)";
/** Why a batch was not delivered: the connection is down. */
const DOWN = "the connection to NATS is down";
/** Why a batch may not have been delivered. */
const DROPPED =
  "the connection to NATS dropped before it was known to arrive (it may have)";

/** Operations after which a batch is published at once. */
const MAX_OPERATIONS = 3 * 1024;

/** Where batches go: an actor's subject, or a process's answers. */
export interface Target {
  /** The subject. */
  readonly subject: string;
  /** The actor's name ("" for answers). */
  readonly name: string;
  /** Whether to watch for "no responders" (not for answers). */
  readonly watched: boolean;
  /** The process that serves it, as last heard. */
  process: string;
  /** The operations written since the last publish. */
  operations: unknown[];
  /** Whether it is in the outbox's queue. */
  queued: boolean;
}

/** Makes a target. */
export function target(
  subject: string,
  name: string,
  process: string,
): Target {
  return {
    subject,
    name,
    watched: name !== "",
    process,
    operations: [],
    queued: false,
  };
}

/** A batch published and not yet known to have found a subscriber. */
export interface Sent {
  target: Target;
  process: string;
  operations: unknown[];
  /** The batch as published. */
  bytes: Uint8Array;
}

/** What the outbox reports. */
export interface OutboxHandler {
  /**
   * A batch was not delivered, for `reason` (nobody served its subject, or
   * the connection was down).
   */
  undelivered(sent: Sent, reason: string): void;
  /**
   * Operations that cannot be published (too large, or not clonable): a
   * message or a question (answers and failures are handled here).
   */
  unsendable(target: Target, operations: unknown[], error: Error): void;
}

/** The width of the operation at `i`, in slots. */
function width(code: unknown): number {
  return code === SEND ? 2 : 3;
}

/** Splits operations into single operations. */
function single(operations: unknown[]): unknown[][] {
  const out: unknown[][] = [];
  for (let i = 0; i < operations.length;) {
    const w = width(operations[i]);
    out.push(operations.slice(i, i + w));
    i += w;
  }
  return out;
}

/** The batches of one process's connection. */
export class Outbox {
  readonly #nc: NatsConnection;
  readonly #reply: string;
  readonly #handler: OutboxHandler;
  readonly #maxPayload: number;
  #queue: Target[] = [];
  #scheduled = false;
  #seq = 0;
  #sent = new Map<number, Sent>();
  #pinging = false;
  // The links to the processes that asked, by reply subject.
  readonly #replies = new Map<string, ReplyLink>();
  // Answers to publish again once the connection is back.
  #held: Sent[] = [];
  #flushNow = () => {
    this.#scheduled = false;
    this.flush();
  };
  /** Messages published, for stats. */
  published = 0;

  readonly #isUp: () => boolean;

  constructor(
    nc: NatsConnection,
    reply: string,
    handler: OutboxHandler & { isUp(): boolean },
  ) {
    this.#nc = nc;
    this.#isUp = () => handler.isUp();
    this.#reply = reply;
    this.#handler = handler;
    this.#maxPayload = nc.info?.max_payload ?? 1024 * 1024;
  }

  /** Writes one operation of two slots for `to`. */
  write2(to: Target, code: number, a: unknown): void {
    to.operations.push(code, a);
    this.#written(to);
  }

  /** Writes one operation of three slots for `to`. */
  write3(to: Target, code: number, a: unknown, b: unknown): void {
    to.operations.push(code, a, b);
    this.#written(to);
  }

  #written(to: Target): void {
    if (to.operations.length >= MAX_OPERATIONS) this.#publish(to);
    else if (!to.queued) {
      to.queued = true;
      this.#queue.push(to);
    }
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#flushNow);
    }
  }

  /** Publishes everything written so far. */
  flush(): void {
    const queue = this.#queue;
    if (queue.length === 0) return;
    this.#queue = [];
    for (const to of queue) {
      to.queued = false;
      if (to.operations.length > 0) this.#publish(to);
    }
    this.#ping();
  }

  #publish(to: Target): void {
    const operations = to.operations;
    to.operations = [];
    this.#publishSome(to, operations);
  }

  #publishSome(to: Target, operations: unknown[]): void {
    let bytes: Uint8Array;
    try {
      bytes = encode(operations);
    } catch (error) {
      this.#split(to, operations, error as Error);
      return;
    }
    if (bytes.length > this.#maxPayload) {
      this.#split(
        to,
        operations,
        new RangeError(
          `Cannot send ${
            to.watched
              ? `a message of ${formatBytes(bytes.length)} to actor ${
                JSON.stringify(to.name)
              } of another process`
              : `an answer of ${
                formatBytes(bytes.length)
              } to the process that asked`
          }: it is larger than the server's max_payload of ${
            formatBytes(this.#maxPayload)
          }; send smaller values (or raise max_payload on the servers)`,
        ),
      );
      return;
    }
    this.#send({ target: to, process: to.process, operations, bytes });
  }

  #send(sent: Sent): void {
    const to = sent.target;
    if (!this.#isUp()) {
      // The client would drop it: say so now, or keep an answer for later.
      if (to.watched) this.#handler.undelivered(sent, DOWN);
      else this.#held.push(sent);
      return;
    }
    const seq = ++this.#seq;
    this.#sent.set(seq, sent);
    try {
      this.#nc.publish(
        to.subject,
        sent.bytes,
        to.watched ? { reply: `${this.#reply}.${seq}` } : undefined,
      );
    } catch {
      // The connection is closed: nothing of this batch went out.
      this.#sent.delete(seq);
      if (to.watched) this.#handler.undelivered(sent, DOWN);
      return;
    }
    this.published++;
  }

  /** The connection is back: publishes the answers kept meanwhile. */
  resume(): void {
    const held = this.#held;
    if (held.length === 0) return;
    this.#held = [];
    for (const sent of held) this.#send(sent);
    this.#ping();
  }

  // A batch that cannot go as it is: published one operation at a time, so
  // that only those at fault fail.
  #split(to: Target, operations: unknown[], error: Error): void {
    const ones = single(operations);
    if (error instanceof RangeError && ones.length > 1) {
      // Too large: in two halves, each as large as it may be.
      const half = Math.ceil(ones.length / 2);
      this.#publishSome(to, ones.slice(0, half).flat());
      this.#publishSome(to, ones.slice(half).flat());
      return;
    }
    if (ones.length > 1) {
      for (const one of ones) this.#publishSome(to, one);
      return;
    }
    const reason = error instanceof DOMException
      ? new TypeError(
        `Cannot send ${describe(operations[operations.length - 1])} to ${
          to.watched
            ? `actor ${JSON.stringify(to.name)} of another process`
            : "the process that asked"
        }: structured clone refused it (${error.message}); send only what structured clone can copy`,
        { cause: error },
      )
      : error;
    if (to.watched) {
      this.#handler.unsendable(to, operations, reason);
      return;
    }
    // The asker still gets an answer: the reason its answer (or failure)
    // could not come. Not the failure as it is, which might not fit again:
    // the asker would wait for ever, its process alive to every probe.
    this.write3(
      to,
      FAIL,
      operations[1],
      errorBytes(
        operations[0] === REPLY ? reason : new ActorError(
          `Cannot send the failure of a question back to the process that asked: ${reason.message}`,
          "",
        ),
      ),
    );
  }

  // Once the server has answered a PING sent after the batches published so
  // far, any "no responders" for them has arrived: they can be let go of.
  #ping(): void {
    if (this.#pinging || this.#sent.size === 0) return;
    this.#pinging = true;
    const upTo = this.#seq;
    this.#nc.flush().then(
      () => {
        for (const seq of this.#sent.keys()) {
          if (seq > upTo) break;
          this.#sent.delete(seq);
        }
        this.#pinging = false;
        this.#ping();
      },
      () => {
        // The connection dropped before the PING came back: what was sent
        // before it may or may not have arrived, and is reported as lost;
        // answers wait to be published again. So is what was sent after
        // it: it went out on the same connection (or into the buffer the
        // client empties as it reconnects), and a PING on the next one
        // would vouch for it.
        for (const [seq, sent] of this.#sent) {
          this.#sent.delete(seq);
          if (sent.target.watched) {
            this.#handler.undelivered(sent, DROPPED);
          } else this.#held.push(sent);
        }
        this.#pinging = false;
        this.#ping();
      },
    );
  }

  /** Where the answers to the questions of one process go. */
  replyLink(subject: string): ReplyLink {
    let link = this.#replies.get(subject);
    if (link === undefined) {
      // One per asking process; forged subjects must not grow it for good.
      if (this.#replies.size >= 4096) this.#replies.clear();
      const to = target(`${subject}.0`, "", "");
      link = {
        reply: (id, value) => this.write3(to, REPLY, id, value),
        fail: (id, error) => this.write3(to, FAIL, id, errorBytes(error)),
      };
      this.#replies.set(subject, link);
    }
    return link;
  }

  /** The server said nobody serves the subject of batch `seq`. */
  noResponders(seq: number): void {
    const sent = this.#sent.get(seq);
    if (sent === undefined || !sent.target.watched) return;
    this.#sent.delete(seq);
    this.#handler.undelivered(sent, NO_RESPONDERS);
  }
}
