// Copyright 2026 the @frontier/generators authors. MIT license.
// A pool worker's death, in words: why it died, read from what its thread
// reported, and the errors the tasks it takes along fail with. Apart from
// the worker and the pool so that their cold paths do not crowd their hot
// ones; nothing here runs unless a worker dies or is stopped.

import { describe } from "../_core/describe.ts";
import { ERROR_CLASSES, WorkerDiedError } from "./errors.ts";
import type { PoolJob } from "./pool_job.ts";
import { deserializeError, type SerializedError } from "./pool_protocol.ts";

/** Why a worker stopped, for the errors of the tasks it takes along. */
export interface Death {
  /** Completes "the worker …", e.g. `"closed itself: …"`. */
  reason: string;
  cause?: unknown;
}

/**
 * The death of a worker whose thread emitted `error`; its heap limit is
 * `heapLimit` megabytes.
 */
export function errorDeath(error: unknown, heapLimit: number): Death {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ERR_WORKER_OUT_OF_MEMORY") {
    return {
      reason:
        `ran out of memory (its heap limit is ${heapLimit} MB; raise the pool's heapLimit option, or give the task less data)`,
      cause: error,
    };
  }
  const text = error instanceof Error ? error.message : describe(error);
  return { reason: `failed: ${text}`, cause: error };
}

/** The death of a worker that said it crashed with `serialized`. */
export function crashDeath(serialized: SerializedError): Death {
  const error = deserializeError(serialized, ERROR_CLASSES);
  const text = error instanceof Error
    ? `${error.name}: ${error.message}`
    : describe(error);
  return {
    reason: `crashed with an uncaught error (${text})`,
    cause: error,
  };
}

/** The death of a worker stopped because `job`, running in it, was `why`. */
export function killDeath(job: PoolJob, why: string): Death {
  return {
    reason:
      `was terminated to stop another task running in it (${job.what}: ${why})`,
  };
}

/**
 * The death of a worker that ran no task and had not received `job` when
 * its timeout passed (`why`).
 */
export function stallDeath(job: PoolJob, why: string): Death {
  return {
    reason:
      `did not take up ${job.what} before its timeout (${why}), and ran no task: its event loop is blocked by code outside any task, or it stopped listening`,
  };
}

/** The death that fails the queued tasks after a worker failed to start. */
export function startDeath(death: Death): Death {
  return {
    reason: `a worker could not start: it ${death.reason}`,
    cause: death.cause,
  };
}

/** The error of those waiting for the worker to be ready. */
export function notReadyError(death: Death): WorkerDiedError {
  return new WorkerDiedError(
    `Cannot warm the pool: the worker ${death.reason}`,
    { cause: death.cause },
  );
}

/** The error of `job`, which its worker took along when it died. */
export function diedError(job: PoolJob, death: Death): WorkerDiedError {
  return new WorkerDiedError(
    `${job.what} failed: the worker running it ${death.reason}; the pool replaces the worker`,
    { cause: death.cause },
  );
}

/**
 * The error of `job`, queued when no worker could run it: `death.reason`
 * completes "<task> failed: …".
 */
export function queuedError(job: PoolJob, death: Death): WorkerDiedError {
  return new WorkerDiedError(`${job.what} failed: ${death.reason}`, {
    cause: death.cause,
  });
}

/**
 * The error of `job`, finished in a worker that was stopped, whose thread
 * ended before its result arrived.
 */
export function lostError(job: PoolJob): WorkerDiedError {
  return new WorkerDiedError(
    `${job.what} failed: the worker running it was stopped, and its thread ended before the task's result arrived`,
  );
}
