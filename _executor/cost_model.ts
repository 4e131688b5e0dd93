// Copyright 2026 the @frontier/generators authors. MIT license.
// How long a pool expects each function or export to take, from what its
// tasks cost so far: the pool pipelines tiny tasks to hide the message round
// trip, and hands long ones out one at a time.

import type { Key } from "./function_registry.ts";

/**
 * A worker is handed more tasks while the work it holds is expected to take
 * less than this many milliseconds: tiny tasks are pipelined to hide the
 * message round trip, long ones go one at a time so none waits behind
 * another while a worker is free.
 */
export const BUDGET_MS = 2;
/** The expected cost of a function not measured yet: only an idle worker takes it. */
const UNKNOWN_COST = 1e6;
/** Weight of the newest measurement in a function's moving average cost. */
const COST_WEIGHT = 0.3;

/** The moving average cost, in milliseconds, of each function or export. */
export class CostModel {
  readonly #costs = new Map<Key, number>();

  /** What a task of `key` is expected to cost, in milliseconds. */
  expected(key: Key): number {
    return this.#costs.get(key) ?? UNKNOWN_COST;
  }

  /** Counts what a task of `key` cost, in milliseconds. */
  record(key: Key, cost: number): void {
    const old = this.#costs.get(key);
    this.#costs.set(
      key,
      old === undefined ? cost : old + (cost - old) * COST_WEIGHT,
    );
  }
}
