// Copyright 2026 the @frontier/generators authors. MIT license.
// One worker of a WorkerPool: its thread, the slots of the tasks it holds
// (their states shared with the worker script through an `Int32Array`), the
// batch of tasks waiting to be posted to it, and the messages it sends back.
// What happens to it is reported to the pool through a `WorkerOwner`; which
// task goes to which worker is the pool's choice.

import { type MessageTarget, postBatch } from "../_core/post_batch.ts";
import { compactMessage } from "./compact_message.ts";
import type { CostModel } from "./cost_model.ts";
import { LateTasks } from "./late_tasks.ts";
import { type Leftovers, salvage } from "./leftovers.ts";
import { type FunctionRegistry, SentFunctions } from "./function_registry.ts";
import type { PoolJob } from "./pool_job.ts";
import {
  NO_JOBS,
  NO_MESSAGE,
  OutgoingBatch,
  type Refusal,
} from "./outgoing_batch.ts";
import {
  ACTIVITY_LENGTH,
  BARE_RESULT,
  type BareValue,
  CANCELLED,
  CLOSED,
  COST,
  CRASHED,
  DEFER_MS,
  FREE,
  INIT,
  KILLED,
  LAST_ACTIVE,
  MAX_IN_FLIGHT,
  PENDING,
  READY,
  RECEIVED,
  RESULT_SIZE,
  RESULTS,
  RUN,
  RUN_DEFERRED,
  type SerializedError,
  STARTED,
  STATES_LENGTH,
  STATUS_OK,
  STATUS_SKIPPED,
  STOP,
} from "./pool_protocol.ts";
import { startThread, type Thread } from "./thread.ts";
import { unrefTimer } from "./unref_timer.ts";
import { crashDeath, type Death, errorDeath } from "./worker_death.ts";

/**
 * How long a worker stays referenced after its last task. Unreferencing at
 * once would cost two calls into Deno per task in a one-at-a-time loop; the
 * price of waiting is that a script ends at most this much later.
 */
export const UNREF_DELAY_MS = 20;

/**
 * How long a stopped worker may take to close by itself before its code is
 * halted. An idle worker, or one whose task waits, closes within a
 * millisecond; one still running code after this is busy in it. Halting
 * only then keeps halts away from a worker that is loading a module, which
 * Deno 2.9 does not survive well (_core/halt_lock.ts).
 */
export const HALT_DELAY_MS = 100;

export type { Leftovers, Refusal };

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
  /** Tasks were handed back: their arguments could not be posted. */
  onRefused(worker: PoolWorker, refused: readonly Refusal[]): void;
  /** The worker crashed, closed itself, ran out of memory, or could not start. */
  onDeath(worker: PoolWorker, death: Death): void;
  /**
   * The thread of a retired worker ended before the results it had sent
   * for `jobs` arrived.
   */
  onLost(worker: PoolWorker, jobs: PoolJob[]): void;
  /** The worker's thread ended. */
  onExit(worker: PoolWorker): void;
}

/** How to start a worker. */
export interface PoolWorkerOptions {
  /** The worker script. */
  url: URL;
  /** The worker's name, shown in Deno's error messages. */
  name: string;
  /** The module whose exports `call` runs, or `null`. */
  moduleUrl: string | null;
  /** Megabytes of heap the worker may use. */
  heapLimit: number;
  /** Where the cost of each finished task is counted. */
  costs: CostModel;
  /** The sources of the submitted functions. */
  functions: FunctionRegistry;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/** One worker thread of a pool, and the tasks it holds. */
export class PoolWorker {
  readonly #owner: WorkerOwner;
  readonly #thread: Thread;
  readonly #states: Int32Array;
  readonly #activity: Float64Array;
  // A job, or `null` for a slot whose task was withdrawn after it was
  // posted: the slot stays taken until the worker says it skipped it.
  readonly #jobs: (PoolJob | null | undefined)[] = new Array(MAX_IN_FLIGHT);
  readonly #freeSlots: number[] = [];
  readonly #costs: CostModel;
  readonly #sent: SentFunctions;
  readonly #batch: OutgoingBatch;
  readonly #heapLimit: number;
  #outbox: number[] = [];
  #ready = false;
  #dead = false;
  #exited = false;
  #haltable = false;
  #haltTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  #referenced = true;
  #inFlight = 0;
  readonly #late = new LateTasks();
  #load = 0;
  #idleSince = 0;
  #posted = 0;
  // Batch number and time posted (`Date.now()`), in pairs, for the batches
  // the worker may not have received yet.
  #postLog: number[] = [];
  #waiters: Waiter[] = [];
  /**
   * Set when its waiting tasks were taken back because it was stuck in a
   * long task: no task goes to it until it answers again.
   */
  overdue = false;

  /**
   * Starts a worker.
   *
   * @throws What starting a thread throws.
   */
  constructor(owner: WorkerOwner, options: PoolWorkerOptions) {
    const thread = startThread(options.url, {
      name: options.name,
      heapLimit: options.heapLimit,
    });
    this.#owner = owner;
    this.#thread = thread;
    this.#heapLimit = options.heapLimit;
    this.#states = new Int32Array(
      new SharedArrayBuffer(STATES_LENGTH * Int32Array.BYTES_PER_ELEMENT),
    );
    this.#activity = new Float64Array(
      new SharedArrayBuffer(ACTIVITY_LENGTH * Float64Array.BYTES_PER_ELEMENT),
    );
    this.#costs = options.costs;
    this.#sent = new SentFunctions(options.functions);
    this.#batch = new OutgoingBatch(this.#sent);
    for (let slot = MAX_IN_FLIGHT - 1; slot >= 0; slot--) {
      this.#freeSlots.push(slot);
    }
    thread.on("message", (message: unknown[]) => this.#onMessage(message));
    thread.on("error", (error: unknown) => {
      this.#die(errorDeath(error, this.#heapLimit));
    });
    thread.on("messageerror", () => {
      this.#die({ reason: "sent a message that could not be read" });
    });
    thread.on("exit", (code: number) => {
      clearTimeout(this.#haltTimer);
      this.#die({ reason: `exited with code ${code}` });
      this.#exited = true;
      if (this.#late.size > 0) this.#owner.onLost(this, this.#late.takeAll());
      this.#owner.onExit(this);
    });
    thread.postMessage([
      INIT,
      this.#states,
      this.#activity,
      options.moduleUrl,
    ]);
  }

  /** Whether it started and is not dead. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Whether it was stopped, or died: it takes no more work. */
  get dead(): boolean {
    return this.#dead;
  }

  /** Whether its thread has ended. */
  get exited(): boolean {
    return this.#exited;
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

  /** When (`Date.now()`) it last began a task or a batch. */
  get lastActive(): number {
    return this.#activity[LAST_ACTIVE];
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
    job.batch = 0;
    job.expectedCost = expectedCost;
    Atomics.store(this.#states, slot, PENDING);
    if (this.#inFlight++ === 0 && !this.#referenced) this.#ref(true);
    this.#load += expectedCost;
    return this.#outbox.push(slot) === 1;
  }

  /**
   * Takes `job` back if it has not started: the worker will skip it, and it
   * no longer counts as this worker's.
   *
   * @returns Whether it had not started.
   */
  withdraw(job: PoolJob): boolean {
    const slot = job.slot;
    if (
      Atomics.compareExchange(this.#states, slot, PENDING, CANCELLED) !==
        PENDING
    ) return false;
    // Its slot is freed when the worker skips it, or when the batch that
    // would have carried it goes.
    this.#jobs[slot] = null;
    this.#forget(job);
    return true;
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

  /** Whether one of its tasks has started and not finished. */
  runsTask(): boolean {
    for (let slot = 0; slot < MAX_IN_FLIGHT; slot++) {
      if (this.#jobs[slot] && Atomics.load(this.#states, slot) === STARTED) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the batch that carried `job` has reached the worker, or `job`
   * was not posted yet.
   */
  received(job: PoolJob): boolean {
    return job.batch === 0 ||
      Atomics.load(this.#states, RECEIVED) >= job.batch;
  }

  /**
   * The tasks it holds that have not started, oldest first; with `movable`,
   * only those whose buffers did not move to it.
   */
  unstarted(movable = false): PoolJob[] {
    const jobs: PoolJob[] = [];
    for (const job of this.#jobs) {
      if (
        job && (!movable || !job.moved) &&
        Atomics.load(this.#states, job.slot) === PENDING
      ) jobs.push(job);
    }
    return jobs.sort((a, b) => a.order - b.order);
  }

  /**
   * Whether a batch posted to it at `deadline` (`Date.now()`) or before has
   * not reached it yet.
   */
  unreceivedSince(deadline: number): boolean {
    this.#trimPostLog();
    const log = this.#postLog;
    return log.length > 0 && log[1] <= deadline;
  }

  /** Posts the tasks handed to it since the last batch, in one message. */
  send(): void {
    const slots = this.#outbox;
    this.#outbox = [];
    // One flat array: [RUN, ...entries]; every nested array costs time to clone.
    const message: unknown[] = [RUN];
    let transfers: Transferable[] | undefined;
    const jobs: PoolJob[] = [];
    let expected = 0;
    for (const slot of slots) {
      const job = this.#jobs[slot];
      if (!job || Atomics.load(this.#states, slot) !== PENDING) {
        // Withdrawn before it was sent: the worker never hears of it.
        this.#freeSlot(slot);
        continue;
      }
      jobs.push(job);
      expected += job.expectedCost;
      const key = job.key;
      message.push(
        slot,
        key,
        this.#sent.inBatch(key),
        job.mode,
        job.args,
        job.deadline,
      );
      if (job.transfer !== undefined) {
        transfers ??= [];
        for (const item of job.transfer) transfers.push(item);
      }
    }
    if (jobs.length === 0) return;
    if (expected >= DEFER_MS) message[0] = RUN_DEFERRED;
    const batch = this.#batch;
    batch.message = transfers === undefined
      ? compactMessage(message) ?? message
      : message;
    batch.transfer = transfers;
    batch.jobs = jobs;
    // A thread's postMessage takes what a Web Worker's does.
    const whole = postBatch(this.#thread as unknown as MessageTarget, batch);
    // The batch must not keep the arguments alive until the next one.
    batch.message = NO_MESSAGE;
    batch.transfer = undefined;
    batch.jobs = NO_JOBS;
    const now = Date.now();
    if (whole) {
      const number = ++this.#posted;
      this.#postLog.push(number, now);
      for (const job of jobs) {
        job.batch = number;
        job.postedAt = now;
        job.moved = job.transfer !== undefined;
      }
      this.#sent.batchPosted();
      return;
    }
    // Refused as a whole: each task that could go went as a batch of its own.
    for (const job of batch.alone) {
      job.batch = ++this.#posted;
      job.postedAt = now;
      this.#postLog.push(job.batch, now);
    }
    batch.alone = [];
    const refusals = batch.refusals;
    batch.refusals = [];
    for (const [job] of refusals) {
      this.#freeSlot(job.slot);
      this.#forget(job);
    }
    if (refusals.length > 0) this.#owner.onRefused(this, refusals);
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

  /** Stops it while it holds no task: it is idle, or the pool is done. */
  stop(): void {
    if (this.#dead) return;
    this.#dead = true;
    this.#ready = false;
    this.#close();
    for (const waiter of this.#waiters) waiter.resolve();
    this.#waiters = [];
  }

  /**
   * Stops it after it died, or to stop a task running in it. Those waiting
   * for it to start get `error`.
   *
   * @returns The tasks it held whose outcome is not decided.
   */
  retire(error: unknown): Leftovers {
    this.#dead = true;
    this.#ready = false;
    this.#outbox = [];
    const leftovers = salvage(this.#jobs, this.#states, this.#late);
    this.#inFlight = 0;
    this.#load = 0;
    this.#close();
    for (const waiter of this.#waiters) waiter.reject(error);
    this.#waiters = [];
    return leftovers;
  }

  /**
   * Stops the code running in its thread, wherever it is, and ends the
   * thread, if the worker said it can be (see _core/halt_lock.ts); otherwise its
   * thread ends once its event loop is free.
   */
  halt(): void {
    if (this.#exited || !this.#haltable) return;
    // Emits `exit` at once: the thread runs no more JavaScript.
    this.#thread.terminate();
  }

  /** Halts it if its thread has not ended `HALT_DELAY_MS` after now. */
  haltSoon(): void {
    if (this.#exited || !this.#haltable) return;
    this.#haltTimer ??= setTimeout(() => this.halt(), HALT_DELAY_MS);
    unrefTimer(this.#haltTimer);
  }

  // Asks the thread to close once its event loop is free, which an idle
  // worker does at once, and unreferences it so that it holds no process
  // open meanwhile; its `exit` event says when it has ended.
  #close(): void {
    if (this.#exited) return;
    this.#thread.postMessage([STOP]);
    // Results still to come for its late tasks keep it referenced.
    if (this.#late.size === 0) this.#thread.unref();
    this.#referenced = false;
  }

  #die(death: Death): void {
    if (!this.#dead) this.#owner.onDeath(this, death);
  }

  #onMessage(message: unknown[] | BareValue): void {
    if (this.#dead) {
      if (this.#late.size > 0) this.#onLateMessage(message);
      return;
    }
    if (!Array.isArray(message)) {
      this.#onBareResult(message);
      return;
    }
    switch (message[0]) {
      case RESULTS:
        this.overdue = false;
        this.#onResults(message);
        break;
      case READY:
        this.#ready = true;
        this.#haltable = message[1] === true;
        this.#idleSince = performance.now();
        for (const waiter of this.#waiters) waiter.resolve();
        this.#waiters = [];
        this.#owner.onReady(this);
        break;
      case CRASHED:
        this.#die(crashDeath(message[1] as SerializedError));
        break;
      case CLOSED:
        this.#die({
          reason: "closed itself: close() or Deno.exit() was called in it",
        });
        break;
    }
  }

  // A batch of one result sent as its value alone (see BARE_RESULT).
  #onBareResult(value: BareValue): void {
    this.overdue = false;
    this.#onResults(this.#bareResults(value));
  }

  // The bare result `value` as a batch of results.
  #bareResults(value: BareValue): unknown[] {
    const slot = Atomics.load(this.#states, BARE_RESULT) - 1;
    const cost = this.#activity[COST];
    Atomics.store(this.#states, BARE_RESULT, 0);
    return [RESULTS, slot, STATUS_OK, value, cost];
  }

  // Results that reach it after it was retired, for its late tasks.
  #onLateMessage(message: unknown[] | BareValue): void {
    const results = Array.isArray(message)
      ? message
      : this.#bareResults(message);
    if (results[0] !== RESULTS) return;
    const done = this.#late.take(results);
    if (this.#late.size === 0 && !this.#exited) this.#thread.unref();
    if (done.length > 0) this.#owner.onResults(this, done);
  }

  // `results` is [RESULTS, ...results], RESULT_SIZE values each.
  #onResults(results: unknown[]): void {
    // Results mean the batches they came in were received: trimmed here now
    // and then, and by the pool's watchdog.
    if (this.#postLog.length > 64) this.#trimPostLog();
    const done: unknown[] = [];
    for (let i = 1; i < results.length; i += RESULT_SIZE) {
      const slot = results[i] as number;
      const job = this.#jobs[slot];
      if (job === undefined) continue;
      this.#jobs[slot] = undefined;
      this.#freeSlot(slot);
      // A task withdrawn after it was posted: the worker skipped it.
      if (job === null) continue;
      const status = results[i + 1] as number;
      if (status !== STATUS_SKIPPED) {
        this.#costs.record(job.key, results[i + 3] as number);
      }
      this.#forget(job);
      if (!job.settled) done.push(job, status, results[i + 2]);
    }
    this.#owner.onResults(this, done);
  }

  #trimPostLog(): void {
    const log = this.#postLog;
    if (log.length === 0) return;
    const received = Atomics.load(this.#states, RECEIVED);
    let drop = 0;
    while (drop < log.length && log[drop] <= received) drop += 2;
    if (drop > 0) log.splice(0, drop);
  }

  #freeSlot(slot: number): void {
    this.#jobs[slot] = undefined;
    Atomics.store(this.#states, slot, FREE);
    this.#freeSlots.push(slot);
  }

  // `job` no longer counts as this worker's.
  #forget(job: PoolJob): void {
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
    if (this.#referenced === ref || this.#dead) return;
    this.#referenced = ref;
    if (ref) this.#thread.ref();
    else this.#thread.unref();
  }
}
