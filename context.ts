// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Context managers written as generators, for `using` (part 2 of the
 * tutorial). One generator, cut in half by its `yield`, is the entry and the
 * exit of a block:
 *
 * ```ts
 * import { contextManager } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * const tempdir = contextManager(function* tempdir() {
 *   const dirname = Deno.makeTempDirSync();
 *   try {
 *     yield dirname;
 *   } finally {
 *     Deno.removeSync(dirname, { recursive: true });
 *   }
 * });
 *
 * let kept: string;
 * {
 *   using dir = tempdir();
 *   Deno.writeTextFileSync(`${dir.value}/note.txt`, "hello");
 *   kept = dir.value;
 * }
 * assert.throws(() => Deno.statSync(kept), Deno.errors.NotFound);
 * ```
 *
 * JavaScript's `using` calls `[Symbol.dispose]()` with no arguments, so a
 * manager used that way cannot see whether the block failed, and cannot stop
 * its error. {@linkcode withContext} runs a block with Python's full `with`
 * semantics (PEP 343) instead: the block's error is thrown into the generator
 * at its `yield`, where it can be handled, rethrown, or suppressed.
 * {@linkcode withAsyncContext} does the same for async blocks and managers.
 *
 * Inside a task, whose generator cannot `await`, sync managers work with
 * `using` as they are, and {@linkcode withTaskContext} runs an operation
 * inside any manager, async ones included: cancelling the task exits every
 * manager it holds, in reverse order, and waits for async exits to finish.
 *
 * The small helpers: {@linkcode suppress} (for `withContext`),
 * {@linkcode closing}, {@linkcode nullContext}, and {@linkcode enterContext}
 * to use a manager in the tutorial's `enter()`/`exit(error)` shape with
 * `using`.
 *
 * @module
 */

import type { Operation } from "./task.ts";
import {
  checkAsyncGeneratorFunction,
  checkClosable,
  checkEnterExitManager,
  checkErrorClasses,
  checkGeneratorFunction,
} from "./_context/checks.ts";
import {
  AsyncEnteredManager,
  Closing,
  EnteredManager,
  NullContext,
  Suppress,
} from "./_context/managers.ts";
import {
  asyncGeneratorFactory,
  generatorFactory,
  runAsync,
  runSync,
  runTask,
} from "./_context/runners.ts";

/**
 * A context manager that has been entered: what a {@linkcode contextManager}
 * factory returns. Declare it with `using` and it exits at the end of the
 * block; or give it to {@linkcode withContext}, which lets it see the block's
 * error.
 *
 * @example
 * ```ts
 * import {
 *   type ContextManager,
 *   contextManager,
 * } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * const counter = contextManager(function* () {
 *   yield 1;
 * });
 * const cm: ContextManager<number> = counter();
 * assert.equal(cm.value, 1);
 * assert.equal(cm.exit(), false); // no error, nothing to suppress
 * ```
 *
 * @typeParam T The value the manager provides to the block.
 */
export interface ContextManager<T> extends Disposable {
  /** The manager's value: what its generator yielded. */
  readonly value: T;
  /**
   * Exits the manager. Called with no argument, it resumes the generator
   * after its `yield`; called with an error (any value, even `undefined`),
   * it throws that error into the generator at its `yield`.
   *
   * A second exit does nothing and returns `false`.
   *
   * @param error The block's error, if the block failed.
   * @returns `true` if the manager suppressed `error` (its generator caught
   * it and returned), `false` if it let it through (rethrew that same
   * error) or if there was no error.
   * @throws Any other error the generator raises while exiting, and a
   * `TypeError` if the generator yields again.
   */
  exit(error?: unknown): boolean;
  /** Exits the manager as after a block that succeeded: `exit()`. */
  [Symbol.dispose](): void;
}

/**
 * A context manager that has been entered, with an asynchronous exit: what
 * an {@linkcode asyncContextManager} factory's promise gives. Declare it with
 * `await using`, or give it to {@linkcode withAsyncContext}.
 *
 * @example
 * ```ts
 * import {
 *   type AsyncContextManager,
 *   asyncContextManager,
 * } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * const session = asyncContextManager(async function* () {
 *   try {
 *     yield "session";
 *   } catch {
 *     // suppressed: the session absorbs the block's errors
 *   }
 * });
 * const cm: AsyncContextManager<string> = await session();
 * assert.equal(cm.value, "session");
 * assert.equal(await cm.exit(new Error("lost connection")), true);
 * ```
 *
 * @typeParam T The value the manager provides to the block.
 */
export interface AsyncContextManager<T> extends AsyncDisposable {
  /** The manager's value: what its generator yielded. */
  readonly value: T;
  /**
   * Exits the manager, as {@linkcode ContextManager.exit} does.
   *
   * @param error The block's error, if the block failed.
   * @returns A promise of `true` if the manager suppressed `error`, `false`
   * if it let it through or if there was no error.
   */
  exit(error?: unknown): Promise<boolean>;
  /** Exits the manager as after a block that succeeded: `exit()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * A context manager in the tutorial's class shape, Python's
 * `__enter__`/`__exit__`: `enter()` is called before the block and returns
 * its value; `exit(error)` after it, with no argument when the block
 * succeeded and with the block's error when it failed, and returns `true` to
 * suppress that error.
 *
 * {@linkcode withContext} enters it; {@linkcode enterContext} adapts it to
 * `using`.
 *
 * @example
 * ```ts
 * import {
 *   type EnterExitManager,
 *   withContext,
 * } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * class Indent implements EnterExitManager<string> {
 *   depth = 0;
 *   enter() {
 *     this.depth++;
 *     return "  ".repeat(this.depth);
 *   }
 *   exit() {
 *     this.depth--;
 *   }
 * }
 * const indent = new Indent();
 * assert.equal(withContext(indent, (pad) => `${pad}line`), "  line");
 * assert.equal(indent.depth, 0);
 * ```
 *
 * @typeParam T The value `enter()` returns.
 */
export interface EnterExitManager<T> {
  /** Enters the manager; returns the block's value. */
  enter(): T;
  /**
   * Exits the manager.
   *
   * @param error The block's error; absent when the block succeeded.
   * @returns `true` to suppress `error`.
   */
  exit(error?: unknown): boolean | void;
}

/**
 * {@linkcode EnterExitManager} whose methods may return promises, for
 * {@linkcode withAsyncContext}, {@linkcode withTaskContext} and
 * {@linkcode enterAsyncContext}.
 *
 * @example
 * ```ts
 * import {
 *   type AsyncEnterExitManager,
 *   withAsyncContext,
 * } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * const log: string[] = [];
 * const lease: AsyncEnterExitManager<number> = {
 *   enter: () => Promise.resolve(7),
 *   exit: async (error?: unknown) => {
 *     log.push(error === undefined ? "returned" : "returned after an error");
 *   },
 * };
 * assert.equal(await withAsyncContext(lease, (n) => n * 6), 42);
 * assert.deepEqual(log, ["returned"]);
 * ```
 *
 * @typeParam T The value `enter()` returns or promises.
 */
export interface AsyncEnterExitManager<T> {
  /** Enters the manager; returns (or promises) the block's value. */
  enter(): T | PromiseLike<T>;
  /**
   * Exits the manager.
   *
   * @param error The block's error; absent when the block succeeded.
   * @returns `true` (or a promise of it) to suppress `error`.
   */
  exit(error?: unknown): boolean | void | PromiseLike<boolean | void>;
}

/**
 * Turns a generator function that yields once into a context manager
 * factory, the tutorial's `@contextmanager`. Everything before the `yield` is
 * the entry, everything after it the exit; the yielded value is the
 * manager's {@linkcode ContextManager.value}.
 *
 * Calling the factory enters at once (JavaScript has no entry hook for
 * `using`): it runs the generator to its `yield` and returns the entered
 * manager. An error thrown before the `yield` propagates from the call.
 *
 * With `using` (or `DisposableStack.prototype.use`) the generator resumes
 * normally when the block ends, whether the block failed or not: `using`
 * does not tell a disposer about the block's error. Put cleanup that must
 * always run in `finally`. Run the block with {@linkcode withContext} when the
 * manager must see the error: it is then thrown into the generator at its
 * `yield`, so `catch` can roll back, and returning from the `catch`
 * suppresses it.
 *
 * The factory keeps the generator function's name and passes on `this` and
 * its arguments.
 *
 * @example A temporary directory, removed when the block ends
 * ```ts
 * import { contextManager } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * const tempdir = contextManager(function* tempdir() {
 *   const dirname = Deno.makeTempDirSync();
 *   try {
 *     yield dirname;
 *   } finally {
 *     Deno.removeSync(dirname, { recursive: true });
 *   }
 * });
 *
 * let path = "";
 * {
 *   using dir = tempdir();
 *   path = dir.value;
 *   assert.ok(Deno.statSync(path).isDirectory);
 * }
 * assert.throws(() => Deno.statSync(path), Deno.errors.NotFound);
 * ```
 *
 * @example A transaction: commit on success, roll back on error
 * ```ts
 * import { contextManager, withContext } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * const log: string[] = [];
 * const transaction = contextManager(function* transaction() {
 *   log.push("begin");
 *   try {
 *     yield;
 *     log.push("commit");
 *   } catch (error) {
 *     log.push("rollback");
 *     throw error;
 *   }
 * });
 *
 * withContext(transaction(), () => log.push("insert"));
 * assert.throws(
 *   () => withContext(transaction(), () => { throw new Error("conflict") }),
 *   { message: "conflict" },
 * );
 * assert.deepEqual(log, ["begin", "insert", "commit", "begin", "rollback"]);
 * ```
 *
 * @example Many managers on a `DisposableStack`, exited in reverse order
 * ```ts
 * import { contextManager } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * const log: string[] = [];
 * const tag = contextManager(function* (name: string) {
 *   log.push(`open ${name}`);
 *   yield name;
 *   log.push(`close ${name}`);
 * });
 * {
 *   using stack = new DisposableStack();
 *   for (const name of ["a", "b"]) stack.use(tag(name));
 * }
 * assert.deepEqual(log, ["open a", "open b", "close b", "close a"]);
 * ```
 *
 * @typeParam This The type of `this` the generator function expects.
 * @typeParam A The generator function's parameters.
 * @typeParam T What the generator yields: the manager's value.
 * @param fn A generator function that yields exactly once.
 * @returns A factory with the same parameters that enters the manager.
 * @throws {TypeError} If `fn` is not a generator function. The factory
 * throws a `TypeError` if the generator returns without yielding, and its
 * manager's exit throws one if the generator yields a second time.
 */
export function contextManager<This, A extends unknown[], T>(
  fn: (this: This, ...args: A) => Generator<T, unknown, undefined>,
): (this: This, ...args: A) => ContextManager<T> {
  checkGeneratorFunction(fn);
  return generatorFactory(fn);
}

/**
 * Turns an async generator function that yields once into a factory of
 * asynchronous context managers: {@linkcode contextManager} for entries and
 * exits that `await`. The factory returns a promise of the entered
 * {@linkcode AsyncContextManager}, for `await using` or
 * {@linkcode withAsyncContext}; inside a task, give the promise to
 * {@linkcode withTaskContext}.
 *
 * @example A connection, opened and closed asynchronously
 * ```ts
 * import { asyncContextManager } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * const log: string[] = [];
 * const connect = asyncContextManager(async function* connect(url: string) {
 *   await Promise.resolve(); // opening takes time
 *   log.push(`open ${url}`);
 *   try {
 *     yield { url };
 *   } finally {
 *     await Promise.resolve(); // so does closing
 *     log.push(`close ${url}`);
 *   }
 * });
 *
 * {
 *   await using conn = await connect("db://local");
 *   log.push(`use ${conn.value.url}`);
 * }
 * assert.deepEqual(log, ["open db://local", "use db://local", "close db://local"]);
 * ```
 *
 * @typeParam This The type of `this` the generator function expects.
 * @typeParam A The generator function's parameters.
 * @typeParam T What the generator yields: the manager's value.
 * @param fn An async generator function that yields exactly once.
 * @returns A factory with the same parameters that enters the manager and
 * returns a promise of it; the promise rejects if entering throws or the
 * generator returns without yielding.
 * @throws {TypeError} If `fn` is not an async generator function.
 */
export function asyncContextManager<This, A extends unknown[], T>(
  fn: (this: This, ...args: A) => AsyncGenerator<T, unknown, undefined>,
): (this: This, ...args: A) => Promise<AsyncContextManager<T>> {
  checkAsyncGeneratorFunction(fn);
  return asyncGeneratorFactory(fn);
}

/**
 * Runs `body(value)` inside a context manager with the full semantics of
 * Python's `with` statement (PEP 343), and returns what the block returns.
 *
 * - When the block returns, the manager exits normally.
 * - When the block throws, the error is given to the manager's exit (for a
 *   {@linkcode contextManager}, thrown into its generator at the `yield`).
 *   If the manager suppresses it, `withContext` returns `undefined`;
 *   otherwise the same error object is thrown on.
 * - When the exit itself raises an error while the block's error is on its
 *   way out, neither is lost: a `SuppressedError` carries both (`.error` from
 *   the exit, `.suppressed` from the block), as with `using`. An exit error
 *   that already holds the block's error (as its `cause`, say, when a
 *   manager translates errors) is thrown as it is.
 *
 * The manager can be an entered {@linkcode ContextManager} (from a
 * {@linkcode contextManager} factory, {@linkcode closing} or
 * {@linkcode nullContext}), an {@linkcode EnterExitManager} such as
 * {@linkcode suppress} (entered here), or any `Disposable`, whose value is
 * the disposable itself and which cannot suppress errors.
 *
 * The block must be synchronous: one that returns a promise is an error
 * (the manager would exit before the promise settles); use
 * {@linkcode withAsyncContext}.
 *
 * @example The block's error reaches the manager, which may suppress it
 * ```ts
 * import { contextManager, withContext } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * const ignoring = contextManager(function* (message: string) {
 *   try {
 *     yield;
 *   } catch (error) {
 *     if (!(error instanceof Error) || error.message !== message) throw error;
 *   }
 * });
 *
 * assert.equal(withContext(ignoring("oops"), () => 42), 42);
 * assert.equal(
 *   withContext(ignoring("oops"), () => { throw new Error("oops") }),
 *   undefined,
 * );
 * const other = new Error("other");
 * assert.throws(() => withContext(ignoring("oops"), () => { throw other }), (e) => e === other);
 * ```
 *
 * @example The tutorial's `Manager` class
 * ```ts
 * import { withContext } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * class Manager {
 *   enter() {
 *     return "value";
 *   }
 *   exit(error?: unknown) {
 *     if (error === undefined) return;
 *     return error instanceof RangeError; // handled?
 *   }
 * }
 * assert.equal(withContext(new Manager(), (value) => value.length), 5);
 * assert.equal(withContext(new Manager(), () => { throw new RangeError() }), undefined);
 * ```
 *
 * @typeParam T The manager's value.
 * @typeParam R What the block returns.
 * @param cm The context manager.
 * @param body The block; it gets the manager's value.
 * @returns What `body` returned, or `undefined` if the manager suppressed
 * the block's error.
 * @throws {TypeError} If `cm` is not a context manager, is asynchronous, or
 * `body` returns a promise; or if `body` is not a function, which is checked
 * before `cm` is entered (a manager entered already by its factory exits
 * with that error, and cannot suppress it).
 */
export function withContext<T, R>(
  cm: ContextManager<T> | EnterExitManager<T>,
  body: (value: T) => R extends PromiseLike<unknown> ? never : R,
): R | undefined;
/**
 * Runs `body(cm)` and disposes `cm` after it, as `using` would; a plain
 * disposable cannot suppress errors.
 *
 * @example
 * ```ts
 * import { withContext } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * const stack = new DisposableStack();
 * let disposed = false;
 * stack.defer(() => disposed = true);
 * assert.equal(withContext(stack, (s) => s.disposed), false);
 * assert.equal(disposed, true);
 * ```
 *
 * @typeParam D The disposable's type.
 * @typeParam R What the block returns.
 * @param cm The disposable; it is also the block's value.
 * @param body The block.
 * @returns What `body` returned.
 */
export function withContext<D extends Disposable, R>(
  cm: D,
  body: (value: D) => R extends PromiseLike<unknown> ? never : R,
): R;
export function withContext(
  cm: unknown,
  body: (value: never) => unknown,
): unknown {
  return runSync(cm, body, "withContext(cm, body)");
}

/**
 * Runs an async block inside a context manager, with the semantics of
 * {@linkcode withContext}, awaiting the entry, the block and the exit.
 *
 * The manager can be anything `withContext` takes, an
 * {@linkcode AsyncContextManager}, a promise of an entered manager (what an
 * {@linkcode asyncContextManager} factory returns: no `await` needed), an
 * {@linkcode AsyncEnterExitManager} whose methods return promises, or an
 * `AsyncDisposable`.
 *
 * @example
 * ```ts
 * import {
 *   asyncContextManager,
 *   withAsyncContext,
 * } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * const log: string[] = [];
 * const transaction = asyncContextManager(async function* () {
 *   await Promise.resolve();
 *   try {
 *     yield "tx";
 *     log.push("commit");
 *   } catch (error) {
 *     log.push("rollback");
 *     throw error;
 *   }
 * });
 *
 * assert.equal(await withAsyncContext(transaction(), async (tx) => `${tx}!`), "tx!");
 * await assert.rejects(
 *   withAsyncContext(transaction(), async () => { throw new Error("conflict") }),
 *   { message: "conflict" },
 * );
 * assert.deepEqual(log, ["commit", "rollback"]);
 * ```
 *
 * @typeParam T The manager's value.
 * @typeParam R What the block returns (or promises).
 * @param cm The context manager, or a promise of one.
 * @param body The block; it gets the manager's value.
 * @returns A promise of what `body` returned, or of `undefined` if the
 * manager suppressed the block's error.
 * @throws {TypeError} (as a rejection) If `cm` is not a context manager, or
 * `body` is not a function, which is checked before `cm` is entered.
 */
export function withAsyncContext<T, R>(
  cm:
    | ContextManager<T>
    | AsyncContextManager<T>
    | AsyncEnterExitManager<T>
    | PromiseLike<ContextManager<T> | AsyncContextManager<T>>,
  body: (value: T) => R | PromiseLike<R>,
): Promise<R | undefined>;
/**
 * Runs `body(cm)` and disposes `cm` after it, as `await using` would; a
 * plain disposable cannot suppress errors.
 *
 * @example
 * ```ts
 * import { withAsyncContext } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * const stack = new AsyncDisposableStack();
 * let disposed = false;
 * stack.defer(async () => { disposed = true });
 * assert.equal(await withAsyncContext(stack, async (s) => s.disposed), false);
 * assert.equal(disposed, true);
 * ```
 *
 * @typeParam D The disposable's type.
 * @typeParam R What the block returns (or promises).
 * @param cm The disposable, or a promise of it; it is also the block's value.
 * @param body The block.
 * @returns A promise of what `body` returned.
 */
export function withAsyncContext<D extends Disposable | AsyncDisposable, R>(
  cm: D | PromiseLike<D>,
  body: (value: D) => R | PromiseLike<R>,
): Promise<R>;
export function withAsyncContext(
  cm: unknown,
  body: (value: never) => unknown,
): Promise<unknown> {
  return runAsync(cm, body, "withAsyncContext(cm, body)");
}

/**
 * An operation that runs the operation `body(value)` inside a context
 * manager, for a task: `const r = yield* withTaskContext(cm, function* (v) {
 * ... })`. It has the semantics of {@linkcode withContext}, and takes the
 * managers {@linkcode withAsyncContext} takes.
 *
 * A task's generator is synchronous, so it cannot `await using`, and
 * `using` only takes managers whose exit is synchronous. This is the form
 * that can wait: the entry and exit of an async manager are waited for as
 * futures (the task yields them, as it yields any future), and the block is a
 * generator function whose `yield*`s run in the task. Sync managers can still
 * be declared with `using` in a task; they exit when the task is cancelled,
 * like any `finally` block. A callback form, rather than an operation that
 * returns a handle to exit later, makes it impossible to forget the exit on
 * some path, cancellation included.
 *
 * Cancelling the task throws `CancelledError` into the block at its current
 * `yield`; the manager's exit sees it as the block's error (and could even
 * suppress it, as the task allows). Promises cannot be cancelled, so an entry
 * or exit in progress is waited for, however often the task is cancelled
 * meanwhile:
 *
 * - cancelled while entering, the manager is still entered, then exited with
 *   the `CancelledError` (the block does not run);
 * - cancelled while exiting, the exit is finished first; the cancellation
 *   then propagates, unless the block's own error already does.
 *
 * So a cancelled task exits every manager it holds, innermost first, and
 * ends only after the last exit is done. A `Future` given as the manager (or
 * returned by `enter()`/`exit()`) is not shielded that way: it can be
 * cancelled, and it is.
 *
 * @example Sync and async managers in a cancelled task exit in reverse order
 * ```ts
 * import { Future } from "@frontier/generators/future";
 * import { startInlineFuture } from "@frontier/generators/task";
 * import {
 *   asyncContextManager,
 *   contextManager,
 *   withTaskContext,
 * } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * const log: string[] = [];
 * const lock = contextManager(function* (name: string) {
 *   try {
 *     yield name;
 *   } finally {
 *     log.push(`release ${name}`);
 *   }
 * });
 * const connect = asyncContextManager(async function* (url: string) {
 *   try {
 *     yield url;
 *   } finally {
 *     await new Promise((resolve) => setTimeout(resolve, 5)); // a slow close
 *     log.push(`close ${url}`);
 *   }
 * });
 *
 * const inside = new Future<void>();
 * const task = startInlineFuture((function* () {
 *   using _outer = lock("outer");
 *   yield* withTaskContext(connect("db"), function* () {
 *     using _inner = lock("inner");
 *     inside.setResult(undefined);
 *     yield* new Future<never>(); // waits forever: cancelled here
 *   });
 * })());
 * await inside;
 * task.cancel();
 * await assert.rejects(Promise.resolve(task), { name: "CancelledError" });
 * assert.deepEqual(log, ["release inner", "close db", "release outer"]);
 * ```
 *
 * @typeParam T The manager's value.
 * @typeParam R What the block's operation returns.
 * @param cm The context manager, or a promise of one.
 * @param body A generator function: the block, as an operation.
 * @returns An operation of what the block returned, or of `undefined` if the
 * manager suppressed the block's error.
 * @throws {TypeError} If `cm` is not a context manager, or `body` is not a
 * generator function (checked before `cm` is entered) or does not return an
 * operation; the manager cannot suppress these.
 */
export function withTaskContext<T, R>(
  cm:
    | ContextManager<T>
    | AsyncContextManager<T>
    | AsyncEnterExitManager<T>
    | PromiseLike<ContextManager<T> | AsyncContextManager<T>>,
  body: (value: T) => Operation<R>,
): Operation<R | undefined>;
/**
 * Runs the operation `body(cm)` and disposes `cm` after it, waiting for an
 * async disposal as a future.
 *
 * @example
 * ```ts
 * import { runInlineFuture } from "@frontier/generators/task";
 * import { withTaskContext } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * const stack = new AsyncDisposableStack();
 * let disposed = false;
 * stack.defer(async () => { disposed = true });
 * const open = await runInlineFuture(withTaskContext(stack, function* (s) {
 *   return !s.disposed;
 * }));
 * assert.equal(open, true);
 * assert.equal(disposed, true);
 * ```
 *
 * @typeParam D The disposable's type.
 * @typeParam R What the block's operation returns.
 * @param cm The disposable, or a promise of it; it is also the block's value.
 * @param body A generator function: the block, as an operation.
 * @returns An operation of what the block returned.
 */
export function withTaskContext<D extends Disposable | AsyncDisposable, R>(
  cm: D | PromiseLike<D>,
  body: (value: D) => Operation<R>,
): Operation<R>;
export function withTaskContext(
  cm: unknown,
  body: (value: never) => Operation<unknown>,
): Operation<unknown> {
  return runTask(cm, body, "withTaskContext(cm, body)");
}

// ---------------------------------------------------------------------------
// Adapters of enter()/exit() managers.

/**
 * Enters a manager in the tutorial's `enter()`/`exit(error)` shape and
 * returns it as a {@linkcode ContextManager}, for `using` and
 * `DisposableStack`. Disposing it calls `exit()` once; its
 * {@linkcode ContextManager.exit} passes an error on and reports whether the
 * manager suppressed it.
 *
 * @example
 * ```ts
 * import { enterContext } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * const log: string[] = [];
 * class Manager {
 *   enter() {
 *     log.push("enter");
 *     return 42;
 *   }
 *   exit(error?: unknown) {
 *     log.push(error === undefined ? "exit" : "exit with error");
 *   }
 * }
 * {
 *   using m = enterContext(new Manager());
 *   log.push(`value ${m.value}`);
 * }
 * assert.deepEqual(log, ["enter", "value 42", "exit"]);
 * ```
 *
 * @typeParam T The value `enter()` returns.
 * @param manager An object with `enter()` and `exit(error)`.
 * @returns The entered manager.
 * @throws {TypeError} If `manager` lacks either method.
 */
export function enterContext<T>(
  manager: EnterExitManager<T>,
): ContextManager<T> {
  checkEnterExitManager(manager, "enterContext(manager)");
  return new EnteredManager(manager);
}

/**
 * Enters a manager whose `enter()` and `exit(error)` may return promises, and
 * returns a promise of it as an {@linkcode AsyncContextManager}, for
 * `await using` and `AsyncDisposableStack`.
 *
 * @example
 * ```ts
 * import { enterAsyncContext } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * const log: string[] = [];
 * const pool = {
 *   async enter() {
 *     log.push("acquire");
 *     return "conn";
 *   },
 *   async exit() {
 *     log.push("release");
 *   },
 * };
 * {
 *   await using conn = await enterAsyncContext(pool);
 *   log.push(`use ${conn.value}`);
 * }
 * assert.deepEqual(log, ["acquire", "use conn", "release"]);
 * ```
 *
 * @typeParam T The value `enter()` returns or promises.
 * @param manager An object with `enter()` and `exit(error)`.
 * @returns A promise of the entered manager.
 * @throws {TypeError} If `manager` lacks either method.
 */
export async function enterAsyncContext<T>(
  manager: AsyncEnterExitManager<T>,
): Promise<AsyncContextManager<T>> {
  checkEnterExitManager(manager, "enterAsyncContext(manager)");
  return new AsyncEnteredManager(manager, await manager.enter());
}

// ---------------------------------------------------------------------------
// Small helpers.

/**
 * A class of errors, for {@linkcode suppress}: any constructor, abstract
 * ones included; an error matches it by `instanceof`.
 *
 * @example
 * ```ts
 * import type { ErrorClass } from "@frontier/generators/context";
 *
 * const classes: ErrorClass[] = [RangeError, Deno.errors.NotFound];
 * ```
 */
export type ErrorClass = abstract new (...args: never[]) => unknown;

/**
 * A manager that suppresses errors of the given classes (and their
 * subclasses), for {@linkcode withContext}, {@linkcode withAsyncContext} and
 * {@linkcode withTaskContext}: Python's `contextlib.suppress`.
 *
 * It does not work with `using`, and is made so that `using` rejects it: a
 * `using` declaration calls `[Symbol.dispose]()` with no arguments, so a
 * disposer never learns the block's error, and whatever it returns, the
 * error propagates. Stopping an error takes a `catch`, which is what
 * `withContext` puts around the block.
 *
 * @example
 * ```ts
 * import { suppress, withContext } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * withContext(suppress(Deno.errors.NotFound), () => {
 *   Deno.removeSync("/no/such/file/here");
 * });
 * assert.throws(() =>
 *   withContext(suppress(Deno.errors.NotFound), () => {
 *     throw new TypeError("not suppressed");
 *   }), TypeError);
 * ```
 *
 * @param errorClasses The classes of errors to suppress.
 * @returns A manager for `withContext`; it is not disposable.
 * @throws {TypeError} If one of `errorClasses` is not a function.
 */
export function suppress(
  ...errorClasses: ErrorClass[]
): EnterExitManager<void> {
  checkErrorClasses(errorClasses);
  return new Suppress(errorClasses);
}

/**
 * A manager that calls `obj.close()` when the block ends, for anything with a
 * `close()` method that is not disposable itself: Python's
 * `contextlib.closing`. It closes once, and never suppresses errors.
 *
 * @example
 * ```ts
 * import { closing } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * class Socket {
 *   closed = false;
 *   close() {
 *     this.closed = true;
 *   }
 * }
 * const socket = new Socket();
 * {
 *   using s = closing(socket);
 *   assert.equal(s.value.closed, false);
 * }
 * assert.equal(socket.closed, true);
 * ```
 *
 * @typeParam T The object's type.
 * @param obj The object to close.
 * @returns A manager whose value is `obj`.
 * @throws {TypeError} If `obj` has no `close()` method.
 */
export function closing<T extends { close(): unknown }>(
  obj: T,
): ContextManager<T> {
  checkClosable(obj);
  return new Closing(obj);
}

/**
 * A manager that does nothing, with `value` as its value: Python's
 * `contextlib.nullcontext`, for code that takes a manager when there is none
 * to give. It works with `using`, `await using`, and every `with...` runner.
 *
 * @example An optional lock
 * ```ts
 * import {
 *   type ContextManager,
 *   nullContext,
 *   withContext,
 * } from "@frontier/generators/context";
 * import assert from "node:assert/strict";
 *
 * function update(lock?: ContextManager<unknown>) {
 *   return withContext(lock ?? nullContext(undefined), () => "updated");
 * }
 * assert.equal(update(), "updated");
 * ```
 *
 * @typeParam T The value's type.
 * @param value What the block gets.
 * @returns A manager whose value is `value`.
 */
export function nullContext<T>(value: T): ContextManager<T> {
  return new NullContext(value);
}
