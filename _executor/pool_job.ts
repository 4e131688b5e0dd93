// Copyright 2026 the @frontier/generators authors. MIT license.
// A job of a WorkerPool: what a worker runs (a function's key or an export's
// name, the arguments, the buffers they move), and where it is on its way
// (queued, or in a slot of a worker).

import type { Key } from "./function_registry.ts";
import { Job, type JobOwner } from "./job.ts";
import type { PoolWorker } from "./pool_worker.ts";
import { MODE_CHUNK } from "./pool_protocol.ts";

export class PoolJob extends Job {
  /** Order of submission, kept when tasks of a dead worker are queued again. */
  order = 0;
  readonly key: Key;
  /** `MODE_CALL` or `MODE_CHUNK` (see `pool_protocol.ts`). */
  readonly mode: number;
  readonly args: unknown[];
  /** The objects its arguments move rather than copy. */
  transfer: Transferable[] | undefined = undefined;
  /** The worker that holds it, and its slot there. */
  worker: PoolWorker | undefined = undefined;
  slot = -1;
  /** What it was expected to cost when handed to its worker (ms). */
  expectedCost = 0;
  /**
   * The number of the batch that carried it to its worker (counted per
   * worker from 1), or 0 while it waits to be posted.
   */
  batch = 0;
  /**
   * The `Date.now()` by which its timeout passes (0 for none): the worker
   * interrupts the task's synchronous part there.
   */
  deadline = 0;
  /** Its timeout in milliseconds, for the error if the worker reports it. */
  timeout = 0;
  /** When (`Date.now()`) that batch was posted. */
  postedAt = 0;
  /** Whether its transfer list went to a worker: then it cannot run again. */
  moved = false;
  /** Whether it waits in the pool's queue. */
  queued = false;

  // Positional: one job is made per task, and an options object would cost
  // an allocation each time.
  constructor(
    owner: JobOwner<PoolJob>,
    key: Key,
    mode: number,
    args: unknown[],
  ) {
    super(owner);
    this.key = key;
    this.mode = mode;
    this.args = args;
  }

  get what(): string {
    if (this.mode === MODE_CHUNK) return "map()";
    return typeof this.key === "string"
      ? `call(${JSON.stringify(this.key)})`
      : "submit()";
  }

  /** Names the call in a `Cannot <action>: …` message. */
  get action(): string {
    if (this.mode === MODE_CHUNK) return "map";
    return typeof this.key === "string"
      ? `call ${JSON.stringify(this.key)}`
      : "submit";
  }
}
