// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Queues for producer and consumer tasks, as asyncio's: {@linkcode Queue}
 * (first in, first out), {@linkcode LifoQueue} and {@linkcode PriorityQueue},
 * with Python 3.13's `shutdown`.
 *
 * `put` and `get` return a `Future`, so a task writes
 * `yield* queue.put(item)` and `async` code writes `await queue.get()`;
 * `for await (const item of queue)` reads until the queue is shut down and
 * empty.
 *
 * ```ts
 * import { Queue } from "@frontier/generators/queue";
 * import { startInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * const queue = new Queue<number>({ maxSize: 2 });
 * startInlineFuture((function* () {
 *   for (let i = 1; i <= 5; i++) yield* queue.put(i); // waits while full
 *   queue.shutdown();
 * })());
 * const got: number[] = [];
 * for await (const item of queue) got.push(item);
 * assert.deepEqual(got, [1, 2, 3, 4, 5]);
 * ```
 *
 * @module
 */

import type { Future } from "./future.ts";
import { describe } from "./_core/describe.ts";
import { QueueFullError } from "./_core/queue_full_error.ts";
import { QueueEngine } from "./_queue/engine.ts";
import {
  FifoStorage,
  HeapStorage,
  LifoStorage,
  type Storage,
} from "./_queue/storage.ts";

export { QueueFullError };

/**
 * Thrown by `getNowait()` on an empty queue.
 *
 * @example
 * ```ts
 * import { Queue, QueueEmptyError } from "@frontier/generators/queue";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => new Queue().getNowait(), QueueEmptyError);
 * ```
 */
export class QueueEmptyError extends Error {
  /** Makes a `QueueEmptyError`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "QueueEmptyError";
  }
}

/**
 * Thrown by `putNowait()` on a queue that is shut down, and by `getNowait()`
 * on one that is shut down and empty; the futures of `put()` and `get()`
 * fail with it likewise, also those waiting when `shutdown()` is called.
 *
 * @example
 * ```ts
 * import { Queue, QueueShutDownError } from "@frontier/generators/queue";
 * import assert from "node:assert/strict";
 *
 * const queue = new Queue<number>();
 * queue.shutdown();
 * assert.throws(() => queue.putNowait(1), QueueShutDownError);
 * await assert.rejects(Promise.resolve(queue.get()), QueueShutDownError);
 * ```
 */
export class QueueShutDownError extends Error {
  /** Makes a `QueueShutDownError`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "QueueShutDownError";
  }
}

/** Options of {@linkcode Queue} and {@linkcode LifoQueue}. */
export interface QueueOptions {
  /**
   * How many items the queue holds before `put()` waits and `putNowait()`
   * throws. `0` or `Infinity` means no limit; a fraction is allowed (the
   * queue is full once its size reaches it).
   *
   * @default {0}
   */
  maxSize?: number;
}

/** Options of {@linkcode PriorityQueue}. */
export interface PriorityQueueOptions<T> extends QueueOptions {
  /**
   * Orders the items: negative when `a` comes out first, positive when `b`
   * does, as for `Array.prototype.sort`. Items that compare equal come out
   * in the order they were put. Left out, numbers and strings are ordered
   * by `<`, smallest first, and other items are refused.
   *
   * @default {undefined}
   */
  compare?: (a: T, b: T) => number;
}

/**
 * A first-in, first-out queue for producer and consumer tasks, as asyncio's
 * `Queue`. Waiting getters and putters are served first come, first served;
 * an item handed to a task that is cancelled before it resumes goes back to
 * the queue (or the next getter), never lost.
 *
 * Items given to a waiting getter go straight to it, without taking room in
 * the queue. An item given back by a cancelled getter goes to the front
 * even if the queue has filled meanwhile, so the queue may then hold more
 * than `maxSize` for a moment.
 *
 * @typeParam T The type of the items.
 *
 * @example Producer and consumer tasks
 * ```ts
 * import { Queue } from "@frontier/generators/queue";
 * import { runInlineFuture, startInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * const queue = new Queue<string>({ maxSize: 1 });
 * startInlineFuture((function* () {
 *   for (const word of ["a", "b", "c"]) yield* queue.put(word);
 * })());
 * const words = await runInlineFuture((function* () {
 *   const got: string[] = [];
 *   for (let i = 0; i < 3; i++) got.push(yield* queue.get());
 *   return got;
 * })());
 * assert.deepEqual(words, ["a", "b", "c"]);
 * ```
 */
export class Queue<T> implements AsyncIterable<T> {
  #engine: QueueEngine<T>;

  /**
   * Makes an empty queue.
   *
   * @param options The queue's `maxSize`.
   * @throws {RangeError} If `maxSize` is negative or not a number.
   */
  constructor(options: QueueOptions = {}) {
    const kind = new.target.name;
    const maxSize = options.maxSize ?? 0;
    if (typeof maxSize !== "number" || !(maxSize >= 0)) {
      throw new RangeError(
        `Cannot create a ${kind}: option maxSize must be a number >= 0 (0 or Infinity for no limit), got ${
          describe(maxSize)
        }`,
      );
    }
    const { storage, check } = storageFor(this, options, kind);
    this.#engine = new QueueEngine({
      kind,
      maxSize,
      storage,
      check,
      errors: { empty: QueueEmptyError, shutDown: QueueShutDownError },
    });
  }

  /**
   * How many items the queue holds.
   *
   * @example
   * ```ts
   * import { Queue } from "@frontier/generators/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>();
   * queue.putNowait(1);
   * assert.equal(queue.size, 1);
   * ```
   */
  get size(): number {
    return this.#engine.size;
  }

  /**
   * The limit given as option `maxSize` (`0` when none was).
   *
   * @example
   * ```ts
   * import { Queue } from "@frontier/generators/queue";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Queue({ maxSize: 3 }).maxSize, 3);
   * ```
   */
  get maxSize(): number {
    return this.#engine.maxSize;
  }

  /**
   * Whether the queue holds no item.
   *
   * @example
   * ```ts
   * import { Queue } from "@frontier/generators/queue";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Queue().empty(), true);
   * ```
   */
  empty(): boolean {
    return this.#engine.size === 0;
  }

  /**
   * Whether the queue holds `maxSize` items or more (never, without a
   * limit).
   *
   * @example
   * ```ts
   * import { Queue } from "@frontier/generators/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>({ maxSize: 1 });
   * queue.putNowait(1);
   * assert.equal(queue.full(), true);
   * ```
   */
  full(): boolean {
    return this.#engine.full();
  }

  /**
   * Puts `item` into the queue: at once if there is room, otherwise after
   * the putters waiting before this one.
   *
   * @example
   * ```ts
   * import { Queue } from "@frontier/generators/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<string>({ maxSize: 1 });
   * await queue.put("a");
   * const waiting = queue.put("b");
   * assert.equal(waiting.done(), false);
   * assert.equal(queue.getNowait(), "a"); // makes room: "b" goes in
   * assert.equal(waiting.done(), true);
   * ```
   *
   * @param item The item.
   * @returns A future that is done once the item is in the queue; it fails
   * with {@linkcode QueueShutDownError} if the queue is or gets shut down
   * first.
   * @throws {TypeError} From a {@linkcode PriorityQueue} without `compare`,
   * if `item` is not a number or a string.
   */
  put(item: T): Future<void> {
    return this.#engine.put(item);
  }

  /**
   * Puts `item` into the queue if there is room.
   *
   * @example
   * ```ts
   * import { Queue } from "@frontier/generators/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>({ maxSize: 1 });
   * queue.putNowait(1);
   * assert.throws(() => queue.putNowait(2), { name: "QueueFullError" });
   * ```
   *
   * @param item The item.
   * @throws {QueueFullError} If the queue is full.
   * @throws {QueueShutDownError} If the queue is shut down.
   */
  putNowait(item: T): void {
    this.#engine.putNowait(item);
  }

  /**
   * Takes the next item: at once if there is one, otherwise after the
   * getters waiting before this one.
   *
   * @example
   * ```ts
   * import { Queue } from "@frontier/generators/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<string>();
   * const next = queue.get();
   * queue.putNowait("hello"); // goes straight to the waiting getter
   * assert.equal(await next, "hello");
   * ```
   *
   * @returns A future of the item; it fails with
   * {@linkcode QueueShutDownError} if the queue is or gets shut down while
   * empty.
   */
  get(): Future<T> {
    return this.#engine.get();
  }

  /**
   * Takes the next item if there is one.
   *
   * @example
   * ```ts
   * import { Queue } from "@frontier/generators/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>();
   * queue.putNowait(7);
   * assert.equal(queue.getNowait(), 7);
   * assert.throws(() => queue.getNowait(), { name: "QueueEmptyError" });
   * ```
   *
   * @throws {QueueEmptyError} If the queue is empty.
   * @throws {QueueShutDownError} If the queue is shut down and empty.
   */
  getNowait(): T {
    return this.#engine.getNowait();
  }

  /**
   * Says that an item taken from the queue is dealt with, for
   * {@linkcode join}: call it once per item taken.
   *
   * @example
   * ```ts
   * import { Queue } from "@frontier/generators/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>();
   * queue.putNowait(1);
   * queue.getNowait();
   * queue.taskDone();
   * assert.throws(() => queue.taskDone(), { name: "InvalidStateError" });
   * ```
   *
   * @throws {InvalidStateError} If every item put is already done.
   */
  taskDone(): void {
    this.#engine.taskDone();
  }

  /**
   * Waits until every item put has been taken and marked done with
   * {@linkcode taskDone}.
   *
   * @example
   * ```ts
   * import { Queue } from "@frontier/generators/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>();
   * queue.putNowait(1);
   * const joined = queue.join();
   * queue.getNowait();
   * assert.equal(joined.done(), false);
   * queue.taskDone();
   * assert.equal(joined.done(), true);
   * ```
   *
   * @returns A future that is done when no item is left undone.
   */
  join(): Future<void> {
    return this.#engine.join();
  }

  /**
   * Shuts the queue down, as Python 3.13's `Queue.shutdown`: puts fail from
   * now on, gets drain what is left and then fail, and every waiting putter
   * and getter fails with {@linkcode QueueShutDownError}. With `immediate`,
   * the items left are dropped (and count as done for {@linkcode join}), so
   * gets fail at once.
   *
   * @example
   * ```ts
   * import { Queue } from "@frontier/generators/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>();
   * queue.putNowait(1);
   * queue.shutdown();
   * assert.equal(queue.getNowait(), 1); // still drains
   * assert.throws(() => queue.getNowait(), { name: "QueueShutDownError" });
   * ```
   *
   * @param immediate Whether to drop the items left.
   */
  shutdown(immediate = false): void {
    this.#engine.shutdown(immediate);
  }

  /**
   * Reads items with `for await` until the queue is shut down and empty.
   * It does not call {@linkcode taskDone}.
   *
   * @example
   * ```ts
   * import { Queue } from "@frontier/generators/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>();
   * queue.putNowait(1);
   * queue.putNowait(2);
   * queue.shutdown();
   * const items: number[] = [];
   * for await (const item of queue) items.push(item);
   * assert.deepEqual(items, [1, 2]);
   * ```
   */
  async *[Symbol.asyncIterator](): AsyncIterator<T, undefined> {
    for (;;) {
      let item: T;
      try {
        item = await this.#engine.get();
      } catch (error) {
        if (error instanceof QueueShutDownError) return;
        throw error;
      }
      yield item;
    }
  }
}

/**
 * A last-in, first-out queue, as asyncio's `LifoQueue`: the item put last
 * comes out first.
 *
 * @typeParam T The type of the items.
 *
 * @example
 * ```ts
 * import { LifoQueue } from "@frontier/generators/queue";
 * import assert from "node:assert/strict";
 *
 * const stack = new LifoQueue<number>();
 * for (const n of [1, 3, 2]) stack.putNowait(n);
 * assert.deepEqual([stack.getNowait(), stack.getNowait()], [2, 3]);
 * ```
 */
export class LifoQueue<T> extends Queue<T> {}

/**
 * A queue that hands out its smallest item first, as asyncio's
 * `PriorityQueue`, ordered by the `compare` option.
 *
 * @typeParam T The type of the items.
 *
 * @example Smallest number first
 * ```ts
 * import { PriorityQueue } from "@frontier/generators/queue";
 * import assert from "node:assert/strict";
 *
 * const queue = new PriorityQueue<number>();
 * for (const n of [3, 1, 2]) queue.putNowait(n);
 * assert.deepEqual([queue.getNowait(), queue.getNowait()], [1, 2]);
 * ```
 *
 * @example Jobs by priority, then in order of arrival
 * ```ts
 * import { PriorityQueue } from "@frontier/generators/queue";
 * import assert from "node:assert/strict";
 *
 * type Job = { priority: number; name: string };
 * const jobs = new PriorityQueue<Job>({
 *   compare: (a, b) => a.priority - b.priority,
 * });
 * jobs.putNowait({ priority: 2, name: "later" });
 * jobs.putNowait({ priority: 1, name: "first" });
 * jobs.putNowait({ priority: 1, name: "second" });
 * assert.deepEqual(
 *   [jobs.getNowait().name, jobs.getNowait().name, jobs.getNowait().name],
 *   ["first", "second", "later"],
 * );
 * ```
 */
export class PriorityQueue<T> extends Queue<T> {
  /**
   * Makes an empty priority queue.
   *
   * @param options The queue's `maxSize` and `compare`.
   * @throws {RangeError} If `maxSize` is negative or not a number.
   * @throws {TypeError} If `compare` is given and is not a function.
   */
  constructor(options: PriorityQueueOptions<T> = {}) {
    super(options);
  }
}

function byLessThan(a: unknown, b: unknown): number {
  return (a as number) < (b as number)
    ? -1
    : (b as number) < (a as number)
    ? 1
    : 0;
}

// The storage of each kind of queue, and the item check of a priority queue
// ordered by `<`.
function storageFor<T>(
  queue: Queue<T>,
  options: PriorityQueueOptions<T>,
  kind: string,
): { storage: Storage<T>; check?: (item: T) => void } {
  if (queue instanceof LifoQueue) return { storage: new LifoStorage() };
  if (!(queue instanceof PriorityQueue)) return { storage: new FifoStorage() };
  const { compare } = options;
  if (compare !== undefined) {
    if (typeof compare !== "function") {
      throw new TypeError(
        `Cannot create a ${kind}: option compare must be a function (a, b) => number, got ${
          describe(compare)
        }`,
      );
    }
    return { storage: new HeapStorage(compare) };
  }
  const check = (item: T) => {
    const type = typeof item;
    if (type === "number" || type === "string" || type === "bigint") return;
    throw new TypeError(
      `Cannot put into the ${kind}: without option compare it orders numbers and strings, got ${
        describe(item)
      }; pass compare(a, b) to order other items`,
    );
  };
  return { storage: new HeapStorage<T>(byLessThan), check };
}
