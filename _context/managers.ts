// Copyright 2026 the @frontier/generators authors. MIT license.
// Every context manager this package makes, the exit protocol they share, and
// the entry that wraps a manager from elsewhere so the runners can treat all
// managers alike.

import type {
  AsyncContextManager,
  AsyncEnterExitManager,
  ContextManager,
  EnterExitManager,
  ErrorClass,
} from "../context.ts";
import { describe, isThenable } from "../_core/describe.ts";
import {
  closeAndThrow,
  closeAsyncAndThrow,
  didNotStop,
  didNotStopAfterError,
} from "./yield_once.ts";

/**
 * The exit every manager of this package implements: `isError` says whether
 * the block failed (an error may be `undefined`, after `throw undefined`), and
 * the answer says whether the manager suppressed that error.
 */
export const EXIT: unique symbol = Symbol("exit");

/**
 * A manager, entered, as the runners see it. This package's own managers are
 * entries themselves; other kinds are wrapped in a {@linkcode PlainEntry}.
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
// Generator-based managers: what contextManager() and asyncContextManager()
// factories return.

export class GeneratorContextManager<T> extends SyncContext<T> {
  // Cleared before the generator resumes, so a second exit (or one from
  // inside the generator's own cleanup) finds nothing to do.
  #generator: Generator<T, unknown, undefined> | undefined;
  #name: string;

  constructor(
    generator: Generator<T, unknown, undefined>,
    value: T,
    name: string,
  ) {
    super(value);
    this.#generator = generator;
    this.#name = name;
  }

  get name(): string {
    return this.#name;
  }

  [EXIT](isError: boolean, error: unknown): boolean {
    const generator = this.#generator;
    if (generator === undefined) return false;
    this.#generator = undefined;
    if (!isError) {
      if (generator.next().done) return false;
      return closeAndThrow(generator, didNotStop(this.#name), this.#name);
    }
    let next: IteratorResult<T, unknown>;
    try {
      next = generator.throw(error);
    } catch (thrown) {
      if (Object.is(thrown, error)) return false;
      throw thrown;
    }
    if (next.done) return true;
    return closeAndThrow(
      generator,
      didNotStopAfterError(this.#name, error),
      this.#name,
    );
  }
}

export class AsyncGeneratorContextManager<T> extends AsyncContext<T> {
  #generator: AsyncGenerator<T, unknown, undefined> | undefined;
  #name: string;

  constructor(
    generator: AsyncGenerator<T, unknown, undefined>,
    value: T,
    name: string,
  ) {
    super(value);
    this.#generator = generator;
    this.#name = name;
  }

  get name(): string {
    return this.#name;
  }

  async [EXIT](isError: boolean, error: unknown): Promise<boolean> {
    const generator = this.#generator;
    if (generator === undefined) return false;
    this.#generator = undefined;
    if (!isError) {
      if ((await generator.next()).done) return false;
      return await closeAsyncAndThrow(
        generator,
        didNotStop(this.#name),
        this.#name,
      );
    }
    let next: IteratorResult<T, unknown>;
    try {
      next = await generator.throw(error);
    } catch (thrown) {
      if (Object.is(thrown, error)) return false;
      throw thrown;
    }
    if (next.done) return true;
    return await closeAsyncAndThrow(
      generator,
      didNotStopAfterError(this.#name, error),
      this.#name,
    );
  }
}

// ---------------------------------------------------------------------------
// Adapters of enter()/exit() managers: what enterContext() and
// enterAsyncContext() return.

// They keep their manager after the exit, for the messages of errors raised
// by that exit (a runner names the manager after it has exited); `#open` is
// what makes a second exit do nothing.

export class EnteredManager<T> extends SyncContext<T> {
  #manager: EnterExitManager<T>;
  #open = true;

  constructor(manager: EnterExitManager<T>) {
    super(manager.enter());
    this.#manager = manager;
  }

  get name(): string {
    return describe(this.#manager);
  }

  override get label(): string {
    return this.name;
  }

  [EXIT](isError: boolean, error: unknown): boolean {
    if (!this.#open) return false;
    this.#open = false;
    const manager = this.#manager;
    const answer = isError ? manager.exit(error) : manager.exit();
    if (isThenable(answer)) {
      throw new TypeError(
        `Cannot exit ${
          describe(manager)
        }: its exit() returned a promise, which a synchronous exit cannot wait for; use enterAsyncContext() with \`await using\``,
      );
    }
    return isError && Boolean(answer);
  }
}

export class AsyncEnteredManager<T> extends AsyncContext<T> {
  #manager: AsyncEnterExitManager<T>;
  #open = true;

  constructor(manager: AsyncEnterExitManager<T>, value: T) {
    super(value);
    this.#manager = manager;
  }

  get name(): string {
    return describe(this.#manager);
  }

  override get label(): string {
    return this.name;
  }

  async [EXIT](isError: boolean, error: unknown): Promise<boolean> {
    if (!this.#open) return false;
    this.#open = false;
    const manager = this.#manager;
    const answer = await (isError ? manager.exit(error) : manager.exit());
    return isError && Boolean(answer);
  }
}

// ---------------------------------------------------------------------------
// The small managers: suppress(), closing(), nullContext().

export class Suppress implements EnterExitManager<void> {
  #classes: readonly ErrorClass[];

  constructor(classes: readonly ErrorClass[]) {
    this.#classes = classes;
  }

  enter(): void {}

  exit(error?: unknown): boolean {
    if (arguments.length === 0) return false;
    for (const errorClass of this.#classes) {
      if (error instanceof errorClass) return true;
    }
    return false;
  }
}

export class Closing<T extends { close(): unknown }> extends SyncContext<T> {
  #open = true;

  get name(): string {
    return `closing(${describe(this.value)})`;
  }

  [EXIT](): boolean {
    if (this.#open) {
      this.#open = false;
      this.value.close();
    }
    return false;
  }
}

export class NullContext<T> extends SyncContext<T> {
  get name(): string {
    return "nullContext()";
  }

  [EXIT](): boolean {
    return false;
  }
}

// ---------------------------------------------------------------------------
// Managers from elsewhere.

type Keyed = Record<PropertyKey, unknown>;

// How a PlainEntry exits its manager: a number, not a closure per entry.
/** By the manager's `exit(error)` method. */
export const EXIT_METHOD = 0;
/** By the manager's `[Symbol.dispose]()`. */
export const DISPOSE = 1;
/** By the manager's `[Symbol.asyncDispose]()`. */
export const ASYNC_DISPOSE = 2;

/** An entry for a manager from elsewhere: enter/exit, exit only, disposable. */
export class PlainEntry implements Entry {
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
        const enterExit = manager as unknown as AsyncEnterExitManager<unknown>;
        return isError ? enterExit.exit(error) : enterExit.exit();
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
