// Copyright 2026 the @frontier/generators authors. MIT license.
// The tasks of a retired worker that had finished when it was retired:
// their results were sent, and settle them when they arrive; if the thread
// ends first, they fail. Without this, a task that finished while another
// task of its worker was being cancelled lost its result.

import type { PoolJob } from "./pool_job.ts";
import { RESULT_SIZE } from "./pool_protocol.ts";

/** A retired worker's tasks whose results are on their way, by slot. */
export class LateTasks {
  readonly #jobs = new Map<number, PoolJob>();

  /** How many results are still to come. */
  get size(): number {
    return this.#jobs.size;
  }

  /** `job`, in `slot`, finished: its result is on its way. */
  add(slot: number, job: PoolJob): void {
    this.#jobs.set(slot, job);
  }

  /**
   * Takes the tasks whose results `results` (`[RESULTS, ...results]`)
   * holds.
   *
   * @returns Job, status and value for each one not settled yet.
   */
  take(results: unknown[]): unknown[] {
    const done: unknown[] = [];
    for (let i = 1; i < results.length; i += RESULT_SIZE) {
      const slot = results[i] as number;
      const job = this.#jobs.get(slot);
      if (job === undefined) continue;
      this.#jobs.delete(slot);
      if (!job.settled) done.push(job, results[i + 1], results[i + 2]);
    }
    return done;
  }

  /** Takes the tasks whose results did not come. */
  takeAll(): PoolJob[] {
    const jobs = [...this.#jobs.values()];
    this.#jobs.clear();
    return jobs;
  }
}
