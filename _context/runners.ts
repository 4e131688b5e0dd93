// Copyright 2026 the @frontier/generators authors. MIT license.
// The code behind the public functions of `context.ts`: the factories that
// enter generators, the one routine that enters anything that looks like a
// context manager, and the three ways to run a block in one, where errors
// that meet are kept together.

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
import { refuseBody } from "./checks.ts";
import {
  ASYNC_DISPOSE,
  AsyncContext,
  AsyncGeneratorContextManager,
  DISPOSE,
  type Entry,
  EXIT,
  EXIT_METHOD,
  GeneratorContextManager,
  PlainEntry,
  SyncContext,
} from "./managers.ts";
import { didNotYield } from "./yield_once.ts";

/** How many errors `contains` looks at before it gives up (and wraps). */
const CONTAINS_LIMIT = 1000;

// ---------------------------------------------------------------------------
// Entering generators.

/**
 * The factory `contextManager(fn)` returns: it keeps the generator function's
 * name, passes on `this` and its arguments, and enters the generator at once.
 */
export function generatorFactory<This, A extends unknown[], T>(
  generatorFunction: (
    this: This,
    ...args: A
  ) => Generator<T, unknown, undefined>,
): (this: This, ...args: A) => ContextManager<T> {
  const name = generatorFunction.name || "(anonymous)";
  const factory = function (this: This, ...args: A): ContextManager<T> {
    return enterGenerator(generatorFunction.apply(this, args), name);
  };
  Object.defineProperty(factory, "name", { value: generatorFunction.name });
  return factory;
}

/** The factory `asyncContextManager(fn)` returns. */
export function asyncGeneratorFactory<This, A extends unknown[], T>(
  generatorFunction: (
    this: This,
    ...args: A
  ) => AsyncGenerator<T, unknown, undefined>,
): (this: This, ...args: A) => Promise<AsyncContextManager<T>> {
  const name = generatorFunction.name || "(anonymous)";
  const factory = async function (
    this: This,
    ...args: A
  ): Promise<AsyncContextManager<T>> {
    return await enterAsyncGenerator(generatorFunction.apply(this, args), name);
  };
  Object.defineProperty(factory, "name", { value: generatorFunction.name });
  return factory;
}

/** Enters `generator`: runs it to its `yield`. */
function enterGenerator<T>(
  generator: Generator<T, unknown, undefined>,
  name: string,
): GeneratorContextManager<T> {
  const first = generator.next();
  if (first.done) throw didNotYield(name);
  return new GeneratorContextManager(generator, first.value, name);
}

/** Enters `generator`: runs it to its `yield`. */
async function enterAsyncGenerator<T>(
  generator: AsyncGenerator<T, unknown, undefined>,
  name: string,
): Promise<AsyncGeneratorContextManager<T>> {
  const first = await generator.next();
  if (first.done) throw didNotYield(name);
  return new AsyncGeneratorContextManager(generator, first.value, name);
}

// ---------------------------------------------------------------------------
// Entering anything that looks like a context manager.

type Keyed = Record<PropertyKey, unknown>;

/**
 * Enters `manager`: one of this package's managers, an object in the
 * tutorial's `enter()`/`exit(error)` shape, an entered manager (`value` and
 * `exit`), or a disposable. `isAsync` allows the asynchronous kinds; `what`
 * names the runner's call for error messages. A `refusal` (the block cannot
 * run) is thrown instead of calling `enter()`; managers that are entered
 * already are returned, for the runner to exit.
 */
export function enter(
  manager: unknown,
  what: string,
  isAsync: boolean,
  refusal: TypeError | undefined,
): Entry {
  if (manager instanceof SyncContext) return manager;
  if (manager instanceof AsyncContext) {
    if (isAsync) return manager;
    const error = new TypeError(
      `Cannot run ${what}: the asynchronous context manager ${manager.name} exits with a promise, which a synchronous block cannot wait for; use withAsyncContext (or withTaskContext inside a task)`,
    );
    // It was entered when its factory ran: exit it, as after a failed block,
    // rather than leave its resource open.
    manager[EXIT](true, error).then(undefined, (exitError) => {
      if (!Object.is(exitError, error)) reportLater(exitError);
    });
    throw error;
  }
  if (
    (typeof manager !== "object" && typeof manager !== "function") ||
    manager === null
  ) {
    throw notAManager(manager, what);
  }
  if (isThenable(manager)) {
    throw new TypeError(
      `Cannot run ${what}: expected an entered context manager, got ${
        describe(manager)
      }; the factories of asyncContextManager() return promises, await it first, or use withAsyncContext (withTaskContext inside a task), which waits for it`,
    );
  }
  const keyed = manager as Keyed;
  if (typeof keyed.enter === "function") {
    if (typeof keyed.exit !== "function") {
      throw new TypeError(
        `Cannot run ${what}: ${
          describe(manager)
        } has enter() but no exit(error) method; give it one, called after the block with the block's error, if any`,
      );
    }
    if (
      !isAsync && (isAsyncFunction(keyed.enter) || isAsyncFunction(keyed.exit))
    ) {
      throw new TypeError(
        `Cannot run ${what}: the enter() or exit() of ${
          describe(manager)
        } is an async function, which a synchronous block cannot wait for; use withAsyncContext`,
      );
    }
    if (refusal !== undefined) throw refusal;
    const value = (keyed as unknown as AsyncEnterExitManager<unknown>).enter();
    return new PlainEntry(keyed, value, true, EXIT_METHOD);
  }
  if (typeof keyed.exit === "function") {
    return new PlainEntry(keyed, keyed.value, false, EXIT_METHOD);
  }
  if (isAsync && typeof keyed[Symbol.asyncDispose] === "function") {
    return new PlainEntry(keyed, manager, false, ASYNC_DISPOSE);
  }
  if (typeof keyed[Symbol.dispose] === "function") {
    return new PlainEntry(keyed, manager, false, DISPOSE);
  }
  if (typeof keyed[Symbol.asyncDispose] === "function") {
    throw new TypeError(
      `Cannot run ${what}: ${
        describe(manager)
      } is only async-disposable, and a synchronous block cannot wait for its disposal; use withAsyncContext`,
    );
  }
  throw notAManager(manager, what);
}

function notAManager(manager: unknown, what: string): TypeError {
  const hint = typeof manager === "function"
    ? `; call it first: ${manager.name || "factory"}(...)`
    : "; pass what a contextManager() factory returns, an object with enter() and exit(error) methods, or a disposable";
  return new TypeError(
    `Cannot run ${what}: expected a context manager, got ${
      describe(manager)
    }${hint}`,
  );
}

// ---------------------------------------------------------------------------
// Errors that meet.

/**
 * What the block throws when its manager's exit raised `exitError` while the
 * block's own `bodyError` was on its way out: the exit's error alone when it
 * already holds the block's (it is the same, or links to it by `cause`, or
 * carries it as a `SuppressedError` does), otherwise a `SuppressedError` with
 * both, as `using` does. `label` names the manager.
 */
export function meet(
  exitError: unknown,
  bodyError: unknown,
  label: string,
): unknown {
  if (contains(exitError, bodyError)) return exitError;
  return new SuppressedError(
    exitError,
    bodyError,
    `Cannot exit ${label}: its exit raised an error while the block's error was propagating; .error is the error from the exit, .suppressed the one from the block`,
  );
}

function contains(error: unknown, target: unknown): boolean {
  // An explicit work list, not recursion: chains of SuppressedErrors can be
  // as deep as the number of managers that were exited.
  const work = [error];
  for (let seen = 0; work.length > 0 && seen < CONTAINS_LIMIT; seen++) {
    const current = work.pop();
    if (Object.is(current, target)) return true;
    if (typeof current !== "object" || current === null) continue;
    if (current instanceof SuppressedError) {
      work.push(current.error, current.suppressed);
    }
    if ("cause" in current) work.push(current.cause);
  }
  return false;
}

// ---------------------------------------------------------------------------
// The three ways to run a block.

/** `withContext`: a synchronous block. */
export function runSync<R>(
  manager: unknown,
  body: (value: never) => R,
  what: string,
): R | undefined {
  const refusal = refuseBody(body, what);
  const entry = enter(manager, what, false, refusal);
  if (refusal !== undefined) {
    exitSync(entry, true, refusal);
    throw refusal;
  }
  let result: R;
  try {
    result = body(entry.value as never);
  } catch (error) {
    if (exitSync(entry, true, error)) return undefined;
    throw error;
  }
  if (isThenable(result)) {
    // The manager would be exited while the promise's work goes on: a
    // resource closed under its user. The exit sees the mistake as an error.
    const error = new TypeError(
      `Cannot run ${what}: the block returned ${
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
      `Cannot exit ${entry.label}: its exit returned ${
        describe(answer)
      }, which a synchronous block cannot wait for; use withAsyncContext`,
    );
    throw isError ? meet(exitError, error, entry.label) : exitError;
  }
  return isError && Boolean(answer);
}

/** `withAsyncContext`: an asynchronous block. */
export async function runAsync<R>(
  manager: unknown,
  body: (value: never) => R | PromiseLike<R>,
  what: string,
): Promise<R | undefined> {
  const refusal = refuseBody(body, what);
  const entry = enter(
    isThenable(manager) ? await manager : manager,
    what,
    true,
    refusal,
  );
  if (refusal !== undefined) {
    await exitAsync(entry, true, refusal);
    throw refusal;
  }
  const value = entry.entered ? await entry.value : entry.value;
  let result: R;
  try {
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
  manager: unknown,
  body: (value: never) => Operation<R>,
  what: string,
): Operation<R | undefined> {
  const shield: Shield = { cancelled: undefined };
  const refusal = refuseBody(body, what);
  const entry = enter(
    isThenable(manager) ? yield* settle(manager, shield) : manager,
    what,
    true,
    refusal,
  );
  let value = entry.value;
  if (entry.entered && isThenable(value)) value = yield* settle(value, shield);
  let result: R | undefined = undefined;
  let failed = false;
  let error: unknown = undefined;
  // A block that cannot run, or does not give an operation, is a mistake the
  // manager sees but cannot suppress (as a promise from withContext's block).
  let refused = refusal !== undefined;
  if (refused) {
    failed = true;
    error = refusal;
  } else if (shield.cancelled !== undefined) {
    // Cancelled while entering: the manager is entered now, and the block
    // never starts; its exit sees the cancellation as the block's error.
    failed = true;
    error = shield.cancelled;
    shield.cancelled = undefined;
  } else {
    try {
      const operation = body(value as never);
      if (!isGeneratorLike(operation)) {
        refused = true;
        throw new TypeError(
          `Cannot run ${what}: expected the block to be a generator function (function*) returning an operation, but it returned ${
            describe(operation)
          }`,
        );
      }
      result = yield* operation;
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
  if (failed && (!suppressed || refused)) throw error;
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
