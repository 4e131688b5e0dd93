// Copyright 2026 the @frontier/generators authors. MIT license.
// The live workers of a pool: started as work needs them (and up to
// `minWorkers`), each task handed to the least loaded one, the tasks handed
// out posted once per microtask in one batch per worker, and idle workers
// unreferenced and, beyond `minWorkers`, stopped after `idleTimeout`.

import { describe } from "../_core/describe.ts";
import { BUDGET_MS, type CostModel } from "./cost_model.ts";
import type { FunctionRegistry } from "./function_registry.ts";
import { unrefTimer } from "./unref_timer.ts";
import type { PoolJob } from "./pool_job.ts";
import type { PoolSettings } from "./pool_settings.ts";
import { PoolWorker, UNREF_DELAY_MS, type WorkerOwner } from "./pool_worker.ts";
import type { Death } from "./worker_death.ts";

const WORKER_URL = new URL("./worker.ts", import.meta.url);

/** What the workers tell the pool, and what the set itself tells it. */
export interface WorkerSetOwner extends WorkerOwner {
  /** No worker could be started at all: the waiting tasks cannot run. */
  onStartFailure(death: Death): void;
}

/** What a `WorkerSet` needs. */
export interface WorkerSetOptions {
  owner: WorkerSetOwner;
  settings: PoolSettings;
  costs: CostModel;
  functions: FunctionRegistry;
}

/** Counts of workers, for the pool's stats. */
export interface WorkerCounts {
  /** Threads alive: live workers, and stopped ones still running code. */
  workers: number;
  /** Stopped workers whose thread has not ended yet. */
  stopping: number;
  starting: number;
  idle: number;
  /** Tasks the workers hold. */
  running: number;
}

function noop(): void {}

/** A pool's workers. */
export class WorkerSet {
  readonly #owner: WorkerSetOwner;
  readonly #settings: PoolSettings;
  readonly #costs: CostModel;
  readonly #functions: FunctionRegistry;
  readonly #keep: number;
  readonly #workers: PoolWorker[] = [];
  // Stopped workers whose thread has not ended: they were stopped before
  // they could be halted, and close once their event loop is free.
  readonly #stopping = new Set<PoolWorker>();
  #dirty: PoolWorker[] = [];
  #flushQueued = false;
  #started = 0;
  #startFailures = 0;
  #closed = false;
  #reapTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  #unrefTimer: ReturnType<typeof setTimeout> | undefined = undefined;

  constructor(options: WorkerSetOptions) {
    this.#owner = options.owner;
    this.#settings = options.settings;
    this.#costs = options.costs;
    this.#functions = options.functions;
    this.#keep = options.settings.minWorkers;
  }

  /** How many workers are live, starting ones included. */
  get size(): number {
    return this.#workers.length;
  }

  /** How many workers were started, replacements included. */
  get started(): number {
    return this.#started;
  }

  /** Counts of workers, and of the tasks they hold. */
  counts(): WorkerCounts {
    let starting = 0;
    let idle = 0;
    let running = 0;
    for (const worker of this.#workers) {
      running += worker.inFlight;
      if (!worker.ready) starting++;
      else if (worker.inFlight === 0) idle++;
    }
    const stopping = this.#stopping.size;
    return {
      workers: this.#workers.length + stopping,
      stopping,
      starting,
      idle,
      running,
    };
  }

  /** Whether any worker holds a task. */
  busy(): boolean {
    for (const worker of this.#workers) if (worker.inFlight > 0) return true;
    return false;
  }

  /** Whether any worker is ready. */
  anyReady(): boolean {
    return this.#workers.some((worker) => worker.ready);
  }

  /** Whether a ready worker holds no task. */
  anyIdle(): boolean {
    return this.#workers.some((worker) =>
      worker.ready && worker.inFlight === 0 && !worker.overdue
    );
  }

  /** The live workers, as they are now. */
  list(): PoolWorker[] {
    return [...this.#workers];
  }

  /**
   * Hands `job` to the least loaded ready worker, if one can take it now; it
   * is posted in a microtask, with the other tasks handed to that worker.
   *
   * @returns Whether a worker took it.
   */
  assign(job: PoolJob): boolean {
    const perWorker = this.#settings.tasksPerWorker;
    let best: PoolWorker | undefined;
    for (const worker of this.#workers) {
      if (!worker.ready || !worker.hasFreeSlot || worker.overdue) continue;
      if (perWorker === undefined) {
        if (best === undefined || worker.load < best.load) best = worker;
      } else if (
        worker.inFlight < perWorker &&
        (best === undefined || worker.inFlight < best.inFlight)
      ) best = worker;
    }
    if (best === undefined) return false;
    const expected = this.#costs.expected(job.key);
    if (
      perWorker === undefined && best.inFlight > 0 &&
      best.load + expected > BUDGET_MS
    ) return false;
    const first = best.take(job, expected);
    if (!job.future.running()) job.future.setRunning();
    if (first) this.#dirty.push(best);
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(this.#flush);
    }
    return true;
  }

  /** Starts workers for the `queued` tasks, and up to `minWorkers`. */
  ensure(queued: number): void {
    const { maxWorkers, minWorkers } = this.#settings;
    let starting = 0;
    for (const worker of this.#workers) if (!worker.ready) starting++;
    while (this.#workers.length < maxWorkers) {
      const forQueue = queued > starting;
      const forMin = !this.#closed && this.#startFailures === 0 &&
        this.#workers.length < minWorkers;
      if (!forQueue && !forMin) break;
      if (this.start() === undefined) break;
      starting++;
    }
  }

  /**
   * Starts a worker. If it cannot be made at all, the owner hears of it.
   *
   * @returns The worker, or `undefined`.
   */
  start(): PoolWorker | undefined {
    const index = ++this.#started;
    let worker: PoolWorker;
    try {
      worker = new PoolWorker(this.#owner, {
        url: WORKER_URL,
        name: `${this.#settings.name} worker ${index}`,
        moduleUrl: this.#settings.moduleUrl,
        heapLimit: this.#settings.heapLimit,
        costs: this.#costs,
        functions: this.#functions,
      });
    } catch (error) {
      this.#owner.onStartFailure({
        reason: `no worker could be started (${
          error instanceof Error ? error.message : describe(error)
        })`,
        cause: error,
      });
      return undefined;
    }
    this.#workers.push(worker);
    return worker;
  }

  /** Resolves once the workers started so far are ready. */
  whenReady(): Promise<void> {
    const waiting = this.#workers.filter((worker) => !worker.ready).map((
      worker,
    ) => worker.whenReady());
    return Promise.all(waiting).then(noop);
  }

  /** `worker` is ready: starting works again. */
  readied(worker: PoolWorker): void {
    this.#startFailures = 0;
    if (worker.inFlight === 0) this.becameIdle();
  }

  /**
   * Forgets `worker`, which died or is being killed.
   *
   * @returns Whether it had started; if not, that counts as a failure to
   * start, and no more workers start for `minWorkers` alone.
   */
  remove(worker: PoolWorker): boolean {
    this.#forget(worker);
    if (worker.ready) return true;
    this.#startFailures++;
    return false;
  }

  /** The tasks the workers hold that have not started. */
  unstarted(): PoolJob[] {
    return this.#workers.flatMap((worker) => worker.unstarted());
  }

  /** A worker became idle: unreference it soon, and maybe stop it later. */
  becameIdle(): void {
    if (this.#unrefTimer === undefined) {
      this.#unrefTimer = setTimeout(this.#unrefIdle, UNREF_DELAY_MS);
      unrefTimer(this.#unrefTimer);
    }
    this.#scheduleReap();
  }

  /** The pool is shutting down: no more workers for `minWorkers`, no reaping. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#reapTimer);
    this.#reapTimer = undefined;
  }

  /** The pool is done: stops every worker, and every timer. */
  stopAll(): void {
    for (const worker of [...this.#workers]) this.#stop(worker);
    clearTimeout(this.#reapTimer);
    this.#reapTimer = undefined;
    clearTimeout(this.#unrefTimer);
    this.#unrefTimer = undefined;
  }

  // Batches go out once per microtask: one message per worker.
  #flush = (): void => {
    this.#flushQueued = false;
    const dirty = this.#dirty;
    this.#dirty = [];
    for (const worker of dirty) if (!worker.dead) worker.send();
  };

  /** `worker`'s thread ended. */
  exited(worker: PoolWorker): void {
    this.#stopping.delete(worker);
  }

  /** Halts the threads of stopped workers that have not ended yet. */
  haltStopping(): void {
    for (const worker of [...this.#stopping]) worker.halt();
  }

  /** How many stopped workers' threads have not ended yet. */
  get stopping(): number {
    return this.#stopping.size;
  }

  // A worker is no longer live; until its thread ends, it is stopping.
  #forget(worker: PoolWorker): void {
    const index = this.#workers.indexOf(worker);
    if (index >= 0) this.#workers.splice(index, 1);
    if (!worker.exited) this.#stopping.add(worker);
  }

  // Stops a worker that holds no work (idle, or the pool is done).
  #stop(worker: PoolWorker): void {
    if (worker.dead) return;
    worker.stop();
    this.#forget(worker);
    // An idle worker closes by itself; one that does not is running code
    // the pool knows nothing of (a timer left behind by a task).
    worker.haltSoon();
  }

  #unrefIdle = (): void => {
    this.#unrefTimer = undefined;
    const now = performance.now();
    let later = false;
    for (const worker of this.#workers) {
      if (worker.unrefIfIdle(now)) later = true;
    }
    if (later) this.becameIdle();
  };

  #scheduleReap(): void {
    if (this.#reapTimer !== undefined || this.#closed) return;
    if (this.#workers.length <= this.#keep) return;
    this.#reapTimer = setTimeout(this.#reap, this.#settings.idleTimeout);
    unrefTimer(this.#reapTimer);
  }

  #reap = (): void => {
    this.#reapTimer = undefined;
    const now = performance.now();
    const idleTimeout = this.#settings.idleTimeout;
    let next = Infinity;
    for (const worker of [...this.#workers]) {
      if (this.#workers.length <= this.#keep) break;
      if (!worker.ready || worker.inFlight > 0) continue;
      const due = worker.idleSince + idleTimeout;
      if (due <= now) this.#stop(worker);
      else next = Math.min(next, due);
    }
    if (next !== Infinity && this.#workers.length > this.#keep) {
      this.#reapTimer = setTimeout(this.#reap, next - now);
      unrefTimer(this.#reapTimer);
    }
  };
}
