// Copyright 2026 the @frontier/generators authors. MIT license.
// The waiting behind `wait()`: callbacks on the futures that are not done,
// a timer for the time limit, and a clean-up that removes both, whichever way
// the wait ends (condition met, time up, or the result future cancelled).

import type { Future, ReturnWhen, WaitResult } from "../future.ts";
import { FAILED, internals } from "./internals.ts";

/** When {@linkcode completeWait} completes its result. */
export interface WaitCondition {
  /** Which futures being done is enough. */
  returnWhen: ReturnWhen;
  /** Milliseconds after which it completes with what is done by then. */
  timeout: number | undefined;
}

/**
 * Completes `result` with the sets of `futures` done and not done, once
 * `condition` holds or its time limit passes. Cancelling `result` stops the
 * waiting.
 */
export function completeWait<T>(
  result: Future<WaitResult<T>>,
  futures: readonly Future<T>[],
  condition: WaitCondition,
): void {
  const { returnWhen, timeout } = condition;
  const done = new Set<Future<T>>();
  const notDone = new Set<Future<T>>();
  // Whether `future`, just found done, is enough to return (with the others
  // not done yet; none left not done is always enough).
  const enough = (future: Future<T>): boolean =>
    returnWhen === "FIRST_COMPLETED" ||
    (returnWhen === "FIRST_EXCEPTION" &&
      internals.state(future as Future<unknown>) === FAILED);

  // Decide only once the whole list is sorted: before that, an empty
  // `notDone` does not mean that every future is done.
  let met = false;
  for (const future of futures) {
    if (!future.done()) notDone.add(future);
    else {
      done.add(future);
      if (!met && enough(future)) met = true;
    }
  }
  if (met || notDone.size === 0) {
    result.setResult({ done, notDone });
    return;
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  const finish = () => {
    clearTimeout(timer);
    for (const future of notDone) future.removeDoneCallback(onDone);
    if (!result.done()) result.setResult({ done, notDone });
  };
  const onDone = (future: Future<T>) => {
    if (!notDone.delete(future)) return;
    done.add(future);
    if (notDone.size === 0 || enough(future)) finish();
  };
  for (const future of notDone) future.addDoneCallback(onDone);
  if (timeout !== undefined) timer = setTimeout(finish, timeout);
  result.addDoneCallback(() => {
    if (result.cancelled()) finish();
  });
}
