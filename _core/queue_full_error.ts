// Copyright 2026 the @frontier/generators authors. MIT license.
// The one `QueueFullError`, shared by the queues of `queue.ts` and the
// executors, which throw it when their line of waiting work is full. It lives
// here, below both, so that neither imports the other; `queue.ts` exports it.

/**
 * Thrown when a queue has no room for one more item: by a queue's
 * `putNowait` once it holds `maxSize` items, and by an executor's `submit`
 * once `maxQueue` tasks wait to start. The caller is producing faster than
 * the work is taken: it should wait (`yield* queue.put(item)`), or raise the
 * limit.
 *
 * @example
 * ```ts
 * import { Queue, QueueFullError } from "@frontier/generators/queue";
 * import assert from "node:assert/strict";
 *
 * const queue = new Queue<number>({ maxSize: 1 });
 * queue.putNowait(1);
 * assert.throws(() => queue.putNowait(2), QueueFullError);
 * ```
 */
export class QueueFullError extends Error {
  /** Makes a `QueueFullError`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "QueueFullError";
  }
}
