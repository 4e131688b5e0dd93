// Copyright 2026 the @frontier/generators authors. MIT license.
import assert from "node:assert/strict";
import fc from "fast-check";
import FakeTimers from "@sinonjs/fake-timers";
import {
  asCompleted,
  CancelledError,
  Future,
  gather,
  InvalidStateError,
  sleep,
  TimeoutError,
  wait,
} from "@frontier/generators/future";
import { captureReportedErrors, captureUnhandled } from "./_util.ts";

/**
 * Whether `promise` has settled once the work queued so far (microtasks, and
 * timers due at once) has run: for a `next()` that must not be left pending,
 * without a test that hangs when it is.
 */
async function settlesNow(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 0));
  return settled;
}

/** Runs a script in a new Deno process; fails the test if it hangs. */
async function runScript(
  source: string,
  flags: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-check", ...flags, source],
    env: { NO_COLOR: "1" },
    // Only a guard against a hang: a script that did not finish fails below.
    signal: AbortSignal.timeout(60_000),
  }).output();
  const decoder = new TextDecoder();
  return {
    code,
    stdout: decoder.decode(stdout),
    stderr: decoder.decode(stderr),
  };
}

const FUTURE_URL = new URL("../future.ts", import.meta.url).href;

/** Runs `body` with fake timers installed, and uninstalls them after. */
async function withFakeTime(
  body: (clock: FakeTimers.Clock) => Promise<void> | void,
): Promise<void> {
  const clock = FakeTimers.withGlobal(globalThis).install();
  try {
    await body(clock);
  } finally {
    clock.uninstall();
  }
}

Deno.test("result() of a pending future throws InvalidStateError, not blocks", () => {
  const fut = new Future<number>();
  assert.throws(() => fut.result(), InvalidStateError);
  assert.throws(
    () => fut.result(),
    /Cannot read the result: the future is pending, and JavaScript cannot block/,
  );
  assert.throws(() => fut.exception(), InvalidStateError);
  assert.equal(fut.done(), false);
});

Deno.test("result() gives the result; exception() gives undefined after success", () => {
  const fut = new Future<number>();
  fut.setResult(5);
  assert.equal(fut.result(), 5);
  assert.equal(fut.exception(), undefined);
  assert.equal(fut.done(), true);
  assert.equal(fut.cancelled(), false);
});

Deno.test("result() of a failed future throws the very error; exception() returns it", () => {
  const fut = new Future<number>();
  const error = new TypeError("unsupported operand");
  fut.setException(error);
  assert.throws(() => fut.result(), (e) => e === error);
  assert.equal(fut.exception(), error);
});

Deno.test("a cancelled future throws CancelledError from result() and exception()", () => {
  const fut = new Future<number>();
  assert.equal(fut.cancel("no longer needed"), true);
  assert.equal(fut.cancelled(), true);
  assert.equal(fut.done(), true);
  assert.throws(() => fut.result(), CancelledError);
  assert.throws(() => fut.exception(), { message: "no longer needed" });
});

Deno.test("cancel() returns true only when it moved the future to cancelled", () => {
  const fut = new Future<number>();
  assert.equal(fut.cancel(), true);
  assert.equal(fut.cancel(), false);
  const finished = Future.from(1);
  assert.equal(finished.cancel(), false);
  assert.equal(finished.result(), 1);
});

Deno.test("completing a done future throws InvalidStateError naming the value", () => {
  const fut = new Future<number>();
  fut.setResult(1);
  assert.throws(() => fut.setResult(2), {
    name: "InvalidStateError",
    message:
      /^Cannot set the result to 2 \(a number\): the future is already finished/,
  });
  assert.throws(() => fut.setException(new Error("x")), InvalidStateError);
  const cancelled = new Future<number>();
  cancelled.cancel();
  assert.throws(() => cancelled.setResult(1), /already cancelled/);
});

Deno.test("setRunning() marks running, refuses twice, and reports a cancelled future", () => {
  const fut = new Future<number>();
  assert.equal(fut.running(), false);
  assert.equal(fut.setRunning(), true);
  assert.equal(fut.running(), true);
  assert.throws(() => fut.setRunning(), InvalidStateError);
  fut.setResult(1);
  assert.equal(fut.running(), false);
  const cancelled = new Future<number>();
  cancelled.cancel();
  assert.equal(cancelled.setRunning(), false);
  const running = new Future<number>();
  running.setRunning();
  assert.equal(running.cancel(), true, "running work can still be cancelled");
});

Deno.test("addDoneCallback calls at once on a done future, with the future", () => {
  const fut = Future.from("x");
  const seen: Future<string>[] = [];
  fut.addDoneCallback((f) => seen.push(f));
  assert.deepEqual(seen, [fut]);
});

Deno.test("callbacks run in the order they were added, each exactly once", () => {
  const fut = new Future<number>();
  const order: string[] = [];
  const twice = () => order.push("twice");
  fut.addDoneCallback(() => order.push("a"));
  fut.addDoneCallback(twice);
  fut.addDoneCallback(() => order.push("b"));
  fut.addDoneCallback(twice);
  fut.setResult(1);
  assert.deepEqual(order, ["a", "twice", "b", "twice"]);
  fut.cancel();
  assert.deepEqual(order, ["a", "twice", "b", "twice"]);
});

Deno.test("a callback added while callbacks run waits for the ones before it", () => {
  const fut = new Future<number>();
  const order: string[] = [];
  fut.addDoneCallback(() => {
    order.push("first");
    fut.addDoneCallback(() => order.push("added during"));
  });
  fut.addDoneCallback(() => order.push("second"));
  fut.setResult(1);
  assert.deepEqual(order, ["first", "second", "added during"]);
});

Deno.test("a throwing callback does not stop the others, and its error is reported", async () => {
  const boom = new Error("callback boom");
  const order: string[] = [];
  const reported = await captureReportedErrors(() => {
    const fut = new Future<number>();
    fut.addDoneCallback(() => order.push("before"));
    fut.addDoneCallback(() => {
      throw boom;
    });
    fut.addDoneCallback(() => order.push("after"));
    fut.setResult(1);
  });
  assert.deepEqual(order, ["before", "after"]);
  assert.deepEqual(reported, [boom]);
});

Deno.test("a callback that throws on a done future is reported too", async () => {
  const boom = new Error("late boom");
  const reported = await captureReportedErrors(() => {
    Future.from(1).addDoneCallback(() => {
      throw boom;
    });
  });
  assert.deepEqual(reported, [boom]);
});

Deno.test("addDoneCallback rejects a non-function, naming it", () => {
  const fut = new Future<number>();
  assert.throws(
    // @ts-expect-error: a callback must be a function
    () => fut.addDoneCallback("print"),
    {
      name: "TypeError",
      message:
        /^Cannot add a done callback: expected a function, got "print" \(a string\)/,
    },
  );
});

Deno.test("removeDoneCallback removes every registration and says how many", () => {
  const fut = new Future<number>();
  const calls: number[] = [];
  const fn = () => calls.push(1);
  const other = () => calls.push(2);
  fut.addDoneCallback(fn);
  fut.addDoneCallback(other);
  fut.addDoneCallback(fn);
  assert.equal(fut.removeDoneCallback(fn), 2);
  assert.equal(fut.removeDoneCallback(fn), 0);
  fut.setResult(0);
  assert.deepEqual(calls, [2]);
  const single = new Future<number>();
  single.addDoneCallback(fn);
  assert.equal(single.removeDoneCallback(fn), 1);
  single.setResult(0);
  assert.deepEqual(calls, [2]);
});

Deno.test("removeDoneCallback from inside a callback removes the callbacks of the same round not run yet", () => {
  const fut = new Future<number>();
  const order: string[] = [];
  const later = () => order.push("later");
  const first = () => order.push("first");
  fut.addDoneCallback(first);
  fut.addDoneCallback(() => {
    order.push("remover");
    assert.equal(fut.removeDoneCallback(later), 2, "both pending ones");
    assert.equal(fut.removeDoneCallback(first), 0, "it has run already");
    const added = () => order.push("added during");
    fut.addDoneCallback(added);
    fut.addDoneCallback(() => order.push("added after"));
    assert.equal(fut.removeDoneCallback(added), 1);
  });
  fut.addDoneCallback(later);
  fut.addDoneCallback(() => order.push("last"));
  fut.addDoneCallback(later);
  fut.setResult(1);
  assert.deepEqual(order, ["first", "remover", "last", "added after"]);
});

Deno.test("a callback added and removed again does not observe a failure: it is reported", async () => {
  const error = new Error("nobody is left to look");
  const other = new Error("the array form");
  const reasons = await captureUnhandled(() => {
    const fut = new Future<number>();
    const callback = () => {};
    fut.addDoneCallback(callback);
    fut.removeDoneCallback(callback);
    fut.setException(error);

    const two = new Future<number>();
    const another = () => {};
    two.addDoneCallback(callback);
    two.addDoneCallback(another);
    two.removeDoneCallback(callback);
    two.removeDoneCallback(another);
    two.setException(other);
  });
  assert.deepEqual(reasons, [error, other]);
});

Deno.test("await gives the result, or rejects with the error or CancelledError", async () => {
  const ok = new Future<number>();
  setTimeout(() => ok.setResult(7), 0);
  assert.equal(await ok, 7);

  const failed = new Future<number>();
  const error = new RangeError("bad");
  setTimeout(() => failed.setException(error), 0);
  await assert.rejects(async () => await failed, (e) => e === error);

  const cancelled = new Future<number>();
  setTimeout(() => cancelled.cancel(), 0);
  await assert.rejects(async () => await cancelled, CancelledError);

  assert.equal(await Future.from(3).then((v) => v + 1), 4);
});

Deno.test("Future.from wraps values, promises and thenables, and returns futures as they are", async () => {
  assert.equal(Future.from(42).result(), 42);
  const fut = new Future<number>();
  assert.equal(Future.from(fut), fut);
  assert.equal(await Future.from(Promise.resolve("p")), "p");
  // A minimal thenable, as other promise libraries make them.
  const thenable = {
    then(resolve: (v: string) => void) {
      resolve("thenable");
    },
  } as unknown as PromiseLike<string>;
  assert.equal(Future.from(thenable).result(), "thenable");
  const error = new Error("rejected");
  const rejected = Future.from(Promise.reject(error));
  await assert.rejects(async () => await rejected, (e) => e === error);
  const throwing = {
    then() {
      throw error;
    },
  };
  assert.equal(Future.from(throwing).exception(), error);
});

Deno.test("a future cancelled while its promise is pending ignores the outcome", async () => {
  let resolve!: (v: number) => void;
  const fut = Future.from(new Promise<number>((r) => (resolve = r)));
  fut.cancel();
  resolve(1);
  await Promise.resolve();
  assert.equal(fut.cancelled(), true);
});

Deno.test("an unobserved failed future is reported as an unhandled rejection", async () => {
  const error = new Error("nobody looked");
  const reasons = await captureUnhandled(() => {
    new Future<number>().setException(error);
  });
  assert.deepEqual(reasons, [error]);
});

Deno.test("a failed future observed in time is not reported", async () => {
  const reasons = await captureUnhandled(async () => {
    const viaResult = new Future<number>();
    viaResult.setException(new Error("a"));
    assert.throws(() => viaResult.result());

    const viaException = new Future<number>();
    viaException.setException(new Error("b"));
    viaException.exception();

    const viaCallback = new Future<number>();
    viaCallback.addDoneCallback(() => {});
    viaCallback.setException(new Error("c"));

    const viaLateCallback = new Future<number>();
    viaLateCallback.setException(new Error("d"));
    viaLateCallback.addDoneCallback(() => {});

    const viaAwait = new Future<number>();
    viaAwait.setException(new Error("e"));
    await assert.rejects(async () => await viaAwait);

    const cancelled = new Future<number>();
    cancelled.cancel();
  });
  assert.deepEqual(reasons, []);
});

Deno.test("an unobserved failed future makes a script exit with the error, as Deno does", async () => {
  const script = `
    import { Future } from "${new URL("../future.ts", import.meta.url).href}";
    new Future().setException(new Error("never retrieved"));
  `;
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-check", script],
    env: { NO_COLOR: "1" },
    stdout: "null",
  }).output();
  const text = new TextDecoder().decode(stderr);
  assert.notEqual(code, 0);
  assert.match(text, /Uncaught \(in promise\) Error: never retrieved/);
});

Deno.test("a chain of a million callbacks settles without a stack overflow", async () => {
  const count = 1_000_000;
  const futures = Array.from({ length: count }, () => new Future<number>());
  for (let i = 0; i < count - 1; i++) {
    const next = futures[i + 1];
    futures[i].addDoneCallback((f) => next.setResult(f.result() + 1));
  }
  futures[0].setResult(0);
  assert.equal(await futures[count - 1], count - 1);
});

type Op =
  | { kind: "result"; value: number }
  | { kind: "exception"; message: string }
  | { kind: "cancel" }
  | { kind: "callback" }
  | { kind: "remove" };

Deno.test("property: any interleaving calls each callback exactly once, seeing the final state", () => {
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant("result" as const), value: fc.integer() }),
    fc.record({
      kind: fc.constant("exception" as const),
      message: fc.string(),
    }),
    fc.constant({ kind: "cancel" as const }),
    fc.constant({ kind: "callback" as const }),
    fc.constant({ kind: "remove" as const }),
  );
  fc.assert(fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
    const fut = new Future<number>();
    const calls: number[] = [];
    const seen: string[] = [];
    let first: Op | undefined;
    for (const o of ops) {
      switch (o.kind) {
        case "result":
        case "exception":
        case "cancel": {
          const wasDone = fut.done();
          if (o.kind === "cancel") assert.equal(fut.cancel(), !wasDone);
          else if (wasDone) {
            assert.throws(
              () =>
                o.kind === "result"
                  ? fut.setResult(o.value)
                  : fut.setException(new Error(o.message)),
              InvalidStateError,
            );
          } else if (o.kind === "result") fut.setResult(o.value);
          else fut.setException(new Error(o.message));
          if (!wasDone) first = o;
          break;
        }
        case "callback": {
          const id = calls.length;
          calls.push(0);
          fut.addDoneCallback((f) => {
            calls[id]++;
            seen.push(
              f.cancelled()
                ? "cancel"
                : f.exception() === undefined
                ? "result"
                : "exception",
            );
          });
          break;
        }
        case "remove":
          // Removing a function never added removes nothing.
          assert.equal(fut.removeDoneCallback(() => {}), 0);
          break;
      }
    }
    if (!fut.done()) {
      fut.cancel();
      first = { kind: "cancel" };
    }
    if (first!.kind === "exception") fut.exception(); // observe it
    assert.ok(calls.every((n) => n === 1), `calls: ${calls}`);
    assert.ok(seen.every((s) => s === first!.kind), `seen: ${seen}`);
  }));
});

Deno.test("a future's iterator is one-shot: it hands out the future once, then ends with the result", () => {
  const fut = new Future<number>();
  const iterator = fut[Symbol.iterator]();
  const first = iterator.next();
  assert.equal(first.done, false);
  assert.equal(first.value, fut);
  // Still pending: the second step does not hand the same future out again.
  assert.throws(() => iterator.next(), {
    name: "InvalidStateError",
    message: /^Cannot read the result: the future is pending/,
  });
  assert.equal(iterator.next().done, true, "and then it has ended");

  const later = new Future<string>();
  const resumed = later[Symbol.iterator]();
  assert.equal(resumed.next().value, later);
  later.setResult("ready");
  const last = resumed.next();
  assert.equal(last.done, true);
  assert.equal(last.value, "ready");
  assert.equal(resumed.next().value, undefined, "ended: no result again");

  // On a done future it ends at once, as `yield*` needs.
  const done = Future.from(5);
  const step = done[Symbol.iterator]().next();
  assert.equal(step.done, true);
  assert.equal(step.value, 5);
  assert.deepEqual([...done], []);
});

Deno.test("Deno.inspect shows the state", () => {
  assert.equal(Deno.inspect(new Future()), "Future { <pending> }");
  assert.equal(Deno.inspect(Future.from(42)), "Future { 42 }");
  const cancelled = new Future();
  cancelled.cancel();
  assert.equal(Deno.inspect(cancelled), "Future { <cancelled> }");
  const failed = new Future();
  failed.setException("oops");
  failed.exception();
  assert.equal(Deno.inspect(failed), 'Future { <failed> "oops" }');
});

// -- sleep

Deno.test("sleep finishes with its value after the delay (fake time)", () =>
  withFakeTime((clock) => {
    const nap = sleep(1000, "rested");
    clock.tick(999);
    assert.equal(nap.done(), false);
    clock.tick(1);
    assert.equal(nap.result(), "rested");
    assert.equal(sleep(0).done(), false, "a sleep never completes at once");
    clock.tick(0);
  }));

Deno.test("cancelling sleep clears its timer", () =>
  withFakeTime((clock) => {
    const nap = sleep(60_000);
    assert.equal(clock.countTimers(), 1);
    assert.equal(nap.cancel(), true);
    assert.equal(clock.countTimers(), 0);
  }));

Deno.test("a sleep completed by hand clears its timer, and the timer never fires into it", () =>
  withFakeTime((clock) => {
    const nap = sleep(10, "by timer");
    nap.setResult("by hand");
    assert.equal(clock.countTimers(), 0);
    clock.tick(10); // threw InvalidStateError from the timer before
    assert.equal(nap.result(), "by hand");

    const failed = sleep(10);
    failed.setException(new Error("by hand"));
    assert.equal(clock.countTimers(), 0);
    clock.tick(10);
    assert.equal((failed.exception() as Error).message, "by hand");
  }));

Deno.test("sleep with a signal: aborting cancels it and clears its timer, the reason as cause", () =>
  withFakeTime(async (clock) => {
    const controller = new AbortController();
    const nap = sleep(1000, "late", { signal: controller.signal });
    assert.equal(clock.countTimers(), 1);
    const reason = new Error("user left");
    controller.abort(reason);
    assert.equal(nap.cancelled(), true);
    assert.equal(clock.countTimers(), 0);
    assert.throws(() => nap.result(), (error) => {
      assert.ok(error instanceof CancelledError);
      assert.equal(error.cause, reason);
      return true;
    });
    await assert.rejects(async () => await nap, CancelledError);
  }));

Deno.test("sleep with an already-aborted signal is cancelled from the start, with no timer", () =>
  withFakeTime((clock) => {
    const signal = AbortSignal.abort("too late");
    const nap = sleep(1000, 1, { signal });
    assert.equal(nap.cancelled(), true);
    assert.equal(clock.countTimers(), 0);
    assert.throws(() => nap.result(), {
      name: "CancelledError",
      cause: "too late",
    });
  }));

Deno.test("sleep with a signal that never aborts finishes, and stops listening to the signal", () =>
  withFakeTime((clock) => {
    const controller = new AbortController();
    const { signal } = controller;
    const listening = new Set<unknown>();
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (type: string, listener: unknown) => {
      listening.add(listener);
      add(type, listener as EventListener);
    };
    signal.removeEventListener = (type: string, listener: unknown) => {
      listening.delete(listener);
      remove(type, listener as EventListener);
    };
    const nap = sleep(5, "done", { signal });
    assert.equal(listening.size, 1);
    clock.tick(5);
    assert.equal(nap.result(), "done");
    assert.equal(listening.size, 0, "no listener left on a long-lived signal");
    const byHand = sleep(5, "timer", { signal });
    byHand.cancel();
    assert.equal(listening.size, 0);
    controller.abort();
    assert.equal(nap.result(), "done", "a late abort changes nothing");
    const cancelled = sleep(5, 0, { signal: controller.signal });
    assert.equal(cancelled.cancelled(), true);
  }));

Deno.test("sleep rejects a signal that is not an AbortSignal", () => {
  assert.throws(
    // @ts-expect-error: signal must be an AbortSignal
    () => sleep(10, 1, { signal: "stop" }),
    {
      name: "TypeError",
      message:
        /^Cannot sleep: option signal must be an AbortSignal, got "stop" \(a string\)/,
    },
  );
});

Deno.test("sleep rejects a bad duration, naming it", () => {
  assert.throws(() => sleep(-1), {
    name: "RangeError",
    message:
      /Cannot sleep: ms must be a finite number of milliseconds >= 0, got -1/,
  });
  assert.throws(() => sleep(NaN), RangeError);
  assert.throws(() => sleep(Infinity), RangeError);
  // @ts-expect-error: ms must be a number
  assert.throws(() => sleep("10"), /got "10" \(a string\)/);
});

// -- wait

Deno.test("wait ALL_COMPLETED resolves when every future is done", async () => {
  const a = new Future<number>();
  const b = new Future<number>();
  const waiting = wait([a, b]);
  a.setResult(1);
  assert.equal(waiting.done(), false);
  b.setException(new Error("b failed"));
  const { done, notDone } = await waiting;
  assert.deepEqual([...done], [a, b]);
  assert.equal(notDone.size, 0);
  b.exception();
});

Deno.test("wait FIRST_COMPLETED resolves on the first future done", () => {
  const a = new Future<number>();
  const b = new Future<number>();
  const waiting = wait([a, b], { returnWhen: "FIRST_COMPLETED" });
  b.setResult(2);
  const { done, notDone } = waiting.result();
  assert.deepEqual([...done], [b]);
  assert.deepEqual([...notDone], [a]);
});

Deno.test("wait FIRST_EXCEPTION resolves on the first failure, not on a result or a cancel", () => {
  const a = new Future<number>();
  const b = new Future<number>();
  const c = new Future<number>();
  const d = new Future<number>();
  const waiting = wait([a, b, c, d], { returnWhen: "FIRST_EXCEPTION" });
  a.setResult(1);
  b.cancel();
  assert.equal(waiting.done(), false);
  c.setException(new Error("c"));
  const { done, notDone } = waiting.result();
  assert.deepEqual([...done], [a, b, c]);
  assert.deepEqual([...notDone], [d]);
  c.exception();
  // With no failure it waits for all.
  const x = new Future<number>();
  const all = wait([x], { returnWhen: "FIRST_EXCEPTION" });
  x.setResult(1);
  assert.equal(all.result().done.size, 1);
});

Deno.test("wait returns at once when the condition already holds", () => {
  const failed = new Future<number>();
  failed.setException(new Error("early"));
  failed.exception();
  const first = wait([new Future<number>(), failed], {
    returnWhen: "FIRST_EXCEPTION",
  });
  assert.equal(first.done(), true);
  assert.equal(
    wait([Future.from(1), new Future<number>()], {
      returnWhen: "FIRST_COMPLETED",
    }).result().done.size,
    1,
  );
});

Deno.test("wait ALL_COMPLETED and FIRST_EXCEPTION keep waiting when only the first future is done", () => {
  for (const options of [{}, { returnWhen: "FIRST_EXCEPTION" as const }]) {
    const first = Future.from(1);
    const later = new Future<number>();
    const waiting = wait([first, later], options);
    assert.equal(waiting.done(), false, "returned with a future not done");
    later.setResult(2);
    const { done, notDone } = waiting.result();
    assert.deepEqual([...done], [first, later]);
    assert.equal(notDone.size, 0);
  }
  // The case: a done future, then a sleep.
  return withFakeTime((clock) => {
    const nap = sleep(50, 2);
    const waiting = wait([Future.from(1), nap]);
    assert.equal(waiting.done(), false);
    clock.tick(50);
    assert.equal(waiting.result().notDone.size, 0);
  });
});

Deno.test("wait([]) is a RangeError: waiting on nothing is a mistake", () => {
  assert.throws(() => wait([]), {
    name: "RangeError",
    message:
      /^Cannot wait: got no futures \(an array of length 0\), and waiting on nothing is a mistake; skip the call when there is nothing to wait for$/,
  });
  assert.throws(() => wait(new Set<Future<number>>()), RangeError);
});

Deno.test("wait with a timeout resolves with what is done by then (fake time)", () =>
  withFakeTime((clock) => {
    const quick = sleep(10, "quick");
    const slow = sleep(1000, "slow");
    const waiting = wait([quick, slow], { timeout: 100 });
    clock.tick(100);
    const { done, notDone } = waiting.result();
    assert.deepEqual([...done], [quick]);
    assert.deepEqual([...notDone], [slow]);
    assert.equal(clock.countTimers(), 1, "only slow's own timer is left");
    slow.cancel();
  }));

Deno.test("cancelling wait clears its timer and stops listening", () =>
  withFakeTime((clock) => {
    const fut = new Future<number>();
    const waiting = wait([fut], { timeout: 5000 });
    assert.equal(clock.countTimers(), 1);
    waiting.cancel();
    assert.equal(clock.countTimers(), 0);
    fut.setResult(1);
    assert.equal(waiting.cancelled(), true);
  }));

Deno.test("wait rejects non-futures and bad options with clear errors", () => {
  assert.throws(
    // @ts-expect-error: wait takes futures
    () => wait([Future.from(1), Promise.resolve(2)]),
    {
      name: "TypeError",
      message:
        /^Cannot wait: expected futures, but item 1 is a Promise; wrap it with Future.from\(promise\)/,
    },
  );
  assert.throws(
    // @ts-expect-error: not a ReturnWhen
    () => wait([], { returnWhen: "FIRST" }),
    /Cannot wait: option returnWhen must be one of "FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED", got "FIRST"/,
  );
  assert.throws(() => wait([], { timeout: -5 }), RangeError);
  assert.throws(
    // @ts-expect-error: not iterable
    () => wait(42),
    /Cannot wait: expected an array or other iterable of futures, got 42/,
  );
});

// -- a list of futures

Deno.test("wait, asCompleted and gather refuse a lone future or a generator with a TypeError, in the types too", () => {
  const fut = Future.from(1);
  function* operation() {
    yield fut;
  }
  const single =
    /expected an array or other iterable of futures, got an object of class Future \(promise-like\); to wait for one future, put it in an array: \[future\]$/;
  const generator =
    /expected an array or other iterable of futures, got a generator object; to wait for a generator, run it as a task \(startInlineFuture in task.ts\) and pass \[task\]$/;
  // @ts-expect-error: a lone future is not a list of futures
  assert.throws(() => wait(fut), { name: "TypeError", message: single });
  // @ts-expect-error: a lone future is not a list of futures
  assert.throws(() => asCompleted(fut), { name: "TypeError", message: single });
  // @ts-expect-error: a lone future is not a list of futures
  assert.throws(() => gather(fut), { name: "TypeError", message: single });
  // @ts-expect-error: a generator is not a list of futures
  assert.throws(() => wait(operation()), {
    name: "TypeError",
    message: generator,
  });
  // @ts-expect-error: a generator is not a list of futures
  assert.throws(() => asCompleted(operation()), {
    name: "TypeError",
    message: generator,
  });
  // @ts-expect-error: a generator is not a list of futures
  assert.throws(() => gather(operation()), {
    name: "TypeError",
    message: generator,
  });
  // Any other iterable of futures is a list.
  assert.equal(wait(new Set([fut]).values()).result().done.size, 1);
  assert.equal(wait(new Map([["a", fut]]).values()).result().done.size, 1);
});

Deno.test("a pending future where a list goes fails at once, where it ran out of memory (subprocess)", async () => {
  const { code, stdout, stderr } = await runScript(
    `
    import { asCompleted, Future, gather, wait } from "${FUTURE_URL}";
    const fut = new Future();
    const calls = {
      wait: () => wait(fut),
      asCompleted: () => asCompleted(fut),
      gather: () => gather(fut),
      spread: () => [...fut],
    };
    for (const [name, call] of Object.entries(calls)) {
      try {
        call();
        console.log(name, "returned");
      } catch (error) {
        console.log(name, error.name);
      }
    }
  `,
    // A small heap, so that a loop that fills it ends soon.
    ["--v8-flags=--max-old-space-size=64"],
  );
  assert.equal(code, 0, stderr);
  assert.deepEqual(stdout.trim().split("\n"), [
    "wait TypeError",
    "asCompleted TypeError",
    "gather TypeError",
    "spread InvalidStateError",
  ]);
});

// -- asCompleted

Deno.test("asCompleted yields the futures in completion order", async () => {
  const a = new Future<string>();
  const b = new Future<string>();
  const c = Future.from("c");
  setTimeout(() => b.setResult("b"), 0);
  setTimeout(() => a.setResult("a"), 5);
  const order: string[] = [];
  for await (const f of asCompleted([a, b, c])) {
    assert.ok(f instanceof Future, "the items are the futures themselves");
    const value: string = f.result();
    order.push(value);
  }
  assert.deepEqual(order, ["c", "b", "a"]);
});

Deno.test("asCompleted throws TimeoutError when the time limit passes first", async () => {
  const slow = new Future<number>();
  const seen: number[] = [];
  await assert.rejects(async () => {
    for await (const f of asCompleted([Future.from(1), slow], { timeout: 5 })) {
      seen.push(f.result());
    }
  }, {
    name: "TimeoutError",
    message:
      /^Cannot get the next completed future: 1 of 2 futures were not done within 5 ms/,
  });
  assert.deepEqual(seen, [1]);
  assert.equal(slow.done(), false, "pending futures are left as they are");
});

Deno.test("asCompleted([]) ends at once", async () => {
  const iterator = asCompleted([]);
  assert.deepEqual(await iterator.next(), { done: true, value: undefined });
  for await (const _ of asCompleted(new Set<Future<number>>())) {
    assert.fail("nothing to hand out");
  }
});

Deno.test("asCompleted hands out done futures first, in list order, and each future once", async () => {
  const a = Future.from("a");
  const b = new Future<string>();
  const c = Future.from("c");
  const seen: string[] = [];
  const iterator = asCompleted([a, b, c, a, b]);
  const first = await iterator.next();
  b.setResult("b");
  seen.push(first.value!.result());
  for await (const f of iterator) seen.push(f.result());
  assert.deepEqual(seen, ["a", "c", "b"]);
});

Deno.test("two next() calls waiting at once on asCompleted each get a future, in call order", async () => {
  const a = new Future<string>();
  const b = new Future<string>();
  const iterator = asCompleted([a, b]);
  const first = iterator.next();
  const second = iterator.next();
  const third = iterator.next();
  b.setResult("b");
  a.setResult("a");
  assert.equal(await settlesNow(first), true);
  assert.equal(await settlesNow(second), true, "the first wake-up was lost");
  assert.equal((await first).value!.result(), "b");
  assert.equal((await second).value!.result(), "a");
  assert.deepEqual(await third, { done: true, value: undefined });
});

Deno.test("return() on asCompleted ends the next() calls still waiting", async () => {
  const pending = new Future<number>();
  const iterator = asCompleted([pending]);
  const waiting = iterator.next();
  const also = iterator.next();
  assert.deepEqual(await iterator.return!(), { done: true, value: undefined });
  assert.equal(await settlesNow(waiting), true, "left pending forever");
  assert.deepEqual(await waiting, { done: true, value: undefined });
  assert.deepEqual(await also, { done: true, value: undefined });
  assert.deepEqual(await iterator.next(), { done: true, value: undefined });
  pending.setResult(1);
  assert.equal(pending.result(), 1);
});

Deno.test("asCompleted's timeout fails the first next() waiting and ends the others, leaving no timer", () =>
  withFakeTime(async (clock) => {
    const slow = new Future<number>();
    const iterator = asCompleted([slow, new Future<number>()], {
      timeout: 100,
    });
    const first = iterator.next();
    const second = iterator.next();
    assert.equal(clock.countTimers(), 1);
    clock.tick(100);
    await assert.rejects(first, {
      name: "TimeoutError",
      message:
        /^Cannot get the next completed future: 2 of 2 futures were not done within 100 ms$/,
    });
    assert.deepEqual(await second, { done: true, value: undefined });
    assert.equal(clock.countTimers(), 0);
    slow.setResult(1);
    assert.deepEqual(await iterator.next(), { done: true, value: undefined });
  }));

Deno.test("asCompleted keeps only the futures it has not handed out yet (subprocess, with gc)", async () => {
  const { code, stdout, stderr } = await runScript(
    `
    import { asCompleted, Future } from "${FUTURE_URL}";
    const refs = [];
    const pending = [new Future(), new Future()];
    const iterator = asCompleted([Future.from(0), Future.from(1), ...pending]);
    // The futures are reachable only through the iterator (and \`pending\`).
    await iterator.next().then(({ value }) => refs.push(new WeakRef(value)));
    pending[0].setResult(2);
    await iterator.next(); // hands out Future.from(1)
    await iterator.next().then(({ value }) => refs.push(new WeakRef(value)));
    pending[0] = undefined;
    await new Promise((resolve) => setTimeout(resolve, 0));
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
    console.log(JSON.stringify(refs.map((ref) => ref.deref() !== undefined)));
    await iterator.return();
  `,
    ["--v8-flags=--expose-gc"],
  );
  assert.equal(code, 0, stderr);
  assert.equal(stdout.trim(), "[false,false]");
});

Deno.test("breaking out of asCompleted stops listening to the futures", async () => {
  const pending = new Future<number>();
  for await (const f of asCompleted([Future.from(1), pending])) {
    assert.equal(f.result(), 1);
    break;
  }
  // No callback of asCompleted is left on `pending`: cancelling it reaches
  // nobody, and the test's sanitizers see no timer or promise left behind.
  pending.cancel();
  assert.ok(new TimeoutError("x") instanceof Error);
});

// -- gather

Deno.test("gather gives the results in input order, typed as a tuple", async () => {
  const a = new Future<string>();
  const b = new Future<number>();
  const both = gather([a, b]);
  b.setResult(2);
  a.setResult("a");
  const [x, y] = await both;
  const typed: [string, number] = [x, y];
  assert.deepEqual(typed, ["a", 2]);
  assert.deepEqual(await gather([]), []);
});

Deno.test("gather fails with the first error, and with CancelledError for a cancelled input", async () => {
  const a = new Future<number>();
  const b = new Future<number>();
  const error = new Error("first");
  const both = gather([a, b]);
  a.setException(error);
  b.setException(new Error("second"));
  await assert.rejects(async () => await both, (e) => e === error);

  const c = new Future<number>();
  const gathered = gather([c]);
  c.cancel();
  await assert.rejects(async () => await gathered, CancelledError);
});

Deno.test("gather([]) gives [] at once", () => {
  assert.deepEqual(gather([]).result(), []);
});

Deno.test("cancel() of a gather whose inputs have all finished returns false and keeps the results", () => {
  const a = new Future<number>();
  const b = new Future<number>();
  const both = gather([a, b]);
  let accepted: boolean | undefined;
  // Inside a callback, completing a future queues its callbacks: the inputs
  // are done, and the gather has not heard of it yet.
  const trigger = new Future<void>();
  trigger.addDoneCallback(() => {
    a.setResult(1);
    b.setResult(2);
    accepted = both.cancel();
    assert.equal(both.done(), false);
  });
  trigger.setResult();
  assert.equal(accepted, false);
  assert.deepEqual(both.result(), [1, 2]);
});

Deno.test("cancel() of a gather cancels the inputs not done, and the gather ends cancelled once they have", () => {
  const done = Future.from(1);
  const a = new Future<number>();
  const b = new Future<number>();
  const all = gather([done, a, b]);
  let accepted: boolean | undefined;
  const trigger = new Future<void>();
  trigger.addDoneCallback(() => {
    b.setResult(2);
    accepted = all.cancel("stop");
  });
  trigger.setResult();
  assert.equal(accepted, true);
  assert.equal(a.cancelled(), true);
  assert.equal(b.result(), 2, "a finished input keeps its result");
  assert.equal(all.cancelled(), true);
  assert.throws(() => all.result(), {
    name: "CancelledError",
    message: "stop",
  });
  assert.equal(all.cancel(), false);
});

Deno.test("a cancelled input cancels the gather with its CancelledError", () => {
  const a = new Future<number>();
  const both = gather([a, new Future<number>()]);
  a.cancel("input gone");
  assert.equal(both.cancelled(), true);
  assert.throws(() => both.result(), { message: "input gone" });
});

Deno.test("a gather whose failure nobody reads is reported once, as the gather's own", async () => {
  const error = new Error("child failed");
  const reasons = await captureUnhandled(() => {
    const child = new Future<number>();
    const other = new Future<number>();
    gather([child, other]);
    child.setException(error);
    other.setException(new Error("after the first: observed by the gather"));
  });
  assert.deepEqual(reasons, [error]);
});

Deno.test("cancelling gather cancels every input", () => {
  const a = new Future<number>();
  const b = sleep(60_000);
  const both = gather([a, b]);
  assert.equal(both.cancel(), true);
  assert.equal(a.cancelled(), true);
  assert.equal(b.cancelled(), true);
});
