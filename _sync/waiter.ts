// Copyright 2026 the @frontier/generators authors. MIT license.
// The future that a waiting method of `sync.ts` and `queue.ts` returns, and the
// first-come, first-served line of them that each primitive keeps.
//
// A primitive hands what it gives (a lock, a slot, an item) straight to the
// first waiter by completing its future. A task that `yield*`s that future is
// resumed a little later, through the run queue; if the task is cancelled in
// between, JavaScript throws the `CancelledError` at its `yield*` and what was
// handed over would be lost. The iterator behind `yield*` sees that throw, so
// it gives the value back (to the next waiter, or to the primitive). A future
// also read some other way (`then`, a done callback) is left alone: that
// reader has the value.

import { Future } from "../future.ts";
import { FINISHED, internals } from "../_core/internals.ts";
import { tick } from "../_core/scheduler.ts";
import { Deque } from "./deque.ts";

const SHARED = 1; // read by `then` or a done callback too: never given back
const AWAITED_BY_TASK = 2; // a task `yield*`s it while it is pending

/** What a waiter tells of a value handed to it that it never took. */
export interface GiveBack {
  /** Gives back `value`, handed to `waiter` but never taken. */
  giveBack(waiter: Waiter<unknown>, value: unknown): void;
}

/**
 * A waiting method's future. Every primitive uses this one class, told
 * apart by its `owner`: each subclass of `Future` that a program makes
 * costs every future made after it, as the stores of `Future`'s
 * constructor see one more shape.
 */
export class Waiter<T> extends Future<T> {
  /** `SHARED` and `AWAITED_BY_TASK` flags. */
  flags = 0;
  /** Who takes back a value handed over but never taken, if anyone. */
  owner: GiveBack | undefined;
  /** The line it waits in, told when it is cancelled. */
  line: { forget(): void } | undefined;
  /** What a waiting `put()` puts. */
  item: unknown;

  constructor(
    owner?: GiveBack,
    line?: { forget(): void },
    item?: unknown,
  ) {
    super();
    this.owner = owner;
    this.line = line;
    this.item = item;
  }

  /** Whether a task `yield*`s it and nothing else reads it. */
  awaitedByTaskOnly(): boolean {
    return this.flags === AWAITED_BY_TASK;
  }

  override cancel(message?: string): boolean {
    if (!super.cancel(message)) return false;
    this.line?.forget();
    return true;
  }

  override then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.flags |= SHARED;
    return super.then(onFulfilled, onRejected);
  }

  override addDoneCallback(fn: (future: Future<T>) => void): void {
    this.flags |= SHARED;
    super.addDoneCallback(fn);
  }

  override [Symbol.iterator](): Iterator<Future<T>, T, unknown> {
    if (!this.done()) this.flags |= AWAITED_BY_TASK;
    return new WaiterIterator(this);
  }
}

/** Completes `waiter` with `value`, running its callbacks. */
export function handOver<T>(waiter: Waiter<T>, value: T): void {
  internals.settle(waiter as Waiter<unknown>, FINISHED, value);
}

/** A waiter that is done at once with `value`. */
export function doneWaiter<T>(waiter: Waiter<T>, value: T): Waiter<T> {
  internals.settle(waiter as Waiter<unknown>, FINISHED, value);
  return waiter;
}

// The iterator behind `yield* waiter`: `FutureIterator` (see
// `_core/future_iterator.ts`) plus the give-back when the task is resumed
// with an error instead of the value.
class WaiterIterator<T> implements Iterator<Future<T>, T, unknown> {
  done = false;
  value: Future<T> | T;

  constructor(waiter: Waiter<T>) {
    this.value = waiter;
  }

  next(): IteratorResult<Future<T>, T> {
    const waiter = this.value as Waiter<T>;
    if (waiter.done() && !tick()) {
      this.value = waiter.result();
      this.done = true;
    }
    return this as IteratorResult<Future<T>, T>;
  }

  throw(error: unknown): never {
    this.#giveBack();
    throw error;
  }

  return(value?: T): IteratorResult<Future<T>, T> {
    this.#giveBack();
    return { done: true, value: value as T };
  }

  #giveBack(): void {
    if (this.done) return;
    const waiter = this.value as Waiter<T>;
    this.done = true;
    if (
      waiter.owner !== undefined && !(waiter.flags & SHARED) &&
      internals.state(waiter as Waiter<unknown>) === FINISHED
    ) {
      waiter.owner.giveBack(
        waiter as Waiter<unknown>,
        internals.peek(waiter as Waiter<unknown>),
      );
    }
  }
}

/**
 * Waiters in the order they came. A cancelled waiter stays in place until it
 * reaches the front, where it is skipped; once most of the line is cancelled
 * waiters it is swept, so a lock that times out a million waiters does not
 * keep them.
 */
export class WaiterLine<W extends Future<unknown>> {
  #waiters = new Deque<W>();
  #cancelled = 0;

  /** How many wait, cancelled ones not counted. */
  get size(): number {
    return Math.max(0, this.#waiters.size - this.#cancelled);
  }

  /** Adds `waiter` at the back. */
  push(waiter: W): void {
    this.#waiters.push(waiter);
  }

  /** Removes and returns the first waiter still pending. */
  next(): W | undefined {
    for (;;) {
      const waiter = this.#waiters.shift();
      if (waiter === undefined || !waiter.done()) return waiter;
      this.#cancelled--;
    }
  }

  /** Whether a waiter is still pending. */
  hasWaiting(): boolean {
    for (;;) {
      const waiter = this.#waiters.peek();
      if (waiter === undefined) return false;
      if (!waiter.done()) return true;
      this.#waiters.shift();
      this.#cancelled--;
    }
  }

  /** Removes and returns every waiter still pending, in order. */
  takeAll(): W[] {
    const pending = this.#waiters.toArray().filter((waiter) => !waiter.done());
    this.#waiters.clear();
    this.#cancelled = 0;
    return pending;
  }

  /** Counts a waiter cancelled in place; sweeps when most are. */
  forget(): void {
    this.#cancelled++;
    if (this.#cancelled > 16 && this.#cancelled * 2 > this.#waiters.size) {
      this.#waiters.filter((waiter) => !waiter.done());
      this.#cancelled = 0;
    }
  }
}
