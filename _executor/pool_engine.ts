// Copyright 2026 the @frontier/generators authors. MIT license.
// The engine behind `WorkerPool`: the queue of tasks waiting for a worker,
// results and failures settling futures, work withdrawn when its future is
// cancelled or times out, dead workers' tasks rerun or failed, and the drain
// at shutdown (its end is in `pool_drain.ts`, the words of a worker's death
// in `worker_death.ts`). The workers themselves are in `worker_set.ts`
// (which starts, picks and stops them) and `pool_worker.ts` (each one's
// slots and messages); the public face is `worker_pool.ts`.

import { checkCount } from "../_core/checks.ts";
import type { Future } from "../future.ts";
import type { ShutdownOptions } from "../executor.ts";
import type {
  WorkerPoolMapOptions,
  WorkerPoolOptions,
  WorkerPoolStats,
} from "../worker_pool.ts";
import { CostModel } from "./cost_model.ts";
import { ERROR_CLASSES, QueueFullError } from "./errors.ts";
import { FunctionRegistry } from "./function_registry.ts";
import { JobFuture, type JobOwner } from "./job.ts";
import { LapsedTasks } from "./lapsed_tasks.ts";
import { checkLimits, type TaskLimits, timeoutError } from "./options.ts";
import { type ChunkRunner, orderedMap } from "./ordered_map.ts";
import { PoolDrain } from "./pool_drain.ts";
import { PoolJob } from "./pool_job.ts";
import {
  deserializeError,
  MODE_CALL,
  MODE_CHUNK,
  type SerializedError,
  STATUS_CANCELLED,
  STATUS_ERROR,
  STATUS_OK,
  STATUS_TIMED_OUT,
} from "./pool_protocol.ts";
import { poolSettings } from "./pool_settings.ts";
import type { PoolWorker, Refusal } from "./pool_worker.ts";
import { isTransfer, unwrapTransfer } from "./transfer.ts";
import {
  takeBackStuck,
  UNRESPONSIVE,
  unresponsive,
  Watchdog,
} from "./watchdog.ts";
import {
  checkName,
  closedError,
  errorText,
  MAP,
  SUBMIT,
} from "./pool_messages.ts";
import {
  type Death,
  diedError,
  killDeath,
  lostError,
  notReadyError,
  queuedError,
  stallDeath,
  startDeath,
} from "./worker_death.ts";
import { WorkerSet, type WorkerSetOwner } from "./worker_set.ts";

type AnyFunction = (...args: unknown[]) => unknown;

function noop(): void {}

/** A pool of workers and the tasks given to it. */
export class PoolEngine implements JobOwner<PoolJob>, WorkerSetOwner {
  readonly #max: number;
  readonly #maxQueue: number;
  readonly #moduleUrl: string | null;
  readonly #functions = new FunctionRegistry();
  readonly #workers: WorkerSet;
  readonly #watchdog = new Watchdog(() => this.#look());

  #queue: (PoolJob | undefined)[] = [];
  #head = 0;
  #queued = 0;
  #submitted = 0;

  #closed = false;
  #drain: PoolDrain | undefined = undefined;

  readonly #lapsed = new LapsedTasks();

  #completed = 0;
  #failed = 0;
  #cancelled = 0;

  /** Checks `options`, and starts `minWorkers` workers. */
  constructor(options: WorkerPoolOptions) {
    const settings = poolSettings(options);
    this.#max = settings.maxWorkers;
    this.#maxQueue = settings.maxQueue;
    this.#moduleUrl = settings.moduleUrl;
    this.#workers = new WorkerSet({
      owner: this,
      settings,
      costs: new CostModel(),
      functions: this.#functions,
    });
    this.#workers.ensure(0);
  }

  /** How many workers may run at once. */
  get maxWorkers(): number {
    return this.#max;
  }

  /** Runs `fn(...args)` in a worker. */
  submit(
    fn: AnyFunction,
    args: unknown[],
    limits?: TaskLimits,
  ): Future<unknown> {
    const key = this.#functions.keyOf(fn, SUBMIT);
    return this.#enqueue(new PoolJob(this, key, MODE_CALL, args), limits);
  }

  /** Calls the export `name` of the pool's module in a worker. */
  call(name: unknown, args: unknown[], limits?: TaskLimits): Future<unknown> {
    const key = checkName(name, "call", this.#moduleUrl);
    return this.#enqueue(new PoolJob(this, key, MODE_CALL, args), limits);
  }

  /** Runs `fn` (a function or an export's name) on every item, in order. */
  map(
    fn: AnyFunction | string,
    items: unknown,
    options: WorkerPoolMapOptions,
  ): AsyncIterableIterator<unknown> {
    const key = typeof fn === "string"
      ? checkName(fn, "map", this.#moduleUrl)
      : this.#functions.keyOf(fn, MAP);
    const { timeout, signal } = checkLimits(options, "map");
    const chunkSize = checkCount(options.chunkSize ?? 1, {
      action: "map",
      name: "option chunkSize",
      min: 1,
    });
    if (this.#closed) throw closedError("map");
    // The map's own timer stops it; the workers interrupt what still runs
    // at the same deadline.
    const deadline = timeout === undefined ? 0 : Date.now() + timeout;
    const runner: ChunkRunner<unknown> = {
      chunked: true,
      // The window bounds what a map queues, so maxQueue does not apply.
      start: (chunk) => {
        const job = new PoolJob(this, key, MODE_CHUNK, [chunk]);
        job.deadline = deadline;
        job.timeout = timeout ?? 0;
        return this.#enqueue(job, undefined);
      },
      release: (future) => this.#release(JobFuture.jobOf(future) as PoolJob),
    };
    return orderedMap(runner, items, {
      what: "map()",
      chunkSize,
      window: this.#max * 32,
      timeout,
      signal,
    });
  }

  /** Starts workers until `count` are live; resolves when they are ready. */
  warm(count: number): Promise<void> {
    if (this.#closed) throw closedError("warm the pool");
    checkCount(count, { action: "warm the pool", name: "count" });
    const target = Math.min(count, this.#max);
    while (this.#workers.size < target) {
      if (this.#workers.start() === undefined) break;
    }
    return this.#workers.whenReady();
  }

  /** Stops accepting work; stops the workers once it is done. */
  shutdown(options: ShutdownOptions): Promise<void> {
    const { wait = true, cancelPending = false } = options;
    if (!this.#closed) {
      this.#closed = true;
      this.#drain = new PoolDrain(this.#workers);
    }
    if (cancelPending) {
      const message = "the pool was shut down before the task started";
      // A snapshot: the callbacks of the cancelled futures run as they go,
      // and may change the queue (a worker killed there requeues its tasks).
      const jobs = [
        ...this.#queue.slice(this.#head),
        ...this.#workers.unstarted(),
      ];
      for (const job of jobs) {
        if (job === undefined || job.settled) continue;
        if (job.worker === undefined) job.future.cancel(message);
        else this.#release(job);
      }
    }
    this.#checkDrained();
    return wait ? this.#drain!.promise : Promise.resolve();
  }

  /** Counts of workers and tasks. */
  stats(): WorkerPoolStats {
    const counts = this.#workers.counts();
    return {
      workers: counts.workers,
      stoppingWorkers: counts.stopping,
      startingWorkers: counts.starting,
      idleWorkers: counts.idle,
      queued: this.#queued,
      running: counts.running,
      completed: this.#completed,
      failed: this.#failed,
      cancelled: this.#cancelled,
      workersStarted: this.#workers.started,
    };
  }

  // --- what jobs and workers report (JobOwner, WorkerOwner) ------------

  onCancel(job: PoolJob): void {
    this.#cancelled++;
    this.#withdraw(job, "it was cancelled", false);
  }

  onTimeout(job: PoolJob, why: string): void {
    this.#failed++;
    this.#withdraw(job, why, true);
  }

  onReady(worker: PoolWorker): void {
    this.#workers.readied(worker);
    this.#pump();
    this.#checkDrained();
  }

  // `done` holds job, status and value for each task to settle.
  onResults(worker: PoolWorker, done: unknown[]): void {
    // Refill the workers before the callbacks run: queued work starts sooner.
    this.#pump();
    // A worker with nothing to do takes over work stuck behind a long task.
    if (worker.inFlight === 0 && this.#workers.size > 1) this.#rebalance();
    for (let i = 0; i < done.length; i += 3) {
      this.#settle(done[i] as PoolJob, done[i + 1] as number, done[i + 2]);
    }
    this.#checkDrained();
  }

  onIdle(_worker: PoolWorker): void {
    this.#workers.becameIdle();
  }

  onRefused(_worker: PoolWorker, refused: readonly Refusal[]): void {
    for (const [job, error] of refused) {
      this.#settleFailed(
        job,
        new DOMException(
          `Cannot ${job.action}: the arguments could not be copied to a worker (${
            errorText(error)
          }); pass data that structured clone can copy (no functions, symbols or class instances with private state), or use LocalExecutor to stay in this isolate`,
          "DataCloneError",
        ),
      );
    }
    this.#pump();
    this.#checkDrained();
  }

  onDeath(worker: PoolWorker, death: Death): void {
    this.#retire(worker, death);
  }

  onStartFailure(death: Death): void {
    this.#failQueued(death);
  }

  onLost(_worker: PoolWorker, jobs: PoolJob[]): void {
    for (const job of jobs) this.#settleFailed(job, lostError(job));
  }

  onExit(worker: PoolWorker): void {
    this.#workers.exited(worker);
    this.#checkDrained();
  }

  // --- submitting -------------------------------------------------------

  #enqueue(job: PoolJob, limits: TaskLimits | undefined): Future<unknown> {
    if (this.#closed) throw closedError(job.action);
    let transfers: Transferable[] | undefined;
    const values = job.mode === MODE_CHUNK
      ? job.args[0] as unknown[]
      : job.args;
    for (let i = 0; i < values.length; i++) {
      if (isTransfer(values[i])) {
        transfers ??= [];
        values[i] = unwrapTransfer(values[i], transfers);
      }
    }
    job.transfer = transfers;
    job.order = ++this.#submitted;
    if (limits?.timeout !== undefined) {
      job.timeout = limits.timeout;
      job.deadline = Date.now() + limits.timeout;
    }
    if (limits !== undefined && job.settleIfAborted(limits)) return job.future;
    if (this.#queued > 0 || !this.#assign(job)) {
      // A map bounds what it queues itself: maxQueue is for submit and call.
      if (job.mode === MODE_CALL && this.#queued >= this.#maxQueue) {
        throw new QueueFullError(
          `Cannot ${job.action}: the WorkerPool queue is full (maxQueue ${this.#maxQueue} tasks already wait for its ${this.#max} workers); wait for some work to finish before submitting more, or raise maxQueue`,
        );
      }
      this.#queue.push(job);
      job.queued = true;
      this.#queued++;
      this.#workers.ensure(this.#queued);
    }
    if (limits !== undefined) job.arm(limits);
    return job.future;
  }

  #pump(): void {
    if (this.#queued === 0 && this.#head === 0) return;
    const queue = this.#queue;
    while (this.#queued > 0) {
      const job = queue[this.#head]!;
      if (job.settled || job.future.done()) {
        // Cancelled while queued (already uncounted), or settled by hand.
        queue[this.#head++] = undefined;
        if (job.queued) {
          job.queued = false;
          this.#queued--;
        }
        continue;
      }
      if (!this.#assign(job)) break;
      queue[this.#head++] = undefined;
      job.queued = false;
      this.#queued--;
    }
    if (this.#queued === 0 || this.#head > 1024) {
      queue.splice(0, this.#head);
      this.#head = 0;
    }
    if (this.#queued > 0) this.#workers.ensure(this.#queued);
  }

  #assign(job: PoolJob): boolean {
    if (!this.#workers.assign(job)) return false;
    this.#watchdog.arm();
    return true;
  }

  // Puts `jobs`, taken from a worker, back at the head of the queue, in the
  // order they were submitted.
  #requeue(jobs: PoolJob[]): void {
    if (jobs.length === 0) return;
    for (const job of jobs) job.queued = true;
    jobs.sort((a, b) => a.order - b.order);
    this.#queue = [...jobs, ...this.#queue.slice(this.#head)];
    this.#head = 0;
    this.#queued += jobs.length;
  }

  // --- watching the workers -----------------------------------------------

  // Every WATCH_MS while workers hold tasks: replaces the workers that do
  // not take up what they were sent, and hands the tasks waiting behind a
  // long task to free workers. Returns whether to look again.
  #look(): boolean {
    const lapsed = this.#lapsed.check(this.#kill);
    for (const worker of unresponsive(this.#workers.list())) {
      this.#retire(worker, { reason: UNRESPONSIVE });
    }
    this.#rebalance();
    return lapsed || this.#workers.busy();
  }

  // Hands the tasks stuck behind a long task to the free workers.
  #rebalance(): void {
    if (this.#queued > 0 || !this.#workers.anyIdle()) return;
    const taken = takeBackStuck(this.#workers.list());
    if (taken.length === 0) return;
    this.#requeue(taken);
    this.#pump();
  }

  // --- settling ---------------------------------------------------------

  #settle(job: PoolJob, status: number, value: unknown): void {
    job.settled = true;
    job.disarm();
    const future = job.future;
    if (future.done()) return;
    if (status === STATUS_OK) {
      this.#completed++;
      future.setResult(value);
    } else if (status === STATUS_ERROR) {
      this.#failed++;
      future.setException(
        deserializeError(value as SerializedError, ERROR_CLASSES),
      );
    } else if (status === STATUS_CANCELLED) {
      this.#cancelled++;
      future.cancel(value as string);
    } else if (status === STATUS_TIMED_OUT) {
      // The worker reached the deadline a moment before this thread did.
      this.#failed++;
      future.setException(timeoutError(job.what, job.timeout));
    }
  }

  #settleFailed(job: PoolJob, error: unknown): void {
    job.settled = true;
    job.disarm();
    if (job.future.done()) return;
    this.#failed++;
    job.future.setException(error);
  }

  // Stops the work of a job whose outcome was just decided elsewhere.
  #withdraw(job: PoolJob, why: string, timedOut: boolean): void {
    job.disarm();
    const worker = job.worker;
    if (worker === undefined) {
      if (job.queued) {
        // It stays in the queue, skipped by #pump.
        job.queued = false;
        this.#queued--;
        this.#checkDrained();
      }
      return;
    }
    if (worker.withdraw(job)) {
      // Not started. A worker that has not even received it while it runs
      // no task is not going to: it is replaced.
      if (timedOut && !worker.received(job) && !worker.runsTask()) {
        this.#retire(worker, stallDeath(job, why));
        return;
      }
      this.#pump();
      this.#checkDrained();
      return;
    }
    if (LapsedTasks.atDeadline(job)) {
      this.#lapsed.add(job, why);
      this.#watchdog.arm();
      return;
    }
    this.#kill(job, why);
  }

  // Stops the worker running `job`, if `job` still runs.
  #kill = (job: PoolJob, why: string): void => {
    const worker = job.worker;
    if (worker === undefined) return;
    if (worker.markKilled(job.slot)) this.#retire(worker, killDeath(job, why));
    // Otherwise it finished: its result is on the way, and is ignored.
  };

  // Gives up on a task without stopping it if it already runs: for map.
  #release(job: PoolJob): void {
    if (job.settled) return;
    const worker = job.worker;
    if (worker === undefined || worker.withdraw(job)) {
      // Not started: cancelled without touching a running worker.
      if (worker !== undefined) {
        job.settled = true;
        this.#cancelled++;
        job.disarm();
        this.#pump();
      }
      job.future.cancel("its result is no longer wanted");
      return;
    }
    job.future.addDoneCallback(noop);
  }

  // --- workers ----------------------------------------------------------

  // A worker died or is being killed: fail the tasks it had started, rerun
  // those it had not, and start a replacement if there is work.
  #retire(worker: PoolWorker, death: Death): void {
    if (worker.dead) return;
    const wasReady = this.#workers.remove(worker);
    const { rerun, failed } = worker.retire(notReadyError(death));
    this.#requeue(rerun);
    // A worker that cannot start says nothing good about the next one: with
    // no worker ready, fail the waiting work rather than loop.
    if (!wasReady && !this.#workers.anyReady()) {
      this.#failQueued(startDeath(death));
    }
    for (const job of failed) this.#settleFailed(job, diedError(job, death));
    this.#pump();
    this.#workers.ensure(this.#queued);
    this.#checkDrained();
    // Whatever still runs in it is given up on: it must stop.
    worker.haltSoon();
  }

  // Fails every queued task: `death.reason` completes "<task> failed: …".
  #failQueued(death: Death): void {
    const jobs: PoolJob[] = [];
    for (const job of this.#queue.slice(this.#head)) {
      if (job === undefined || !job.queued) continue;
      // Out of the queue before any callback runs: one that cancels a later
      // job must find it gone, not count it out a second time.
      job.queued = false;
      jobs.push(job);
    }
    this.#queue = [];
    this.#head = 0;
    this.#queued = 0;
    for (const job of jobs) this.#settleFailed(job, queuedError(job, death));
  }

  #checkDrained(): void {
    if (!this.#closed || this.#queued > 0 || this.#workers.busy()) return;
    this.#watchdog.disarm();
    this.#drain!.done();
  }
}
