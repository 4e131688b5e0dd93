// Copyright 2026 the @frontier/generators authors. MIT license.
import assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import {
  CancelledError,
  Future,
  InvalidStateError,
  sleep,
} from "@frontier/generators/future";
import {
  after,
  currentTask,
  inlinedFuture,
  type Operation,
  runInlineFuture,
  startInlineFuture,
  Task,
} from "@frontier/generators/task";
import { MAX_NESTING } from "../_core/scheduler.ts";
import { captureUnhandled } from "./_util.ts";

const MILLION = 1_000_000;

/** Type-level equality, for type tests. */
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends
  (<X>() => X extends B ? 1 : 2) ? true : false;
function assertType<_T extends true>(): void {}

Deno.test("a task does not start until step() is called", () => {
  let ran = false;
  // deno-lint-ignore require-yield -- a generator that returns at once
  const t = new Task((function* () {
    ran = true;
    return 1;
  })());
  assert.equal(ran, false);
  assert.equal(t.running(), false);
  t.step();
  assert.equal(ran, true);
  assert.equal(t.result(), 1);
});

Deno.test("step(value, error) throws the error into a fresh generator", () => {
  const error = new Error("at the start");
  // deno-lint-ignore require-yield -- a generator that returns at once
  const t = new Task((function* () {
    return "never";
  })());
  t.step(undefined, error);
  assert.equal(t.exception(), error);
});

Deno.test("step() twice is an InvalidStateError", () => {
  const t = startInlineFuture((function* () {
    yield* sleep(1);
  })());
  assert.throws(() => t.step(), {
    name: "InvalidStateError",
    message: /^Cannot step task anonymous: it has already started/,
  });
  t.cancel();
});

Deno.test("the generator resumes with each future's result", async () => {
  const a = new Future<number>();
  const b = new Future<string>();
  const t = startInlineFuture((function* () {
    const x = yield* a;
    const y = yield b; // a bare yield works too; its value is unknown
    return `${x}${y}`;
  })());
  assert.equal(t.running(), true);
  a.setResult(1);
  assert.equal(t.done(), false);
  b.setResult("b");
  assert.equal(await t, "1b");
});

Deno.test("a future's error is thrown at the yield and can be handled there", () => {
  const fut = new Future<number>();
  const error = new TypeError("unsupported operand");
  const t = startInlineFuture((function* () {
    try {
      yield* fut;
      return "no error";
    } catch (e) {
      return e;
    }
  })());
  fut.setException(error);
  assert.equal(t.result(), error);
});

Deno.test("a generator that throws sets the task's exception", async () => {
  const error = new RangeError("inside");
  const t = startInlineFuture((function* () {
    yield* sleep(1);
    throw error;
  })());
  await assert.rejects(async () => await t, (e) => e === error);
  assert.equal(t.exception(), error);
});

Deno.test("yielding a non-future throws a TypeError into the generator naming it", () => {
  const t = startInlineFuture(
    (function* () {
      const caught: string[] = [];
      for (const bad of [42, "x", (function* () {})(), Promise.resolve(1)]) {
        try {
          yield bad as unknown as Future<unknown>;
        } catch (e) {
          assert.ok(e instanceof TypeError);
          caught.push(e.message);
        }
      }
      return caught;
    })(),
    { name: "picky" },
  );
  const [num, str, gen, promise] = t.result();
  assert.match(
    num,
    /^Cannot wait in task picky: it yielded 42 \(a number\), but a task's generator may only yield futures/,
  );
  assert.match(str, /yielded "x" \(a string\)/);
  assert.match(
    gen,
    /yielded a generator object.*with `yield\*` instead of `yield`/,
  );
  assert.match(promise, /yielded a Promise.*Future\.from\(promise\)/);
});

Deno.test("a task that yields itself gets a TypeError, not a deadlock", () => {
  const holder: { self?: Task<unknown> } = {};
  const self = startInlineFuture((function* (): Operation<unknown> {
    yield* sleep(0);
    return yield holder.self!;
  })());
  holder.self = self;
  return self.then(
    () => assert.fail("should fail"),
    (e) =>
      assert.match(
        (e as Error).message,
        /^Cannot wait in task anonymous: it yielded itself/,
      ),
  );
});

Deno.test("new Task() rejects anything but a generator object, with a hint", () => {
  function* gen() {}
  async function* agen() {}
  // @ts-expect-error: a generator function, not a generator
  assert.throws(() => new Task(gen), {
    name: "TypeError",
    message:
      /^Cannot create a Task: expected a generator object, got the generator function gen; call it first: gen\(\.\.\.\)/,
  });
  // @ts-expect-error: an async generator
  assert.throws(() => new Task(agen()), /not async ones/);
  // @ts-expect-error: a number
  assert.throws(() => new Task(42), /got 42 \(a number\)/);
  // @ts-expect-error: nothing
  assert.throws(() => startInlineFuture(), /got undefined/);
});

Deno.test("a task's result, error and state cannot be set from outside", () => {
  const t = new Task((function* () {})());
  assert.throws(() => t.setResult(undefined), InvalidStateError);
  assert.throws(() => t.setException(new Error()), InvalidStateError);
  assert.throws(() => t.setRunning(), InvalidStateError);
  t.step();
  assert.equal(t.done(), true);
});

// -- stack safety

Deno.test("a million yield* on done futures in a row neither recurse nor suspend", async () => {
  const done = Future.from(1);
  const t = startInlineFuture((function* () {
    let sum = 0;
    for (let i = 0; i < MILLION; i++) sum += yield* done;
    return sum;
  })());
  assert.equal(await t, MILLION);
});

Deno.test("a million bare yields of done futures run in a loop, not by recursion", async () => {
  const done = Future.from(1);
  const t = startInlineFuture((function* () {
    let sum = 0;
    for (let i = 0; i < MILLION; i++) sum += (yield done) as number;
    return sum;
  })());
  assert.equal(await t, MILLION);
});

Deno.test("the tutorial's Tick recursion runs a million ticks with flat memory", async () => {
  const done = Future.from(undefined);
  const finished = new Future<number>();
  let live = 0;
  let maxLive = 0;
  function* recursive(n: number): Operation<void> {
    live++;
    maxLive = Math.max(maxLive, live);
    try {
      yield* done;
      if (n < MILLION) new Task(recursive(n + 1)).step();
      else finished.setResult(n);
    } finally {
      live--;
    }
  }
  const before = Deno.memoryUsage().heapUsed;
  new Task(recursive(0)).step();
  assert.equal(await finished, MILLION);
  const grown = Deno.memoryUsage().heapUsed - before;
  // A tick starts the next one at once, nested, only up to a small depth;
  // beyond it the next waits in the run queue: the stack and heap stay flat.
  assert.ok(maxLive <= MAX_NESTING + 1, `${maxLive} ticks were live at once`);
  assert.ok(grown < 64 * 2 ** 20, `heap grew by ${grown} bytes`);
});

Deno.test("the Tick recursion on pending futures keeps going, tick after tick", async () => {
  const ticks: number[] = [];
  const finished = new Future<void>();
  function* recursive(n: number): Operation<void> {
    yield* sleep(0);
    ticks.push(n);
    if (n < 20) new Task(recursive(n + 1)).step();
    else finished.setResult(undefined);
  }
  new Task(recursive(0)).step();
  await finished;
  assert.deepEqual(ticks, Array.from({ length: 21 }, (_, i) => i));
});

Deno.test("a chain of a million tasks, each waiting on the next, settles from the root", async () => {
  const root = new Future<number>();
  function* link(next: Future<number>): Operation<number> {
    return (yield* next) + 1;
  }
  let last: Future<number> = root;
  for (let i = 0; i < MILLION; i++) last = startInlineFuture(link(last));
  root.setResult(0);
  assert.equal(await last, MILLION);
});

Deno.test("a million tasks each starting its child settle without a stack overflow", async () => {
  const root = new Future<number>();
  function* nest(depth: number): Operation<number> {
    if (depth === 0) return yield* root;
    return (yield* startInlineFuture(nest(depth - 1))) + 1;
  }
  const top = startInlineFuture(nest(MILLION));
  await sleep(0);
  root.setResult(0);
  assert.equal(await top, MILLION);
});

Deno.test("a long run of done futures lets timers run in between", async () => {
  const done = Future.from(0);
  let timerFired = false;
  setTimeout(() => (timerFired = true), 0);
  const sawTimer = await runInlineFuture((function* () {
    // Stops as soon as the timer got its turn (or after a long while).
    for (let i = 0; i < 500 * MILLION && !timerFired; i++) yield* done;
    return timerFired;
  })());
  assert.equal(sawTimer, true);
});

// -- cancellation

Deno.test("a task cancelled before its first step ends cancelled without running", () => {
  let ran = false;
  // deno-lint-ignore require-yield -- a generator that returns at once
  const t = new Task((function* () {
    ran = true;
  })());
  assert.equal(t.cancel(), true);
  assert.equal(t.cancelled(), true);
  t.step(); // ignored
  assert.equal(ran, false);
  assert.throws(() => t.result(), CancelledError);
});

Deno.test("cancel() throws CancelledError at the yield and cancels the awaited future", () => {
  const fut = new Future<number>();
  const seen: unknown[] = [];
  const t = startInlineFuture((function* () {
    try {
      yield* fut;
    } catch (e) {
      seen.push(e);
      throw e;
    }
  })());
  assert.equal(t.cancel("enough"), true);
  assert.equal(fut.cancelled(), true);
  assert.equal(t.cancelled(), true);
  assert.ok(seen[0] instanceof CancelledError);
  assert.equal((seen[0] as Error).message, "enough");
  assert.equal(t.cancel(), false);
});

Deno.test("a finally that waits still runs to its end after cancel()", async () => {
  const log: string[] = [];
  const t = startInlineFuture((function* () {
    try {
      yield* sleep(60_000);
    } finally {
      log.push("cleanup starts");
      yield* sleep(5);
      log.push("cleanup ends");
    }
  })());
  t.cancel();
  assert.deepEqual(log, ["cleanup starts"]);
  await assert.rejects(async () => await t, CancelledError);
  assert.deepEqual(log, ["cleanup starts", "cleanup ends"]);
  assert.equal(t.cancelled(), true);
});

Deno.test("cancellation is not lost across yield* frames whose finally blocks wait", async () => {
  const log: string[] = [];
  function* inner(): Operation<void> {
    try {
      yield* sleep(60_000);
    } finally {
      yield* sleep(1);
      log.push("inner cleaned");
    }
  }
  function* outer(): Operation<string> {
    try {
      yield* inner();
      return "finished normally";
    } finally {
      yield* sleep(1);
      log.push("outer cleaned");
    }
  }
  const t = startInlineFuture(outer());
  t.cancel();
  await assert.rejects(async () => await t, CancelledError);
  assert.deepEqual(log, ["inner cleaned", "outer cleaned"]);
});

Deno.test("a generator that handles the cancellation and returns ends with its value", () => {
  const t = startInlineFuture((function* () {
    try {
      yield* sleep(60_000);
      return "slept";
    } catch (e) {
      assert.ok(e instanceof CancelledError);
      return "woken";
    }
  })());
  assert.equal(t.cancel(), true);
  assert.equal(t.cancelled(), false);
  assert.equal(t.result(), "woken");
});

Deno.test("a task that cancels itself gets CancelledError at its next yield", () => {
  const pending = new Future<number>();
  const holder: { self?: Task<string> } = {};
  const self = new Task((function* (): Operation<string> {
    holder.self!.cancel();
    try {
      yield* pending;
      return "not cancelled";
    } catch (e) {
      return (e as Error).name;
    }
  })());
  holder.self = self;
  self.step();
  assert.equal(self.result(), "CancelledError");
  assert.equal(
    pending.cancelled(),
    true,
    "the future it would wait on is cancelled",
  );
});

Deno.test("cancelling a parent cancels the child task it waits on, and waits for its cleanup", async () => {
  const log: string[] = [];
  const child = inlinedFuture(function* child(): Operation<number> {
    try {
      yield* sleep(60_000);
      return 1;
    } finally {
      yield* sleep(2);
      log.push("child cleaned");
    }
  });
  let kid!: Task<number>;
  const parent = startInlineFuture((function* () {
    kid = startInlineFuture(child());
    try {
      return yield* kid;
    } finally {
      log.push("parent cleaned");
    }
  })());
  await sleep(0);
  parent.cancel();
  await assert.rejects(async () => await parent, CancelledError);
  assert.equal(kid.cancelled(), true);
  assert.deepEqual(log, ["child cleaned", "parent cleaned"]);
});

Deno.test("a task cancelled while it runs, that then returns without a yield, ends cancelled", () => {
  const holder: { self?: Task<string> } = {};
  // deno-lint-ignore require-yield -- it returns before any yield
  const self = new Task((function* (): Operation<string> {
    holder.self!.cancel("stop");
    return "returned anyway";
  })());
  holder.self = self;
  self.step();
  assert.equal(self.cancelled(), true);
  assert.throws(() => self.result(), {
    name: "CancelledError",
    message: "stop",
  });
});

Deno.test("an error the awaited future fails with during a pending cancel becomes the cause", () => {
  // A future whose cancel() is refused, as one owned by other code may be.
  class Stubborn<T> extends Future<T> {
    override cancel(): boolean {
      return false;
    }
  }
  const fut = new Stubborn<number>();
  const error = new Error("failed meanwhile");
  const t = startInlineFuture((function* () {
    return yield* fut;
  })());
  t.cancel();
  assert.equal(t.done(), false, "the task waits for the future to give way");
  fut.setException(error);
  assert.equal(t.cancelled(), true);
  assert.throws(() => t.result(), (e) => (e as Error).cause === error);
});

Deno.test("a CancelledError that escapes a task leaves it cancelled", () => {
  const fut = new Future<number>();
  const t = startInlineFuture((function* () {
    return yield* fut;
  })());
  fut.cancel(); // cancelled by someone else
  assert.equal(t.cancelled(), true);
});

Deno.test("cancelling a queued resume delivers CancelledError on that resume", async () => {
  const done = Future.from(0);
  let steps = 0;
  const t = startInlineFuture((function* () {
    try {
      for (;;) {
        yield* done;
        steps++;
      }
    } catch (e) {
      return [(e as Error).name, steps > 0] as const;
    }
  })());
  // The loop above never suspends, so it yields to the event loop through
  // the run queue; cancel it from a timer in between.
  await sleep(0);
  t.cancel();
  assert.deepEqual(await t, ["CancelledError", true]);
});

Deno.test("cancelling a task follows the outcome of the task it waits on: a child that handles the cancel gives its value", async () => {
  const child = startInlineFuture((function* () {
    try {
      yield* new Future<void>();
      return "finished";
    } catch (e) {
      assert.ok(e instanceof CancelledError);
      yield* sleep(1); // cleanup that waits
      return "handled";
    }
  })());
  const parent = startInlineFuture((function* () {
    return yield* child;
  })());
  assert.equal(parent.cancel(), true);
  assert.equal(parent.done(), false, "it waits for the child to settle");
  assert.equal(await parent, "handled");
  assert.equal(parent.cancelled(), false);
});

Deno.test("a future yielded while a cancel is pending is cancelled in turn, and followed if it accepts", () => {
  const holder: { self?: Task<string> } = {};
  const child = new Task((function* () {
    try {
      yield* new Future<void>();
      return "finished";
    } catch {
      return "child handled it";
    }
  })());
  const self = new Task((function* (): Operation<string> {
    holder.self!.cancel();
    child.step();
    return yield* child; // child is cancelled here and hands back its value
  })());
  holder.self = self;
  self.step();
  assert.equal(self.result(), "child handled it");
});

Deno.test("cancel() on the outermost of a million nested tasks does not overflow the stack", async () => {
  const root = new Future<number>();
  const reached = new Future<void>();
  const cleaned: number[] = [];
  function* nest(depth: number): Operation<number> {
    if (depth === 0) {
      reached.setResult(undefined);
      return yield* root;
    }
    try {
      return (yield* startInlineFuture(nest(depth - 1))) + 1;
    } finally {
      if (depth % 100_000 === 0) cleaned.push(depth);
    }
  }
  const top = startInlineFuture(nest(MILLION));
  await reached;
  assert.equal(top.cancel(), true);
  await assert.rejects(Promise.resolve(top), CancelledError);
  assert.equal(root.cancelled(), true, "the innermost wait was cancelled");
  assert.equal(cleaned.length, 10, "every level ran its finally");
});

// -- signals, using, currentTask

Deno.test("task.signal is aborted at the moment of cancel, before finally blocks run, with the CancelledError as reason", () => {
  const log: string[] = [];
  const t = startInlineFuture((function* () {
    try {
      yield* new Future<void>();
      return "finished";
    } catch {
      log.push(`handler sees aborted: ${currentTask()!.signal.aborted}`);
      return "handled";
    }
  })());
  t.signal.addEventListener("abort", () => log.push("abort event"));
  assert.equal(t.signal.aborted, false);
  t.cancel("stop now");
  assert.deepEqual(log, ["abort event", "handler sees aborted: true"]);
  assert.equal(t.result(), "handled");
  assert.ok(t.signal.reason instanceof CancelledError);
  assert.equal((t.signal.reason as Error).message, "stop now");

  // A signal first asked for after the cancel is already aborted.
  const late = startInlineFuture((function* () {
    yield* new Future<void>();
  })());
  late.cancel();
  assert.equal(late.signal.aborted, true);
  assert.ok(late.signal.reason instanceof CancelledError);
  const unstarted = new Task((function* () {})());
  unstarted.cancel();
  assert.equal(unstarted.signal.aborted, true);
});

Deno.test("the signal option cancels the task, with the abort reason as cause", () => {
  const controller = new AbortController();
  const t = startInlineFuture(
    (function* () {
      yield* new Future<void>();
    })(),
    { signal: controller.signal },
  );
  const reason = new Error("user left");
  controller.abort(reason);
  assert.equal(t.cancelled(), true);
  assert.throws(() => t.result(), (e) => (e as Error).cause === reason);
  assert.equal(t.signal.aborted, true);
});

Deno.test("an already aborted signal cancels the task before its first step; its generator never runs", async () => {
  let ran = false;
  function* work(): Operation<string> {
    ran = true;
    yield* sleep(1);
    return "ran";
  }
  const t = new Task(work(), { signal: AbortSignal.abort("gone") });
  assert.equal(t.cancelled(), true);
  t.step(); // ignored, as for any task cancelled before its first step
  assert.throws(() => t.result(), { name: "CancelledError", cause: "gone" });
  await assert.rejects(
    runInlineFuture(work(), { signal: AbortSignal.abort("late") }),
    { name: "CancelledError", cause: "late" },
  );
  assert.equal(ran, false);
  assert.throws(
    // @ts-expect-error: not an AbortSignal
    () => new Task(work(), { signal: { aborted: false } }),
    /^TypeError: Cannot create a Task: option signal must be an AbortSignal, got/,
  );
});

Deno.test("a task stops listening to its signal option once it is done", async () => {
  const controller = new AbortController();
  const signal = controller.signal;
  let added = 0;
  let removed = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = (...args: Parameters<typeof add>) => {
    added++;
    add(...args);
  };
  signal.removeEventListener = (...args: Parameters<typeof remove>) => {
    removed++;
    remove(...args);
  };
  for (let i = 0; i < 100; i++) {
    await runInlineFuture(
      (function* () {
        return yield* sleep(0, i);
      })(),
      { signal },
    );
  }
  assert.equal(added, 100);
  assert.equal(removed, 100);
  controller.abort(); // no task left to cancel
});

Deno.test("leaving a using block cancels a task still running, and leaves a done one alone", async () => {
  let running!: Task<void>;
  let finished!: Task<number>;
  {
    using t = startInlineFuture((function* () {
      yield* new Future<void>();
    })());
    using done = startInlineFuture((function* () {
      return yield* Future.from(1);
    })());
    running = t;
    finished = done;
  }
  assert.equal(running.cancelled(), true);
  assert.equal(await finished, 1);
});

Deno.test("currentTask() is the task whose generator runs, also in nested tasks, and undefined outside", async () => {
  const seen: (Task<unknown> | undefined)[] = [];
  const outer = startInlineFuture((function* () {
    seen.push(currentTask());
    const inner = startInlineFuture((function* () {
      seen.push(currentTask());
      yield* sleep(0);
      seen.push(currentTask());
    })());
    seen.push(currentTask());
    yield* inner;
    seen.push(currentTask());
  })());
  seen.push(currentTask());
  await outer;
  const inner = seen[1];
  assert.notEqual(inner, outer);
  assert.deepEqual(seen, [outer, inner, outer, undefined, inner, outer]);
});

Deno.test({
  name:
    "a task refuses completion through the base class, however it is called",
  fn() {
    const gate = new Future<number>();
    const t = startInlineFuture((function* () {
      yield* gate;
      return "own result";
    })());
    assert.throws(
      () => Future.prototype.setResult.call(t, "forced"),
      InvalidStateError,
    );
    assert.throws(
      () => Future.prototype.setException.call(t, new Error("forced")),
      InvalidStateError,
    );
    const fresh = new Task((function* () {})());
    assert.throws(
      () => Future.prototype.setRunning.call(fresh),
      InvalidStateError,
    );
    gate.setResult(1);
    assert.equal(t.result(), "own result");
    fresh.step();
  },
});

// -- naming, helpers

Deno.test("inlinedFuture checks for a generator function and names its tasks", () => {
  // deno-lint-ignore require-yield -- a generator that returns at once
  const doFunc = inlinedFuture(function* doFunc(x: number) {
    return x;
  });
  const t = new Task(doFunc(1));
  assert.equal(t.name, "doFunc");
  assert.equal(Deno.inspect(t), "Task doFunc { <pending> }");
  t.step();
  assert.equal(Deno.inspect(t), "Task doFunc { 1 }");
  assert.equal(
    new Task((function* () {})(), { name: "custom" }).name,
    "custom",
  );
  assert.throws(
    // @ts-expect-error: not a generator function
    () => inlinedFuture(async function load() {}),
    {
      name: "TypeError",
      message:
        /^Cannot mark an inlined future: expected a generator function \(function\*\), got the async function load/,
    },
  );
});

Deno.test("startInlineFuture runs tasks concurrently; runInlineFuture gives a promise", async () => {
  const order: string[] = [];
  function* worker(name: string, ms: number): Operation<string> {
    yield* sleep(ms);
    order.push(name);
    return name;
  }
  const slow = startInlineFuture(worker("slow", 20));
  const fast = startInlineFuture(worker("fast", 1));
  assert.deepEqual([await slow, await fast], ["slow", "fast"]);
  assert.deepEqual(order, ["fast", "slow"]);
  const promise = runInlineFuture(worker("run", 0));
  assert.ok(promise instanceof Promise);
  assert.equal(await promise, "run");
  const error = new Error("run failed");
  await assert.rejects(
    // deno-lint-ignore require-yield -- a generator that returns at once
    runInlineFuture((function* () {
      throw error;
    })()),
    (e) => e === error,
  );
});

Deno.test("after(ms, gen) waits, then delegates and returns the result (fake time)", async () => {
  function* doFunc(x: number, y: number): Operation<number> {
    return (yield* sleep(1, x)) + y;
  }
  const clock = FakeTimers.withGlobal(globalThis).install();
  try {
    const t = startInlineFuture(after(10, doFunc(2, 3)));
    assert.equal(t.name, "after");
    await clock.tickAsync(10);
    assert.equal(t.done(), false);
    await clock.tickAsync(1);
    assert.equal(t.result(), 5);
  } finally {
    clock.uninstall();
  }
  assert.throws(() => after(-1, (function* () {})()), RangeError);
  assert.throws(
    // @ts-expect-error: gen must be a generator object
    () => after(1, () => 1),
    /Cannot run after\(\): expected a generator object/,
  );
});

Deno.test("an unobserved failed task is reported as an unhandled rejection", async () => {
  const error = new Error("task failed, nobody looked");
  const reasons = await captureUnhandled(async () => {
    startInlineFuture((function* () {
      yield* sleep(0);
      throw error;
    })());
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
  assert.deepEqual(reasons, [error]);
});

// -- types

Deno.test("types: yield* gives the future's type, and a task's type is its return", async () => {
  const t = startInlineFuture((function* () {
    const n = yield* Future.from(1);
    assertType<Equal<typeof n, number>>();
    const s = yield* sleep(1, "s");
    assertType<Equal<typeof s, string>>();
    const child = yield* startInlineFuture((function* () {
      return [1, 2] as const;
    })());
    assertType<Equal<typeof child, readonly [1, 2]>>();
    // @ts-expect-error: a number is not a string
    const wrong: string = yield* Future.from(1);
    return { n, s, child, wrong };
  })());
  assertType<
    Equal<
      typeof t,
      Task<{ n: number; s: string; child: readonly [1, 2]; wrong: string }>
    >
  >();
  const { n, s } = await t;
  assert.equal(n + s, "1s");
});
