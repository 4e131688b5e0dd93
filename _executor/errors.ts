// Copyright 2026 the @frontier/generators authors. MIT license.
// The errors the executors add to the core's: defined here, where the engines
// reach them, and exported by the public modules (`WorkerDiedError` by
// `worker_pool.ts`). `QueueFullError` is the one class the queues share, from
// `_core/`, exported by `queue.ts`.

import { CancelledError, InvalidStateError, TimeoutError } from "../future.ts";

import { QueueFullError } from "../_core/queue_full_error.ts";

export { QueueFullError };

/**
 * The error of a task whose worker stopped while it ran: the worker crashed
 * (an uncaught error, with it as the `cause`), closed itself (`close()`,
 * `Deno.exit()`), ran out of its heap limit, could not start, or was terminated
 * to stop another task running in it. The pool replaces the worker; tasks that had not started
 * there run elsewhere.
 *
 * @example
 * ```ts
 * import { WorkerDiedError, WorkerPool } from "@frontier/generators/worker-pool";
 * import assert from "node:assert/strict";
 *
 * await using pool = new WorkerPool({ maxWorkers: 1 });
 * const dying = pool.submit(() => {
 *   setTimeout(() => {
 *     throw new Error("boom");
 *   });
 *   return new Promise(() => {}); // never settles by itself
 * });
 * await assert.rejects(Promise.resolve(dying), WorkerDiedError);
 * assert.equal(await pool.submit(() => "next"), "next"); // a new worker
 * ```
 */
export class WorkerDiedError extends Error {
  /** Makes a `WorkerDiedError`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "WorkerDiedError";
  }
}

/** Error classes rebuilt by name when they come back from a worker. */
export const ERROR_CLASSES: Record<string, new (message: string) => Error> = {
  CancelledError,
  InvalidStateError,
  TimeoutError,
  QueueFullError,
  WorkerDiedError,
};
