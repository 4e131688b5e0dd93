// Copyright 2026 the @frontier/generators authors. MIT license.
// Questions and their answers: where the answer to a question goes (its
// future, or back over the link it came by), the future that `ask` returns,
// and `reply`, which answers the question being handled.

import { Future, InvalidStateError, TimeoutError } from "../future.ts";
import { describe } from "../_core/describe.ts";
import { checkMilliseconds } from "../_core/checks.ts";
import { ActorError } from "./error.ts";
import type { AskOptions } from "../actor.ts";
import type { Cell } from "./cell.ts";

/** Where answers to questions that came from elsewhere are posted back. */
export interface ReplyLink {
  /** Posts the answer to question `id`. */
  reply(id: number, value: unknown): void;
  /** Posts the failure of question `id`. */
  fail(id: number, error: unknown): void;
}

/**
 * The answer slot of a question that came over a link (to a Worker, or from
 * another process): replying to it posts the reply back across.
 */
export class RemoteReply {
  readonly link: ReplyLink;
  readonly id: number;
  constructor(link: ReplyLink, id: number) {
    this.link = link;
    this.id = id;
  }
}

/** Where the answer to a question goes: its future, or back over a link. */
export type AskSlot = AskFuture<unknown> | RemoteReply;

/**
 * The message being handled, shared by every system: delivery is
 * synchronous, so one record (saved and restored around a nested delivery)
 * says which actor runs, which question it may answer, and whether it has.
 * The delivery loop writes it for every message; a record rather than three
 * module variables, because only this module could assign those.
 */
export interface Handling {
  cell: Cell | undefined;
  ask: AskSlot | undefined;
  replied: boolean;
}

/** The message being handled; see {@linkcode Handling}. */
export const handling: Handling = {
  cell: undefined,
  ask: undefined,
  replied: false,
};

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

/**
 * The error of a question to the actor `name` that gets no answer, for the
 * reason `reason`.
 */
export function noReply(
  name: string,
  message: unknown,
  options: { reason: string; cause?: unknown },
): ActorError {
  return new ActorError(
    `Cannot get a reply to ${describe(message)} from actor ${
      JSON.stringify(name)
    }: ${options.reason}`,
    name,
    "cause" in options ? { cause: options.cause } : undefined,
  );
}

/**
 * Passes the outcome of a question relayed to the actor `to.name` back to
 * where it came from, `to.slot`.
 */
export function relay(
  future: Future<unknown>,
  to: { slot: AskSlot; name: string },
): void {
  const { slot, name } = to;
  future.addDoneCallback((done) => {
    if (done.cancelled()) {
      failAsk(
        slot,
        new ActorError(
          `Cannot get a reply from actor ${
            JSON.stringify(name)
          }: the question was cancelled`,
          name,
        ),
      );
    } else {
      const error = done.exception();
      if (error === undefined) answer(slot, done.result());
      else failAsk(slot, error);
    }
  });
}

/**
 * The future of a question: it clears its timeout timer, and tells
 * {@linkcode onDone}, however it is completed. A done callback would do as
 * much, but would count as observing the future, and a failed question that
 * nobody observes must be reported once, wherever the actor lives.
 */
export class AskFuture<T> extends Future<T> {
  /** The timeout timer, if any. */
  timer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** Called once the future is done, without observing it. */
  onDone: (() => void) | undefined = undefined;

  override setResult(value: T): void {
    this.#done();
    super.setResult(value);
  }

  override setException(error: unknown): void {
    this.#done();
    super.setException(error);
  }

  override cancel(message?: string): boolean {
    if (!this.done()) this.#done();
    return super.cancel(message);
  }

  #done(): void {
    clearTimeout(this.timer);
    const onDone = this.onDone;
    this.onDone = undefined;
    onDone?.();
  }
}

/**
 * The future of a question to the actor `name`, which fails with a
 * `TimeoutError` once `options.timeout` has passed without an answer.
 */
export function askFuture(
  name: string,
  message: unknown,
  options: AskOptions | undefined,
): AskFuture<unknown> {
  const future = new AskFuture<unknown>();
  const timeout = options?.timeout;
  if (timeout !== undefined) {
    const ms = checkMilliseconds(timeout, {
      action: "ask",
      name: "option timeout",
    });
    future.timer = setTimeout(() => {
      if (!future.done()) {
        future.setException(
          new TimeoutError(
            `Cannot get a reply to ${describe(message)} from actor ${
              JSON.stringify(name)
            }: none came within ${ms} ms`,
          ),
        );
      }
    }, ms);
  }
  return future;
}

/**
 * Answers the question being handled with `value`; `false` if the message
 * being handled is not a question. See `reply` in `actor.ts`.
 */
export function replyWith(value: unknown): boolean {
  const cell = handling.cell;
  if (cell === undefined) {
    throw new InvalidStateError(
      `Cannot reply ${
        describe(value)
      }: called outside an actor's handler; an actor calls reply() while it handles a message sent with ask()`,
    );
  }
  const slot = handling.ask;
  if (slot === undefined) return false;
  if (handling.replied) {
    throw new InvalidStateError(
      `Cannot reply ${describe(value)}: actor ${
        JSON.stringify(cell.name)
      } already replied to this message, and a question has one answer`,
    );
  }
  handling.replied = true;
  answer(slot, value);
  return true;
}
