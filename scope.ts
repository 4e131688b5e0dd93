// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Structured concurrency for tasks, after asyncio and Trio: a
 * {@linkcode taskGroup} runs children that cannot outlive it, and the first
 * failure cancels the rest; {@linkcode timeout} and {@linkcode waitFor} put a
 * deadline on work; {@linkcode shield} keeps a cancellation away from work;
 * {@linkcode race} keeps the first outcome and cancels the others.
 *
 * Each of them runs its work as tasks of their own (`currentTask()` inside is
 * that task, with its own `signal`), and waits for that work to end before it
 * settles: nothing is left running behind your back.
 *
 * ```ts
 * import { sleep } from "@frontier/generators/future";
 * import { runInlineFuture } from "@frontier/generators/task";
 * import { taskGroup, timeout } from "@frontier/generators/scope";
 * import assert from "node:assert/strict";
 *
 * function* fetchNumber(n: number) {
 *   return yield* sleep(n, n); // stands in for I/O
 * }
 *
 * const sum = await runInlineFuture(timeout(1_000, taskGroup(function* (group) {
 *   const a = group.spawn(fetchNumber(2));
 *   const b = group.spawn(fetchNumber(3));
 *   return (yield* a) + (yield* b);
 * })));
 * assert.equal(sum, 5);
 * ```
 *
 * @module
 */

import {
  CancelledError,
  Future,
  type FutureValue,
  InvalidStateError,
  TimeoutError,
} from "./future.ts";
import { currentTask, type Operation, Task, type TaskOptions } from "./task.ts";
import { checkGenerator } from "./_core/check_generator.ts";
import { describe, isGeneratorLike, isThenable } from "./_core/describe.ts";
import { FAILED, internals } from "./_core/internals.ts";
import { type CancelHandler, settleLike } from "./_core/joined.ts";
import { GroupCore } from "./_core/task_group.ts";
import { TargetDeadline } from "./_core/wait_for.ts";
import { Race } from "./_core/race.ts";
import { reportUnobserved } from "./_core/report.ts";

// A future handed out for work that must end before it settles: its cancel()
// is passed on to that work, which settles it once it has ended.
class Joined<T> extends Future<T> {
  #handler: CancelHandler | undefined = undefined;

  setHandler(handler: CancelHandler): this {
    this.#handler = handler;
    return this;
  }

  override cancel(message?: string): boolean {
    if (this.done()) return false;
    return this.#handler!.onCancel(message);
  }
}

// The machinery of a group and its join future, for `taskGroup` below.
let coreOf: (group: TaskGroup) => GroupCore;
let joinOf: (group: TaskGroup) => Future<unknown>;

/**
 * A group of child tasks that ends only when all of them have (asyncio's
 * `TaskGroup`, Trio's nursery), for `async` code: `await using group = new
 * TaskGroup()`. In a task, use the operation {@linkcode taskGroup}, whose
 * body receives one of these.
 *
 * - {@linkcode TaskGroup.spawn} starts a child task at once.
 * - The first child that fails (with anything but `CancelledError`) cancels
 *   every other child; cancelling one child alone is no failure.
 * - Leaving the `await using` block waits for every child, then throws an
 *   `AggregateError` of all the failures (always an `AggregateError`, even
 *   for one).
 * - {@linkcode TaskGroup.cancel} cancels every child and ends quietly.
 *
 * An error thrown by the block itself cannot reach the group (dispose never
 * sees it): the children run to their end, and if they fail too, the two
 * errors meet as a `SuppressedError`. Where the block can fail, prefer
 * {@linkcode taskGroup}, where a failing body cancels the children. A group
 * must be disposed of: its failures are raised there, and only there.
 *
 * @example
 * ```ts
 * import { sleep } from "@frontier/generators/future";
 * import { TaskGroup } from "@frontier/generators/scope";
 * import assert from "node:assert/strict";
 *
 * const log: string[] = [];
 * function* worker(name: string, ms: number) {
 *   yield* sleep(ms);
 *   log.push(name);
 * }
 * {
 *   await using group = new TaskGroup();
 *   group.spawn(worker("slow", 10));
 *   group.spawn(worker("fast", 1));
 * } // waits here for both
 * assert.deepEqual(log, ["fast", "slow"]);
 * ```
 *
 * @example The first failure cancels the others
 * ```ts
 * import { sleep } from "@frontier/generators/future";
 * import { TaskGroup } from "@frontier/generators/scope";
 * import assert from "node:assert/strict";
 *
 * const group = new TaskGroup();
 * const slow = group.spawn((function* () {
 *   yield* sleep(60_000);
 * })());
 * group.spawn((function* () {
 *   yield* sleep(1);
 *   throw new RangeError("bad input");
 * })());
 * await assert.rejects(group[Symbol.asyncDispose](), (error) => {
 *   assert.ok(error instanceof AggregateError);
 *   assert.equal(error.errors[0].message, "bad input");
 *   return true;
 * });
 * assert.equal(slow.cancelled(), true);
 * ```
 */
export class TaskGroup implements AsyncDisposable {
  #core: GroupCore;
  #join: Joined<unknown>;
  #body = false;
  #disposed: Promise<void> | undefined = undefined;

  static {
    coreOf = (group) => {
      group.#body = true;
      return group.#core;
    };
    joinOf = (group) => group.#join;
  }

  /** Makes an empty group; add children with {@linkcode TaskGroup.spawn}. */
  constructor() {
    const join = new Joined<unknown>();
    this.#core = new GroupCore({
      join,
      cancelled: (message) => new CancelledError(message),
    });
    this.#join = join.setHandler(this.#core);
  }

  /**
   * Starts `gen` as a child task of the group, at once, and returns it. The
   * child is registered before its first step, so even a child that fails
   * at once is the group's to report.
   *
   * @example
   * ```ts
   * import { taskGroup } from "@frontier/generators/scope";
   * import { runInlineFuture } from "@frontier/generators/task";
   * import assert from "node:assert/strict";
   *
   * const names = await runInlineFuture(taskGroup(function* (group) {
   *   // deno-lint-ignore require-yield -- a child that returns at once
   *   const child = group.spawn((function* () {
   *     return "done";
   *   })(), { name: "child" });
   *   return [child.name, yield* child];
   * }));
   * assert.deepEqual(names, ["child", "done"]);
   * ```
   *
   * @param gen The generator object to run.
   * @param options A name for the task, and a signal that cancels it.
   * @returns The child task.
   * @throws {InvalidStateError} If the group is shutting down (after a
   * failure or a cancellation) or has finished (its body has ended and no
   * child is left).
   * @throws {TypeError} If `gen` is not a generator object.
   */
  spawn<T>(
    gen: Generator<unknown, T, unknown>,
    options?: TaskOptions,
  ): Task<T> {
    const core = this.#core;
    if (!core.open) {
      checkGenerator(gen, "spawn a task in the group");
      gen.return(undefined as T);
      throw new InvalidStateError(
        `Cannot spawn a task in the group: ${core.refusal()}; spawn while the group runs, or use a new group`,
      );
    }
    const task = new Task(gen, options);
    core.start(task as Task<unknown>);
    return task;
  }

  /**
   * Cancels every child (and, in {@linkcode taskGroup}, the body), and ends
   * the group quietly once they have ended, like Trio's
   * `cancel_scope.cancel()`: no error for the cancellation itself (children
   * that fail while they clean up are still raised), and `taskGroup` returns
   * `undefined` unless its body handled the cancellation and returned.
   *
   * @example
   * ```ts
   * import { sleep } from "@frontier/generators/future";
   * import { taskGroup } from "@frontier/generators/scope";
   * import { runInlineFuture } from "@frontier/generators/task";
   * import assert from "node:assert/strict";
   *
   * const result = await runInlineFuture(taskGroup(function* (group) {
   *   group.spawn((function* () {
   *     for (;;) yield* sleep(1); // a child that never ends by itself
   *   })());
   *   yield* sleep(5);
   *   group.cancel();
   *   yield* sleep(60_000); // cancelled too
   *   return "unreachable";
   * }));
   * assert.equal(result, undefined);
   * ```
   *
   * @param message The message of the children's `CancelledError`.
   */
  cancel(message?: string): void {
    this.#core.cancel(message);
  }

  /**
   * Closes the group: waits for every child to end, then rejects with an
   * `AggregateError` of the failures, if any. `await using` calls it.
   *
   * @example
   * ```ts
   * import { sleep } from "@frontier/generators/future";
   * import { TaskGroup } from "@frontier/generators/scope";
   * import assert from "node:assert/strict";
   *
   * const group = new TaskGroup();
   * const child = group.spawn((function* () {
   *   return yield* sleep(1, "ok");
   * })());
   * await group[Symbol.asyncDispose]();
   * assert.equal(child.result(), "ok");
   * ```
   *
   * @throws {InvalidStateError} For the group of a {@linkcode taskGroup}
   * body, which ends with its body.
   */
  [Symbol.asyncDispose](): Promise<void> {
    if (this.#body) {
      return Promise.reject(
        new InvalidStateError(
          "Cannot dispose of the group of a taskGroup() body: it ends with its body; return from the body instead",
        ),
      );
    }
    if (this.#disposed === undefined) {
      this.#core.close();
      this.#disposed = this.#join.then(() => undefined);
    }
    return this.#disposed;
  }
}

/**
 * An operation that runs `body` with a {@linkcode TaskGroup} and returns what
 * the body returns once every child has finished (asyncio's `TaskGroup`):
 * `yield* taskGroup(function* (group) { ... })`.
 *
 * - The body and every child run as tasks of their own.
 * - The first child that fails (with anything but `CancelledError`), or the
 *   body failing, cancels the body and every other child; when all have
 *   ended, the operation throws an `AggregateError` of all the failures
 *   (always an `AggregateError`, even for one).
 * - Cancelling the task that waits here cancels the body and every child; it
 *   then gets `CancelledError` (or the body's value, if the body handled the
 *   cancellation and returned). If children fail while they clean up, their
 *   `AggregateError` wins, and the waiting task stays cancelled: its next
 *   wait throws `CancelledError`.
 * - A child that is cancelled alone does not fail the group.
 *
 * A group of 100,000 children, or a chain of 100,000 nested groups, neither
 * grows the call stack nor holds more than its running tasks.
 *
 * @example One failure cancels the siblings
 * ```ts
 * import { sleep } from "@frontier/generators/future";
 * import { taskGroup } from "@frontier/generators/scope";
 * import { runInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * const log: string[] = [];
 * await assert.rejects(
 *   runInlineFuture(taskGroup(function* (group) {
 *     group.spawn((function* () {
 *       try {
 *         yield* sleep(60_000);
 *       } finally {
 *         log.push("sibling cancelled");
 *       }
 *     })());
 *     group.spawn((function* () {
 *       yield* sleep(1);
 *       throw new Error("request failed");
 *     })());
 *   })),
 *   (error) => {
 *     assert.ok(error instanceof AggregateError);
 *     assert.deepEqual(error.errors.map((e) => e.message), ["request failed"]);
 *     return true;
 *   },
 * );
 * assert.deepEqual(log, ["sibling cancelled"]);
 * ```
 *
 * @typeParam T What the body returns.
 * @param body A generator function that receives the group.
 * @returns An operation: delegate to it with `yield*`.
 * @throws {TypeError} If `body` is not a function.
 */
export function taskGroup<T>(
  body: (group: TaskGroup) => Generator<unknown, T, unknown>,
): Operation<T> {
  if (typeof body !== "function") {
    throw new TypeError(
      `Cannot run taskGroup(): expected a generator function for the body, got ${
        describe(body)
      }; pass function* (group) { ... }`,
    );
  }
  return runGroup(body);
}

function* runGroup<T>(
  body: (group: TaskGroup) => Generator<unknown, T, unknown>,
): Operation<T> {
  const group = new TaskGroup();
  const core = coreOf(group);
  const gen = body(group);
  checkGenerator(gen, "run the body of taskGroup()");
  core.startBody(new Task(gen) as Task<unknown>);
  try {
    return (yield* joinOf(group)) as T;
  } catch (error) {
    // Errors win over the cancellation of the task waiting here, which stays
    // cancelled: its next wait throws CancelledError.
    if (core.outerCancelled && error instanceof AggregateError) {
      currentTask()?.cancel();
    }
    throw error;
  }
}

function checkLimit(ms: unknown, action: string): number {
  if (typeof ms !== "number" || Number.isNaN(ms)) {
    throw new RangeError(
      `Cannot ${action}: ms must be a number of milliseconds, got ${
        describe(ms)
      }; pass Infinity for no limit`,
    );
  }
  return ms;
}

// The future a deadline puts on `target`: it settles once `target` has ended.
function withDeadline<T>(
  target: Future<T>,
  ms: number,
  what: string,
): Future<T> {
  const join = new Joined<T>();
  return join.setHandler(
    new TargetDeadline(target as Future<unknown>, ms, {
      join: join as Future<unknown>,
      message: `${what} was cancelled: its time limit of ${ms} ms passed`,
      timedOut: (cause) =>
        new TimeoutError(
          `Cannot wait longer for ${what}: it did not finish within ${ms} ms, so it was cancelled`,
          { cause },
        ),
    }),
  );
}

/**
 * An operation that runs `op` as a task of its own and returns what it
 * returns, unless it has not finished after `ms` milliseconds: then it is
 * cancelled, waited for, and a `TimeoutError` is thrown (asyncio's
 * `timeout`). `yield* timeout(100, fetchAll())`.
 *
 * After the cancel, the operation's outcome decides: it ended with its
 * `CancelledError` → `TimeoutError`, with that error as `cause`; it handled
 * the cancellation and returned → that value; it failed otherwise → that
 * error. If the task waiting here is cancelled, even while the time limit is
 * passing, it gets the operation's outcome (usually `CancelledError`), never
 * a `TimeoutError`.
 *
 * `ms` may be `Infinity` (no limit), and `0` or less (the limit has passed:
 * the operation starts and is cancelled at its first wait). An operation
 * that finishes at once costs well under a microsecond and arms no timer;
 * pending ones share one timer, and none is left behind.
 *
 * @example
 * ```ts
 * import { sleep, TimeoutError } from "@frontier/generators/future";
 * import { timeout } from "@frontier/generators/scope";
 * import { runInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * const quick = await runInlineFuture(timeout(1_000, (function* () {
 *   return yield* sleep(1, "in time");
 * })()));
 * assert.equal(quick, "in time");
 *
 * await assert.rejects(
 *   runInlineFuture(timeout(5, (function* () {
 *     yield* sleep(60_000);
 *   })())),
 *   TimeoutError,
 * );
 * ```
 *
 * @typeParam T What the operation returns.
 * @param ms The time limit in milliseconds.
 * @param op The operation: a generator object, like `fetchAll()`.
 * @returns An operation: delegate to it with `yield*`.
 * @throws {RangeError} If `ms` is `NaN` or not a number.
 * @throws {TypeError} If `op` is not a generator object (for a future, use
 * {@linkcode waitFor}).
 */
export function timeout<T>(
  ms: number,
  op: Generator<unknown, T, unknown>,
): Operation<T> {
  checkLimit(ms, "run timeout()");
  if (op instanceof Future) {
    throw new TypeError(
      `Cannot run timeout(): expected an operation (a generator object), got ${
        describe(op)
      }; for a future, use waitFor(future, ms)`,
    );
  }
  checkGenerator(op, "run timeout()");
  return runTimeout(ms, op);
}

function* runTimeout<T>(
  ms: number,
  op: Generator<unknown, T, unknown>,
): Operation<T> {
  const task = new Task(op);
  task.step();
  if (task.done()) return task.result();
  return yield* withDeadline(task, ms, `task ${task.name}`);
}

/**
 * A future that follows `fut`, unless `fut` has not finished after `ms`
 * milliseconds: then `fut` is cancelled and waited for, and a `CancelledError`
 * it ends with becomes a `TimeoutError` (asyncio's `wait_for`). The same
 * rules as {@linkcode timeout}; cancelling the returned future cancels `fut`
 * and also waits for it.
 *
 * @example
 * ```ts
 * import { Future, sleep, TimeoutError } from "@frontier/generators/future";
 * import { waitFor } from "@frontier/generators/scope";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await waitFor(sleep(1, "soon"), 1_000), "soon");
 *
 * const never = new Future<string>();
 * await assert.rejects(Promise.resolve(waitFor(never, 5)), TimeoutError);
 * assert.equal(never.cancelled(), true);
 * ```
 *
 * @typeParam T The type of the result.
 * @param fut The future to wait for.
 * @param ms The time limit in milliseconds (`Infinity` for none).
 * @returns A future of `fut`'s result.
 * @throws {RangeError} If `ms` is `NaN` or not a number.
 * @throws {TypeError} If `fut` is not a future.
 */
export function waitFor<T>(fut: Future<T>, ms: number): Future<T> {
  checkFuture(fut, "waitFor()", "for an operation, use timeout(ms, op)");
  checkLimit(ms, "waitFor()");
  if (fut.done()) return copyOf(fut);
  return withDeadline(
    fut,
    ms,
    fut instanceof Task ? `task ${fut.name}` : "the future",
  );
}

function checkFuture(value: unknown, action: string, hint: string): void {
  if (value instanceof Future) return;
  throw new TypeError(
    `Cannot ${action}: expected a future, got ${describe(value)}; ${
      isThenable(value)
        ? "wrap a promise with Future.from(promise)"
        : isGeneratorLike(value)
        ? hint
        : "pass a future"
    }`,
  );
}

function copyOf<T>(fut: Future<T>): Future<T> {
  const copy = new Future<T>();
  settleLike(copy as Future<unknown>, fut as Future<unknown>);
  return copy;
}

/**
 * A future that follows `fut`, but whose cancellation does not cancel `fut`
 * (asyncio's `shield`): work that must not be cut short (saving a file)
 * goes on when the task waiting on it is cancelled. If `fut` fails after the
 * shield was cancelled, nobody waits for it any more, so its failure is
 * reported once, like an unobserved failure.
 *
 * @example
 * ```ts
 * import { sleep } from "@frontier/generators/future";
 * import { shield } from "@frontier/generators/scope";
 * import { startInlineFuture } from "@frontier/generators/task";
 * import assert from "node:assert/strict";
 *
 * const save = sleep(5, "saved");
 * const t = startInlineFuture((function* () {
 *   return yield* shield(save);
 * })());
 * t.cancel();
 * assert.equal(t.cancelled(), true);
 * assert.equal(await save, "saved"); // not cancelled
 * ```
 *
 * @typeParam T The type of the result.
 * @param fut The future to protect.
 * @returns A future of `fut`'s result.
 * @throws {TypeError} If `fut` is not a future.
 */
export function shield<T>(fut: Future<T>): Future<T> {
  checkFuture(fut, "shield()", "run it as a task first: startInlineFuture(op)");
  if (fut.done()) return copyOf(fut);
  const outer = new Future<T>();
  fut.addDoneCallback(() => {
    const self = fut as Future<unknown>;
    if (!outer.done()) settleLike(outer as Future<unknown>, self);
    else if (internals.state(self) === FAILED) {
      reportUnobserved(internals.take(self));
    }
  });
  return outer;
}

/**
 * A future that settles like the first of `futures` to finish, with its
 * result, error or cancellation; the others are cancelled, and the race
 * settles only once they have all ended (an error a loser fails with while
 * it cleans up is reported once, like an unobserved failure). Cancelling the
 * race cancels every one of them.
 *
 * @example
 * ```ts
 * import { sleep } from "@frontier/generators/future";
 * import { race } from "@frontier/generators/scope";
 * import assert from "node:assert/strict";
 *
 * const slow = sleep(60_000, "slow");
 * assert.equal(await race([slow, sleep(1, "fast")]), "fast");
 * assert.equal(slow.cancelled(), true);
 * ```
 *
 * @param futures The futures (a list, at least one).
 * @returns A future of the winner's result.
 * @throws {RangeError} If `futures` is empty.
 * @throws {TypeError} If `futures` is not a list of futures.
 */
export function race<const F extends readonly Future<unknown>[]>(
  futures: F,
): Future<FutureValue<F[number]>> {
  if (
    futures instanceof Future || futures === null ||
    typeof futures !== "object" || !(Symbol.iterator in futures)
  ) {
    throw new TypeError(
      `Cannot race: expected an array of futures, got ${
        describe(futures)
      }; pass a list, like race([a, b])`,
    );
  }
  const list = [...futures] as unknown[];
  list.forEach((item, i) => {
    if (!(item instanceof Future)) {
      throw new TypeError(
        `Cannot race: expected futures, but item ${i} is ${describe(item)}; ${
          isThenable(item)
            ? "wrap a promise with Future.from(promise)"
            : "run an operation as a task first: startInlineFuture(op)"
        }`,
      );
    }
  });
  if (list.length === 0) {
    throw new RangeError(
      "Cannot race: the list of futures is empty, so no one could win; pass at least one future",
    );
  }
  const join = new Joined<FutureValue<F[number]>>();
  const contest = new Race(
    list as Future<unknown>[],
    join as Future<unknown>,
  );
  return join.setHandler(contest);
}
