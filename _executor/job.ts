// Copyright 2026 the @frontier/generators authors. MIT license.
// The life of one piece of submitted work, the same in both executors: the
// future handed to the caller, whose `cancel()` also withdraws the work, and
// the `timeout` and `signal` that can end it early. The executor that runs
// the job owns the rest (queues, slots, workers) and hears of an outcome
// decided from outside through a `JobOwner`.

import { CANCELLED, internals } from "../_core/internals.ts";
import { CancelledError, Future } from "../future.ts";
import {
  abortMessage,
  abortTimeout,
  type TaskLimits,
  timeoutError,
} from "./options.ts";

const NOT_ABORTED = Symbol("not aborted");

/** What a job tells the executor that runs it. */
export interface JobOwner<J extends Job> {
  /**
   * The job's future was cancelled (by the caller, or by its signal) before
   * its work ended: count it, and stop the work as far as it can be.
   */
  onCancel(job: J): void;
  /**
   * The job failed from outside (its timeout passed, or its signal timed
   * out): count it, and stop the work; `why` says what happened, for the
   * messages of other tasks this stops too. The job's future fails next.
   */
  onTimeout(job: J, why: string): void;
}

/** One piece of submitted work; each executor adds what it needs. */
export abstract class Job {
  /** Names the work in messages, e.g. `submit()` or `call("add")`. */
  abstract readonly what: string;
  /** Whether the outcome of `future` is decided (it may still be settling). */
  settled = false;
  /** The future handed to the caller. */
  readonly future: JobFuture<unknown>;
  /** The executor that runs the job. */
  readonly owner: JobOwner<Job>;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #signal: AbortSignal | undefined = undefined;
  #onAbort: (() => void) | undefined = undefined;
  // The work's own signal, made when first asked for: most work never reads
  // it. `#abortReason` keeps why the work was stopped until then.
  #controller: AbortController | undefined = undefined;
  #abortReason: unknown = NOT_ABORTED;

  constructor(owner: JobOwner<Job>) {
    this.owner = owner;
    this.future = new JobFuture(this);
  }

  /**
   * Settles the job at once if its signal was aborted before it could be
   * queued: then it must not run.
   *
   * @returns Whether the signal was aborted.
   */
  settleIfAborted(limits: TaskLimits): boolean {
    const signal = limits.signal;
    if (signal === undefined || !signal.aborted) return false;
    this.#abort(signal);
    return true;
  }

  /** Arms the timeout and listens to the signal, once the job is queued. */
  arm(limits: TaskLimits): void {
    const { timeout, signal } = limits;
    if (timeout !== undefined) {
      this.#timer = setTimeout(() => this.#timeOut(timeout), timeout);
    }
    if (signal !== undefined) {
      this.#signal = signal;
      this.#onAbort = () => this.#abort(signal);
      signal.addEventListener("abort", this.#onAbort, { once: true });
    }
  }

  /**
   * The signal handed to the work: aborted when the job is cancelled (with
   * the `CancelledError` as its reason) or times out (with the
   * `TimeoutError`), before the work is stopped, so the work hears of it.
   */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#abortReason !== NOT_ABORTED) {
        this.#controller.abort(this.#abortReason);
      }
    }
    return this.#controller.signal;
  }

  /** Aborts the work's signal with `reason`, once. */
  abortSignal(reason: unknown): void {
    if (this.#abortReason !== NOT_ABORTED) return;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
  }

  /** Clears the timeout and stops listening to the signal. */
  disarm(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#onAbort !== undefined) {
      this.#signal!.removeEventListener("abort", this.#onAbort);
      this.#onAbort = undefined;
    }
  }

  #timeOut(ms: number): void {
    this.#timer = undefined;
    if (this.settled) return;
    this.settled = true;
    const error = timeoutError(this.what, ms);
    this.abortSignal(error);
    this.owner.onTimeout(this, `its timeout of ${ms} ms passed`);
    // The future may have been settled by hand in the meantime.
    if (!this.future.done()) this.future.setException(error);
  }

  #abort(signal: AbortSignal): void {
    const timedOut = abortTimeout(this.what, signal);
    if (timedOut === undefined) {
      this.future.cancel(abortMessage(this.what, signal));
      return;
    }
    if (this.settled) return;
    this.settled = true;
    this.abortSignal(timedOut);
    this.owner.onTimeout(this, "its signal timed out");
    if (!this.future.done()) this.future.setException(timedOut);
  }
}

/**
 * A job's future: its `cancel()` also withdraws the work behind it (a queued
 * job is dropped, a running one stopped as far as its executor can).
 */
export class JobFuture<T> extends Future<T> {
  readonly #job: Job;

  constructor(job: Job) {
    super();
    this.#job = job;
  }

  /** The job behind `future`, a future an executor handed out. */
  static jobOf(future: Future<unknown>): Job {
    return (future as JobFuture<unknown>).#job;
  }

  override cancel(message?: string): boolean {
    if (this.done()) return false;
    const job = this.#job;
    // Made first: it is the reason of the work's aborted signal.
    const error = new CancelledError(message ?? `${job.what} was cancelled`);
    if (!job.settled) {
      job.settled = true;
      job.abortSignal(error);
      job.owner.onCancel(job);
    }
    if (this.done()) return false;
    internals.settle(this, CANCELLED, error);
    return true;
  }
}

/**
 * What `this` is inside a function a `LocalExecutor` runs: the job's signal,
 * without the rest of the job.
 */
export class JobContext {
  readonly #job: Job;

  constructor(job: Job) {
    this.#job = job;
  }

  /** Aborted when the work is cancelled or times out. */
  get signal(): AbortSignal {
    return this.#job.signal;
  }
}
