// Copyright 2026 the @frontier/generators authors. MIT license.
// The module `parallel_fibs.ts` runs in its workers with `pool.call`.

import { Future } from "@frontier/generators/future";
import type { Operation } from "@frontier/generators/task";

/** The tutorial's `fib`. */
export function fib(n: number): number {
  return n <= 2 ? 1 : fib(n - 1) + fib(n - 2);
}

/**
 * `compute_fibs`, run entirely inside one worker: the generator steps
 * through futures that are already done, with no pool between the steps
 * (the tutorial's `run_inline_thread`).
 */
export function* computeFibs(n: number): Operation<number[]> {
  const result: number[] = [];
  for (let i = 0; i < n; i++) {
    const val = yield* Future.from(fib(i));
    result.push(val);
  }
  return result;
}
