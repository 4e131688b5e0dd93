// Copyright 2026 the @frontier/generators authors. MIT license.
// The errors the executors add to the core's: defined here, where the engines
// reach them, and exported by the public modules (`QueueFullError` by
// `executor.ts`, `WorkerDiedError` by `worker_pool.ts`).

import { CancelledError, InvalidStateError, TimeoutError } from "../future.ts";

/**
 * Thrown by `submit` when the executor's queue already holds `maxQueue`
 * tasks waiting to start: the caller is producing work faster than it is
 * done, and should wait for some of it (or raise `maxQueue`).
 *
 * @example
 * ```ts
 * import { LocalExecutor, QueueFullError } from "@frontier/generators/executor";
 * import { sleep } from "@frontier/generators/future";
 * import assert from "node:assert/strict";
 *
 * await using pool = new LocalExecutor({ maxConcurrency: 1, maxQueue: 1 });
 * const running = pool.submit(() => sleep(5));
 * const waiting = pool.submit(() => sleep(5));
 * assert.throws(() => pool.submit(() => sleep(5)), QueueFullError);
 * await Promise.all([running, waiting]);
 * ```
 */
export class QueueFullError extends Error {
  /** Makes a `QueueFullError`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "QueueFullError";
  }
}

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
