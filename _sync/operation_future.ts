// Copyright 2026 the @frontier/generators authors. MIT license.
// The future of a waiting method that has steps of its own after it waits
// (`Condition.wait` re-acquires the lock, `Barrier.wait` counts the parties
// out). Like an asyncio coroutine, which runs in the task that awaits it, its
// steps run inside the task that `yield*`s it: a party leaving a barrier runs
// its own next lines before the next party leaves. Awaited, given a done
// callback, or left alone until the current job ends (as after a plain
// `yield`), it starts as a task of its own instead.

import { CancelledError, Future } from "../future.ts";
import { Task } from "../task.ts";
import { CANCELLED, FAILED, FINISHED, internals } from "../_core/internals.ts";

type Operation<T> = Generator<Future<unknown>, T, unknown>;

/** A future whose operation runs in the task that `yield*`s it. */
export class OperationFuture<T> extends Future<T> {
  #operation: Operation<T> | undefined;
  #name: string;
  // While it runs inside a task: the future it waits on, and a cancel that
  // future did not accept, delivered when the operation resumes.
  #waitingOn: Future<unknown> | undefined;
  #cancelling: CancelledError | undefined;
  #task: Task<T> | undefined;

  constructor(operation: Operation<T>, name: string) {
    super();
    this.#operation = operation;
    this.#name = name;
    // Not `yield*`ed in this job: nobody will run it inline.
    queueMicrotask(() => this.#startAlone());
  }

  override [Symbol.iterator](): Iterator<Future<T>, T, unknown> {
    const operation = this.#operation;
    if (operation === undefined) return super[Symbol.iterator]();
    this.#operation = undefined;
    return this.#run(operation, true) as unknown as Iterator<
      Future<T>,
      T,
      unknown
    >;
  }

  override then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.#startAlone();
    return super.then(onFulfilled, onRejected);
  }

  override addDoneCallback(fn: (future: Future<T>) => void): void {
    this.#startAlone();
    super.addDoneCallback(fn);
  }

  override cancel(message?: string): boolean {
    if (this.done()) return false;
    const operation = this.#operation;
    if (operation !== undefined) {
      // Never started: nothing to undo.
      this.#operation = undefined;
      operation.return(undefined as T);
      return super.cancel(message);
    }
    if (this.#task !== undefined) return this.#task.cancel(message);
    if (!this.#waitingOn?.cancel(message)) {
      this.#cancelling ??= new CancelledError(message);
    }
    return true;
  }

  #startAlone(): void {
    const operation = this.#operation;
    if (operation === undefined) return;
    this.#operation = undefined;
    const task = new Task(this.#run(operation, false), { name: this.#name });
    this.#task = task;
    task.step();
    // A task cancelled before its first step never runs `#run`; its outcome
    // is then copied here. The callback also observes the task, whose error
    // this future carries.
    task.addDoneCallback(() => {
      if (this.done()) return;
      const state = internals.state(task as Task<unknown>);
      internals.settle(
        this as Future<unknown>,
        state,
        internals.take(task as Task<unknown>),
      );
    });
  }

  *#run(operation: Operation<T>, inline: boolean): Operation<T> {
    const self = this as Future<unknown>;
    let sent: unknown = undefined;
    let failed = false;
    let finished = false;
    try {
      for (;;) {
        let step: IteratorResult<Future<unknown>, T>;
        try {
          step = failed ? operation.throw(sent) : operation.next(sent);
        } catch (error) {
          finished = true;
          // Inline, the error reaches the task at its `yield*`: it is seen.
          if (inline) internals.take(self);
          internals.settle(
            self,
            error instanceof CancelledError ? CANCELLED : FAILED,
            error,
          );
          throw error;
        }
        if (step.done) {
          finished = true;
          internals.settle(self, FINISHED, step.value);
          return step.value;
        }
        const cancelling = this.#cancelling;
        if (cancelling !== undefined) {
          this.#cancelling = undefined;
          step.value.cancel();
          sent = cancelling;
          failed = true;
          continue;
        }
        this.#waitingOn = step.value;
        try {
          sent = yield step.value;
          failed = false;
        } catch (error) {
          sent = error;
          failed = true;
        } finally {
          this.#waitingOn = undefined;
        }
        if (this.#cancelling !== undefined) {
          sent = this.#cancelling;
          this.#cancelling = undefined;
          failed = true;
        }
      }
    } finally {
      if (!finished) {
        // The enclosing generator was closed while the operation waited.
        operation.return(undefined as T);
        if (!this.done()) super.cancel();
      }
    }
  }
}
