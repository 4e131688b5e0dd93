// Copyright 2026 the @frontier/generators authors. MIT license.
// A pool's watchdog: while any worker holds tasks, it looks every
// `WATCH_MS` for workers that do not move on, so that work handed to a
// worker stuck in a long task goes to a free one, and a worker that no
// longer takes up work is replaced.

import type { PoolJob } from "./pool_job.ts";
import type { PoolWorker } from "./pool_worker.ts";
import { unrefTimer } from "./unref_timer.ts";

/** How often the watchdog looks, in milliseconds. */
export const WATCH_MS = 10;

/**
 * A worker whose current task has run this many milliseconds is stuck in
 * it: the tasks waiting behind it go to a free worker.
 */
export const STUCK_MS = 10;

/**
 * A worker that has not received a batch posted to it this many
 * milliseconds ago, while it runs no task, is unresponsive (its event loop
 * is blocked outside any task, or it stopped listening) and is replaced.
 */
export const UNRESPONSIVE_MS = 2000;

/** A timer that calls `look` every `WATCH_MS` while `look` returns `true`. */
export class Watchdog {
  readonly #look: () => boolean;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;

  constructor(look: () => boolean) {
    this.#look = look;
  }

  /** Starts looking, if it is not already. */
  arm(): void {
    if (this.#timer !== undefined) return;
    // Never the reason a process stays up: busy workers are that.
    this.#timer = setTimeout(this.#tick, WATCH_MS);
    unrefTimer(this.#timer);
  }

  /** Stops looking. */
  disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #tick = (): void => {
    this.#timer = undefined;
    if (this.#look()) this.arm();
  };
}

/** Completes "the worker …" for a worker replaced as unresponsive. */
export const UNRESPONSIVE =
  `stopped taking up work: for ${UNRESPONSIVE_MS} ms it ran none of its tasks and did not receive the ones sent to it (its event loop is blocked by code outside any task, or it stopped listening)`;

/** The workers among `workers` that no longer take up work. */
export function unresponsive(workers: readonly PoolWorker[]): PoolWorker[] {
  const deadline = Date.now() - UNRESPONSIVE_MS;
  return workers.filter((worker) =>
    !worker.dead && worker.unreceivedSince(deadline) && !worker.runsTask()
  );
}

/**
 * Takes back the tasks waiting behind a task that has run for `STUCK_MS`,
 * and marks their workers overdue: no task goes to them until they answer.
 *
 * @returns The tasks taken back, for the free workers.
 */
export function takeBackStuck(workers: readonly PoolWorker[]): PoolJob[] {
  const now = Date.now();
  const taken: PoolJob[] = [];
  for (const worker of workers) {
    if (worker.inFlight === 0 || now - worker.lastActive < STUCK_MS) continue;
    for (const job of worker.unstarted(true)) {
      if (job.batch === 0 || now - job.postedAt < STUCK_MS) continue;
      if (worker.withdraw(job)) {
        worker.overdue = true;
        taken.push(job);
      }
    }
  }
  return taken;
}
