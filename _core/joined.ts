// Copyright 2026 the @frontier/generators authors. MIT license.
// Settling a future from the outcome of another, shared by the futures that
// `taskGroup`, `timeout`, `waitFor`, `shield` and `race` hand out.

import type { Future } from "../future.ts";
import { CANCELLED, FAILED, FINISHED, internals } from "./internals.ts";

/**
 * What a future handed out by the structured-concurrency operations does when
 * the task waiting on it is cancelled: it passes the cancellation on to the
 * work behind it and says whether it accepted (then the waiting task follows
 * its outcome, asyncio's rule).
 */
export interface CancelHandler {
  /** Called by `cancel()` of a future that is not done yet. */
  onCancel(message: string | undefined): boolean;
}

/** Settles `future` (not done yet) with a state constant and a value. */
export function settle(
  future: Future<unknown>,
  state: number,
  value: unknown,
): void {
  internals.settle(future, state, value);
}

/**
 * Settles `future` like `source`, which is done: with its result, its error
 * or its cancellation. Taking the error counts as observing it: `future` is
 * now the one that reports it if nobody looks.
 */
export function settleLike(
  future: Future<unknown>,
  source: Future<unknown>,
): void {
  const state = internals.state(source);
  internals.settle(future, state, internals.take(source));
}

export { CANCELLED, FAILED, FINISHED };
