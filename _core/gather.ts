// Copyright 2026 the @frontier/generators authors. MIT license.
// The collecting behind `gather()`: one callback per child fills its slot of
// the results, and the outer future is completed when the last one arrives,
// or settled by the first child that fails or is cancelled. The outer future
// has no callback of its own, so a failure nobody looks at is reported once,
// as the outer future's.

import type { Future } from "../future.ts";
import { CANCELLED, FAILED, FINISHED, internals } from "./internals.ts";

/** Makes the `CancelledError` of a cancelled gather. */
export type MakeCancelledError = (message?: string) => Error;

/** The children of one `gather()` and what has come back from them. */
export class Gathering {
  #outer: Future<unknown>;
  #children: readonly Future<unknown>[];
  #results: unknown[];
  #left: number;
  // The error of a `cancel()` that some child accepted: the outer future ends
  // cancelled with it even if every child then finishes with a result.
  #cancelling: Error | undefined = undefined;
  #makeCancelledError: MakeCancelledError;

  /**
   * Completes `outer` with the results of `children`, in their order, once
   * they all finish; fails it with the first error among them, or cancels it
   * with the `CancelledError` of the first one cancelled.
   */
  constructor(
    outer: Future<unknown>,
    children: readonly Future<unknown>[],
    makeCancelledError: MakeCancelledError,
  ) {
    this.#outer = outer;
    this.#children = children;
    this.#results = new Array(children.length);
    this.#left = children.length;
    this.#makeCancelledError = makeCancelledError;
    if (children.length === 0) {
      internals.settle(outer, FINISHED, this.#results);
      return;
    }
    for (let i = 0; i < children.length; i++) {
      children[i].addDoneCallback((child) => this.#childDone(child, i));
    }
  }

  /**
   * Cancels the children not done yet (asyncio's rule): `true` if any of
   * them accepted; `false`, keeping the results, when they had all finished.
   */
  cancel(message: string | undefined): boolean {
    // Set first: a child may finish at once when cancelled (a task that
    // handles its CancelledError and returns).
    this.#cancelling = this.#makeCancelledError(message);
    let accepted = false;
    for (const child of this.#children) {
      if (child.cancel(message)) accepted = true;
    }
    if (!accepted) this.#cancelling = undefined;
    return accepted;
  }

  #childDone(child: Future<unknown>, i: number): void {
    const outer = this.#outer;
    if (outer.done()) return;
    const state = internals.state(child);
    if (state === FINISHED) {
      this.#results[i] = internals.peek(child);
      if (--this.#left > 0) return;
      if (this.#cancelling === undefined) {
        this.#finish(FINISHED, this.#results);
      } else this.#finish(CANCELLED, this.#cancelling);
    } else {
      this.#finish(
        state === CANCELLED ? CANCELLED : FAILED,
        internals.peek(child),
      );
    }
  }

  #finish(state: number, value: unknown): void {
    this.#children = [];
    this.#results = [];
    internals.settle(this.#outer, state, value);
  }
}
