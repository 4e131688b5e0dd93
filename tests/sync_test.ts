// Copyright 2026 the @frontier/generators authors. MIT license.
// The behaviours of CPython's test_asyncio/test_locks.py, rewritten for tasks
// and futures, and the corner cases of design.md's "Settled details": misuse
// errors, hand-overs that lose nothing, and waiting methods that run in their
// waiting task.
import assert from "node:assert/strict";
import {
  CancelledError,
  type Future,
  InvalidStateError,
  sleep,
} from "@frontier/generators/future";
import {
  type Operation,
  runInlineFuture,
  startInlineFuture,
  type Task,
} from "@frontier/generators/task";
import {
  Barrier,
  BoundedSemaphore,
  BrokenBarrierError,
  Condition,
  Event,
  Lock,
  Semaphore,
} from "@frontier/generators/sync";

/** Lets every task run until all of them wait on something. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Starts a task that waits for `future` and returns its result. */
function waitIn<T>(future: () => Future<T>): Task<T> {
  return startInlineFuture((function* () {
    return yield* future();
  })());
}

/** Runs `body` as a task: hand-overs it makes reach other tasks later. */
function inTask(body: () => void): Promise<void> {
  // deno-lint-ignore require-yield -- the body runs in one step
  return runInlineFuture((function* () {
    body();
  })());
}

function release(held: Future<Disposable>): void {
  held.result()[Symbol.dispose]();
}

// -- Lock

Deno.test("Lock: waiters get the lock first come, first served", async () => {
  const lock = new Lock();
  const order: number[] = [];
  await lock.acquire();
  function* worker(n: number): Operation<void> {
    yield* lock.acquire();
    order.push(n);
  }
  startInlineFuture(worker(1));
  startInlineFuture(worker(2));
  await settle();
  assert.deepEqual(order, []);
  lock.release();
  await settle();
  assert.deepEqual(order, [1]);
  startInlineFuture(worker(3));
  lock.release();
  await settle();
  assert.deepEqual(order, [1, 2]);
  lock.release();
  await settle();
  assert.deepEqual(order, [1, 2, 3]);
  assert.equal(lock.locked(), true);
});

Deno.test("Lock: acquire() resolves to a Disposable that releases it once", async () => {
  const lock = new Lock();
  await runInlineFuture((function* () {
    using _held = yield* lock.acquire();
    assert.equal(lock.locked(), true);
  })());
  assert.equal(lock.locked(), false);
  const held = await lock.acquire();
  held[Symbol.dispose]();
  const again = lock.acquire();
  held[Symbol.dispose](); // does not release the second holder's turn
  assert.equal(lock.locked(), true);
  release(again);
  assert.equal(lock.locked(), false);
});

Deno.test("Lock: releasing an unlocked lock is an InvalidStateError", () => {
  const lock = new Lock();
  assert.throws(() => lock.release(), {
    name: "InvalidStateError",
    message: /^Cannot release the Lock: it is not locked; /,
  });
});

Deno.test("Lock: a waiter cancelled while waiting gives up its place", async () => {
  const lock = new Lock();
  await lock.acquire();
  const b = waitIn(() => lock.acquire());
  const c = waitIn(() => lock.acquire());
  b.cancel();
  await assert.rejects(Promise.resolve(b), CancelledError);
  lock.release();
  await settle();
  assert.equal(c.done(), true);
  assert.equal(lock.locked(), true);
  release(c);
  assert.equal(lock.locked(), false);
});

Deno.test("Lock: cancelling one waiter and releasing at once lets one task in", async () => {
  // CPython's issue 32734: four acquirers, the second cancelled as the first
  // releases; exactly one more may hold the lock.
  const lock = new Lock();
  let holding = 0;
  await lock.acquire();
  function* lockIt(): Operation<void> {
    yield* lock.acquire();
    holding++;
  }
  const tasks = [1, 2, 3].map(() => startInlineFuture(lockIt()));
  await inTask(() => {
    tasks[0].cancel();
    lock.release();
  });
  await settle();
  assert.equal(holding, 1);
  assert.equal(tasks[0].cancelled(), true);
  assert.equal(tasks[1].done(), true);
  tasks[2].cancel();
  assert.equal(tasks[2].cancelled(), true);
});

Deno.test("Lock: a lock handed to a task cancelled before it resumes passes to the next waiter", async () => {
  const lock = new Lock();
  await lock.acquire();
  const b = waitIn(() => lock.acquire());
  const c = waitIn(() => lock.acquire());
  await inTask(() => {
    lock.release(); // hands the lock to b, whose task resumes later
    assert.equal(b.cancel(), true);
  });
  await settle();
  assert.equal(b.cancelled(), true);
  assert.equal(c.done(), true, "the lock b never took went to c");
  release(c);
  assert.equal(lock.locked(), false);
});

Deno.test("Lock: a lock handed to the last waiter, cancelled before it resumes, is free again", async () => {
  const lock = new Lock();
  await lock.acquire();
  const b = waitIn(() => lock.acquire());
  await inTask(() => {
    lock.release();
    b.cancel();
  });
  await settle();
  assert.equal(b.cancelled(), true);
  assert.equal(lock.locked(), false);
});

Deno.test("Lock: a lock a time-sliced task never took is given back when it is cancelled", async () => {
  // A task that acquires a free lock over and over never waits, but the run
  // queue hands control to the event loop every time slice, at one of its
  // `yield*`s: a cancel arriving then must not keep the lock taken.
  const lock = new Lock();
  let rounds = 0;
  const spinner = startInlineFuture((function* () {
    for (;;) {
      using _held = yield* lock.acquire();
      rounds++;
    }
  })());
  await new Promise((resolve) => setTimeout(resolve, 1));
  assert.ok(rounds > 0, "the spinning task got to run");
  spinner.cancel();
  await assert.rejects(Promise.resolve(spinner), CancelledError);
  assert.equal(lock.locked(), false);
});

// -- Event

Deno.test("Event: set() wakes every waiter, in the order they came", async () => {
  const event = new Event();
  const order: number[] = [];
  function* waiter(n: number): Operation<void> {
    assert.equal(yield* event.wait(), true);
    order.push(n);
  }
  startInlineFuture(waiter(1));
  startInlineFuture(waiter(2));
  await settle();
  assert.deepEqual(order, []);
  startInlineFuture(waiter(3));
  event.set();
  await settle();
  assert.deepEqual(order, [1, 2, 3]);
});

Deno.test("Event: a wait on a set event is done at once", () => {
  const event = new Event();
  event.set();
  assert.equal(event.isSet(), true);
  assert.equal(event.wait().result(), true);
});

Deno.test("Event: a cancelled waiter is not woken and others still are", async () => {
  const event = new Event();
  const cancelled = waitIn(() => event.wait());
  const kept = waitIn(() => event.wait());
  cancelled.cancel();
  event.set();
  await settle();
  assert.equal(cancelled.cancelled(), true);
  assert.equal(kept.result(), true);
});

Deno.test("Event: clear() makes later waits wait; a set and clear still wake the waiters", async () => {
  const event = new Event();
  const waiter = waitIn(() => event.wait());
  event.set();
  event.clear();
  assert.equal(event.isSet(), false);
  await settle();
  assert.equal(waiter.result(), true);
  assert.equal(event.wait().done(), false);
});

// -- Condition

Deno.test("Condition: notify() wakes waiters one by one, each taking the lock again", async () => {
  const condition = new Condition();
  const order: number[] = [];
  function* waiter(n: number): Operation<void> {
    yield* condition.acquire();
    yield* condition.wait();
    assert.equal(condition.locked(), true);
    order.push(n);
  }
  for (const n of [1, 2, 3]) startInlineFuture(waiter(n));
  await settle();
  assert.equal(condition.locked(), false);

  await condition.acquire();
  condition.notify();
  await settle();
  assert.deepEqual(order, [], "a notified waiter waits for the lock");
  condition.release();
  await settle();
  assert.deepEqual(order, [1]);
  assert.equal(condition.locked(), true);

  condition.notify(2);
  condition.release();
  await settle();
  assert.deepEqual(order, [1, 2]);
  condition.release();
  await settle();
  assert.deepEqual(order, [1, 2, 3]);
  condition.release();
});

Deno.test("Condition: notifyAll() wakes every waiter", async () => {
  const condition = new Condition();
  const order: number[] = [];
  function* waiter(n: number): Operation<void> {
    using _held = yield* condition.acquire();
    yield* condition.wait();
    order.push(n);
  }
  const tasks = [1, 2].map((n) => startInlineFuture(waiter(n)));
  await settle();
  {
    using _held = await condition.acquire();
    condition.notifyAll();
  }
  await Promise.all(tasks);
  assert.deepEqual(order, [1, 2]);
});

Deno.test("Condition: wait(), waitFor() and notify() without the lock are InvalidStateErrors", async () => {
  const condition = new Condition();
  assert.throws(() => condition.wait(), {
    name: "InvalidStateError",
    message: /^Cannot wait on the Condition: its lock is not held; /,
  });
  assert.throws(() => condition.notify(), InvalidStateError);
  assert.throws(() => condition.notifyAll(), InvalidStateError);
  // As asyncio's: a predicate already true needs no lock, one that is false
  // must wait, and that needs it.
  assert.deepEqual(await condition.waitFor(() => [1, 2, 3]), [1, 2, 3]);
  await assert.rejects(
    Promise.resolve(condition.waitFor(() => false)),
    InvalidStateError,
  );
});

Deno.test("Condition: a waiter cancelled while waiting still holds the lock when it sees the CancelledError", async () => {
  const condition = new Condition();
  await condition.acquire();
  let lockedWhenCancelled: boolean | undefined;
  const waiter = startInlineFuture((function* () {
    yield* condition.acquire();
    try {
      yield* condition.wait();
    } catch (error) {
      lockedWhenCancelled = condition.locked();
      throw error;
    } finally {
      condition.release();
    }
  })());
  condition.release();
  await settle();
  waiter.cancel();
  await assert.rejects(Promise.resolve(waiter), CancelledError);
  assert.equal(lockedWhenCancelled, true);
  assert.equal(condition.locked(), false);
});

Deno.test("Condition: a waiter cancelled while it takes the lock again waits for it, then sees the same CancelledError", async () => {
  const condition = new Condition();
  let wake = false;
  let raised: unknown;
  const task = startInlineFuture((function* () {
    using _held = yield* condition.acquire();
    try {
      yield* condition.waitFor(() => wake);
    } catch (error) {
      raised = error;
      assert.equal(condition.locked(), true);
      throw error;
    }
  })());
  await settle();
  await condition.acquire();
  wake = true;
  condition.notify();
  await settle(); // the task now waits for the lock
  task.cancel("stop");
  assert.equal(task.done(), false, "it still waits for the lock");
  condition.release();
  const error = await Promise.resolve(task).catch((e) => e);
  assert.ok(error instanceof CancelledError);
  assert.equal(error.message, "stop");
  assert.equal(error, raised);
  assert.equal(condition.locked(), false);
});

Deno.test("Condition: a notification to a task cancelled before it resumes goes to the next waiter", async () => {
  // CPython's test_cancelled_wakeup: no wake-up is lost to a cancel.
  const condition = new Condition();
  let state = 0;
  function* consumer(): Operation<void> {
    using _held = yield* condition.acquire();
    for (;;) {
      yield* condition.waitFor(() => state !== 0);
      if (state < 0) return;
      state--;
    }
  }
  const consumers = [
    startInlineFuture(consumer()),
    startInlineFuture(consumer()),
  ];
  await settle();
  const held = await condition.acquire();
  await inTask(() => {
    state++;
    condition.notify(1);
    consumers[0].cancel(); // woken, but not resumed yet
  });
  held[Symbol.dispose]();
  await settle();
  assert.equal(consumers[0].cancelled(), true);
  assert.equal(state, 0, "the other consumer took the item");
  {
    using _held = await condition.acquire();
    state = -1;
    condition.notifyAll();
  }
  await consumers[1];
});

Deno.test("Condition: a notification to a task cancelled while it takes the lock again goes to the next waiter", async () => {
  // CPython's test_cancelled_wakeup_relock.
  const condition = new Condition();
  let state = 0;
  function* consumer(): Operation<void> {
    using _held = yield* condition.acquire();
    for (;;) {
      yield* condition.waitFor(() => state !== 0);
      if (state < 0) return;
      state--;
    }
  }
  const consumers = [
    startInlineFuture(consumer()),
    startInlineFuture(consumer()),
  ];
  await settle();
  const held = await condition.acquire();
  state++;
  condition.notify(1);
  await settle(); // the first consumer now waits for the lock
  consumers[0].cancel();
  held[Symbol.dispose]();
  await settle();
  assert.equal(consumers[0].cancelled(), true);
  assert.equal(state, 0, "the other consumer took the item");
  {
    using _held = await condition.acquire();
    state = -1;
    condition.notifyAll();
  }
  await consumers[1];
});

Deno.test("Condition: waitFor() waits until the predicate holds", async () => {
  const condition = new Condition();
  let ready = false;
  const waiter = startInlineFuture((function* () {
    using _held = yield* condition.acquire();
    return yield* condition.waitFor(() => ready && "ready");
  })());
  await settle();
  for (const value of [false, true]) {
    ready = value;
    using _held = await condition.acquire();
    condition.notify();
  }
  assert.equal(await waiter, "ready");
});

Deno.test("Condition: shares a Lock given to it", async () => {
  const lock = new Lock();
  const condition = new Condition(lock);
  {
    using _held = await condition.acquire();
    assert.equal(lock.locked(), true);
  }
  assert.equal(lock.locked(), false);
  {
    using _held = await lock.acquire();
    assert.equal(condition.locked(), true);
  }
  assert.throws(() => new Condition({} as Lock), TypeError);
});

Deno.test("Condition: wait() awaited from async code runs as a task of its own", async () => {
  const condition = new Condition();
  await condition.acquire();
  const waiting = condition.wait();
  await settle();
  assert.equal(condition.locked(), false, "it released the lock to wait");
  await runInlineFuture((function* () {
    using _held = yield* condition.acquire();
    condition.notify();
  })());
  assert.equal(await waiting, true);
  assert.equal(condition.locked(), true);
  condition.release();
});

Deno.test("Condition: wait() given to a plain `yield` still runs", async () => {
  const condition = new Condition();
  const task = startInlineFuture((function* () {
    yield* condition.acquire();
    yield condition.wait(); // not yield*: it starts as a task of its own
    return condition.locked();
  })());
  await settle();
  {
    using _held = await condition.acquire();
    condition.notify();
  }
  assert.equal(await task, true);
});

Deno.test("Condition: a wait() cancelled before it starts does nothing", async () => {
  const condition = new Condition();
  await condition.acquire();
  const waiting = condition.wait();
  assert.equal(waiting.cancel(), true);
  assert.equal(waiting.cancelled(), true);
  await settle();
  assert.equal(condition.locked(), true, "it never released the lock");
  condition.release();
});

Deno.test("Condition: cancelling a wait() running inside a task cancels it there, with the lock held again", async () => {
  const condition = new Condition();
  let waiting: Future<true> | undefined;
  const task = startInlineFuture((function* () {
    using _held = yield* condition.acquire();
    waiting = condition.wait();
    try {
      yield* waiting;
    } catch (error) {
      return [error instanceof CancelledError, condition.locked()];
    }
  })());
  await settle();
  assert.equal(condition.locked(), false);
  assert.equal(waiting!.cancel(), true);
  assert.deepEqual(await task, [true, true]);
  assert.equal(waiting!.cancelled(), true);
  assert.equal(condition.locked(), false);
});

Deno.test("Condition: cancelling a wait() awaited from async code cancels its task", async () => {
  const condition = new Condition();
  await condition.acquire();
  const waiting = condition.wait();
  await settle();
  assert.equal(condition.locked(), false);
  assert.equal(waiting.cancel(), true);
  await assert.rejects(Promise.resolve(waiting), CancelledError);
  assert.equal(condition.locked(), true, "it took the lock again");
  condition.release();
});

// -- Semaphore and BoundedSemaphore

Deno.test("Semaphore: a value of 0 starts locked; a bad value is a RangeError", () => {
  assert.equal(new Semaphore(0).locked(), true);
  assert.equal(new Semaphore().locked(), false);
  assert.throws(() => new Semaphore(-1), {
    name: "RangeError",
    message:
      "Cannot create a Semaphore: value must be a whole number >= 0, got -1 (a number)",
  });
  assert.throws(() => new Semaphore(1.5), RangeError);
  assert.throws(() => new BoundedSemaphore(NaN), RangeError);
});

Deno.test("Semaphore: acquires wait while no slot is free, and are served in order", async () => {
  const semaphore = new Semaphore(3);
  const order: number[] = [];
  await semaphore.acquire();
  await semaphore.acquire();
  assert.equal(semaphore.locked(), false);
  function* worker(n: number): Operation<void> {
    yield* semaphore.acquire();
    order.push(n);
  }
  const tasks = [1, 2, 3].map((n) => startInlineFuture(worker(n)));
  await settle();
  assert.deepEqual(order, [1]);
  assert.equal(semaphore.locked(), true);
  tasks.push(startInlineFuture(worker(4)));
  semaphore.release();
  semaphore.release();
  await settle();
  assert.deepEqual(order, [1, 2, 3]);
  assert.equal(semaphore.locked(), true);
  semaphore.release();
  await Promise.all(tasks);
  assert.deepEqual(order, [1, 2, 3, 4]);
});

Deno.test("Semaphore: tasks that release and acquire again queue behind the others", async () => {
  const semaphore = new Semaphore(1);
  const order: string[] = [];
  function* worker(tag: string): Operation<void> {
    for (const round of [1, 2]) {
      using _slot = yield* semaphore.acquire();
      order.push(`${tag}_${round}`);
      yield* sleep(1);
    }
  }
  await Promise.all(
    ["c1", "c2", "c3"].map((t) => startInlineFuture(worker(t))),
  );
  assert.deepEqual(order, ["c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2"]);
});

Deno.test("Semaphore: waiters cancelled before a release do not take its slot", async () => {
  const semaphore = new Semaphore(0);
  const tasks = [1, 2, 3, 4].map(() => waitIn(() => semaphore.acquire()));
  tasks[0].cancel();
  tasks[1].cancel();
  semaphore.release();
  await settle();
  assert.equal(tasks[2].done(), true);
  assert.equal(tasks[3].done(), false);
  assert.equal(semaphore.locked(), true);
  tasks[3].cancel();
});

Deno.test("Semaphore: a slot handed to a task cancelled before it resumes goes to the next waiter", async () => {
  const semaphore = new Semaphore(0);
  const first = waitIn(() => semaphore.acquire());
  const second = waitIn(() => semaphore.acquire());
  await inTask(() => {
    semaphore.release();
    first.cancel();
  });
  await settle();
  assert.equal(first.cancelled(), true);
  assert.equal(second.done(), true);
  release(second);
  assert.equal(semaphore.locked(), false, "the slot is back");
});

Deno.test("Semaphore: a task cancelled while holding a slot through `using` gives it back", async () => {
  const semaphore = new Semaphore(1);
  const holder = startInlineFuture((function* () {
    using _slot = yield* semaphore.acquire();
    yield* sleep(60_000);
  })());
  const next = waitIn(() => semaphore.acquire());
  holder.cancel();
  await settle();
  assert.equal(next.done(), true);
  release(next);
  assert.equal(semaphore.locked(), false);
});

Deno.test("BoundedSemaphore: releasing above the initial value is an InvalidStateError", async () => {
  const semaphore = new BoundedSemaphore(2);
  assert.throws(() => semaphore.release(), {
    name: "InvalidStateError",
    message:
      /^Cannot release the BoundedSemaphore: all 2 of its slots are free; /,
  });
  const held = await semaphore.acquire();
  held[Symbol.dispose]();
  held[Symbol.dispose](); // once only
  assert.throws(() => semaphore.release(), InvalidStateError);
});

// -- Barrier

/** Runs `n` tasks of `body` and waits for all. */
function gather<T>(n: number, body: () => Operation<T>): Promise<T[]> {
  return Promise.all(
    Array.from({ length: n }, () => startInlineFuture(body())),
  );
}

Deno.test("Barrier: parties must be a whole number >= 1", () => {
  assert.throws(() => new Barrier(0), {
    name: "RangeError",
    message:
      "Cannot create a Barrier: parties must be a whole number >= 1, got 0 (a number)",
  });
  assert.throws(() => new Barrier(-4), RangeError);
  assert.equal(new Barrier(5).parties, 5);
});

Deno.test("Barrier: each party gets a distinct index and all go on together", async () => {
  const barrier = new Barrier(3);
  const indices = await gather(3, function* () {
    return yield* barrier.wait();
  });
  assert.deepEqual(indices.sort(), [0, 1, 2]);
  assert.equal(barrier.waiting, 0);
  assert.equal(barrier.broken, false);
});

Deno.test("Barrier: a barrier of one lets each wait through", async () => {
  const barrier = new Barrier(1);
  assert.equal(await barrier.wait(), 0);
  assert.equal(await barrier.wait(), 0);
  assert.equal(barrier.waiting, 0);
});

Deno.test("Barrier: waiting counts the parties that arrived", async () => {
  const barrier = new Barrier(3);
  const tasks = [waitIn(() => barrier.wait())];
  assert.equal(barrier.waiting, 1);
  tasks.push(waitIn(() => barrier.wait()));
  assert.equal(barrier.waiting, 2);
  tasks.push(waitIn(() => barrier.wait()));
  await Promise.all(tasks);
  assert.equal(barrier.waiting, 0);
});

Deno.test("Barrier: parties can pass it twice in a row", async () => {
  const barrier = new Barrier(5);
  const results: boolean[] = [];
  await gather(5, function* () {
    yield* barrier.wait();
    results.push(true);
    yield* barrier.wait();
    results.push(false);
  });
  assert.equal(results.filter((r) => r).length, 5);
  assert.equal(results.filter((r) => !r).length, 5);
});

Deno.test("Barrier: a party leaving runs its next lines before the next party leaves", async () => {
  const barrier = new Barrier(3);
  const waits: Future<number>[] = [];
  const seen: number[] = [];
  await gather(3, function* () {
    const wait = barrier.wait();
    waits.push(wait);
    yield* wait;
    // How many parties have left by now: this one and those before it.
    seen.push(waits.filter((w) => w.done()).length);
  });
  assert.deepEqual(seen, [1, 2, 3]);
});

Deno.test("Barrier: parties arriving while the last round drains wait for the next round", async () => {
  // CPython's test_blocking_tasks_while_draining.
  const barrier = new Barrier(5);
  const others = new Barrier(3);
  let rewait = 2;
  await gather(5, function* () {
    yield* barrier.wait();
    if (rewait > 0) {
      rewait--;
      yield* barrier.wait();
    } else {
      yield* others.wait();
      yield* barrier.wait();
    }
  });
  assert.equal(barrier.waiting, 0);
});

Deno.test("Barrier: a party cancelled while it waits leaves the count", async () => {
  const barrier = new Barrier(3);
  const first = waitIn(() => barrier.wait());
  const second = waitIn(() => barrier.wait());
  assert.equal(barrier.waiting, 2);
  first.cancel();
  await assert.rejects(Promise.resolve(first), CancelledError);
  assert.equal(barrier.waiting, 1);
  const third = waitIn(() => barrier.wait());
  assert.equal(barrier.waiting, 2);
  const fourth = waitIn(() => barrier.wait());
  await Promise.all([second, third, fourth]);
  assert.equal(barrier.waiting, 0);
  assert.equal(barrier.broken, false);
});

Deno.test("Barrier: reset() fails the parties waiting with BrokenBarrierError", async () => {
  const barrier = new Barrier(5);
  const results: unknown[] = [];
  const tasks = Array.from(
    { length: 4 },
    () =>
      startInlineFuture((function* () {
        try {
          yield* barrier.wait();
        } catch (error) {
          results.push(error);
        }
      })()),
  );
  await settle();
  barrier.reset();
  await Promise.all(tasks);
  assert.equal(results.length, 4);
  assert.ok(results.every((e) => e instanceof BrokenBarrierError));
  assert.equal(barrier.waiting, 0);
  assert.equal(barrier.broken, false);
});

Deno.test("Barrier: reset() while parties wait, and they wait again, fills a new round", async () => {
  const barrier = new Barrier(5);
  const broken: boolean[] = [];
  const passed: boolean[] = [];
  const tasks = Array.from(
    { length: 4 },
    () =>
      startInlineFuture((function* () {
        try {
          yield* barrier.wait();
        } catch (error) {
          broken.push(error instanceof BrokenBarrierError);
        }
        yield* barrier.wait();
        passed.push(true);
      })()),
  );
  await settle();
  barrier.reset();
  await settle();
  tasks.push(startInlineFuture((function* () {
    yield* barrier.wait();
    passed.push(true);
  })()));
  await Promise.all(tasks);
  assert.deepEqual(broken, [true, true, true, true]);
  assert.equal(passed.length, 5);
  assert.equal(barrier.broken, false);
});

Deno.test("Barrier: reset() by the last party to leave lets a new round fill", async () => {
  // CPython's test_reset_barrier_while_tasks_draining.
  const barrier = new Barrier(5);
  let left = 0;
  let secondRound = 0;
  let errors = 0;
  let lastRound = 0;
  await gather(5, function* () {
    yield* barrier.wait();
    left++;
    if (left === 5) {
      barrier.reset();
      yield* barrier.wait();
    } else {
      try {
        yield* barrier.wait();
        secondRound++;
      } catch {
        errors++;
      }
    }
    yield* barrier.wait();
    lastRound++;
  });
  assert.equal(secondRound, 4);
  assert.equal(errors, 0);
  assert.equal(lastRound, 5);
  assert.equal(barrier.broken, false);
});

Deno.test("Barrier: abort() breaks it for waiting and later parties until reset()", async () => {
  const barrier = new Barrier(5);
  const outcomes: string[] = [];
  await gather(5, function* () {
    try {
      const index = yield* barrier.wait();
      if (index === 2) throw new RangeError("one party fails");
      yield* barrier.wait();
      outcomes.push("passed");
    } catch (error) {
      if (error instanceof BrokenBarrierError) outcomes.push("broken");
      else barrier.abort();
    }
  });
  assert.equal(barrier.broken, true);
  assert.deepEqual(outcomes, ["broken", "broken", "broken", "broken"]);
  await assert.rejects(Promise.resolve(barrier.wait()), {
    name: "BrokenBarrierError",
    message: /^Cannot pass the Barrier: it is broken; /,
  });
  barrier.reset();
  assert.equal(barrier.broken, false);
  const indices = await gather(5, function* () {
    return yield* barrier.wait();
  });
  assert.deepEqual(indices.sort(), [0, 1, 2, 3, 4]);
});

// -- all primitives

Deno.test("every waiting method works with await in async code", async () => {
  const lock = new Lock();
  const semaphore = new Semaphore(1);
  const event = new Event();
  const condition = new Condition();
  const barrier = new Barrier(2);
  using _lock = await lock.acquire();
  using _slot = await semaphore.acquire();
  event.set();
  assert.equal(await event.wait(), true);
  {
    using _held = await condition.acquire();
    assert.equal(await condition.waitFor(() => 1), 1);
  }
  assert.deepEqual(
    (await Promise.all([barrier.wait(), barrier.wait()])).sort(),
    [0, 1],
  );
});

Deno.test("a lock passed between two tasks a million times neither overflows nor grows the heap", async () => {
  const lock = new Lock();
  const rounds = 1_000_000;
  let handOvers = 0;
  let last: string | undefined;
  const before = Deno.memoryUsage().heapUsed;
  function* worker(name: string): Operation<void> {
    for (let i = 0; i < rounds / 2; i++) {
      using _held = yield* lock.acquire();
      if (last !== name) handOvers++;
      last = name;
    }
  }
  await Promise.all([
    startInlineFuture(worker("a")),
    startInlineFuture(worker("b")),
  ]);
  const grown = Deno.memoryUsage().heapUsed - before;
  assert.ok(handOvers > rounds / 2, `only ${handOvers} hand-overs`);
  assert.equal(lock.locked(), false);
  assert.ok(grown < 64 * 2 ** 20, `heap grew by ${grown} bytes`);
});
