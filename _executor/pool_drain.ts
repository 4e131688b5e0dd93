// Copyright 2026 the @frontier/generators authors. MIT license.
// The end of a pool's shutdown: once its work is done, its workers stop,
// and `shutdown()` resolves when their threads have ended, or after a grace
// period for those that could not be halted (they were still starting).
// Apart from the engine because it runs once per pool.

import type { WorkerSet } from "./worker_set.ts";

/**
 * How long `shutdown()` waits, once the work is done, for the threads of
 * stopped workers that could not be halted (still starting) to end, before
 * it halts what it can and resolves without them.
 */
export const SHUTDOWN_GRACE_MS = 1000;

/** A pool being shut down, and the promise that says when it is done. */
export class PoolDrain {
  /** Resolves once the work is done and the workers' threads have ended. */
  readonly promise: Promise<void>;
  readonly #workers: WorkerSet;
  #resolve: (() => void) | undefined;
  #graceTimer: ReturnType<typeof setTimeout> | undefined = undefined;

  /** Starts the shutdown of `workers`: they stop once their work is done. */
  constructor(workers: WorkerSet) {
    const { promise, resolve } = Promise.withResolvers<void>();
    this.promise = promise;
    this.#resolve = resolve;
    this.#workers = workers;
    workers.close();
  }

  /**
   * The work is done: stops the workers, and resolves `promise` once their
   * threads have ended or had their grace period.
   */
  done(): void {
    this.#workers.stopAll();
    if (this.#resolve === undefined) return;
    if (this.#workers.stopping > 0) {
      this.#graceTimer ??= setTimeout(this.#drainedNow, SHUTDOWN_GRACE_MS);
      return;
    }
    this.#drainedNow();
  }

  // Shutdown is over: the work is done, and the threads have ended or had
  // their grace period.
  #drainedNow = (): void => {
    clearTimeout(this.#graceTimer);
    // Threads still running code after their grace period are halted.
    this.#workers.haltStopping();
    const resolve = this.#resolve;
    this.#resolve = undefined;
    resolve?.();
  };
}
