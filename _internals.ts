// Copyright 2026 the @frontier/generators authors. MIT license.
// The parts of a future that other modules of this package need and users must
// not touch: its raw state, settling a task, and registering a task as a waiter
// without allocating a closure per task. `future.ts` fills `internals` in from
// inside the `Future` class, where its private fields are in reach.

import type { Future } from "./future.ts";

export const PENDING = 0;
export const RUNNING = 1;
export const FINISHED = 2;
export const FAILED = 3;
export const CANCELLED = 4;

/** An internal callback: `fn(ctx, future)`, so one function serves every task. */
export type Waiter<C> = (ctx: C, future: Future<unknown>) => void;

/** The inspect function Deno passes to `[Symbol.for("Deno.customInspect")]`. */
export type InspectFn = (value: unknown, options?: unknown) => string;

export interface Internals {
  /** The state constant (`PENDING` … `CANCELLED`) of `future`. */
  state(future: Future<unknown>): number;
  /** The result, or the error (which counts as observing it). */
  take(future: Future<unknown>): unknown;
  /** Moves a pending future to a final state, without the public checks. */
  settle(future: Future<unknown>, state: number, value: unknown): void;
  /** Moves a pending future to the running state. */
  markRunning(future: Future<unknown>): void;
  /** Adds an internal callback. */
  addWaiter<C>(future: Future<unknown>, fn: Waiter<C>, ctx: C): void;
  /** Formats a future for `Deno.inspect`, under the given title. */
  format(
    future: Future<unknown>,
    title: string,
    inspect: InspectFn,
    options: unknown,
  ): string;
}

export const internals = {} as Internals;
