// Copyright 2026 the @frontier/generators authors. MIT license.
// The argument check of `wait`, `asCompleted` and `gather`: a list of futures,
// with a hint for the usual mistakes (a lone future or a generator where the
// list goes, a promise where a future goes).

import type { Future } from "../future.ts";
import { describe, isGeneratorLike, isThenable } from "./describe.ts";

/** What {@linkcode checkFutures} needs to know. */
export interface FutureCheck {
  /** What could not be done, e.g. `"wait"`. */
  action: string;
  /**
   * Whether a value is a future: `instanceof Future`, handed in because
   * `Future` is declared in `future.ts`, which imports this file.
   */
  isFuture(value: unknown): value is Future<unknown>;
}

/**
 * Checks that `futures` is an iterable of futures, and copies it into an
 * array.
 *
 * @throws {TypeError} If it is not, naming what it is.
 */
export function checkFutures<T>(
  futures: unknown,
  check: FutureCheck,
): Future<T>[] {
  const { action, isFuture } = check;
  // A future and a generator are iterable themselves, but never a list of
  // futures: reading them as one used to loop until the memory ran out.
  const hint = isFuture(futures)
    ? "; to wait for one future, put it in an array: [future]"
    : isGeneratorLike(futures)
    ? "; to wait for a generator, run it as a task (startInlineFuture in task.ts) and pass [task]"
    : futures === null || typeof futures !== "object" ||
        !(Symbol.iterator in futures)
    ? ""
    : undefined;
  if (hint !== undefined) {
    throw new TypeError(
      `Cannot ${action}: expected an array or other iterable of futures, got ${
        describe(futures)
      }${hint}`,
    );
  }
  const list = [...(futures as Iterable<unknown>)];
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isFuture(item)) {
      throw new TypeError(
        `Cannot ${action}: expected futures, but item ${i} is ${
          describe(item)
        }; ${
          isThenable(item)
            ? "wrap it with Future.from(promise)"
            : "pass futures, or wrap a value with Future.from(value)"
        }`,
      );
    }
  }
  return list as Future<T>[];
}
