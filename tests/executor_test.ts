// Copyright 2026 the @frontier/generators authors. MIT license.

import assert from "node:assert/strict";
import { assertCounted } from "./_util.ts";
import FakeTimers from "@sinonjs/fake-timers";
import fc from "fast-check";
import {
  type Executor,
  LocalExecutor,
  type LocalTaskContext,
  transfer,
} from "../executor.ts";
import { QueueFullError } from "../queue.ts";
import {
  CancelledError,
  Future,
  gather,
  InvalidStateError,
  sleep,
  TimeoutError,
} from "../future.ts";
import { startInlineFuture } from "../task.ts";

/** A future settled by hand, for work that waits until the test says. */
function gate<T = void>(): Future<T> {
  return new Future<T>();
}

async function closed(pool: LocalExecutor): Promise<void> {
  await pool.shutdown();
  const stats = pool.stats();
  assert.equal(stats.running, 0);
  assert.equal(stats.queued, 0);
}

Deno.test("submit() runs sync, async and generator functions, closures included, and returns Futures", async () => {
  const pool = new LocalExecutor();
  const base = 10;
  const sync = pool.submit((x: number) => x + base, 1);
  assert.ok(sync instanceof Future);
  assert.equal(sync.done(), false, "work starts after submit returns");
  const async = pool.submit(async (x: number) => {
    await sleep(1);
    return x * base;
  }, 2);
  const gen = pool.submit(function* (ms: number) {
    const word = yield* sleep(ms, "slept");
    return `${word} ${base}`;
  }, 1);
  const returned = pool.submit(() => sleep(1, "a future"));
  assert.deepEqual(await gather([sync, async, gen, returned]), [
    11,
    20,
    "slept 10",
    "a future",
  ]);
  await closed(pool);
});

Deno.test("submit() reports errors through the future: the tutorial's TypeError", async () => {
  const pool = new LocalExecutor();
  const func = (x: unknown, y: unknown) => {
    if (typeof x !== typeof y) {
      throw new TypeError(
        `unsupported operand type(s) for +: '${typeof x}' and '${typeof y}'`,
      );
    }
    return (x as number) + (y as number);
  };
  const fut = pool.submit(func, 2, "Hello");
  const seen: string[] = [];
  fut.addDoneCallback((f) => {
    try {
      seen.push(`Got: ${f.result()}`);
    } catch (e) {
      seen.push(`Failed: ${(e as Error).name}: ${(e as Error).message}`);
    }
  });
  await assert.rejects(Promise.resolve(fut), TypeError);
  assert.deepEqual(seen, [
    "Failed: TypeError: unsupported operand type(s) for +: 'number' and 'string'",
  ]);
  await assert.rejects(
    Promise.resolve(pool.submit(() => Promise.reject(new RangeError("async")))),
    RangeError,
  );
  assert.equal(pool.stats().failed, 2);
  await closed(pool);
});

Deno.test("submit() refuses what is not a task function", async () => {
  const pool = new LocalExecutor();
  assert.throws(
    () => pool.submit(42 as unknown as () => void),
    /Cannot submit: expected a function, got 42 \(a number\)/,
  );
  assert.throws(
    () => pool.submit(async function* () {}),
    /async generators are not tasks/,
  );
  await closed(pool);
});

Deno.test("at most maxConcurrency tasks run at once, and waiting tasks start in order", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 5 }),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 20 }),
      async (max, delays) => {
        const pool = new LocalExecutor({ maxConcurrency: max });
        let now = 0;
        let peak = 0;
        const started: number[] = [];
        const futures = delays.map((ms, i) =>
          pool.submit(async () => {
            started.push(i);
            peak = Math.max(peak, ++now);
            await sleep(ms);
            now--;
            return i;
          })
        );
        assert.deepEqual(await gather(futures), delays.map((_, i) => i));
        assert.ok(peak <= max, `peak ${peak} > ${max}`);
        assert.equal(peak, Math.min(max, delays.length));
        assert.deepEqual(started, delays.map((_, i) => i));
        await closed(pool);
      },
    ),
    { numRuns: 30 },
  );
});

Deno.test("maxQueue: past it, submit throws QueueFullError at once", async () => {
  const pool = new LocalExecutor({ maxConcurrency: 1, maxQueue: 1 });
  const hold = gate();
  const running = pool.submit(() => hold);
  const waiting = pool.submit(() => "waited");
  assert.throws(() => pool.submit(() => "no room"), {
    name: "QueueFullError",
    message: /queue is full \(maxQueue 1/,
  });
  assert.ok(new QueueFullError("x") instanceof Error);
  hold.setResult();
  await running;
  assert.equal(await waiting, "waited");
  await closed(pool);
});

Deno.test("cancelling a waiting task removes it; cancelling a running generator task runs its finally", async () => {
  const pool = new LocalExecutor({ maxConcurrency: 1 });
  const log: string[] = [];
  const running = pool.submit(function* () {
    try {
      yield* sleep(60_000);
    } finally {
      log.push("cleaned up");
    }
  });
  const waiting = pool.submit(() => log.push("never runs"));
  assert.equal(waiting.cancel(), true);
  assert.equal(pool.stats().queued, 0);
  await Promise.resolve();
  assert.equal(running.running(), true);
  assert.equal(running.cancel(), true);
  await assert.rejects(Promise.resolve(running), CancelledError);
  assert.deepEqual(log, ["cleaned up"]);
  assert.equal(running.cancel(), false);
  assert.equal(pool.stats().cancelled, 2);
  await closed(pool);
});

Deno.test("a cancelled async function frees its slot at once, and counts as abandoned until it ends", async () => {
  const pool = new LocalExecutor({ maxConcurrency: 1 });
  const hold = gate();
  let ended = false;
  const running = pool.submit(async () => {
    await hold;
    ended = true;
    return "ignored";
  });
  await Promise.resolve();
  running.cancel();
  assert.equal(pool.stats().running, 0, "the slot is free");
  assert.equal(pool.stats().abandoned, 1);
  const next = pool.submit(() => "next");
  assert.equal(await next, "next", "the next task ran before the first ended");
  assert.equal(ended, false);
  hold.setResult();
  await sleep(0);
  assert.equal(ended, true);
  assert.equal(running.cancelled(), true, "its result is ignored");
  assert.equal(pool.stats().abandoned, 0, "it left the count when it ended");
  assert.equal(pool.stats().completed, 1);
  await closed(pool);
});

Deno.test("a never-settling async function with a timeout neither blocks later tasks nor shutdown() (fake timers)", async () => {
  const clock = FakeTimers.install();
  try {
    const pool = new LocalExecutor({ maxConcurrency: 1 });
    const stuck = pool.with({ timeout: 100 }).submit(() =>
      new Promise<never>(() => {})
    );
    const failure = Promise.resolve(stuck).then(() => undefined, (e) => e);
    const later = pool.with({ timeout: 100 }).submit(() => "later");
    await clock.tickAsync(100);
    assert.ok(await failure instanceof TimeoutError);
    await clock.tickAsync(0);
    assert.equal(later.done(), true, "the later task got the freed slot");
    assert.equal(later.result(), "later");
    assert.deepEqual(pool.stats(), {
      running: 0,
      queued: 0,
      completed: 1,
      failed: 1,
      cancelled: 0,
      abandoned: 1,
    });
    let down = false;
    pool.shutdown().then(() => down = true);
    await clock.tickAsync(0);
    assert.equal(down, true, "shutdown() does not wait for abandoned work");
    assert.equal(clock.countTimers(), 0, "no timer is left");
  } finally {
    clock.uninstall();
  }
});

Deno.test("this.signal aborts on cancel and on timeout with the error as its reason, and not when the task ends", async () => {
  const pool = new LocalExecutor();
  const signals: AbortSignal[] = [];
  // An async function that waits the way fetch does: on its signal.
  async function waitForAbort(this: LocalTaskContext, label: string) {
    signals.push(this.signal);
    await sleep(60_000, label, { signal: this.signal });
  }
  const cancelled = pool.submit(waitForAbort, "cancelled");
  const timed = pool.with({ timeout: 1 }).submit(waitForAbort, "timed");
  const plain = pool.submit(function (this: LocalTaskContext) {
    signals.push(this.signal);
    return "plain";
  });
  const arrow = pool.submit((x: number) => x + 1, 1);
  const generator = pool.submit(function* (this: LocalTaskContext) {
    yield* sleep(1);
    return this.signal.aborted;
  });
  await Promise.resolve();
  assert.equal(cancelled.cancel("stop it"), true);
  assert.equal(signals[0].aborted, true, "aborted at the moment of cancel");
  assert.ok(signals[0].reason instanceof CancelledError);
  assert.equal((signals[0].reason as Error).message, "stop it");
  await assert.rejects(Promise.resolve(timed), TimeoutError);
  assert.ok(signals[1].reason instanceof TimeoutError);
  assert.equal(signals[1].reason, timed.exception());
  assert.equal(await plain, "plain");
  assert.equal(signals[2].aborted, false);
  assert.equal(await arrow, 2);
  assert.equal(await generator, false);
  await sleep(0);
  assert.equal(pool.stats().abandoned, 0, "both heeded their signal");
  await closed(pool);
});

Deno.test("a task whose returned future ends cancelled leaves no timer or listener behind", async () => {
  const pool = new LocalExecutor();
  const controller = new AbortController();
  const inner = gate<string>();
  const outer = pool.with({ timeout: 60_000, signal: controller.signal })
    .submit(() => inner);
  await Promise.resolve();
  inner.cancel("gave up");
  await assert.rejects(Promise.resolve(outer), {
    name: "CancelledError",
    message: "gave up",
  });
  controller.abort();
  assert.equal(pool.stats().cancelled, 1, "the abort found nothing to do");
  await closed(pool);
  // Deno's sanitizer fails this test if the 60 s timer is still armed.
});

Deno.test("the timeout option fails a task with TimeoutError and stops it (fake timers)", async () => {
  const clock = FakeTimers.install();
  try {
    const pool = new LocalExecutor();
    const log: string[] = [];
    const slow = pool.with({ timeout: 100 }).submit(function* () {
      try {
        yield* sleep(1_000);
        log.push("finished");
      } finally {
        log.push("stopped");
      }
    });
    const failure = Promise.resolve(slow).then(() => undefined, (e) => e);
    const quick = pool.with({ timeout: 100 }).submit(() => "quick");
    await clock.tickAsync(99);
    assert.equal(slow.done(), false);
    assert.equal(await quick, "quick");
    await clock.tickAsync(1);
    const error = await failure;
    assert.ok(error instanceof TimeoutError);
    assert.match(error.message, /submit\(\) did not finish within 100 ms/);
    assert.deepEqual(log, ["stopped"]);
    assert.equal(clock.countTimers(), 0, "no timer is left");
    await closed(pool);
  } finally {
    clock.uninstall();
  }
});

Deno.test("an AbortSignal cancels a task; AbortSignal.timeout() times it out; an aborted one never starts", async () => {
  const pool = new LocalExecutor();
  const controller = new AbortController();
  const task = pool.with({ signal: controller.signal }).submit(() =>
    sleep(60_000)
  );
  await Promise.resolve();
  controller.abort(new Error("stop"));
  await assert.rejects(Promise.resolve(task), {
    name: "CancelledError",
    message: /AbortSignal was aborted \(Error: stop\)/,
  });
  let ran = false;
  const never = pool.with({ signal: controller.signal }).submit(() => {
    ran = true;
  });
  assert.equal(never.cancelled(), true);
  const timed = pool.with({ signal: AbortSignal.timeout(1) }).submit(() =>
    sleep(60_000)
  );
  await assert.rejects(Promise.resolve(timed), TimeoutError);
  await Promise.resolve();
  assert.equal(ran, false);
  assert.throws(() => pool.with({ timeout: -1 }), RangeError);
  assert.throws(
    () => pool.with({ signal: "x" as unknown as AbortSignal }),
    /must be an AbortSignal/,
  );
  await closed(pool);
});

Deno.test("map() keeps input order, reads lazily, and cancels what has not started when left early", async () => {
  const pool = new LocalExecutor({ maxConcurrency: 3 });
  const results: number[] = [];
  for await (
    const r of pool.map(async (n: number) => {
      await sleep(5 - n);
      return n * 10;
    }, [1, 2, 3, 4])
  ) results.push(r);
  assert.deepEqual(results, [10, 20, 30, 40]);

  let read = 0;
  function* many() {
    for (let i = 0; i < 1_000; i++) {
      read++;
      yield i;
    }
  }
  for await (const _ of pool.map((n: number) => n, many())) break;
  assert.ok(read < 1_000, "items are read lazily");

  async function* fromAsync() {
    yield 1;
    yield 2;
  }
  assert.deepEqual(
    await Array.fromAsync(pool.map((n: number) => -n, fromAsync())),
    [-1, -2],
  );
  await assert.rejects(
    Array.fromAsync(pool.map((n: number) => {
      if (n === 2) throw new RangeError("two");
      return n;
    }, [1, 2, 3])),
    RangeError,
  );
  assert.throws(
    () => pool.map((n: number) => n, 5 as unknown as number[]),
    /iterable/,
  );
  await closed(pool);
});

Deno.test("map() with a timeout or a signal stops the work", async () => {
  const pool = new LocalExecutor();
  await assert.rejects(
    Array.fromAsync(pool.map(() => sleep(60_000), [1, 2], { timeout: 5 })),
    TimeoutError,
  );
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    Array.fromAsync(
      pool.map((n: number) => n, [1], { signal: controller.signal }),
    ),
    CancelledError,
  );
  await closed(pool);
});

Deno.test("transfer markers are unwrapped: nothing crosses an isolate here", async () => {
  const pool = new LocalExecutor();
  const buffer = new ArrayBuffer(4);
  const got = await pool.submit(
    (b: ArrayBuffer) => transfer(b),
    transfer(buffer),
  );
  assert.equal(got, buffer, "the same buffer, not detached");
  assert.equal(buffer.byteLength, 4);
  await closed(pool);
});

Deno.test("shutdown() waits for the work, refuses new work, and cancelPending cancels what has not started", async () => {
  const pool = new LocalExecutor({ maxConcurrency: 1 });
  const hold = gate();
  const running = pool.submit(() => hold.then(() => "ran"));
  const waiting = pool.submit(() => "waited");
  const done = pool.shutdown();
  assert.throws(() => pool.submit(() => 1), InvalidStateError);
  hold.setResult();
  await done;
  assert.equal(running.result(), "ran");
  assert.equal(waiting.result(), "waited");

  const other = new LocalExecutor({ maxConcurrency: 1 });
  const hold2 = gate();
  const first = other.submit(() => hold2);
  const second = other.submit(() => "never");
  await Promise.resolve(); // `first` starts
  assert.equal(first.running(), true);
  await other.shutdown({ wait: false, cancelPending: true });
  assert.equal(second.cancelled(), true);
  assert.equal(first.done(), false);
  hold2.setResult();
  await first;
  await closed(other);
});

Deno.test("await using shuts the executor down, and it fits the Executor interface", async () => {
  let fut: Future<number>;
  {
    await using pool: Executor = new LocalExecutor();
    fut = pool.submit(() => 42);
  }
  assert.equal(fut.result(), 42);
});

Deno.test("yield* executor.submit() inside tasks", async () => {
  const pool = new LocalExecutor({ maxConcurrency: 2 });
  function* doFunc(x: number, y: number) {
    const result = yield* pool.submit(
      async (a: number, b: number) => {
        await sleep(1);
        return a + b;
      },
      x,
      y,
    );
    return `Got: ${result}`;
  }
  assert.deepEqual(
    await gather([
      startInlineFuture(doFunc(2, 3)),
      startInlineFuture(doFunc(4, 5)),
    ]),
    ["Got: 5", "Got: 9"],
  );
  assert.deepEqual(pool.stats(), {
    running: 0,
    queued: 0,
    completed: 2,
    failed: 0,
    cancelled: 0,
    abandoned: 0,
  });
  await closed(pool);
});

// --- ported from CPython's test_concurrent_futures -------------------------

Deno.test("CPython test_map_exception, test_map_timeout: map yields what came before the failure or the timeout", async () => {
  const pool = new LocalExecutor({ maxConcurrency: 2 });
  const seen: number[] = [];
  await assert.rejects(async () => {
    for await (
      const n of pool.map((x: number) => {
        if (x === 0) throw new RangeError("division by zero");
        return 12 / x;
      }, [2, 3, 0, 5])
    ) seen.push(n);
  }, RangeError);
  assert.deepEqual(seen, [6, 4]);
  const stuck = gate();
  const timed: unknown[] = [];
  await assert.rejects(async () => {
    for await (
      const n of pool.map(
        (i: number) => i === 2 ? stuck : i,
        [0, 1, 2, 3],
        { timeout: 20 },
      )
    ) timed.push(n);
  }, TimeoutError);
  assert.deepEqual(timed, [0, 1]);
  await closed(pool);
  assert.ok(
    stuck.cancelled(),
    "the future the timed-out item returned was cancelled",
  );
});

Deno.test("CPython test_cancel_futures, test_hang_issue12364: shutdown() finishes what runs, cancelPending cancels the rest, each counted once", async () => {
  const pool = new LocalExecutor({ maxConcurrency: 2 });
  const gates = [gate(), gate()];
  const running = [pool.submit(() => gates[0]), pool.submit(() => gates[1])];
  const waiting = Array.from({ length: 20 }, (_, i) => pool.submit(() => i));
  await Promise.resolve();
  const done = pool.shutdown({ cancelPending: true });
  assert.ok(waiting.every((f) => f.cancelled()));
  assert.throws(() => pool.submit(() => 1), InvalidStateError);
  gates[0].setResult();
  gates[1].setException(new TypeError("late"));
  await done;
  assertCounted(pool, [...running, ...waiting]);
  const again = new LocalExecutor({ maxConcurrency: 3 });
  const all = Array.from({ length: 50 }, (_, i) => again.submit(sleep, 1, i));
  await again.shutdown();
  assert.deepEqual(all.map((f) => f.result()), [...Array(50).keys()]);
  assertCounted(again, all);
});

Deno.test("CPython test_first_completed, test_future_times_out: wait() and asCompleted() on executor futures", async () => {
  const { wait, asCompleted } = await import("../mod.ts");
  const pool = new LocalExecutor({ maxConcurrency: 2 });
  const g = gate<string>();
  const long = pool.submit(() => g);
  const quick = pool.submit(() => "quick");
  const result = await wait([long, quick], { returnWhen: "FIRST_COMPLETED" });
  assert.ok(result.done.has(quick) && result.notDone.has(long));
  const got: unknown[] = [];
  await assert.rejects(async () => {
    for await (const f of asCompleted([long, quick, quick], { timeout: 20 })) {
      got.push(f.result());
    }
  }, TimeoutError);
  assert.deepEqual(got, ["quick"]);
  g.setResult("long");
  assert.equal(await long, "long");
  await closed(pool);
  assertCounted(pool, [long, quick]);
});
