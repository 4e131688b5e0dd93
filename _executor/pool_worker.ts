// Copyright 2026 the @frontier/generators authors. MIT license.
// One worker of a WorkerPool: the Web Worker, the slots of the tasks it holds
// (their states shared with the worker script through an `Int32Array`), the
// batch of tasks waiting to be posted to it, and the messages it sends back.
// What happens to it is reported to the pool through a `WorkerOwner`; which
// task goes to which worker is the pool's choice.

import { describe } from "../_core/describe.ts";
import { type Batch, type Piece, postBatch } from "../_core/post_batch.ts";
import type { CostModel } from "./cost_model.ts";
import { ERROR_CLASSES } from "./errors.ts";
import { type FunctionRegistry, SentFunctions } from "./function_registry.ts";
import { refWorker } from "./keep_alive.ts";
import type { PoolJob } from "./pool_job.ts";
import {
  CANCELLED,
  CLOSED,
  CRASHED,
  deserializeError,
  FREE,
  INIT,
  KILLED,
  MAX_IN_FLIGHT,
  PENDING,
  READY,
  RESULT_SIZE,
  RESULTS,
  RUN,
  type SerializedError,
  STARTED,
  STATUS_SKIPPED,
} from "./pool_protocol.ts";

/**
 * How long a worker stays referenced after its last task. Unreferencing at
 * once would cost two calls into Deno per task in a one-at-a-time loop; the
 * price of waiting is that a script ends at most this much later.
 */
export const UNREF_DELAY_MS = 20;

/** Why a worker stopped, for the errors of the tasks it takes along. */
export interface Death {
  /** Completes "the worker …", e.g. `"closed itself: …"`. */
  reason: string;
  cause?: unknown;
}

/** A task that could not be posted to its worker, and why. */
export type Refusal = readonly [job: PoolJob, error: unknown];

/** What a worker tells its pool. */
export interface WorkerOwner {
  /** The worker is listening, and its module (if any) is loaded. */
  onReady(worker: PoolWorker): void;
  /**
   * Tasks ended in the worker, their slots are free again. `done` holds job,
   * status and value for each one whose outcome was not decided already.
   */
  onResults(worker: PoolWorker, done: unknown[]): void;
  /** The worker holds no task any more. */
  onIdle(worker: PoolWorker): void;
  /**
   * Slots were freed without a result: tasks cancelled before they could be
   * posted, and the `refused` ones, whose arguments could not be posted.
   */
  onFreed(worker: PoolWorker, refused: readonly Refusal[]): void;
  /** The worker crashed, closed itself, or could not start. */
  onDeath(worker: PoolWorker, death: Death): void;
}

/** How to start a worker. */
export interface PoolWorkerOptions {
  /** The worker script. */
  url: URL;
  /** The worker's name, shown in Deno's error messages. */
  name: string;
  /** The module whose exports `call` runs, or `null`. */
  moduleUrl: string | null;
  /** Where the cost of each finished task is counted. */
  costs: CostModel;
  /** The sources of the submitted functions. */
  functions: FunctionRegistry;
}

/** What a retired worker hands back. */
export interface Leftovers {
  /** Tasks it had not started and that moved no buffers: they can run elsewhere. */
  rerun: PoolJob[];
  /** Tasks that fail with the worker. */
  failed: PoolJob[];
}

const NO_REFUSALS: readonly Refusal[] = [];
const NO_JOBS: PoolJob[] = [];
const NOTHING: unknown[] = [];

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/** One Web Worker of a pool, and the tasks it holds. */
export class PoolWorker {
  readonly #owner: WorkerOwner;
  readonly #worker: Worker;
  readonly #states: Int32Array;
  readonly #jobs: (PoolJob | undefined)[] = new Array(MAX_IN_FLIGHT);
  readonly #freeSlots: number[] = [];
  readonly #costs: CostModel;
  readonly #sent: SentFunctions;
  readonly #batch: OutgoingBatch;
  #outbox: PoolJob[] = [];
  #ready = false;
  #dead = false;
  #referenced = true;
  #inFlight = 0;
  #load = 0;
  #idleSince = 0;
  #waiters: Waiter[] = [];

  /**
   * Starts a worker.
   *
   * @throws What `new Worker()` throws.
   */
  constructor(owner: WorkerOwner, options: PoolWorkerOptions) {
    const worker = new Worker(options.url, {
      type: "module",
      name: options.name,
    });
    this.#owner = owner;
    this.#worker = worker;
    this.#states = new Int32Array(
      new SharedArrayBuffer(MAX_IN_FLIGHT * Int32Array.BYTES_PER_ELEMENT),
    );
    this.#costs = options.costs;
    this.#sent = new SentFunctions(options.functions);
    this.#batch = new OutgoingBatch(this.#sent);
    for (let slot = MAX_IN_FLIGHT - 1; slot >= 0; slot--) {
      this.#freeSlots.push(slot);
    }
    worker.onmessage = (event) => this.#onMessage(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.#die({ reason: `failed: ${event.message}` });
    };
    worker.onmessageerror = () => {
      this.#die({ reason: "sent a message that could not be read" });
    };
    worker.postMessage([INIT, this.#states, options.moduleUrl]);
  }

  /** Whether it started and is not dead. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Whether it was terminated. */
  get dead(): boolean {
    return this.#dead;
  }

  /** How many tasks it holds. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** What the tasks it holds are expected to cost, in milliseconds. */
  get load(): number {
    return this.#load;
  }

  /** Whether it can take one more task. */
  get hasFreeSlot(): boolean {
    return this.#freeSlots.length > 0;
  }

  /** When it last became idle (`performance.now()`). */
  get idleSince(): number {
    return this.#idleSince;
  }

  /** Resolves once it is ready; rejects if it dies first. */
  whenReady(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.#waiters.push({ resolve, reject })
    );
  }

  /**
   * Hands `job` to this worker, in a free slot; it is posted with the next
   * batch.
   *
   * @returns Whether it is the first task of that batch.
   */
  take(job: PoolJob, expectedCost: number): boolean {
    const slot = this.#freeSlots.pop()!;
    this.#jobs[slot] = job;
    job.worker = this;
    job.slot = slot;
    job.expectedCost = expectedCost;
    Atomics.store(this.#states, slot, PENDING);
    if (this.#inFlight++ === 0 && !this.#referenced) this.#ref(true);
    this.#load += expectedCost;
    return this.#outbox.push(job) === 1;
  }

  /**
   * Marks the task in `slot` to be skipped if it has not started.
   *
   * @returns Whether it had not started.
   */
  cancelUnstarted(slot: number): boolean {
    return Atomics.compareExchange(this.#states, slot, PENDING, CANCELLED) ===
      PENDING;
  }

  /**
   * Marks the task in `slot` as killed if it runs: its worker must go.
   *
   * @returns Whether it was running.
   */
  markKilled(slot: number): boolean {
    return Atomics.compareExchange(this.#states, slot, STARTED, KILLED) ===
      STARTED;
  }

  /** Calls `fn` with each task it holds that has not started. */
  forEachUnstarted(fn: (job: PoolJob) => void): void {
    for (const job of this.#jobs) {
      if (
        job !== undefined && Atomics.load(this.#states, job.slot) === PENDING
      ) {
        fn(job);
      }
    }
  }

  /** Posts the tasks handed to it since the last batch, in one message. */
  send(): void {
    const jobs = this.#outbox;
    this.#outbox = [];
    // One flat array: [RUN, ...entries]; every nested array costs time to clone.
    const message: unknown[] = [RUN];
    let transfers: Transferable[] | undefined;
    let sending = jobs;
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i];
      if (Atomics.load(this.#states, job.slot) !== PENDING) {
        // Cancelled before it was sent: the worker never hears of it.
        if (sending === jobs) sending = jobs.slice(0, i);
        this.#freeSlot(job);
        continue;
      }
      if (sending !== jobs) sending.push(job);
      const key = job.key;
      message.push(job.slot, key, this.#sent.inBatch(key), job.mode, job.args);
      if (job.transfer !== undefined) {
        transfers ??= [];
        for (const item of job.transfer) transfers.push(item);
      }
    }
    if (sending.length === 0) {
      this.#owner.onFreed(this, NO_REFUSALS);
      return;
    }
    const batch = this.#batch;
    batch.message = message;
    batch.transfer = transfers;
    batch.jobs = sending;
    const whole = postBatch(this.#worker, batch);
    // The batch must not keep the arguments alive until the next one.
    batch.message = NOTHING;
    batch.transfer = undefined;
    batch.jobs = NO_JOBS;
    if (!whole) {
      const refusals = batch.refusals;
      batch.refusals = [];
      for (const [job] of refusals) this.#freeSlot(job);
      this.#owner.onFreed(this, refusals);
      return;
    }
    this.#sent.batchPosted();
    if (transfers !== undefined) {
      for (const job of sending) job.moved = job.transfer !== undefined;
    }
    if (sending !== jobs) this.#owner.onFreed(this, NO_REFUSALS);
  }

  /**
   * Unreferences it once it has been idle for `UNREF_DELAY_MS`.
   *
   * @returns Whether it is idle and referenced, but not for long enough yet.
   */
  unrefIfIdle(now: number): boolean {
    if (!this.#ready || this.#inFlight > 0 || !this.#referenced) return false;
    if (now - this.#idleSince < UNREF_DELAY_MS) return true;
    this.#ref(false);
    return false;
  }

  /** Terminates it while it holds no task: it is idle, or the pool is done. */
  stop(): void {
    if (this.#dead) return;
    this.#dead = true;
    this.#worker.terminate();
    for (const waiter of this.#waiters) waiter.resolve();
    this.#waiters = [];
  }

  /**
   * Terminates it after it died, or to stop a task running in it. Those
   * waiting for it to start get `error`.
   *
   * @returns The tasks it held whose outcome is not decided.
   */
  retire(error: unknown): Leftovers {
    this.#dead = true;
    this.#ready = false;
    this.#worker.terminate();
    this.#outbox = [];
    const leftovers: Leftovers = { rerun: [], failed: [] };
    for (let slot = 0; slot < MAX_IN_FLIGHT; slot++) {
      const job = this.#jobs[slot];
      if (job === undefined) continue;
      this.#jobs[slot] = undefined;
      job.worker = undefined;
      job.slot = -1;
      if (job.settled || job.future.done()) continue;
      // Buffers moved to the dead worker are gone: such a task cannot rerun.
      if (this.cancelUnstarted(slot) && !job.moved) leftovers.rerun.push(job);
      else leftovers.failed.push(job);
    }
    this.#inFlight = 0;
    this.#load = 0;
    for (const waiter of this.#waiters) waiter.reject(error);
    this.#waiters = [];
    return leftovers;
  }

  #die(death: Death): void {
    if (!this.#dead) this.#owner.onDeath(this, death);
  }

  #onMessage(message: unknown[]): void {
    if (this.#dead) return;
    switch (message[0]) {
      case RESULTS:
        this.#onResults(message);
        break;
      case READY:
        this.#ready = true;
        this.#idleSince = performance.now();
        for (const waiter of this.#waiters) waiter.resolve();
        this.#waiters = [];
        this.#owner.onReady(this);
        break;
      case CRASHED: {
        const error = deserializeError(
          message[1] as SerializedError,
          ERROR_CLASSES,
        );
        const text = error instanceof Error
          ? `${error.name}: ${error.message}`
          : describe(error);
        this.#die({
          reason: `crashed with an uncaught error (${text})`,
          cause: error,
        });
        break;
      }
      case CLOSED:
        this.#die({
          reason: "closed itself: close() or Deno.exit() was called in it",
        });
        break;
    }
  }

  // `results` is [RESULTS, ...results], RESULT_SIZE values each.
  #onResults(results: unknown[]): void {
    const done: unknown[] = [];
    for (let i = 1; i < results.length; i += RESULT_SIZE) {
      const job = this.#jobs[results[i] as number];
      if (job === undefined) continue;
      const status = results[i + 1] as number;
      if (status !== STATUS_SKIPPED) {
        this.#costs.record(job.key, results[i + 3] as number);
      }
      this.#freeSlot(job);
      if (!job.settled) done.push(job, status, results[i + 2]);
    }
    this.#owner.onResults(this, done);
  }

  #freeSlot(job: PoolJob): void {
    const slot = job.slot;
    this.#jobs[slot] = undefined;
    Atomics.store(this.#states, slot, FREE);
    this.#freeSlots.push(slot);
    job.worker = undefined;
    job.slot = -1;
    this.#load -= job.expectedCost;
    if (--this.#inFlight === 0) {
      this.#load = 0;
      this.#idleSince = performance.now();
      this.#owner.onIdle(this);
    }
  }

  #ref(ref: boolean): void {
    if (refWorker === undefined || this.#referenced === ref || this.#dead) {
      return;
    }
    this.#referenced = ref;
    refWorker(this.#worker, ref);
  }
}

/**
 * A worker's batch as `postBatch` takes it, made once per worker: if the
 * batch is refused, its tasks are posted one by one, and those whose
 * arguments cannot go are freed and handed back.
 */
class OutgoingBatch implements Batch<PoolJob> {
  message: unknown[] = NOTHING;
  transfer: Transferable[] | undefined = undefined;
  jobs: PoolJob[] = NO_JOBS;
  refusals: Refusal[] = [];
  readonly #sent: SentFunctions;

  constructor(sent: SentFunctions) {
    this.#sent = sent;
  }

  *pieces(): Iterable<Piece<PoolJob>> {
    this.#sent.batchRefused();
    for (const job of this.jobs) {
      const message = [
        RUN,
        job.slot,
        job.key,
        this.#sent.alone(job.key),
        job.mode,
        job.args,
      ];
      yield [job, message, job.transfer];
    }
  }

  posted(job: PoolJob): void {
    this.#sent.postedAlone(job.key);
    job.moved = job.transfer !== undefined;
  }

  refused(job: PoolJob, error: unknown): void {
    this.refusals.push([job, error]);
  }
}
