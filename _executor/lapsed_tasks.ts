// Copyright 2026 the @frontier/generators authors. MIT license.
// Tasks stopped at their deadline while they run. The worker interrupts a
// task's synchronous part at its deadline itself and lives on, and the
// pool's timer goes off at about the same time: rather than race it and
// lose the worker, the pool stops the worker only if the task still runs a
// moment later (it waits on something).

import type { PoolJob } from "./pool_job.ts";

/**
 * How long after a task's deadline its worker may take to interrupt it and
 * report so, before the pool stops the worker instead.
 */
export const LAPSE_GRACE_MS = 50;

/** Running tasks stopped at their deadline, each with why. */
export class LapsedTasks {
  #jobs: (PoolJob | string)[] = [];

  /**
   * Whether `job`, running, is stopped at its deadline, or about then (a
   * map's timer runs on another clock), so that its worker interrupts it.
   */
  static atDeadline(job: PoolJob): boolean {
    return job.deadline !== 0 && job.deadline - Date.now() < LAPSE_GRACE_MS;
  }

  /** Waits for `job`'s worker to interrupt it; `why` it was stopped. */
  add(job: PoolJob, why: string): void {
    this.#jobs.push(job, why);
  }

  /**
   * Calls `kill` for each task still in its worker `LAPSE_GRACE_MS` after
   * its deadline.
   *
   * @returns Whether some are left to look at later.
   */
  check(kill: (job: PoolJob, why: string) => void): boolean {
    const jobs = this.#jobs;
    if (jobs.length === 0) return false;
    this.#jobs = [];
    const now = Date.now();
    for (let i = 0; i < jobs.length; i += 2) {
      const job = jobs[i] as PoolJob;
      // Gone from its worker: it ended, or its worker was retired.
      if (job.worker === undefined) continue;
      if (now - job.deadline < LAPSE_GRACE_MS) {
        this.#jobs.push(job, jobs[i + 1]);
      } else kill(job, jobs[i + 1] as string);
    }
    return this.#jobs.length > 0;
  }
}
