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
  /**
   * Gives back `value`, handed to `future` (a waiter, or a `doneGiving`
   * future) but never taken.
   */
  giveBack(future: Future<unknown>, value: unknown): void;
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
    // A promise of its own for each `await`, without the one `Future` keeps
    // (in a WeakMap) for a future awaited many times: a waiter is awaited
    // once, and the WeakMap costs more than the waiting.
    let promise: Promise<T>;
    if (this.done()) promise = settledPromise(this);
    else {
      promise = new Promise<T>((resolve) => {
        super.addDoneCallback(() => resolve(settledPromise(this)));
      });
    }
    return promise.then(onFulfilled, onRejected);
  }

  override addDoneCallback(fn: (future: Future<T>) => void): void {
    this.flags |= SHARED;
    super.addDoneCallback(fn);
  }

  override [Symbol.iterator](): Iterator<Future<T>, T, unknown> {
    if (!this.done()) this.flags |= AWAITED_BY_TASK;
    return new WaiterIterator(this, this.owner);
  }
}

/** Completes `waiter` with `value`, running its callbacks. */
export function handOver<T>(waiter: Waiter<T>, value: T): void {
  internals.settle(waiter as Waiter<unknown>, FINISHED, value);
}

// The outcome of a done future as a promise (reading it counts as seeing it).
function settledPromise<T>(future: Future<T>): Promise<T> {
  const self = future as Future<unknown>;
  const value = internals.take(self);
  return (internals.state(self) === FINISHED
    ? Promise.resolve(value)
    : Promise.reject(value)) as Promise<T>;
}

function thenOfDone<T, R1 = T, R2 = never>(
  this: Future<T>,
  onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
  onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
): Promise<R1 | R2> {
  return settledPromise(this).then(onFulfilled, onRejected);
}

// A result that is there at once is a plain `Future` carrying the give-back
// iterator (and a cheaper `then`, as a waiter has) as own properties: constructing a subclass of `Future` costs
// several times what a `Future` does, and most acquires and gets do not wait.

/**
 * Makes futures done at once with a value, for `owner`: a task whose
 * `yield*` on one is cut short by a cancel (at the end of a time slice, when
 * the event loop runs) gives the value back to `owner`.
 */
export function doneGiving(
  owner: GiveBack,
): <T>(value: T) => Future<T> {
  function iterator<T>(this: Future<T>): Iterator<Future<T>, T, unknown> {
    return new WaiterIterator(this, owner);
  }
  return <T>(value: T) => {
    const future = new Future<T>();
    internals.settle(future as Future<unknown>, FINISHED, value);
    future[Symbol.iterator] = iterator;
    future.then = thenOfDone;
    return future;
  };
}

/**
 * A future done with `value`, to share: `yield*` on it allocates nothing
 * (nothing is handed over, so there is nothing to give back).
 */
export function doneShared<T>(value: T): Future<T> {
  const future = new Future<T>();
  internals.settle(future as Future<unknown>, FINISHED, value);
  const finished: IteratorResult<Future<T>, T> = Object.freeze({
    done: true,
    value,
  });
  const paused: IteratorResult<Future<T>, T> = Object.freeze({
    done: false,
    value: future,
  });
  const iterator: Iterator<Future<T>, T, unknown> = {
    // At the end of a time slice the task gets control back, as with
    // `FutureIterator`; the next call finds a new slice.
    next: () => tick() ? paused : finished,
    throw: (error: unknown) => {
      throw error;
    },
    return: (last?: T) => ({ done: true, value: last as T }),
  };
  future[Symbol.iterator] = () => iterator;
  return future;
}

// The iterator behind `yield*` on a waiter or a `doneGiving` future:
// `FutureIterator` (see `_core/future_iterator.ts`) plus the give-back when
// the task is resumed with an error instead of the value.
class WaiterIterator<T> implements Iterator<Future<T>, T, unknown> {
  done = false;
  value: Future<T> | T;
  #owner: GiveBack | undefined;

  constructor(future: Future<T>, owner: GiveBack | undefined) {
    this.value = future;
    this.#owner = owner;
  }

  next(): IteratorResult<Future<T>, T> {
    const future = this.value as Future<T>;
    if (future.done() && !tick()) {
      this.value = future.result();
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
    const future = this.value as Future<unknown>;
    this.done = true;
    const owner = this.#owner;
    if (
      owner !== undefined && internals.state(future) === FINISHED &&
      !(future instanceof Waiter && future.flags & SHARED)
    ) {
      owner.giveBack(future as Waiter<unknown>, internals.peek(future));
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

  /** Whether nobody waits, not even a cancelled waiter not swept yet. */
  isEmpty(): boolean {
    return this.#waiters.size === 0;
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
