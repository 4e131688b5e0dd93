// Copyright 2026 the @frontier/generators authors. MIT license.
// The machinery behind `context.ts`: the managers this package makes, the
// exit protocol they share, and the one adapter that lets `withContext`,
// `withAsyncContext` and `withTaskContext` enter anything that looks like a
// context manager.

import type {
  AsyncContextManager,
  AsyncEnterExitManager,
  ContextManager,
} from "../context.ts";
import type { Operation } from "../task.ts";
import { CancelledError, Future } from "../future.ts";
import {
  describe,
  isAsyncFunction,
  isGeneratorLike,
  isThenable,
} from "../_core/describe.ts";
import { reportLater } from "../_core/scheduler.ts";

/**
 * The exit every manager of this package implements: `isError` says whether
 * the block failed (an error may be `undefined`, after `throw undefined`), and
 * the answer says whether the manager suppressed that error.
 */
export const EXIT: unique symbol = Symbol("exit");

/**
 * How many times a generator that yields again while being closed is asked to
 * return before it is given up on. Each ask runs one more `finally` block, so
 * this bounds only generators that yield from a loop inside `finally`.
 */
const CLOSE_ATTEMPTS = 100;

/** How many errors `contains` looks at before it gives up (and wraps). */
const CONTAINS_LIMIT = 1000;

/** The base of this package's synchronous managers. */
export abstract class SyncContext<T> implements ContextManager<T> {
  readonly value: T;

  constructor(value: T) {
    this.value = value;
  }

  exit(error?: unknown): boolean {
    return this[EXIT](arguments.length > 0, error);
  }

  [Symbol.dispose](): void {
    this[EXIT](false, undefined);
  }

  /** The name errors give this manager. */
  abstract get name(): string;

  get label(): string {
    return `the context manager ${this.name}`;
  }

  abstract [EXIT](isError: boolean, error: unknown): boolean;
}

/** The base of this package's asynchronous managers. */
export abstract class AsyncContext<T> implements AsyncContextManager<T> {
  readonly value: T;

  constructor(value: T) {
    this.value = value;
  }

  exit(error?: unknown): Promise<boolean> {
    return this[EXIT](arguments.length > 0, error);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this[EXIT](false, undefined);
  }

  /** The name errors give this manager. */
  abstract get name(): string;

  get label(): string {
    return `the context manager ${this.name}`;
  }

  abstract [EXIT](isError: boolean, error: unknown): Promise<boolean>;
}

// ---------------------------------------------------------------------------
// Generator-based managers.

/** Enters `gen`: runs it to its `yield`. */
export function enterGenerator<T>(
  gen: Generator<T, unknown, undefined>,
  name: string,
): GeneratorContextManager<T> {
  const first = gen.next();
  if (first.done) throw didNotYield(name);
  return new GeneratorContextManager(gen, first.value, name);
}

/** Enters `gen`: runs it to its `yield`. */
export async function enterAsyncGenerator<T>(
  gen: AsyncGenerator<T, unknown, undefined>,
  name: string,
): Promise<AsyncGeneratorContextManager<T>> {
  const first = await gen.next();
  if (first.done) throw didNotYield(name);
  return new AsyncGeneratorContextManager(gen, first.value, name);
}

export class GeneratorContextManager<T> extends SyncContext<T> {
  // Cleared before the generator resumes, so a second exit (or one from
  // inside the generator's own cleanup) finds nothing to do.
  #gen: Generator<T, unknown, undefined> | undefined;
  #name: string;

  constructor(gen: Generator<T, unknown, undefined>, value: T, name: string) {
    super(value);
    this.#gen = gen;
    this.#name = name;
  }

  get name(): string {
    return this.#name;
  }

  [EXIT](isError: boolean, error: unknown): boolean {
    const gen = this.#gen;
    if (gen === undefined) return false;
    this.#gen = undefined;
    if (!isError) {
      if (gen.next().done) return false;
      return stop(gen, didNotStop(this.#name), this.#name);
    }
    let next: IteratorResult<T, unknown>;
    try {
      next = gen.throw(error);
    } catch (thrown) {
      if (Object.is(thrown, error)) return false;
      throw thrown;
    }
    if (next.done) return true;
    return stop(gen, didNotStopAfterError(this.#name, error), this.#name);
  }
}

export class AsyncGeneratorContextManager<T> extends AsyncContext<T> {
  #gen: AsyncGenerator<T, unknown, undefined> | undefined;
  #name: string;

  constructor(
    gen: AsyncGenerator<T, unknown, undefined>,
    value: T,
    name: string,
  ) {
    super(value);
    this.#gen = gen;
    this.#name = name;
  }

  get name(): string {
    return this.#name;
  }

  async [EXIT](isError: boolean, error: unknown): Promise<boolean> {
    const gen = this.#gen;
    if (gen === undefined) return false;
    this.#gen = undefined;
    if (!isError) {
      if ((await gen.next()).done) return false;
      return await stopAsync(gen, didNotStop(this.#name), this.#name);
    }
    let next: IteratorResult<T, unknown>;
    try {
      next = await gen.throw(error);
    } catch (thrown) {
      if (Object.is(thrown, error)) return false;
      throw thrown;
    }
    if (next.done) return true;
    return await stopAsync(
      gen,
      didNotStopAfterError(this.#name, error),
      this.#name,
    );
  }
}

// Closes a generator that yielded when it should have stopped, running its
// `finally` blocks, then throws `error`. An error from the closing meets it.
function stop(gen: Generator, error: Error, name: string): never {
  try {
    for (let i = 0; !gen.return(undefined).done; i++) {
      if (i === CLOSE_ATTEMPTS) throw keptYielding(name);
    }
  } catch (closeError) {
    throw new SuppressedError(closeError, error, closingFailed(name));
  }
  throw error;
}

async function stopAsync(
  gen: AsyncGenerator,
  error: Error,
  name: string,
): Promise<never> {
  try {
    for (let i = 0; !(await gen.return(undefined)).done; i++) {
      if (i === CLOSE_ATTEMPTS) throw keptYielding(name);
    }
  } catch (closeError) {
    throw new SuppressedError(closeError, error, closingFailed(name));
  }
  throw error;
}

function didNotYield(name: string): TypeError {
  return new TypeError(
    `the context manager ${name} did not yield: its generator returned without reaching \`yield\`; a context manager's generator must yield exactly once, and what it yields is the manager's value`,
  );
}

function didNotStop(name: string): TypeError {
  return new TypeError(
    `the context manager ${name} did not stop: its generator yielded again after the block ended; a context manager's generator must yield exactly once (it was closed, which ran its finally blocks)`,
  );
}

function didNotStopAfterError(name: string, error: unknown): TypeError {
  return new TypeError(
    `the context manager ${name} did not stop after the block's error was thrown into it: its generator caught the error and yielded again; to suppress the error return after catching it, to let it through rethrow it (the generator was closed, which ran its finally blocks; the error is this one's cause)`,
    { cause: error },
  );
}

function keptYielding(name: string): TypeError {
  return new TypeError(
    `the context manager ${name} kept yielding while being closed (asked to return ${CLOSE_ATTEMPTS} times); do not yield inside its finally blocks`,
  );
}

function closingFailed(name: string): string {
  return `closing the context manager ${name} raised an error after it did not stop: .error is the error from the closing, .suppressed the one that says it did not stop`;
}

// ---------------------------------------------------------------------------
// Errors that meet.

/**
 * What the block throws when its manager's exit raised `exitError` while the
 * block's own `bodyError` was on its way out: the exit's error alone when it
 * already holds the block's (it is the same, or links to it by `cause`, or
 * carries it as a `SuppressedError` does), otherwise a `SuppressedError` with
 * both, as `using` does.
 */
export function meet(
  exitError: unknown,
  bodyError: unknown,
  name: string,
): unknown {
  if (contains(exitError, bodyError)) return exitError;
  return new SuppressedError(
    exitError,
    bodyError,
    `exiting ${name} raised an error while the block's error was propagating: .error is the error from the exit, .suppressed the one from the block`,
  );
}

function contains(error: unknown, target: unknown): boolean {
  // An explicit work list, not recursion: chains of SuppressedErrors can be
  // as deep as the number of managers that were exited.
  const work = [error];
  for (let seen = 0; work.length > 0 && seen < CONTAINS_LIMIT; seen++) {
    const e = work.pop();
    if (Object.is(e, target)) return true;
    if (typeof e !== "object" || e === null) continue;
    if (e instanceof SuppressedError) work.push(e.error, e.suppressed);
    if ("cause" in e) work.push(e.cause);
  }
  return false;
}

// ---------------------------------------------------------------------------
// Entering anything that looks like a context manager.

/**
 * A manager, entered. This package's own managers are entries themselves;
 * other kinds are wrapped in one.
 */
export interface Entry {
  /** What the block gets (a promise from an async `enter()`, not awaited). */
  readonly value: unknown;
  /** Whether `value` came from `enter()`, so that async modes await it. */
  readonly entered?: boolean;
  /** The manager, for error messages. */
  readonly label: string;
  /** The manager's exit; truthy (or a promise of truthy) means suppressed. */
  [EXIT](isError: boolean, error: unknown): unknown;
}

type Keyed = Record<PropertyKey, unknown>;

/**
 * Enters `cm`: one of this package's managers, an object in the tutorial's
 * `enter()`/`exit(error)` shape, an entered manager (`value` and `exit`), or
 * a disposable. `isAsync` allows the asynchronous kinds.
 */
export function enter(cm: unknown, what: string, isAsync: boolean): Entry {
  if (cm instanceof SyncContext) return cm;
  if (cm instanceof AsyncContext) {
    if (isAsync) return cm;
    const error = new TypeError(
      `${what} got the asynchronous context manager ${cm.name}: its exit returns a promise, which a synchronous block cannot wait for; use withAsyncContext (or withTaskContext inside a task)`,
    );
    // It was entered when its factory ran: exit it, as after a failed block,
    // rather than leave its resource open.
    cm[EXIT](true, error).then(undefined, (exitError) => {
      if (!Object.is(exitError, error)) reportLater(exitError);
    });
    throw error;
  }
  if ((typeof cm !== "object" && typeof cm !== "function") || cm === null) {
    throw notAManager(what, cm);
  }
  if (isThenable(cm)) {
    throw new TypeError(
      `${what} got ${
        describe(cm)
      }: the factories of asyncContextManager() return promises; await it first, or use withAsyncContext (withTaskContext inside a task), which waits for it`,
    );
  }
  const manager = cm as Keyed;
  if (typeof manager.enter === "function") {
    if (typeof manager.exit !== "function") {
      throw new TypeError(
        `${what} got ${
          describe(cm)
        }, which has enter() but no exit(error) method; give it one, called after the block with the block's error, if any`,
      );
    }
    if (
      !isAsync &&
      (isAsyncFunction(manager.enter) ||
        isAsyncFunction(manager.exit))
    ) {
      throw new TypeError(
        `${what} got ${
          describe(cm)
        }, whose enter() or exit() is an async function; a synchronous block cannot wait for it, use withAsyncContext`,
      );
    }
    const value = (manager as unknown as EnterExitLike).enter();
    return new PlainEntry(manager, value, true, EXIT_METHOD);
  }
  if (typeof manager.exit === "function") {
    return new PlainEntry(manager, manager.value, false, EXIT_METHOD);
  }
  if (isAsync && typeof manager[Symbol.asyncDispose] === "function") {
    return new PlainEntry(manager, cm, false, ASYNC_DISPOSE);
  }
  if (typeof manager[Symbol.dispose] === "function") {
    return new PlainEntry(manager, cm, false, DISPOSE);
  }
  if (typeof manager[Symbol.asyncDispose] === "function") {
    throw new TypeError(
      `${what} got ${
        describe(cm)
      }, which is only async-disposable; a synchronous block cannot wait for its disposal, use withAsyncContext`,
    );
  }
  throw notAManager(what, cm);
}

type EnterExitLike = AsyncEnterExitManager<unknown>;

// How a PlainEntry exits its manager.
const EXIT_METHOD = 0;
const DISPOSE = 1;
const ASYNC_DISPOSE = 2;

/** An entry for a manager from elsewhere: enter/exit, exit only, disposable. */
class PlainEntry implements Entry {
  readonly value: unknown;
  readonly entered: boolean;
  #manager: Keyed;
  #kind: number;

  constructor(manager: Keyed, value: unknown, entered: boolean, kind: number) {
    this.#manager = manager;
    this.value = value;
    this.entered = entered;
    this.#kind = kind;
  }

  get label(): string {
    return describe(this.#manager);
  }

  [EXIT](isError: boolean, error: unknown): unknown {
    const manager = this.#manager;
    switch (this.#kind) {
      case EXIT_METHOD: {
        const m = manager as unknown as EnterExitLike;
        return isError ? m.exit(error) : m.exit();
      }
      case DISPOSE:
        (manager as unknown as Disposable)[Symbol.dispose]();
        return false;
      default:
        return disposeAsync(manager as unknown as AsyncDisposable);
    }
  }
}

async function disposeAsync(disposable: AsyncDisposable): Promise<boolean> {
  await disposable[Symbol.asyncDispose]();
  return false;
}

function notAManager(what: string, cm: unknown): TypeError {
  const hint = typeof cm === "function"
    ? `; call it first: ${cm.name || "factory"}(...)`
    : "; pass what a contextManager() factory returns, an object with enter() and exit(error) methods, or a disposable";
  return new TypeError(
    `${what} needs a context manager, got ${describe(cm)}${hint}`,
  );
}

// ---------------------------------------------------------------------------
// The three ways to run a block.

/** `withContext`: a synchronous block. */
export function runSync<R>(
  cm: unknown,
  body: (value: never) => R,
  what: string,
): R | undefined {
  const entry = enter(cm, what, false);
  let result: R;
  try {
    checkBody(what, body);
    result = body(entry.value as never);
  } catch (error) {
    if (exitSync(entry, true, error)) return undefined;
    throw error;
  }
  if (isThenable(result)) {
    // The manager would be exited while the promise's work goes on: a
    // resource closed under its user. The exit sees the mistake as an error.
    const error = new TypeError(
      `${what}: the block returned ${
        describe(result)
      }, but withContext exits the manager as soon as the block returns, before the promise settles; use withAsyncContext for an async block`,
    );
    exitSync(entry, true, error);
    throw error;
  }
  exitSync(entry, false, undefined);
  return result;
}

function exitSync(entry: Entry, isError: boolean, error: unknown): boolean {
  let answer: unknown;
  try {
    answer = entry[EXIT](isError, error);
  } catch (exitError) {
    throw isError ? meet(exitError, error, entry.label) : exitError;
  }
  if (isThenable(answer)) {
    const exitError = new TypeError(
      `the exit of ${entry.label} returned ${
        describe(answer)
      }, which a synchronous block cannot wait for; use withAsyncContext`,
    );
    throw isError ? meet(exitError, error, entry.label) : exitError;
  }
  return isError && Boolean(answer);
}

/** `withAsyncContext`: an asynchronous block. */
export async function runAsync<R>(
  cm: unknown,
  body: (value: never) => R | PromiseLike<R>,
  what: string,
): Promise<R | undefined> {
  const entry = enter(isThenable(cm) ? await cm : cm, what, true);
  const value = entry.entered ? await entry.value : entry.value;
  let result: R;
  try {
    checkBody(what, body);
    result = await body(value as never);
  } catch (error) {
    if (await exitAsync(entry, true, error)) return undefined;
    throw error;
  }
  await exitAsync(entry, false, undefined);
  return result;
}

async function exitAsync(
  entry: Entry,
  isError: boolean,
  error: unknown,
): Promise<boolean> {
  let answer: unknown;
  try {
    answer = await entry[EXIT](isError, error);
  } catch (exitError) {
    throw isError ? meet(exitError, error, entry.label) : exitError;
  }
  return isError && Boolean(answer);
}

/** A cancellation that arrived while a promise was being waited for. */
interface Shield {
  cancelled: CancelledError | undefined;
}

/** `withTaskContext`: a block that is an operation of a task. */
export function* runTask<R>(
  cm: unknown,
  body: (value: never) => Operation<R>,
  what: string,
): Operation<R | undefined> {
  const shield: Shield = { cancelled: undefined };
  const entry = enter(
    isThenable(cm) ? yield* settle(cm, shield) : cm,
    what,
    true,
  );
  let value = entry.value;
  if (entry.entered && isThenable(value)) value = yield* settle(value, shield);
  let result: R | undefined = undefined;
  let failed = false;
  let error: unknown = undefined;
  if (shield.cancelled !== undefined) {
    // Cancelled while entering: the manager is entered now, and the block
    // never starts; its exit sees the cancellation as the block's error.
    failed = true;
    error = shield.cancelled;
    shield.cancelled = undefined;
  } else {
    try {
      checkBody(what, body);
      const op = body(value as never);
      if (!isGeneratorLike(op)) {
        throw new TypeError(
          `${what} needs a block that is a generator function (function*) returning an operation, but it returned ${
            describe(op)
          }`,
        );
      }
      result = yield* op;
    } catch (thrown) {
      failed = true;
      error = thrown;
    }
  }
  let suppressed = false;
  try {
    let answer = entry[EXIT](failed, error);
    if (isThenable(answer)) answer = yield* settle(answer, shield);
    suppressed = failed && Boolean(answer);
  } catch (exitError) {
    throw failed ? meet(exitError, error, entry.label) : exitError;
  }
  if (failed && !suppressed) throw error;
  // Cancelled while exiting, after a block that ended well: the exit is done,
  // so the cancellation goes on its way now.
  if (shield.cancelled !== undefined) throw shield.cancelled;
  return result;
}

/**
 * Waits for a promise inside a task, and keeps waiting when the task is
 * cancelled meanwhile: a promise cannot be stopped, so what it does (entering
 * or exiting a manager) happens anyway, and the task must not end before it.
 * The first cancellation is kept in `shield` for the caller to deliver. A
 * `Future` is different: it can be cancelled, and the task cancels it.
 */
function* settle<T>(
  promise: PromiseLike<T>,
  shield: Shield,
): Operation<Awaited<T>> {
  if (promise instanceof Future) return yield* promise as Future<Awaited<T>>;
  for (;;) {
    const future = Future.from(promise);
    try {
      return yield* future;
    } catch (error) {
      const ownError = future.done() && !future.cancelled() &&
        Object.is(future.exception(), error);
      if (!(error instanceof CancelledError) || ownError) throw error;
      shield.cancelled ??= error;
    }
  }
}

// Checked inside the block, so that a manager that is already entered sees
// the mistake as the block's error and exits.
function checkBody(what: string, body: unknown): void {
  if (typeof body !== "function") {
    throw new TypeError(
      `${what} needs a function for the block, got ${describe(body)}`,
    );
  }
}
