// Copyright 2026 the @frontier/generators authors. MIT license.
// A deadline on a future, for `waitFor` and `timeout` (asyncio's `wait_for`
// and `timeout`): when it passes, the future is cancelled and waited for, and
// a `CancelledError` it ends with becomes a `TimeoutError`.

import type { Future } from "../future.ts";
import { addDeadline, type Deadline, removeDeadline } from "./deadlines.ts";
import {
  type CancelHandler,
  CANCELLED,
  FAILED,
  settle,
  settleLike,
} from "./joined.ts";
import { internals } from "./internals.ts";

/** What the deadline needs from the public face. */
export interface DeadlineParts {
  /** The future handed out, settled once `target` is done. */
  join: Future<unknown>;
  /** The `TimeoutError` for a target that was cancelled on expiry. */
  timedOut(cause: unknown): Error;
  /** The message of the `CancelledError` sent to the target on expiry. */
  message: string;
}

/**
 * Puts a deadline `ms` milliseconds away on `target`, which is not done:
 * `Infinity` for none, `0` or less for one that has already passed.
 */
export class TargetDeadline implements CancelHandler {
  #target: Future<unknown>;
  #parts: DeadlineParts;
  #deadline: Deadline | undefined = undefined;
  #expired = false;
  #outerCancelled = false;

  constructor(target: Future<unknown>, ms: number, parts: DeadlineParts) {
    this.#target = target;
    this.#parts = parts;
    target.addDoneCallback(() => this.#done());
    if (ms <= 0) this.expire();
    else if (ms !== Infinity && !target.done()) {
      this.#deadline = addDeadline(ms, this);
    }
  }

  /** The deadline has passed: cancel the target, and wait for it. */
  expire(): void {
    this.#deadline = undefined;
    if (this.#target.done() || this.#outerCancelled) return;
    this.#expired = true;
    this.#target.cancel(this.#parts.message);
  }

  /** The future handed out was cancelled: so is the target, and no deadline. */
  onCancel(message: string | undefined): boolean {
    this.#outerCancelled = true;
    this.#disarm();
    this.#target.cancel(message);
    return true;
  }

  #disarm(): void {
    if (this.#deadline === undefined) return;
    removeDeadline(this.#deadline);
    this.#deadline = undefined;
  }

  #done(): void {
    this.#disarm();
    const { join } = this.#parts;
    const target = this.#target;
    if (
      this.#expired && !this.#outerCancelled &&
      internals.state(target) === CANCELLED
    ) {
      settle(join, FAILED, this.#parts.timedOut(internals.take(target)));
    } else settleLike(join, target);
  }
}
