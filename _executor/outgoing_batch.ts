// Copyright 2026 the @frontier/generators authors. MIT license.
// A batch of tasks on its way to one worker, as `postBatch` takes it: if
// structured clone refuses the whole batch, its tasks are posted one by one,
// and those whose arguments cannot go are handed back.

import type { Batch, Piece } from "../_core/post_batch.ts";
import type { SentFunctions } from "./function_registry.ts";
import type { PoolJob } from "./pool_job.ts";
import { DEFER_MS, RUN, RUN_DEFERRED } from "./pool_protocol.ts";

/** A task that could not be posted to its worker, and why. */
export type Refusal = readonly [job: PoolJob, error: unknown];

/** No tasks: what a batch holds between posts. */
export const NO_JOBS: PoolJob[] = [];
/** No message: what a batch holds between posts. */
export const NO_MESSAGE: unknown[] = [];

/**
 * A worker's batch as `postBatch` takes it, made once per worker: if the
 * batch is refused, its tasks are posted one by one, and those whose
 * arguments cannot go are handed back.
 */
export class OutgoingBatch implements Batch<PoolJob> {
  message: unknown[] | string = NO_MESSAGE;
  transfer: Transferable[] | undefined = undefined;
  jobs: PoolJob[] = NO_JOBS;
  /** The tasks that went as messages of their own, in order. */
  alone: PoolJob[] = [];
  refusals: Refusal[] = [];
  readonly #sent: SentFunctions;

  constructor(sent: SentFunctions) {
    this.#sent = sent;
  }

  *pieces(): Iterable<Piece<PoolJob>> {
    this.#sent.batchRefused();
    for (const job of this.jobs) {
      const message = [
        job.expectedCost >= DEFER_MS ? RUN_DEFERRED : RUN,
        job.slot,
        job.key,
        this.#sent.alone(job.key),
        job.mode,
        job.args,
        job.deadline,
      ];
      yield [job, message, job.transfer];
    }
  }

  posted(job: PoolJob): void {
    this.#sent.postedAlone(job.key);
    job.moved = job.transfer !== undefined;
    this.alone.push(job);
  }

  refused(job: PoolJob, error: unknown): void {
    this.refusals.push([job, error]);
  }
}
