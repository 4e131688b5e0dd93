// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * asyncio's synchronisation primitives for tasks: {@linkcode Lock},
 * {@linkcode Event}, {@linkcode Condition}, {@linkcode Semaphore},
 * {@linkcode BoundedSemaphore} and {@linkcode Barrier}.
 *
 * Every method that can wait returns a `Future`, so a task writes
 * `yield* lock.acquire()` and `async` code writes `await lock.acquire()`.
 * Waiters are served first come, first served. A waiter cancelled while it
 * waits gives up its place without taking a turn from the others, and a
 * lock or a slot handed to a task that is cancelled before it resumes is
 * passed on, never lost.
 *
 * ```ts
 * import { Lock } from "@frontier/generators/sync";
 * import { sleep } from "@frontier/generators/future";
 * import { startInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * const lock = new Lock();
 * const log: string[] = [];
 * function* worker(name: string) {
 *   using _held = yield* lock.acquire();
 *   log.push(`${name} in`);
 *   yield* sleep(1);
 *   log.push(`${name} out`);
 * }
 * await Promise.all([startInlineFuture(worker("a")), startInlineFuture(worker("b"))]);
 * assert.deepEqual(log, ["a in", "a out", "b in", "b out"]);
 * ```
 *
 * @module
 */

import { CancelledError, type Future, InvalidStateError } from "./future.ts";
import { checkCount } from "./_core/checks.ts";
import { describe } from "./_core/describe.ts";
import { FINISHED, internals } from "./_core/internals.ts";
import {
  doneGiving,
  doneShared,
  handOver,
  Waiter,
  WaiterLine,
} from "./_sync/waiter.ts";
import { Hold, RELEASE_HOLD } from "./_sync/hold.ts";
import { OperationFuture } from "./_sync/operation_future.ts";

type Operation<T> = Generator<Future<unknown>, T, unknown>;

// The future of an acquire that does not wait.
const doneHold = doneGiving(RELEASE_HOLD);

/**
 * A mutual-exclusion lock for tasks, as asyncio's `Lock`: one holder at a
 * time, the others wait in line. It is not owned: any code may release it.
 *
 * @example Holding it for a block, in a task
 * ```ts
 * import { Lock } from "@frontier/generators/sync";
 * import { runInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * const lock = new Lock();
 * await runInlineFuture((function* () {
 *   using _held = yield* lock.acquire();
 *   assert.equal(lock.locked(), true);
 * })());
 * assert.equal(lock.locked(), false);
 * ```
 *
 * @example In async code
 * ```ts
 * import { Lock } from "@frontier/generators/sync";
 * import assert from "node:assert/strict";
 *
 * const lock = new Lock();
 * {
 *   using _held = await lock.acquire();
 *   assert.equal(lock.locked(), true);
 * }
 * assert.equal(lock.locked(), false);
 * ```
 */
export class Lock {
  #locked = false;
  #waiters: WaiterLine<Waiter<Disposable>> | undefined = undefined;

  /**
   * Acquires the lock: at once if it is free and nobody waits, otherwise
   * after the waiters before this one.
   *
   * @example
   * ```ts
   * import { Lock } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * const lock = new Lock();
   * const first = lock.acquire();
   * const second = lock.acquire();
   * assert.equal(second.done(), false);
   * first.result()[Symbol.dispose](); // the lock passes to the second
   * assert.equal(second.done(), true);
   * second.result()[Symbol.dispose]();
   * ```
   *
   * @returns A future of a `Disposable` that releases the lock (once; a
   * second dispose does nothing).
   */
  acquire(): Future<Disposable> {
    if (!this.#locked) {
      this.#locked = true;
      return doneHold<Disposable>(new Hold(this));
    }
    const line = this.#waiters ??= new WaiterLine();
    const waiter = new Waiter<Disposable>(RELEASE_HOLD, line);
    line.push(waiter);
    return waiter;
  }

  /**
   * Releases the lock: the first waiter gets it, or it becomes free. Prefer
   * disposing what `acquire()` gave; do not do both.
   *
   * @example
   * ```ts
   * import { Lock } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * const lock = new Lock();
   * await lock.acquire();
   * lock.release();
   * assert.throws(() => lock.release(), { name: "InvalidStateError" });
   * ```
   *
   * @throws {InvalidStateError} If the lock is not locked.
   */
  release(): void {
    if (!this.#locked) {
      throw new InvalidStateError(
        "Cannot release the Lock: it is not locked; release it once per acquire(), or dispose what acquire() gave",
      );
    }
    const waiter = this.#waiters?.next();
    if (waiter === undefined) this.#locked = false;
    else handOver(waiter, new Hold(this));
  }

  /**
   * Whether the lock is held.
   *
   * @example
   * ```ts
   * import { Lock } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Lock().locked(), false);
   * ```
   */
  locked(): boolean {
    return this.#locked;
  }
}

const SET = doneShared<true>(true);

/**
 * A flag that tasks wait for, as asyncio's `Event`: `set()` wakes every
 * waiter, and waits that start while it is set finish at once.
 *
 * @example
 * ```ts
 * import { Event } from "@frontier/generators/sync";
 * import { startInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * const ready = new Event();
 * const waiter = startInlineFuture((function* () {
 *   yield* ready.wait();
 *   return "go";
 * })());
 * assert.equal(waiter.done(), false);
 * ready.set();
 * assert.equal(await waiter, "go");
 * ```
 */
export class Event {
  #set = false;
  #waiters: WaiterLine<Waiter<true>> | undefined = undefined;

  /**
   * Whether the flag is set.
   *
   * @example
   * ```ts
   * import { Event } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * const event = new Event();
   * event.set();
   * assert.equal(event.isSet(), true);
   * ```
   */
  isSet(): boolean {
    return this.#set;
  }

  /**
   * Sets the flag and wakes every waiter.
   *
   * @example
   * ```ts
   * import { Event } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * const event = new Event();
   * const waiting = event.wait();
   * event.set();
   * assert.equal(await waiting, true);
   * ```
   */
  set(): void {
    if (this.#set) return;
    this.#set = true;
    const waiters = this.#waiters?.takeAll() ?? [];
    for (const waiter of waiters) handOver(waiter, true);
  }

  /**
   * Clears the flag: later waits wait for the next `set()`.
   *
   * @example
   * ```ts
   * import { Event } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * const event = new Event();
   * event.set();
   * event.clear();
   * assert.equal(event.wait().done(), false);
   * ```
   */
  clear(): void {
    this.#set = false;
  }

  /**
   * Waits until the flag is set: done at once if it is.
   *
   * @example
   * ```ts
   * import { Event } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * const event = new Event();
   * event.set();
   * assert.equal(event.wait().done(), true);
   * ```
   *
   * @returns A future of `true`.
   */
  wait(): Future<true> {
    if (this.#set) return SET;
    const line = this.#waiters ??= new WaiterLine();
    const waiter = new Waiter<true>(undefined, line);
    line.push(waiter);
    return waiter;
  }
}

// Wakes up to `count` waiters of a condition, without the lock check: for
// `Barrier`, whose reset() and abort() need not wait for the lock.
let notifyWaiters: (condition: Condition, count: number) => void;

/**
 * A condition variable for tasks, as asyncio's `Condition`: tasks holding
 * its lock wait until another task notifies them.
 *
 * `wait()` and `waitFor()` run their steps inside the task that `yield*`s
 * them (release the lock, wait, take the lock again); awaited from `async`
 * code they run as a task of their own.
 *
 * @example A task waits for an item another task adds
 * ```ts
 * import { Condition } from "@frontier/generators/sync";
 * import { startInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * const condition = new Condition();
 * const items: string[] = [];
 * const consumer = startInlineFuture((function* () {
 *   using _held = yield* condition.acquire();
 *   yield* condition.waitFor(() => items.length > 0);
 *   return items.shift();
 * })());
 * startInlineFuture((function* () {
 *   using _held = yield* condition.acquire();
 *   items.push("bread");
 *   condition.notify();
 * })());
 * assert.equal(await consumer, "bread");
 * ```
 */
export class Condition {
  #lock: Lock;
  #waiters = new WaiterLine<Waiter<true>>();

  static {
    notifyWaiters = (condition, count) => condition.#notify(count);
  }

  /**
   * Makes a condition on `lock`, or on a new lock of its own.
   *
   * @param lock The lock to share with other conditions or code.
   * @throws {TypeError} If `lock` is given and is not a {@linkcode Lock}.
   */
  constructor(lock?: Lock) {
    if (lock !== undefined && !(lock instanceof Lock)) {
      throw new TypeError(
        `Cannot create a Condition: expected a Lock, got ${
          describe(lock)
        }; pass a Lock, or nothing for a lock of its own`,
      );
    }
    this.#lock = lock ?? new Lock();
  }

  /**
   * Acquires the underlying lock (see {@linkcode Lock.acquire}).
   *
   * @example
   * ```ts
   * import { Condition } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * const condition = new Condition();
   * using _held = await condition.acquire();
   * assert.equal(condition.locked(), true);
   * ```
   *
   * @returns A future of a `Disposable` that releases the lock.
   */
  acquire(): Future<Disposable> {
    return this.#lock.acquire();
  }

  /**
   * Releases the underlying lock (see {@linkcode Lock.release}).
   *
   * @example
   * ```ts
   * import { Condition } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * const condition = new Condition();
   * await condition.acquire();
   * condition.release();
   * assert.equal(condition.locked(), false);
   * ```
   *
   * @throws {InvalidStateError} If the lock is not locked.
   */
  release(): void {
    this.#lock.release();
  }

  /**
   * Whether the underlying lock is held.
   *
   * @example
   * ```ts
   * import { Condition } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Condition().locked(), false);
   * ```
   */
  locked(): boolean {
    return this.#lock.locked();
  }

  /**
   * Releases the lock, waits until notified, then takes the lock again,
   * even when cancelled (the `CancelledError` is thrown once the lock is
   * held again). A notified waiter that fails or is cancelled passes its
   * notification on. Like asyncio's, it may return without a matching
   * notify: check the state again, or use {@linkcode waitFor}.
   *
   * @example
   * ```ts
   * import { Condition } from "@frontier/generators/sync";
   * import { startInlineFuture } from "@frontier/generators/task";
   * import assert from "node:assert/strict";
   *
   * const condition = new Condition();
   * const waiter = startInlineFuture((function* () {
   *   using _held = yield* condition.acquire();
   *   yield* condition.wait();
   *   return condition.locked();
   * })());
   * const held = await condition.acquire();
   * condition.notify();
   * held[Symbol.dispose](); // the waiter takes the lock and goes on
   * assert.equal(await waiter, true);
   * ```
   *
   * @returns A future of `true`.
   * @throws {InvalidStateError} If the lock is not held.
   */
  wait(): Future<true> {
    this.#checkLocked("wait on");
    return new OperationFuture(this.#wait(), "Condition.wait");
  }

  /**
   * Waits until `predicate()` is truthy: checks it, and calls
   * {@linkcode wait} until it is.
   *
   * @example
   * ```ts
   * import { Condition } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * const condition = new Condition();
   * using _held = await condition.acquire();
   * assert.equal(await condition.waitFor(() => 42), 42);
   * ```
   *
   * @param predicate Called with the lock held.
   * @returns A future of the predicate's last (truthy) result. It fails
   * with {@linkcode InvalidStateError} if it must wait without the lock held
   * (as asyncio's, a predicate already true needs no lock).
   * @throws {TypeError} If `predicate` is not a function.
   */
  waitFor<T>(predicate: () => T): Future<T> {
    if (typeof predicate !== "function") {
      throw new TypeError(
        `Cannot wait on the Condition: expected a predicate function, got ${
          describe(predicate)
        }`,
      );
    }
    return new OperationFuture(
      this.#waitFor(predicate),
      "Condition.waitFor",
    );
  }

  /**
   * Wakes up to `count` waiters, first come first. They take the lock when
   * the caller releases it.
   *
   * @example
   * ```ts
   * import { Condition } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * const condition = new Condition();
   * assert.throws(() => condition.notify(), { name: "InvalidStateError" });
   * ```
   *
   * @param count How many to wake.
   * @throws {InvalidStateError} If the lock is not held.
   * @throws {RangeError} If `count` is not a whole number >= 0.
   */
  notify(count = 1): void {
    this.#checkLocked("notify");
    this.#notify(checkCount(count, {
      action: "notify",
      name: "count",
      infinite: true,
    }));
  }

  /**
   * Wakes every waiter.
   *
   * @example
   * ```ts
   * import { Condition } from "@frontier/generators/sync";
   *
   * const condition = new Condition();
   * using _held = await condition.acquire();
   * condition.notifyAll(); // nobody waits: nothing happens
   * ```
   *
   * @throws {InvalidStateError} If the lock is not held.
   */
  notifyAll(): void {
    this.#checkLocked("notify");
    this.#notify(Infinity);
  }

  #checkLocked(action: string): void {
    if (!this.#lock.locked()) {
      throw new InvalidStateError(
        `Cannot ${action} the Condition: its lock is not held; acquire it first, as in \`using _held = yield* condition.acquire()\``,
      );
    }
  }

  #notify(count: number): void {
    const woken: Waiter<true>[] = [];
    while (woken.length < count) {
      const waiter = this.#waiters.next();
      if (waiter === undefined) break;
      woken.push(waiter);
    }
    for (const waiter of woken) handOver(waiter, true);
  }

  *#wait(): Operation<true> {
    const lock = this.#lock;
    const waiter = new Waiter<true>(undefined, this.#waiters);
    this.#waiters.push(waiter);
    lock.release();
    let failed = false;
    let error: unknown;
    try {
      yield* waiter;
    } catch (thrown) {
      failed = true;
      error = thrown;
    }
    // The lock is taken again whatever happened; a cancel that comes
    // meanwhile is thrown once it is held. The new hold is dropped: the
    // caller's own hold releases the lock.
    for (;;) {
      try {
        yield* lock.acquire();
        break;
      } catch (thrown) {
        failed = true;
        error = thrown;
        if (!(thrown instanceof CancelledError)) break;
      }
    }
    if (!failed) return true;
    // A notification this waiter will not act on goes to the next one.
    if (internals.state(waiter as Waiter<unknown>) === FINISHED) {
      this.#notify(1);
    }
    throw error;
  }

  *#waitFor<T>(predicate: () => T): Operation<T> {
    let result = predicate();
    while (!result) {
      yield* this.wait();
      result = predicate();
    }
    return result;
  }
}

// The free slots of a semaphore, for BoundedSemaphore's check.
let freeSlots: (semaphore: Semaphore) => number;

/**
 * A counter of free slots for tasks, as asyncio's `Semaphore`: `acquire()`
 * takes a slot, waiting while there is none; `release()` gives one back.
 *
 * @example At most two at a time
 * ```ts
 * import { Semaphore } from "@frontier/generators/sync";
 * import { sleep } from "@frontier/generators/future";
 * import { startInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * const slots = new Semaphore(2);
 * let running = 0;
 * let most = 0;
 * function* job() {
 *   using _slot = yield* slots.acquire();
 *   most = Math.max(most, ++running);
 *   yield* sleep(1);
 *   running--;
 * }
 * await Promise.all([1, 2, 3, 4].map(() => startInlineFuture(job())));
 * assert.equal(most, 2);
 * ```
 */
export class Semaphore {
  #value: number;
  #waiters: WaiterLine<Waiter<Disposable>> | undefined = undefined;

  static {
    freeSlots = (semaphore) => semaphore.#value;
  }

  /**
   * Makes a semaphore with `value` free slots.
   *
   * @param value How many may hold it at once.
   * @throws {RangeError} If `value` is not a whole number >= 0.
   */
  constructor(value = 1) {
    this.#value = checkCount(value, {
      action: `create a ${new.target.name}`,
      name: "value",
    });
  }

  /**
   * Whether `acquire()` would wait.
   *
   * @example
   * ```ts
   * import { Semaphore } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Semaphore(0).locked(), true);
   * ```
   */
  locked(): boolean {
    return this.#value === 0;
  }

  /**
   * Takes a slot: at once if one is free and nobody waits, otherwise after
   * the waiters before this one.
   *
   * @example
   * ```ts
   * import { Semaphore } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * const semaphore = new Semaphore(1);
   * const held = await semaphore.acquire();
   * assert.equal(semaphore.locked(), true);
   * held[Symbol.dispose]();
   * assert.equal(semaphore.locked(), false);
   * ```
   *
   * @returns A future of a `Disposable` that gives the slot back (once).
   */
  acquire(): Future<Disposable> {
    if (this.#value > 0) {
      this.#value--;
      return doneHold<Disposable>(new Hold(this));
    }
    const line = this.#waiters ??= new WaiterLine();
    const waiter = new Waiter<Disposable>(RELEASE_HOLD, line);
    line.push(waiter);
    return waiter;
  }

  /**
   * Gives a slot back: to the first waiter, or to the counter. Prefer
   * disposing what `acquire()` gave; do not do both.
   *
   * @example
   * ```ts
   * import { Semaphore } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * const semaphore = new Semaphore(0);
   * semaphore.release();
   * assert.equal(semaphore.locked(), false);
   * ```
   */
  release(): void {
    const waiter = this.#waiters?.next();
    if (waiter === undefined) this.#value++;
    else handOver(waiter, new Hold(this));
  }
}

/**
 * A {@linkcode Semaphore} that cannot be released above its initial value,
 * as asyncio's `BoundedSemaphore`: a release without an acquire is a bug it
 * reports.
 *
 * @example
 * ```ts
 * import { BoundedSemaphore } from "@frontier/generators/sync";
 * import assert from "node:assert/strict";
 *
 * const semaphore = new BoundedSemaphore(1);
 * assert.throws(() => semaphore.release(), { name: "InvalidStateError" });
 * ```
 */
export class BoundedSemaphore extends Semaphore {
  #bound: number;

  /**
   * Makes a bounded semaphore with `value` free slots, which is also its
   * bound.
   *
   * @param value How many may hold it at once.
   * @throws {RangeError} If `value` is not a whole number >= 0.
   */
  constructor(value = 1) {
    super(value);
    this.#bound = value;
  }

  /**
   * Gives a slot back (see {@linkcode Semaphore.release}).
   *
   * @example
   * ```ts
   * import { BoundedSemaphore } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * const semaphore = new BoundedSemaphore(1);
   * await semaphore.acquire();
   * semaphore.release();
   * assert.equal(semaphore.locked(), false);
   * ```
   *
   * @throws {InvalidStateError} If every slot is already free.
   */
  override release(): void {
    if (freeSlots(this) >= this.#bound) {
      throw new InvalidStateError(
        `Cannot release the BoundedSemaphore: all ${this.#bound} of its slots are free; release it once per acquire()`,
      );
    }
    super.release();
  }
}

/**
 * Thrown by {@linkcode Barrier.wait} when the barrier is broken by
 * `abort()`, or reset while the party waited.
 *
 * @example
 * ```ts
 * import { Barrier, BrokenBarrierError } from "@frontier/generators/sync";
 * import assert from "node:assert/strict";
 *
 * const barrier = new Barrier(2);
 * barrier.abort();
 * await assert.rejects(Promise.resolve(barrier.wait()), BrokenBarrierError);
 * ```
 */
export class BrokenBarrierError extends Error {
  /** Makes a `BrokenBarrierError`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BrokenBarrierError";
  }
}

// The states of a barrier, as asyncio's.
const FILLING = 0; // parties arrive
const DRAINING = 1; // the last arrived: parties leave
const RESETTING = 2; // reset() while parties waited: they leave with errors
const BROKEN = 3; // abort(): every wait fails until reset()

/**
 * A meeting point for a fixed number of tasks, as asyncio's `Barrier`:
 * each `wait()` waits until `parties` tasks wait, then all go on together.
 * A party leaving the barrier runs its next lines before the next party
 * leaves.
 *
 * @example
 * ```ts
 * import { Barrier } from "@frontier/generators/sync";
 * import { startInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * const barrier = new Barrier(3);
 * const log: string[] = [];
 * function* party(name: string) {
 *   log.push(`${name} arrives`);
 *   yield* barrier.wait();
 *   log.push(`${name} leaves`);
 * }
 * await Promise.all(["a", "b", "c"].map((n) => startInlineFuture(party(n))));
 * assert.deepEqual(log.slice(0, 3), ["a arrives", "b arrives", "c arrives"]);
 * assert.equal(log.length, 6);
 * ```
 */
export class Barrier {
  #parties: number;
  #state = FILLING;
  #count = 0;
  #condition = new Condition();

  /**
   * Makes a barrier for `parties` tasks.
   *
   * @param parties How many tasks must wait before they all go on.
   * @throws {RangeError} If `parties` is not a whole number >= 1.
   */
  constructor(parties: number) {
    this.#parties = checkCount(parties, {
      action: "create a Barrier",
      name: "parties",
      min: 1,
    });
  }

  /**
   * Waits until `parties` tasks wait, then goes on with the others.
   *
   * @example
   * ```ts
   * import { Barrier } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * const barrier = new Barrier(2);
   * const indices = await Promise.all([barrier.wait(), barrier.wait()]);
   * assert.deepEqual(indices.sort(), [0, 1]);
   * ```
   *
   * @returns A future of this party's index, from 0 to `parties - 1` in
   * the order they arrived.
   * @throws {BrokenBarrierError} Through the future, if the barrier is
   * broken, or is reset or aborted while this party waits.
   */
  wait(): Future<number> {
    return new OperationFuture(this.#wait(), "Barrier.wait");
  }

  /**
   * Puts the barrier back in its first state. Parties waiting now fail with
   * {@linkcode BrokenBarrierError}.
   *
   * @example
   * ```ts
   * import { Barrier } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * const barrier = new Barrier(2);
   * barrier.abort();
   * barrier.reset();
   * assert.equal(barrier.broken, false);
   * ```
   */
  reset(): void {
    if (this.#count > 0) this.#state = RESETTING;
    else this.#state = FILLING;
    notifyWaiters(this.#condition, Infinity);
  }

  /**
   * Breaks the barrier: waiting parties and later waits fail with
   * {@linkcode BrokenBarrierError}, until `reset()`.
   *
   * @example
   * ```ts
   * import { Barrier } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * const barrier = new Barrier(2);
   * barrier.abort();
   * assert.equal(barrier.broken, true);
   * ```
   */
  abort(): void {
    this.#state = BROKEN;
    notifyWaiters(this.#condition, Infinity);
  }

  /**
   * How many tasks must wait before they all go on.
   *
   * @example
   * ```ts
   * import { Barrier } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Barrier(3).parties, 3);
   * ```
   */
  get parties(): number {
    return this.#parties;
  }

  /**
   * How many tasks wait for the barrier to fill.
   *
   * @example
   * ```ts
   * import { Barrier } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * const barrier = new Barrier(2);
   * const first = barrier.wait();
   * await Promise.resolve(); // let it start
   * assert.equal(barrier.waiting, 1);
   * await Promise.all([first, barrier.wait()]);
   * assert.equal(barrier.waiting, 0);
   * ```
   */
  get waiting(): number {
    return this.#state === FILLING ? this.#count : 0;
  }

  /**
   * Whether the barrier is broken.
   *
   * @example
   * ```ts
   * import { Barrier } from "@frontier/generators/sync";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Barrier(1).broken, false);
   * ```
   */
  get broken(): boolean {
    return this.#state === BROKEN;
  }

  *#wait(): Operation<number> {
    const condition = this.#condition;
    using _held = yield* condition.acquire();
    // Wait while the parties of the last round leave.
    yield* condition.waitFor(() =>
      this.#state !== DRAINING && this.#state !== RESETTING
    );
    if (this.#state === BROKEN) {
      throw new BrokenBarrierError(
        "Cannot pass the Barrier: it is broken; reset() it to use it again",
      );
    }
    const index = this.#count++;
    try {
      if (index + 1 === this.#parties) {
        this.#state = DRAINING;
        condition.notifyAll();
      } else {
        yield* condition.waitFor(() => this.#state !== FILLING);
        if (this.#state === BROKEN || this.#state === RESETTING) {
          throw new BrokenBarrierError(
            "Cannot pass the Barrier: it was reset or aborted while this party waited",
          );
        }
      }
      return index;
    } finally {
      this.#count--;
      if (this.#count === 0) {
        if (this.#state === DRAINING || this.#state === RESETTING) {
          this.#state = FILLING;
        }
        condition.notifyAll();
      }
    }
  }
}
