// Copyright 2026 the @frontier/generators authors. MIT license.
// The collecting behind `gather()`: one callback per future fills its slot of
// the results, and the outer future is completed when the last one arrives or
// failed by the first error.

import type { Future } from "../future.ts";
import { FINISHED, internals } from "./internals.ts";

/**
 * Completes `outer` with the results of `futures`, in their order, or fails
 * it with the first error among them. Cancelling `outer` cancels them all.
 */
export function gatherInto<R>(
  outer: Future<R>,
  futures: readonly Future<unknown>[],
): void {
  const results = new Array<unknown>(futures.length);
  let left = futures.length;
  if (left === 0) {
    outer.setResult(results as R);
    return;
  }
  futures.forEach((future, i) => {
    future.addDoneCallback(() => {
      if (outer.done()) return;
      if (internals.state(future) === FINISHED) {
        results[i] = internals.peek(future);
        if (--left === 0) outer.setResult(results as R);
      } else {
        outer.setException(internals.peek(future));
      }
    });
  });
  outer.addDoneCallback(() => {
    if (outer.cancelled()) { for (const future of futures) future.cancel(); }
  });
}
