// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Generator-driven tasks: the tutorial's "inlined futures". A {@linkcode Task}
 * runs a generator that waits on futures with `yield*`, and is itself a
 * future of the generator's return value.
 *
 * ```ts
 * import { sleep } from "@frontier/generators/future";
 * import { inlinedFuture, runInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * const doFunc = inlinedFuture(function* doFunc(x: number, y: number) {
 *   yield* sleep(1);
 *   return x + y;
 * });
 * assert.equal(await runInlineFuture(doFunc(2, 3)), 5);
 * ```
 *
 * @module
 */

import { CancelledError, Future, InvalidStateError, sleep } from "./future.ts";
import {
  CANCELLED,
  FAILED,
  FINISHED,
  type InspectFn,
  internals,
} from "./_core/internals.ts";
import {
  describe,
  isGeneratorFunction,
  isGeneratorLike,
  isThenable,
} from "./_core/describe.ts";
import { checkMilliseconds } from "./_core/checks.ts";
import { checkGenerator } from "./_core/check_generator.ts";
import {
  enterNested,
  leaveNested,
  QUEUE,
  queueJob,
  reportLater,
  tick,
} from "./_core/scheduler.ts";

/**
 * What a task runs: a generator that yields futures (through `yield*`) and
 * returns a `T`. Annotate generator functions with it:
 * `function* fetchAll(): Operation<string[]> { ... }`.
 */
export type Operation<T> = Generator<Future<unknown>, T, unknown>;

/** Options of {@linkcode Task}. */
export interface TaskOptions {
  /**
   * The name shown in errors and by `Deno.inspect`. Left out, it is the name
   * of the generator function if that was marked with
   * {@linkcode inlinedFuture}, and `"anonymous"` otherwise.
   *
   * @default {undefined}
   */
  name?: string;
  /**
   * Cancels the task when it is aborted; the abort reason becomes the
   * `cause` of the task's `CancelledError`. A signal that is already aborted
   * cancels the task at once: its generator never runs.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

// The phase word of a task: a phase in the low bits, flags above.
const NEW = 0; // made, step() not called
const QUEUED = 1; // step() called, first step running or queued
const RUNNING = 2; // the generator is executing
const SUSPENDED = 3; // waiting on a future
const RESUMING = 4; // a resume is queued (the time slice ran out)
const DONE = 5;
const PHASE = 7;
// What the next step sends in is stashed in the future's value slot (unused
// until the task is done); these flags say how to send it.
const SEND_ERROR = 8; // throw it in rather than send it
const CANCEL = 16; // it is the CancelledError of a pending cancel()

// Names of generator functions marked with `inlinedFuture`, by prototype:
// a generator object's prototype is its function's `prototype`.
const names = new WeakMap<object, string>();

// What few tasks need, kept out of the fields every task has: a given name,
// the task's own signal, the first cancel request (a signal asked for after it
// is made aborted), and the listener on a signal given in the options.
class TaskExtra {
  name: string | undefined = undefined;
  controller: AbortController | undefined = undefined;
  cancelled = false;
  message = "";
  cause: unknown = undefined;
  source: AbortSignal | undefined = undefined;
  listener: (() => void) | undefined = undefined;
}

// The iterator, and its own result, that `yield*` gets for a done task.
const doneStep = {
  done: true as const,
  value: undefined as unknown,
  next() {
    return this;
  },
};

// The task whose generator is running, for `currentTask()`.
let current: Task<unknown> | undefined = undefined;

// cancel() of a task that waits on a task that waits on a task... recurses
// once per level. Beyond this depth the rest is deferred to the outermost
// cancel(), which runs it before it returns, so the stack stays bounded.
const MAX_CANCEL_DEPTH = 64;
let cancelDepth = 0;
// (task, message, cause) triples, in the order the requests came.
const deferredCancels: unknown[] = [];

function cancelledError(message: string, cause: unknown): CancelledError {
  return cause === undefined
    ? new CancelledError(message)
    : new CancelledError(message, { cause });
}

/**
 * A future that drives a generator: each future the generator yields is
 * waited on, and the generator resumes with its result, or with its error
 * thrown at that `yield`. What the generator returns is the task's result;
 * what it throws is the task's error.
 *
 * A task does not start until {@linkcode step} is called (as in the
 * tutorial); {@linkcode startInlineFuture} makes and starts one. The step
 * runs at once, even from inside another task, so a child that finishes
 * without waiting is already done when its parent `yield*`s it. Only work
 * nested deeper than a few levels (a task that starts a task that starts a
 * task...) is queued and run right after, so a million tasks that start each
 * other never grow the call stack.
 *
 * Futures that are already done resume the generator in a loop, not by
 * recursion; after a time slice the task hands control back to the event
 * loop, so timers and I/O are not starved by a long run of done futures.
 *
 * @typeParam T The type of the generator's return value.
 *
 * @example The tutorial's `Task`, stepped by hand
 * ```ts
 * import { sleep } from "@frontier/generators/future";
 * import { Task } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * function* doFunc(x: number, y: number) {
 *   const result = yield* sleep(1, x + y);
 *   return result;
 * }
 * const t = new Task(doFunc(2, 3));
 * t.step(); // must initiate the first step
 * assert.equal(await t, 5);
 * ```
 *
 * @example Cancellation runs `finally` blocks, even ones that wait
 * ```ts
 * import { sleep } from "@frontier/generators/future";
 * import { startInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * const log: string[] = [];
 * const t = startInlineFuture((function* () {
 *   try {
 *     yield* sleep(60_000);
 *   } finally {
 *     yield* sleep(1);
 *     log.push("cleaned up");
 *   }
 * })());
 * t.cancel();
 * await assert.rejects(Promise.resolve(t), { name: "CancelledError" });
 * assert.deepEqual(log, ["cleaned up"]);
 * ```
 */
export class Task<T> extends Future<T> {
  // Few fields: a suspended task should weigh little more than its generator.
  #generator: Generator<unknown, T, unknown>;
  #waiting: Future<unknown> | undefined = undefined;
  #phase = NEW;
  #extra: TaskExtra | undefined = undefined;

  static {
    internals.wake = (task, future) =>
      Task.#wake(task as Task<unknown>, future);
  }

  /**
   * Wraps a generator; it does not run until {@linkcode step} is called.
   *
   * @param gen The generator object (call the generator function first).
   * @param options A name for errors and `Deno.inspect`, and a signal that
   * cancels the task.
   * @throws {TypeError} If `gen` is not a generator object, or the `signal`
   * option not an `AbortSignal`.
   */
  constructor(gen: Generator<unknown, T, unknown>, options?: TaskOptions) {
    super();
    checkGenerator(gen, "create a Task");
    internals.seal(this as Task<unknown>);
    this.#generator = gen;
    if (options !== undefined) this.#configure(options);
  }

  /** The task's name: from the options, or its marked generator function. */
  get name(): string {
    return this.#extra?.name ??
      names.get(Object.getPrototypeOf(this.#generator)) ?? "anonymous";
  }

  /**
   * An `AbortSignal` that is aborted the moment the task is cancelled, with
   * a `CancelledError` as its reason (also when the task then handles the
   * cancellation and returns a value). Hand it to `fetch` and any other API
   * that takes one, so that cancelling the task stops that work too.
   *
   * @example
   * ```ts
   * import { Future } from "@frontier/generators/future";
   * import { startInlineFuture } from "@frontier/generators/task";
   * import assert from "node:assert/strict";
   *
   * const t = startInlineFuture((function* () {
   *   yield* new Future<void>(); // stands in for work that takes a while
   * })());
   * const reasons: string[] = [];
   * t.signal.addEventListener("abort", () => {
   *   reasons.push((t.signal.reason as Error).name);
   * });
   * t.cancel();
   * assert.deepEqual(reasons, ["CancelledError"]);
   * ```
   */
  get signal(): AbortSignal {
    const extra = this.#extra ??= new TaskExtra();
    if (extra.controller === undefined) {
      extra.controller = new AbortController();
      if (extra.cancelled) {
        extra.controller.abort(cancelledError(extra.message, extra.cause));
      }
    }
    return extra.controller.signal;
  }

  /**
   * Takes the first step: runs the generator to its first `yield`, sending in
   * `value`, or throwing `error` at the start. Called from deeply nested task
   * work, the step is queued and taken right after (see {@linkcode Task}).
   *
   * @example
   * ```ts
   * import { Task } from "@frontier/generators/task";
   * import assert from "node:assert/strict";
   *
   * const t = new Task((function* () {
   *   return "ran";
   * })());
   * t.step();
   * assert.equal(t.result(), "ran");
   * ```
   *
   * @param value Sent to the generator (a fresh generator ignores it).
   * @param error If given, thrown into the generator instead.
   * @throws {InvalidStateError} If the task was already started. A task
   * cancelled before its first step ignores the call.
   */
  step(value?: unknown, error?: unknown): void {
    if (this.#phase !== NEW) {
      if (this.#phase === DONE && this.cancelled()) return;
      throw new InvalidStateError(
        `Cannot step task ${this.name}: it has already started; a task resumes by itself when the future it waits on is done`,
      );
    }
    const sent = error === undefined ? value : error;
    const answer = enterNested();
    if (answer === QUEUE) {
      internals.stash(this as Task<unknown>, sent);
      this.#phase = error === undefined ? QUEUED : QUEUED | SEND_ERROR;
      queueJob(Task.#resume, this as Task<unknown>);
      return;
    }
    // The common case, run at once without a queued call.
    internals.markRunning(this as Task<unknown>);
    try {
      this.#drive(sent, error !== undefined);
    } catch (thrown) {
      reportLater(thrown);
    } finally {
      leaveNested(answer);
    }
  }

  /**
   * Cancels the task. A task that has not started ends cancelled without
   * running its generator. Otherwise its {@linkcode signal} is aborted and
   * the future it waits on is cancelled: if that future accepts (its
   * `cancel()` returns `true`), the task goes on with that future's outcome,
   * usually its `CancelledError` thrown at the current `yield` (a child task
   * that handles its cancellation and returns a value gives that value);
   * if it refuses, a `CancelledError` is thrown in once it is done. So
   * `finally` blocks and context managers run, and may still wait. If the
   * error propagates out, the task ends cancelled; if the generator handles
   * it and returns, the task ends with that value.
   *
   * Cancelling the outermost of a million tasks, each waiting on the next,
   * does not grow the call stack.
   *
   * @example
   * ```ts
   * import { sleep } from "@frontier/generators/future";
   * import { startInlineFuture } from "@frontier/generators/task";
   * import assert from "node:assert/strict";
   *
   * const t = startInlineFuture((function* () {
   *   try {
   *     yield* sleep(60_000);
   *     return "slept";
   *   } catch {
   *     return "woken";
   *   }
   * })());
   * assert.equal(t.cancel(), true);
   * assert.equal(t.result(), "woken");
   * ```
   *
   * @param message The message of the `CancelledError`.
   * @returns `true` if the task was not done yet.
   */
  override cancel(message?: string): boolean {
    return this.#cancel(message, undefined);
  }

  /**
   * Cancels the task if it is not done, so that leaving a `using` block
   * stops a task started in it.
   *
   * @example
   * ```ts
   * import { sleep } from "@frontier/generators/future";
   * import { startInlineFuture, type Task } from "@frontier/generators/task";
   * import assert from "node:assert/strict";
   *
   * let escaped: Task<void>;
   * {
   *   using heartbeat = startInlineFuture((function* () {
   *     for (;;) yield* sleep(1_000);
   *   })());
   *   escaped = heartbeat;
   * }
   * assert.equal(escaped.cancelled(), true);
   * ```
   */
  [Symbol.dispose](): void {
    this.#cancel(undefined, undefined);
  }

  /**
   * Makes `yield* task` work inside another task, as for any future (see
   * `Future`): it suspends until the task is done, then evaluates to its
   * result or throws its error. Joining a task that is already done, the
   * common case of a child that finished without waiting, allocates nothing.
   *
   * @example
   * ```ts
   * import { startInlineFuture } from "@frontier/generators/task";
   * import assert from "node:assert/strict";
   *
   * const t = startInlineFuture((function* () {
   *   const child = startInlineFuture((function* () {
   *     return 20;
   *   })());
   *   return (yield* child) + 1;
   * })());
   * assert.equal(t.result(), 21);
   * ```
   */
  override [Symbol.iterator](): Iterator<Future<T>, T, unknown> {
    if (this.#phase !== DONE || tick()) return super[Symbol.iterator]();
    // yield* reads the value as soon as next() returns, before any other
    // code runs, so one shared result object serves every done task.
    doneStep.value = this.result();
    return doneStep as Iterator<Future<T>, T, unknown>;
  }

  /**
   * Not supported: a task's result is what its generator returns.
   *
   * @example
   * ```ts
   * import { Task } from "@frontier/generators/task";
   * import assert from "node:assert/strict";
   *
   * const t = new Task((function* () {})());
   * assert.throws(() => t.setResult(undefined), { name: "InvalidStateError" });
   * ```
   *
   * @throws {InvalidStateError} Always.
   */
  override setResult(_value: T): never {
    throw new InvalidStateError(
      `Cannot set the result of task ${this.name}: a task's result is what its generator returns; return it from the generator`,
    );
  }

  /**
   * Not supported: a task's error is what its generator throws.
   *
   * @example
   * ```ts
   * import { Task } from "@frontier/generators/task";
   * import assert from "node:assert/strict";
   *
   * const t = new Task((function* () {})());
   * assert.throws(() => t.setException(new Error()), {
   *   name: "InvalidStateError",
   * });
   * ```
   *
   * @throws {InvalidStateError} Always.
   */
  override setException(_error: unknown): never {
    throw new InvalidStateError(
      `Cannot set the exception of task ${this.name}: a task's error is what its generator throws; throw it from the generator`,
    );
  }

  /**
   * Not supported: a task marks itself running when it takes its first step.
   *
   * @example
   * ```ts
   * import { Task } from "@frontier/generators/task";
   * import assert from "node:assert/strict";
   *
   * const t = new Task((function* () {})());
   * assert.throws(() => t.setRunning(), { name: "InvalidStateError" });
   * ```
   *
   * @throws {InvalidStateError} Always.
   */
  override setRunning(): never {
    throw new InvalidStateError(
      `Cannot mark task ${this.name} running: a task is running from its first step() on; call step() to start it`,
    );
  }

  /**
   * Shows the name and state, like `Task doFunc { <running> }`.
   *
   * @example
   * ```ts
   * import { inlinedFuture, Task } from "@frontier/generators/task";
   * import assert from "node:assert/strict";
   *
   * const ticker = inlinedFuture(function* ticker() {});
   * assert.equal(Deno.inspect(new Task(ticker())), "Task ticker { <pending> }");
   * ```
   */
  [Symbol.for("Deno.customInspect")](
    inspect: InspectFn,
    options: unknown,
  ): string {
    return internals.format(
      this as Task<unknown>,
      `Task ${this.name}`,
      inspect,
      options,
    );
  }

  #configure(options: TaskOptions): void {
    const { name, signal } = options;
    if (name !== undefined) {
      (this.#extra ??= new TaskExtra()).name = String(name);
    }
    if (signal === undefined) return;
    if (!(signal instanceof AbortSignal)) {
      throw new TypeError(
        `Cannot create a Task: option signal must be an AbortSignal, got ${
          describe(signal)
        }; pass controller.signal, or leave it out`,
      );
    }
    if (signal.aborted) {
      this.#cancel(undefined, signal.reason);
      return;
    }
    const extra = this.#extra ??= new TaskExtra();
    extra.source = signal;
    extra.listener = () => this.#cancel(undefined, signal.reason);
    signal.addEventListener("abort", extra.listener, { once: true });
  }

  #cancel(message: string | undefined, cause: unknown): boolean {
    if (this.done()) return false;
    if (cancelDepth >= MAX_CANCEL_DEPTH) {
      deferredCancels.push(this, message, cause);
      return true;
    }
    cancelDepth++;
    try {
      this.#cancelNow(message, cause);
    } finally {
      cancelDepth--;
      if (cancelDepth === 0 && deferredCancels.length > 0) Task.#runDeferred();
    }
    return true;
  }

  static #runDeferred(): void {
    // Deeper requests made meanwhile are appended, and this loop takes them.
    cancelDepth++;
    try {
      for (let i = 0; i < deferredCancels.length; i += 3) {
        const task = deferredCancels[i] as Task<unknown>;
        const message = deferredCancels[i + 1] as string | undefined;
        const cause = deferredCancels[i + 2];
        deferredCancels[i] = deferredCancels[i + 2] = undefined;
        try {
          if (!task.done()) task.#cancelNow(message, cause);
        } catch (error) {
          reportLater(error);
        }
      }
    } finally {
      deferredCancels.length = 0;
      cancelDepth--;
    }
  }

  #cancelNow(message: string | undefined, cause: unknown): void {
    const text = message ?? `Task ${this.name} was cancelled`;
    this.#requested(text, cause);
    const phase = this.#phase & PHASE;
    if (phase === NEW || phase === QUEUED) {
      this.#phase = DONE;
      try {
        this.#generator.return(undefined as T);
      } finally {
        this.#finish(CANCELLED, cancelledError(text, cause));
      }
      return;
    }
    if (phase === DONE) return;
    if (phase === SUSPENDED) {
      const waiting = this.#waiting!;
      // asyncio's rule: a future that accepts the cancel decides the outcome.
      if (waiting.cancel(text)) return;
      if (this.done()) return;
    }
    // Delivered when the generator next resumes, instead of what it would
    // have been sent: at once when it is running or about to resume, when
    // the future that refused to be cancelled is done otherwise.
    this.#phase = (this.#phase & PHASE) | SEND_ERROR | CANCEL;
    internals.stash(this as Task<unknown>, cancelledError(text, cause));
  }

  /** Records the first cancel request, and aborts the signal if there is one. */
  #requested(message: string, cause: unknown): void {
    const extra = this.#extra ??= new TaskExtra();
    if (extra.cancelled) return;
    extra.cancelled = true;
    extra.message = message;
    extra.cause = cause;
    extra.controller?.abort(cancelledError(message, cause));
  }

  static #resume(task: Task<unknown>): void {
    // A queued step: what it sends in was stashed in the future's value slot.
    const flags = task.#phase;
    if ((flags & PHASE) === DONE) return;
    if ((flags & PHASE) === QUEUED) internals.markRunning(task);
    const sent = internals.peek(task);
    internals.stash(task, undefined);
    task.#drive(sent, (flags & SEND_ERROR) !== 0);
  }

  static #wake(task: Task<unknown>, future: Future<unknown>): void {
    if (task.#waiting !== future) return;
    task.#waiting = undefined;
    const failed = internals.state(future) !== FINISHED;
    const outcome = internals.take(future);
    if (!(task.#phase & CANCEL)) {
      if (failed && task.#extra !== undefined) task.#withCause(outcome);
      task.#drive(outcome, failed);
      return;
    }
    // A pending cancel() wins; an error the future failed with meanwhile goes
    // with it as its cause rather than being dropped.
    const cancelled = internals.peek(task) as CancelledError;
    internals.stash(task, undefined);
    if (failed && !(outcome instanceof CancelledError)) {
      cancelled.cause ??= outcome;
    }
    task.#drive(cancelled, true);
  }

  /** Runs the generator from its current yield, sending in `sent`. */
  #drive(sent: unknown, isError: boolean): void {
    // No try/finally (it costs the hottest path): #run does not throw.
    const outer = current;
    current = this as Task<unknown>;
    this.#run(sent, isError);
    current = outer;
  }

  #run(sent: unknown, isError: boolean): void {
    const self = this as Task<unknown>;
    this.#phase = RUNNING;
    const generator = this.#generator;
    for (;;) {
      let next: IteratorResult<unknown, T>;
      try {
        next = isError ? generator.throw(sent) : generator.next(sent);
      } catch (thrown) {
        this.#finish(
          thrown instanceof CancelledError ? CANCELLED : FAILED,
          thrown,
        );
        return;
      }
      if (next.done) {
        if (this.#phase & CANCEL) {
          // cancel() was called while the generator ran, and it returned
          // before reaching a yield: the request is not dropped.
          this.#finish(CANCELLED, internals.peek(self));
        } else this.#finish(FINISHED, next.value);
        return;
      }
      const future = next.value;
      if ((this.#phase & CANCEL) && !this.#cancelYielded(future)) {
        // cancel() was called while the generator ran: do not wait.
        isError = true;
        sent = internals.peek(self);
        internals.stash(self, undefined);
        this.#phase = RUNNING;
      } else if (!(future instanceof Future) || future === this) {
        sent = this.#badYield(future);
        isError = true;
      } else if (internals.state(future) >= FINISHED) {
        // The fast path: no suspension, no callback, no recursion.
        isError = internals.state(future) !== FINISHED;
        sent = internals.take(future);
        if (isError && this.#extra !== undefined) this.#withCause(sent);
      } else {
        this.#phase = (this.#phase & CANCEL) | SUSPENDED;
        this.#waiting = future;
        internals.addWaiter(future, this);
        return;
      }
      if (tick()) {
        // The time slice is used up: resume from the run queue, after the
        // event loop has had its turn.
        internals.stash(self, sent);
        this.#phase = isError ? RESUMING | SEND_ERROR : RESUMING;
        queueJob(Task.#resume, self);
        return;
      }
    }
  }

  /**
   * A future yielded while a cancel request is pending is cancelled in turn,
   * as asyncio does. Returns whether to wait on it: it accepted (the task
   * follows its outcome) or it refused (the request waits for it to be done).
   */
  #cancelYielded(future: unknown): boolean {
    if (!(future instanceof Future) || future === this || future.done()) {
      return false;
    }
    const error = internals.peek(this as Task<unknown>) as CancelledError;
    let accepted = false;
    try {
      accepted = future.cancel(error.message);
    } catch (thrown) {
      reportLater(thrown);
    }
    if (accepted) {
      internals.stash(this as Task<unknown>, undefined);
      this.#phase = RUNNING;
    }
    return true;
  }

  /**
   * A `CancelledError` that a cancel request with a cause (an abort reason)
   * brought back from the future it cancelled carries that cause too.
   */
  #withCause(error: unknown): void {
    const cause = this.#extra!.cause;
    if (cause !== undefined && error instanceof CancelledError) {
      error.cause ??= cause;
    }
  }

  #finish(state: number, value: unknown): void {
    this.#phase = DONE;
    this.#waiting = undefined;
    const extra = this.#extra;
    if (extra?.source !== undefined) {
      extra.source.removeEventListener("abort", extra.listener!);
      extra.source = extra.listener = undefined;
    }
    internals.settle(this as Task<unknown>, state, value);
  }

  #badYield(value: unknown): TypeError {
    if (value === this) {
      return new TypeError(
        `Cannot wait in task ${this.name}: it yielded itself, and a task cannot wait for its own result`,
      );
    }
    const hint = isGeneratorLike(value)
      ? "to run a generator, delegate to it with `yield*` instead of `yield`"
      : isThenable(value)
      ? "wrap a promise in a future: `yield* Future.from(promise)`"
      : "wait for a future with `yield* future`";
    return new TypeError(
      `Cannot wait in task ${this.name}: it yielded ${
        describe(value)
      }, but a task's generator may only yield futures; ${hint}`,
    );
  }
}

/**
 * The task whose generator is running right now, or `undefined` outside any
 * task (in a done callback, in `async` code). Inside a task started by
 * `taskGroup`, `timeout` or `spawn`, it is that task, not the one that
 * started it.
 *
 * @example
 * ```ts
 * import { currentTask, startInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * const t = startInlineFuture((function* () {
 *   return currentTask();
 * })());
 * assert.equal(t.result(), t);
 * assert.equal(currentTask(), undefined);
 * ```
 *
 * @returns The running task, or `undefined`.
 */
export function currentTask(): Task<unknown> | undefined {
  return current;
}

/**
 * Marks a generator function as an inlined future, the tutorial's
 * `@inlined_future`: it checks that `fn` is a generator function, records its
 * name for the tasks that run it, and returns it unchanged.
 *
 * @example
 * ```ts
 * import { sleep } from "@frontier/generators/future";
 * import { inlinedFuture, startInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * const doFunc = inlinedFuture(function* doFunc(x: number, y: number) {
 *   return (yield* sleep(1, x)) + y;
 * });
 * const t = startInlineFuture(doFunc(2, 3));
 * assert.equal(t.name, "doFunc");
 * assert.equal(await t, 5);
 * ```
 *
 * @param fn A generator function.
 * @returns `fn` itself.
 * @throws {TypeError} If `fn` is not a generator function.
 */
export function inlinedFuture<
  F extends (...args: never[]) => Generator<unknown, unknown, unknown>,
>(fn: F): F {
  if (!isGeneratorFunction(fn)) {
    throw new TypeError(
      `Cannot mark an inlined future: expected a generator function (function*), got ${
        describe(fn)
      }; write it as function*`,
    );
  }
  names.set(fn.prototype, fn.name || "anonymous");
  return fn;
}

/**
 * Makes a task for `gen` and takes its first step.
 *
 * @example Running inlined futures in parallel
 * ```ts
 * import { sleep } from "@frontier/generators/future";
 * import { startInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * function* doFunc(x: number, y: number) {
 *   return yield* sleep(5, x + y);
 * }
 * const t1 = startInlineFuture(doFunc(2, 3));
 * const t2 = startInlineFuture(doFunc(4, 5));
 * assert.deepEqual([await t1, await t2], [5, 9]);
 * ```
 *
 * @example Cancelled by an AbortSignal
 * ```ts
 * import { sleep } from "@frontier/generators/future";
 * import { startInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * const controller = new AbortController();
 * const t = startInlineFuture((function* () {
 *   yield* sleep(60_000);
 * })(), { signal: controller.signal });
 * controller.abort(new Error("user pressed stop"));
 * assert.equal(t.cancelled(), true);
 * assert.throws(() => t.result(), { cause: controller.signal.reason });
 * ```
 *
 * @param gen The generator object.
 * @param options A name for the task, and a signal that cancels it.
 */
export function startInlineFuture<T>(
  gen: Generator<unknown, T, unknown>,
  options?: TaskOptions,
): Task<T> {
  const task = new Task(gen, options);
  task.step();
  return task;
}

/**
 * Runs `gen` as a task and returns a promise of its result: the tutorial's
 * `run_inline_future`, which cannot block in JavaScript, so it is awaited.
 *
 * @example
 * ```ts
 * import { sleep } from "@frontier/generators/future";
 * import { runInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * function* doFunc(x: number, y: number) {
 *   return yield* sleep(1, x + y);
 * }
 * assert.equal(await runInlineFuture(doFunc(2, 3)), 5);
 * ```
 *
 * @example A signal that is already aborted: the generator never runs
 * ```ts
 * import { runInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * let ran = false;
 * const signal = AbortSignal.abort("too late");
 * // deno-lint-ignore require-yield -- it would return at once
 * const work = (function* () {
 *   ran = true;
 * })();
 * await assert.rejects(runInlineFuture(work, { signal }), {
 *   name: "CancelledError",
 *   cause: "too late",
 * });
 * assert.equal(ran, false);
 * ```
 *
 * @param gen The generator object.
 * @param options A name for the task, and a signal that cancels it.
 */
export function runInlineFuture<T>(
  gen: Generator<unknown, T, unknown>,
  options?: TaskOptions,
): Promise<T> {
  return startInlineFuture(gen, options).then();
}

const runAfter = inlinedFuture(function* after<T>(
  ms: number,
  gen: Generator<unknown, T, unknown>,
): Generator<unknown, T, unknown> {
  yield* sleep(ms);
  return yield* gen;
});

/**
 * An operation that waits `ms` milliseconds, then delegates to `gen` with
 * `yield*` and returns its result: the tutorial's `after` puzzler, solved.
 *
 * @example
 * ```ts
 * import { sleep } from "@frontier/generators/future";
 * import { after, runInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * function* doFunc(x: number, y: number) {
 *   return yield* sleep(1, x + y);
 * }
 * assert.equal(await runInlineFuture(after(10, doFunc(2, 3))), 5);
 * ```
 *
 * @param ms The delay in milliseconds.
 * @param gen The generator to run after it.
 * @throws {TypeError} If `gen` is not a generator object.
 * @throws {RangeError} If `ms` is not a finite number >= 0.
 */
export function after<T>(
  ms: number,
  gen: Generator<unknown, T, unknown>,
): Generator<unknown, T, unknown> {
  checkGenerator(gen, "run after()");
  return runAfter(
    checkMilliseconds(ms, { action: "run after()", name: "ms" }),
    gen,
  );
}
