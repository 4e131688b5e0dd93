// Copyright 2026 the @frontier/generators authors. MIT license.
// The bookkeeping of a task group (asyncio's `TaskGroup`): which children are
// still running, the failures so far, and when and how the group ends. The
// public face (`scope.ts`) makes the tasks and the errors; this file decides.

import type { Future } from "../future.ts";
import type { Task } from "../task.ts";
import {
  type CancelHandler,
  CANCELLED,
  FAILED,
  FINISHED,
  settle,
} from "./joined.ts";
import { internals } from "./internals.ts";

/** The errors and futures a group needs from the public face. */
export interface GroupParts {
  /** The future the group settles when it ends. */
  join: Future<unknown>;
  /** A `CancelledError` for a group whose waiting task was cancelled. */
  cancelled(message: string): Error;
}

/**
 * One task group. With a body (the `taskGroup` operation), it ends when the
 * body and every child have finished; without one (`new TaskGroup()`), when it
 * is closed (disposed of) and every child has finished.
 */
export class GroupCore implements CancelHandler {
  // Children that may still run. Finished ones are dropped from the end at
  // once and from elsewhere in batches, so the array holds about what runs.
  #children: Task<unknown>[] = [];
  #live = 0;
  #errors: unknown[] = [];
  #body: Task<unknown> | undefined = undefined;
  #bodyAtCancel = false; // the body was running when the waiting task was cancelled
  #closing = false; // the body has ended, or the group was disposed of
  #aborting = false; // shutting down: no new children
  #finished = false;
  #outerCancelled = false; // the task waiting on the group was cancelled
  #quiet = false; // `cancel()` was called: ending early is no failure
  #parts: GroupParts;
  #message: string | undefined = undefined;

  /** The done callback of every pending child: one function per group. */
  readonly onChildDone = (child: Future<unknown>): void => {
    this.#childDone(child as Task<unknown>);
  };
  /** The done callback of the body. */
  readonly onBodyDone = (): void => this.#bodyDone();

  constructor(parts: GroupParts) {
    this.#parts = parts;
  }

  /** Whether `spawn` may start a child now (else see {@linkcode refusal}). */
  get open(): boolean {
    return !this.#finished && !this.#aborting;
  }

  /** Why `spawn` must refuse a child now, or `undefined` if it may. */
  refusal(): string | undefined {
    if (this.#finished) {
      return "the group has finished (its work and every child have ended)";
    }
    if (this.#aborting) {
      return this.#quiet
        ? "the group was cancelled and is shutting down"
        : this.#errors.length > 0
        ? "the group is shutting down after a failure"
        : "the group is shutting down (the task waiting on it was cancelled)";
    }
    return undefined;
  }

  /** Whether the group has ended (its join future is settled). */
  get finished(): boolean {
    return this.#finished;
  }

  /** Registers `child`, then takes its first step. */
  start(child: Task<unknown>): void {
    const children = this.#children;
    children.push(child);
    this.#live++;
    child.step();
    if (!child.done()) {
      child.addDoneCallback(this.onChildDone);
      return;
    }
    // The common case: it finished without waiting, so no callback at all.
    if (children[children.length - 1] === child) children.pop();
    if (internals.state(child) === FINISHED) {
      if (--this.#live === 0 && this.#closing) this.#end();
    } else this.#childDone(child);
  }

  /** Starts the body of a `taskGroup` operation. */
  startBody(body: Task<unknown>): void {
    this.#body = body;
    body.step();
    if (body.done()) this.#bodyDone();
    else body.addDoneCallback(this.onBodyDone);
  }

  /**
   * Closes a group without a body (it was disposed of): it ends once its
   * children have.
   */
  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    if (this.#live === 0) this.#end();
  }

  /** `group.cancel()`: cancels the body and every child, and ends quietly. */
  cancel(message: string | undefined): void {
    if (this.#finished) return;
    if (!this.#aborting) this.#quiet = true;
    this.#abort(message);
  }

  /** The task waiting on the group was cancelled. */
  onCancel(message: string | undefined): boolean {
    if (this.#finished) return false;
    if (!this.#outerCancelled) {
      this.#outerCancelled = true;
      this.#bodyAtCancel = this.#body !== undefined && !this.#body.done();
      this.#message = message;
    }
    this.#abort(message);
    return true;
  }

  /** Whether the task waiting on the group was cancelled. */
  get outerCancelled(): boolean {
    return this.#outerCancelled;
  }

  #abort(message: string | undefined): void {
    if (this.#aborting) return;
    this.#aborting = true;
    const body = this.#body;
    if (body !== undefined && !body.done()) body.cancel(message);
    // Cancelling runs code that may finish children and touch the array.
    const children = this.#children.slice();
    for (let i = 0; i < children.length; i++) {
      if (!children[i].done()) children[i].cancel(message);
    }
  }

  #fail(error: unknown): void {
    // A body that rethrows a child's error reports the same failure twice.
    if (!this.#errors.includes(error)) this.#errors.push(error);
    this.#abort(undefined);
  }

  #childDone(child: Task<unknown>): void {
    this.#live--;
    if (internals.state(child) === FAILED) this.#fail(internals.take(child));
    const children = this.#children;
    if (children.length > 2 * this.#live + 32) {
      this.#children = children.filter((task) => !task.done());
    }
    if (this.#closing && this.#live === 0) this.#end();
  }

  #bodyDone(): void {
    const body = this.#body!;
    const state = internals.state(body);
    if (state === FAILED) this.#fail(internals.take(body));
    // asyncio: a body that ends by cancellation cancels the children too.
    else if (state === CANCELLED) this.#abort(undefined);
    this.#closing = true;
    if (this.#live === 0) this.#end();
  }

  #end(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#children = [];
    const join = this.#parts.join;
    const errors = this.#errors;
    if (errors.length > 0) {
      const count = errors.length === 1
        ? "1 failure"
        : `${errors.length} failures`;
      settle(
        join,
        FAILED,
        new AggregateError(errors, `The task group ended with ${count}`),
      );
      return;
    }
    const body = this.#body;
    const state = body === undefined ? FINISHED : internals.state(body);
    if (this.#outerCancelled) {
      // The body handled the cancellation and returned: its value stands.
      if (state === FINISHED && this.#bodyAtCancel) {
        settle(join, FINISHED, internals.take(body!));
      } else {
        settle(
          join,
          CANCELLED,
          state === CANCELLED ? internals.take(body!) : this.#parts.cancelled(
            this.#message ?? "The task group was cancelled",
          ),
        );
      }
      return;
    }
    if (state === FINISHED) {
      settle(
        join,
        FINISHED,
        body === undefined ? undefined : internals.take(body),
      );
    } else if (this.#quiet) settle(join, FINISHED, undefined);
    else settle(join, CANCELLED, internals.take(body!));
  }
}
