// Copyright 2026 the @frontier/generators authors. MIT license.
// The parts of a future that other modules of this package need and users must
// not touch: its raw state, settling a task, and registering a task as a waiter
// without allocating a closure per task. `future.ts` fills `internals` in from
// inside the `Future` class, where its private fields are in reach, and
// `task.ts` fills in `wake`.

import type { Future } from "../future.ts";

export const PENDING = 0;
export const RUNNING = 1;
export const FINISHED = 2;
export const FAILED = 3;
export const CANCELLED = 4;

/** The inspect function Deno passes to `[Symbol.for("Deno.customInspect")]`. */
export type InspectFn = (value: unknown, options?: unknown) => string;

export interface Internals {
  /** The state constant (`PENDING` … `CANCELLED`) of `future`. */
  state(future: Future<unknown>): number;
  /** The value slot as it is, without observing anything. */
  peek(future: Future<unknown>): unknown;
  /** The result, or the error (which counts as observing it). */
  take(future: Future<unknown>): unknown;
  /** Moves a pending future to a final state, without the public checks. */
  settle(future: Future<unknown>, state: number, value: unknown): void;
  /** Moves a pending future to the running state. */
  markRunning(future: Future<unknown>): void;
  /** Adds a task (any object) as a callback: `wake(task, future)` runs it. */
  addWaiter(future: Future<unknown>, task: object): void;
  /** Resumes a task waiting on `future`; set by `task.ts`. */
  wake(task: object, future: Future<unknown>): void;
  /**
   * Keeps `value` in the value slot of a future that is not done, where a
   * task keeps what its next queued step sends in.
   */
  stash(future: Future<unknown>, value: unknown): void;
  /**
   * Marks `future` as completed only by its owner (a task by its generator):
   * `setResult`, `setException` and `setRunning` of the `Future` class then
   * refuse it, however they are called. Filled in by `future.ts`; `task.ts`
   * seals every task it makes.
   */
  seal(future: Future<unknown>): void;
  /** Formats a future for `Deno.inspect`, under the given title. */
  format(
    future: Future<unknown>,
    title: string,
    inspect: InspectFn,
    options: unknown,
  ): string;
}

export const internals = {} as Internals;
