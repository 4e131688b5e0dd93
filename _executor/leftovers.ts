// Copyright 2026 the @frontier/generators authors. MIT license.
// What becomes of the tasks a worker held when it is retired: those it had
// not started, and whose buffers did not move to it, can run elsewhere;
// those that finished wait for their results (late_tasks.ts); the others
// fail with it. Apart from the worker because it runs only when a worker
// dies or is stopped.

import type { LateTasks } from "./late_tasks.ts";
import type { PoolJob } from "./pool_job.ts";
import {
  CANCELLED,
  FINISHED,
  MAX_IN_FLIGHT,
  PENDING,
} from "./pool_protocol.ts";

/** What a retired worker hands back. */
export interface Leftovers {
  /** Tasks it had not started and that moved no buffers: they can run elsewhere. */
  rerun: PoolJob[];
  /** Tasks that fail with the worker. */
  failed: PoolJob[];
}

/**
 * Empties `jobs`, the slots of a retired worker whose task states are
 * `states`: its tasks not started are cancelled there, and those that
 * finished go to `late`.
 *
 * @returns Its tasks whose outcome is not decided.
 */
export function salvage(
  jobs: (PoolJob | null | undefined)[],
  states: Int32Array,
  late: LateTasks,
): Leftovers {
  const leftovers: Leftovers = { rerun: [], failed: [] };
  for (let slot = 0; slot < MAX_IN_FLIGHT; slot++) {
    const job = jobs[slot];
    jobs[slot] = undefined;
    if (!job) continue;
    job.worker = undefined;
    job.slot = -1;
    if (job.settled || job.future.done()) continue;
    const state = Atomics.compareExchange(states, slot, PENDING, CANCELLED);
    // Its result was sent: it settles the task when it arrives.
    if (state === FINISHED) late.add(slot, job);
    // Buffers moved to the dead worker are gone: such a task cannot rerun.
    else if (state === PENDING && !job.moved) leftovers.rerun.push(job);
    else leftovers.failed.push(job);
  }
  return leftovers;
}
