// Copyright 2026 the @frontier/generators authors. MIT license.
// The error of work that NATS lost, exported by `nats.ts`, and the classes a
// client rebuilds by name when errors come back from a worker.

import { ERROR_CLASSES } from "../_executor/errors.ts";

/**
 * The error of a job whose work is lost for good: every delivery of it went
 * to a worker that died or stopped answering (the queue's `maxDeliver`), or
 * the connection to NATS closed while the job was pending. A job is not lost
 * while the server keeps it: a dropped connection that comes back, or a
 * server restart, only delays it.
 *
 * @example
 * ```ts
 * import { JobLostError } from "@frontier/generators/nats";
 * import assert from "node:assert/strict";
 *
 * const error = new JobLostError("the connection to NATS closed");
 * assert.equal(error.name, "JobLostError");
 * ```
 */
export class JobLostError extends Error {
  /** Makes a `JobLostError`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "JobLostError";
  }
}

/** Error classes rebuilt by name when they come back from a worker. */
export const NATS_ERROR_CLASSES: Record<
  string,
  new (message: string) => Error
> = { ...ERROR_CLASSES, JobLostError };
