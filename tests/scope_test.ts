// Copyright 2026 the @frontier/generators authors. MIT license.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  CancelledError,
  Future,
  InvalidStateError,
  sleep,
  TimeoutError,
} from "@frontier/generators/future";
import {
  currentTask,
  type Operation,
  runInlineFuture,
  startInlineFuture,
  type Task,
} from "@frontier/generators/task";
import {
  race,
  shield,
  TaskGroup,
  taskGroup,
  timeout,
  waitFor,
} from "@frontier/generators/scope";
import { pendingDeadlines } from "../_core/deadlines.ts";
import { captureUnhandled } from "./_util.ts";

/** A future nobody settles: waiting on it lasts until cancelled. */
function forever<T = never>(): Future<T> {
  return new Future<T>();
}

// deno-lint-ignore require-yield -- an operation that returns at once
function* returns<T>(value: T): Operation<T> {
  return value;
}

function* failAfter(ms: number, error: Error): Operation<never> {
  yield* sleep(ms);
  throw error;
}

// -- taskGroup

Deno.test("taskGroup returns the body's result once every child has finished", async () => {
  const log: string[] = [];
  // deno-lint-ignore require-yield -- the body only spawns
  const result = await runInlineFuture(taskGroup(function* (group) {
    group.spawn((function* () {
      yield* sleep(10);
      log.push("slow child");
    })());
    group.spawn((function* () {
      yield* sleep(1);
      log.push("fast child");
    })());
    log.push("body returns");
    return 42;
  }));
  assert.equal(result, 42);
  assert.deepEqual(log, ["body returns", "fast child", "slow child"]);
});

Deno.test("the first failing child cancels the body and every sibling; all failures are raised in one AggregateError", async () => {
  const first = new Error("first");
  const cleanup = new Error("failed while cleaning up");
  const log: string[] = [];
  const error = await runInlineFuture(taskGroup(function* (group) {
    group.spawn((function* () {
      try {
        yield* forever();
      } finally {
        log.push("sibling cancelled");
      }
    })());
    group.spawn((function* () {
      try {
        yield* forever();
      } catch {
        throw cleanup;
      }
    })());
    group.spawn(failAfter(1, first));
    try {
      yield* forever();
    } finally {
      log.push("body cancelled");
    }
  })).then(() => assert.fail("should fail"), (e) => e);
  assert.ok(error instanceof AggregateError);
  assert.deepEqual(error.errors, [first, cleanup]);
  assert.deepEqual(log.sort(), ["body cancelled", "sibling cancelled"]);
});

Deno.test("one failure is still an AggregateError, and a body that rethrows it does not count it twice", async () => {
  const failure = new Error("once");
  await assert.rejects(
    runInlineFuture(taskGroup(function* (group) {
      const child = group.spawn(failAfter(1, failure));
      yield* child; // throws the child's error here, or CancelledError
    })),
    (error) => {
      assert.ok(error instanceof AggregateError);
      assert.deepEqual(error.errors, [failure]);
      return true;
    },
  );
  // The child fails at once, inside spawn(): the body meets the error first.
  await assert.rejects(
    runInlineFuture(taskGroup(function* (group) {
      // deno-lint-ignore require-yield -- fails at its first step
      const child = group.spawn((function* () {
        throw failure;
      })());
      yield* child;
    })),
    (error) => (error as AggregateError).errors.length === 1,
  );
});

Deno.test("an error thrown by the body cancels the children and joins the AggregateError", async () => {
  const bodyError = new TypeError("body broke");
  let child!: Task<void>;
  await assert.rejects(
    runInlineFuture(taskGroup(function* (group) {
      child = group.spawn((function* () {
        yield* forever();
      })());
      yield* sleep(1);
      throw bodyError;
    })),
    (error) => (error as AggregateError).errors[0] === bodyError,
  );
  assert.equal(child.cancelled(), true);
});

Deno.test("a child cancelled alone does not fail the group", async () => {
  const result = await runInlineFuture(taskGroup(function* (group) {
    const doomed = group.spawn((function* () {
      yield* forever();
    })());
    const other = group.spawn((function* () {
      return yield* sleep(2, "other");
    })());
    doomed.cancel();
    return yield* other;
  }));
  assert.equal(result, "other");
});

Deno.test("cancelling the enclosing task cancels the body and every child, then throws CancelledError", async () => {
  const log: string[] = [];
  const t = startInlineFuture(taskGroup(function* (group) {
    for (const name of ["a", "b"]) {
      group.spawn((function* () {
        try {
          yield* forever();
        } finally {
          yield* sleep(1); // cleanup that waits is waited for
          log.push(name);
        }
      })());
    }
    yield* forever();
  }));
  await sleep(1);
  assert.equal(t.cancel(), true);
  await assert.rejects(Promise.resolve(t), CancelledError);
  assert.equal(t.cancelled(), true);
  assert.deepEqual(log.sort(), ["a", "b"]);
});

Deno.test("children that fail while the enclosing task is cancelled win, and that task stays cancelled", async () => {
  const cleanup = new Error("cleanup failed");
  const seen: string[] = [];
  const t = startInlineFuture((function* () {
    try {
      yield* taskGroup(function* (group) {
        group.spawn((function* () {
          try {
            yield* forever();
          } finally {
            yield* sleep(1);
            // deno-lint-ignore no-unsafe-finally -- the failure under test
            throw cleanup;
          }
        })());
        yield* forever();
      });
    } catch (error) {
      seen.push((error as Error).name);
    }
    try {
      yield* sleep(1); // the next wait
    } catch (error) {
      seen.push((error as Error).name);
      throw error;
    }
  })());
  await sleep(1);
  t.cancel();
  await assert.rejects(Promise.resolve(t), CancelledError);
  assert.deepEqual(seen, ["AggregateError", "CancelledError"]);
});

Deno.test("a body that handles the enclosing task's cancellation and returns gives its value", async () => {
  const t = startInlineFuture(taskGroup(function* () {
    try {
      yield* forever();
      return "not cancelled";
    } catch {
      return "handled";
    }
  }));
  t.cancel();
  assert.equal(await t, "handled");
});

Deno.test("spawn is refused once the group shuts down or has finished, and accepted while it waits for children", async () => {
  let saved!: TaskGroup;
  const late: string[] = [];
  // deno-lint-ignore require-yield -- the body only spawns
  await runInlineFuture(taskGroup(function* (group) {
    saved = group;
    group.spawn((function* () {
      yield* sleep(2);
      // The body has returned, but the group still waits for this child.
      group.spawn((function* () {
        yield* sleep(1);
        late.push("spawned late");
      })());
    })());
  }));
  assert.deepEqual(late, ["spawned late"]);
  let ran = false;
  const unstarted = (function* () {
    ran = true;
    yield* sleep(1);
  })();
  assert.throws(() => saved.spawn(unstarted), {
    name: "InvalidStateError",
    message: /^Cannot spawn a task in the group: the group has finished/,
  });
  assert.equal(unstarted.next().done, true, "the refused generator is closed");
  assert.equal(ran, false);

  await assert.rejects(
    runInlineFuture(taskGroup(function* (group) {
      group.spawn(failAfter(0, new Error("boom")));
      try {
        yield* forever();
      } finally {
        assert.throws(
          () => group.spawn((function* () {})()),
          (e) =>
            e instanceof InvalidStateError &&
            /shutting down after a failure/.test(e.message),
        );
      }
    })),
    AggregateError,
  );
});

Deno.test("spawn registers the child before its first step", async () => {
  // A child that cancels its group during its first step is cancelled too.
  const result = await runInlineFuture(taskGroup(function* (group) {
    const child = group.spawn((function* () {
      group.cancel();
      yield* forever();
    })());
    yield* sleep(1);
    return child.cancelled();
  }));
  assert.equal(result, undefined, "a cancelled group returns undefined");
});

Deno.test("group.cancel() ends the group quietly, but errors raised in cleanup still win", async () => {
  const log: string[] = [];
  const result = await runInlineFuture(taskGroup(function* (group) {
    group.spawn((function* () {
      try {
        yield* forever();
      } finally {
        log.push("child");
      }
    })());
    group.cancel();
    yield* forever();
    return "unreachable";
  }));
  assert.equal(result, undefined);
  assert.deepEqual(log, ["child"]);

  const cleanup = new Error("cleanup");
  await assert.rejects(
    // deno-lint-ignore require-yield -- the body only spawns
    runInlineFuture(taskGroup(function* (group) {
      group.spawn((function* () {
        try {
          yield* forever();
        } catch {
          throw cleanup;
        }
      })());
      group.cancel();
    })),
    (e) => (e as AggregateError).errors[0] === cleanup,
  );
});

Deno.test("the body and the children are tasks of their own, with their own signals", async () => {
  const outer = startInlineFuture((function* () {
    const me = currentTask()!;
    const seen = yield* taskGroup(function* (group) {
      const body = currentTask()!;
      const child = group.spawn(
        (function* () {
          return currentTask();
        })(),
        { name: "child" },
      );
      assert.notEqual(body, me);
      assert.equal(yield* child, child);
      return body;
    });
    return [me, seen] as const;
  })());
  const [me, body] = await outer;
  assert.notEqual(body, me);

  // A group that cancels its own work aborts only those tasks' signals.
  const t = startInlineFuture((function* () {
    let body!: Task<unknown>;
    yield* taskGroup(function* (group) {
      body = currentTask()!;
      group.cancel();
      yield* forever();
    });
    return [currentTask()!.signal.aborted, body.signal.aborted];
  })());
  assert.deepEqual(await t, [false, true]);
});

Deno.test("spawn passes name and signal to the child", async () => {
  const controller = new AbortController();
  let child!: Task<void>;
  // deno-lint-ignore require-yield -- the body only spawns
  await runInlineFuture(taskGroup(function* (group) {
    child = group.spawn(
      (function* () {
        yield* forever();
      })(),
      { name: "worker", signal: controller.signal },
    );
    assert.equal(child.name, "worker");
    controller.abort("stop");
  }));
  assert.equal(child.cancelled(), true);
  assert.throws(() => child.result(), { cause: "stop" });
});

Deno.test("taskGroup checks its body", () => {
  // @ts-expect-error: not a function
  assert.throws(() => taskGroup(42), {
    name: "TypeError",
    message: /^Cannot run taskGroup\(\): expected a generator function/,
  });
  return assert.rejects(
    // @ts-expect-error: a function that is not a generator function
    runInlineFuture(taskGroup(() => 1)),
    /Cannot run the body of taskGroup\(\): expected a generator object/,
  );
});

// -- TaskGroup for async code

Deno.test("await using a TaskGroup waits for the children and raises their failures", async () => {
  const log: string[] = [];
  {
    await using group = new TaskGroup();
    group.spawn((function* () {
      yield* sleep(2);
      log.push("child");
    })());
  }
  assert.deepEqual(log, ["child"]);

  const failure = new Error("child failed");
  const run = async () => {
    await using group = new TaskGroup();
    group.spawn(failAfter(1, failure));
    group.spawn((function* () {
      yield* forever();
    })());
  };
  await assert.rejects(
    run(),
    (e) => e instanceof AggregateError && e.errors[0] === failure,
  );
});

Deno.test("an error thrown by the TaskGroup block meets the children's failures as a SuppressedError", async () => {
  const blockError = new Error("block");
  const childError = new Error("child");
  const run = async () => {
    await using group = new TaskGroup();
    group.spawn(failAfter(1, childError));
    throw blockError;
  };
  await assert.rejects(run(), (e) => {
    assert.ok(e instanceof SuppressedError);
    assert.equal(e.suppressed, blockError);
    assert.deepEqual((e.error as AggregateError).errors, [childError]);
    return true;
  });
});

Deno.test("TaskGroup.cancel() cancels the children and disposing ends quietly; spawn is refused after", async () => {
  const group = new TaskGroup();
  const child = group.spawn((function* () {
    yield* forever();
  })());
  group.cancel("enough");
  assert.equal(child.cancelled(), true);
  assert.throws(() => child.result(), { message: "enough" });
  const disposing = group[Symbol.asyncDispose]();
  assert.equal(group[Symbol.asyncDispose](), disposing);
  await disposing;
  assert.throws(() => group.spawn((function* () {})()), InvalidStateError);
});

Deno.test("the group of a taskGroup body cannot be disposed of", async () => {
  await runInlineFuture(taskGroup(function* (group) {
    yield* Future.from(
      assert.rejects(group[Symbol.asyncDispose](), InvalidStateError),
    );
  }));
});

// -- stack safety and memory

Deno.test("a group with 100,000 children neither overflows nor keeps the finished ones", async () => {
  const N = 100_000;
  const sum = await runInlineFuture(taskGroup(function* (group) {
    const gate = new Future<number>();
    const children: Task<number>[] = [];
    for (let i = 0; i < N; i++) {
      children.push(group.spawn((function* () {
        return yield* gate;
      })()));
    }
    gate.setResult(1);
    let total = 0;
    for (const child of children) total += yield* child;
    return total;
  }));
  assert.equal(sum, N);

  // 100 waves of 1,000 children, each holding 4 KiB until it ends: the group
  // holds the wave that runs, not the 100,000 that have ended. Measured after
  // a full collection, in a process of its own.
  const script = `
    import { Future, sleep } from "${new URL("../future.ts", import.meta.url)}";
    import { runInlineFuture } from "${new URL("../task.ts", import.meta.url)}";
    import { taskGroup } from "${new URL("../scope.ts", import.meta.url)}";
    const heap = () => (globalThis.gc(), Deno.memoryUsage().heapUsed);
    const growth = await runInlineFuture(taskGroup(function* (group) {
      let before = 0;
      for (let wave = 0; wave < 100; wave++) {
        if (wave === 10) before = heap();
        const gate = new Future();
        for (let i = 0; i < 1000; i++) {
          group.spawn((function* () {
            const ballast = new Array(1024).fill(i);
            yield* gate;
            return ballast.length;
          })());
        }
        gate.setResult(undefined);
        yield* sleep(0);
      }
      return heap() - before;
    }));
    console.log(growth);
  `;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-check", "--v8-flags=--expose-gc", script],
    env: { NO_COLOR: "1" },
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const growth = Number(new TextDecoder().decode(stdout));
  assert.ok(growth < 16 * 2 ** 20, `the heap grew by ${growth} bytes`);

  // Cancelling 100,000 waiting children at once.
  const group = new TaskGroup();
  for (let i = 0; i < N; i++) {
    group.spawn((function* () {
      yield* forever();
    })());
  }
  group.cancel();
  await group[Symbol.asyncDispose]();
});

Deno.test("a chain of 100,000 nested groups completes and cancels without a stack overflow", async () => {
  const N = 100_000;
  const root = new Future<number>();
  const reached = new Future<void>();
  function* nest(depth: number): Operation<number> {
    if (depth === 0) {
      reached.setResult(undefined);
      return yield* root;
    }
    return yield* taskGroup(function* (group) {
      return (yield* group.spawn(nest(depth - 1))) + 1;
    });
  }
  const top = startInlineFuture(nest(N));
  await reached;
  root.setResult(0);
  assert.equal(await top, N);

  const root2 = new Future<number>();
  const reached2 = new Future<void>();
  function* nest2(depth: number): Operation<number> {
    if (depth === 0) {
      reached2.setResult(undefined);
      return yield* root2;
    }
    return yield* taskGroup(function* () {
      return (yield* nest2(depth - 1)) + 1;
    });
  }
  const top2 = startInlineFuture(nest2(N));
  await reached2;
  assert.equal(top2.cancel(), true);
  await assert.rejects(Promise.resolve(top2), CancelledError);
  assert.equal(root2.cancelled(), true);
});

// -- timeout and waitFor

Deno.test("timeout returns what the operation returns, and leaves no timer behind", async () => {
  const now = await runInlineFuture(timeout(1_000, returns("at once")));
  assert.equal(now, "at once");
  const later = await runInlineFuture(timeout(
    1_000,
    (function* () {
      return yield* sleep(1, "later");
    })(),
  ));
  assert.equal(later, "later");
  assert.equal(pendingDeadlines(), 0);
});

Deno.test("on expiry timeout cancels the operation, waits for its cleanup, and throws TimeoutError caused by the CancelledError", async () => {
  const log: string[] = [];
  const error = await runInlineFuture(timeout(
    5,
    (function* () {
      try {
        yield* forever();
      } finally {
        yield* sleep(1);
        log.push("cleaned up");
      }
    })(),
  )).then(() => assert.fail("should time out"), (e) => e);
  assert.ok(error instanceof TimeoutError);
  assert.ok(error.cause instanceof CancelledError);
  assert.match(
    error.message,
    /^Cannot wait longer for task anonymous: it did not finish within 5 ms/,
  );
  assert.deepEqual(log, ["cleaned up"]);
});

Deno.test("an operation that handles the timeout's cancel and returns gives its value; another error is thrown as is", async () => {
  const value = await runInlineFuture(timeout(
    1,
    (function* () {
      try {
        yield* forever();
        return "finished";
      } catch (e) {
        assert.ok(e instanceof CancelledError);
        return "gave up";
      }
    })(),
  ));
  assert.equal(value, "gave up");
  const other = new RangeError("other");
  await assert.rejects(
    runInlineFuture(timeout(
      1,
      (function* () {
        try {
          yield* forever();
        } catch {
          throw other;
        }
      })(),
    )),
    (e) => e === other,
  );
});

Deno.test("timeout: Infinity is no limit, 0 or less has expired, NaN is a RangeError", async () => {
  assert.equal(
    await runInlineFuture(timeout(
      Infinity,
      (function* () {
        return yield* sleep(1, "no limit");
      })(),
    )),
    "no limit",
  );
  for (const ms of [0, -5]) {
    let started = false;
    await assert.rejects(
      runInlineFuture(timeout(
        ms,
        (function* () {
          started = true;
          yield* sleep(1);
        })(),
      )),
      TimeoutError,
    );
    assert.equal(started, true, "the operation starts");
    assert.equal(
      await runInlineFuture(timeout(ms, returns("no wait"))),
      "no wait",
    );
  }
  assert.throws(() => timeout(NaN, (function* () {})()), {
    name: "RangeError",
    message:
      /^Cannot run timeout\(\): ms must be a number of milliseconds, got NaN/,
  });
  // @ts-expect-error: a future is not an operation
  assert.throws(() => timeout(1, forever()), /use waitFor\(future, ms\)/);
});

Deno.test("cancelling the task waiting in timeout gives CancelledError, even while the timeout is expiring", async () => {
  const t = startInlineFuture(timeout(
    60_000,
    (function* () {
      yield* forever();
    })(),
  ));
  t.cancel();
  await assert.rejects(Promise.resolve(t), (e) => e instanceof CancelledError);
  assert.equal(pendingDeadlines(), 0, "the deadline is withdrawn");

  // The timeout fires first; the operation's cleanup waits; then the task is
  // cancelled: its cancellation wins over the TimeoutError.
  const cleaning = new Future<void>();
  const t2 = startInlineFuture(timeout(
    1,
    (function* () {
      try {
        yield* forever();
      } finally {
        cleaning.setResult(undefined);
        yield* sleep(5);
      }
    })(),
  ));
  await cleaning;
  t2.cancel();
  await assert.rejects(Promise.resolve(t2), (e) => e instanceof CancelledError);
});

Deno.test("a timeout that fires while the operation handles the enclosing cancel does not turn it into a TimeoutError", async () => {
  const t = startInlineFuture(timeout(
    2,
    (function* () {
      try {
        yield* forever();
      } finally {
        yield* sleep(10); // the deadline passes meanwhile
      }
    })(),
  ));
  t.cancel();
  await assert.rejects(Promise.resolve(t), (e) => e instanceof CancelledError);
});

Deno.test("the operation of timeout is a task of its own; a caught TimeoutError leaves the enclosing signal live", async () => {
  const t = startInlineFuture((function* () {
    const me = currentTask()!;
    let inner: Task<unknown> | undefined;
    try {
      yield* timeout(
        1,
        (function* () {
          inner = currentTask();
          yield* forever();
        })(),
      );
    } catch (e) {
      assert.ok(e instanceof TimeoutError);
    }
    assert.notEqual(inner, me);
    assert.equal(inner!.signal.aborted, true);
    return me.signal.aborted;
  })());
  assert.equal(await t, false);
});

Deno.test("many pending timeouts share one timer", async () => {
  const realSetTimeout = globalThis.setTimeout;
  let armed = 0;
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    armed++;
    return realSetTimeout(...args);
  }) as typeof setTimeout;
  try {
    const tasks = Array.from(
      { length: 1000 },
      () =>
        startInlineFuture(timeout(
          60_000,
          (function* () {
            return yield* Future.from(Promise.resolve(1));
          })(),
        )),
    );
    assert.ok(armed <= 1, `${armed} timers were armed`);
    for (const t of tasks) assert.equal(await t, 1);
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
  assert.equal(pendingDeadlines(), 0);
});

Deno.test("waitFor follows the future, or cancels it on expiry and throws TimeoutError", async () => {
  assert.equal(await waitFor(Future.from(1), 0), 1);
  assert.equal(await waitFor(sleep(1, "soon"), 1_000), "soon");
  const never = forever<string>();
  const error = await Promise.resolve(waitFor(never, 1)).catch((e) => e);
  assert.ok(error instanceof TimeoutError);
  assert.equal(never.cancelled(), true);
  assert.throws(
    // @ts-expect-error: a promise is not a future
    () => waitFor(Promise.resolve(1), 1),
    /Future\.from\(promise\)/,
  );
  assert.throws(() => waitFor(never, NaN), RangeError);
});

Deno.test("cancelling waitFor cancels the future and waits for it to end", async () => {
  const log: string[] = [];
  const work = startInlineFuture((function* () {
    try {
      yield* forever();
    } finally {
      yield* sleep(2);
      log.push("work cleaned up");
    }
  })());
  const waiting = waitFor(work, 60_000);
  assert.equal(waiting.cancel(), true);
  assert.equal(waiting.done(), false, "it waits for the work to end");
  await assert.rejects(Promise.resolve(waiting), CancelledError);
  assert.deepEqual(log, ["work cleaned up"]);
  assert.equal(pendingDeadlines(), 0);
});

// -- shield and race

Deno.test("shield: cancelling the shield leaves the future running", async () => {
  const save = sleep(2, "saved");
  const t = startInlineFuture((function* () {
    return yield* shield(save);
  })());
  t.cancel();
  assert.equal(t.cancelled(), true);
  assert.equal(await save, "saved");
  assert.equal(await shield(Future.from(3)), 3);
  // @ts-expect-error: a generator is not a future
  assert.throws(() => shield((function* () {})()), /startInlineFuture\(op\)/);
});

Deno.test("shield: a failure after the shield was cancelled is reported once; before, it is raised", async () => {
  const late = new Error("failed after the shield was cancelled");
  const reported = await captureUnhandled(async () => {
    const inner = new Future<number>();
    const outer = shield(inner);
    outer.cancel();
    inner.setException(late);
    await sleep(1);
  });
  assert.deepEqual(reported, [late]);

  const early = new Error("raised");
  const reportedEarly = await captureUnhandled(async () => {
    const inner = new Future<number>();
    const outer = shield(inner);
    inner.setException(early);
    await assert.rejects(Promise.resolve(outer), (e) => e === early);
  });
  assert.deepEqual(reportedEarly, []);
});

Deno.test("race settles like the first to finish, cancels the others, and waits for them", async () => {
  const log: string[] = [];
  const loser = startInlineFuture((function* () {
    try {
      yield* forever();
    } finally {
      yield* sleep(2);
      log.push("loser cleaned up");
    }
  })());
  const winner = await race([loser, sleep(1, "winner")]);
  assert.equal(winner, "winner");
  assert.deepEqual(log, ["loser cleaned up"]);

  const failure = new Error("first to finish failed");
  await assert.rejects(
    Promise.resolve(
      race([sleep(60_000), Future.from(Promise.reject(failure))]),
    ),
    (e) => e === failure,
  );
});

Deno.test("race reports a loser's cleanup error once, and cancelling it cancels all", async () => {
  const cleanup = new Error("loser cleanup failed");
  const reported = await captureUnhandled(async () => {
    const loser = startInlineFuture((function* () {
      try {
        yield* forever();
      } catch {
        throw cleanup;
      }
    })());
    assert.equal(await race([sleep(1, 1), loser]), 1);
  });
  assert.deepEqual(reported, [cleanup]);

  const a = forever<number>();
  const b = forever<number>();
  const both = race([a, b]);
  assert.equal(both.cancel(), true);
  assert.equal(a.cancelled() && b.cancelled(), true);
  await assert.rejects(Promise.resolve(both), CancelledError);
});

Deno.test("race checks its list", () => {
  assert.throws(() => race([]), {
    name: "RangeError",
    message: /^Cannot race: the list of futures is empty/,
  });
  // @ts-expect-error: a lone future is not a list
  assert.throws(() => race(forever()), /pass a list, like race\(\[a, b\]\)/);
  // @ts-expect-error: a promise is not a future
  assert.throws(() => race([Promise.resolve(1)]), /item 0 is a Promise/);
});

// -- a property over random trees of groups, timeouts and cancellations

type Tree =
  | {
    kind: "leaf";
    ms: number;
    fail: boolean;
    cleanupMs: number;
    cleanupFail: boolean;
  }
  | { kind: "group"; bodyMs: number; bodyFail: boolean; children: Tree[] }
  | { kind: "timeout"; ms: number; child: Tree };

const small = (max: number) => fc.integer({ min: 0, max });
const trees = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({
      kind: fc.constant("leaf" as const),
      ms: small(4),
      fail: fc.boolean(),
      cleanupMs: small(2),
      cleanupFail: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant("group" as const),
      bodyMs: small(4),
      bodyFail: fc.boolean(),
      children: fc.array(tie("tree"), { maxLength: 4 }),
    }),
    fc.record({
      kind: fc.constant("timeout" as const),
      ms: fc.integer({ min: -1, max: 5 }),
      child: tie("tree"),
    }),
  ),
})).tree;

interface Run {
  /** Every task the tree started, for the cancellations to pick from. */
  tasks: Task<unknown>[];
  /** Every failure a leaf or a body threw. */
  thrown: Error[];
  /** Tasks found still running after the group or timeout they ran in. */
  leftRunning: string[];
}

function* grow(
  tree: Tree,
  scopes: Task<unknown>[][],
  run: Run,
): Operation<void> {
  const fail = (what: string) => {
    const error = new Error(`${what} ${run.thrown.length}`);
    run.thrown.push(error);
    return error;
  };
  const enclose = (task: Task<unknown>) => {
    run.tasks.push(task);
    for (const scope of scopes) scope.push(task);
  };
  const checkEnded = (mine: Task<unknown>[], what: string) => {
    for (const task of mine) if (!task.done()) run.leftRunning.push(what);
  };
  switch (tree.kind) {
    case "leaf": {
      try {
        yield* sleep(tree.ms);
      } catch (error) {
        if (error instanceof CancelledError) {
          yield* sleep(tree.cleanupMs);
          if (tree.cleanupFail) throw fail("cleanup");
        }
        throw error;
      }
      if (tree.fail) throw fail("leaf");
      return;
    }
    case "group": {
      const mine: Task<unknown>[] = [];
      try {
        yield* taskGroup(function* (group) {
          for (const child of tree.children) {
            const task = group.spawn(grow(child, [...scopes, mine], run));
            enclose(task);
            mine.push(task);
          }
          yield* sleep(tree.bodyMs);
          if (tree.bodyFail) throw fail("body");
        });
      } finally {
        checkEnded(mine, "group");
      }
      return;
    }
    case "timeout": {
      const mine: Task<unknown>[] = [];
      try {
        yield* timeout(
          tree.ms,
          (function* () {
            const task = currentTask()!;
            enclose(task);
            mine.push(task);
            yield* grow(tree.child, [...scopes, mine], run);
          })(),
        );
      } finally {
        checkEnded(mine, "timeout");
      }
    }
  }
}

/** The failures an error carries: an AggregateError's, recursively. */
function failuresIn(error: unknown): unknown[] {
  if (error instanceof AggregateError) return error.errors.flatMap(failuresIn);
  if (error instanceof CancelledError || error instanceof TimeoutError) {
    return [];
  }
  return [error];
}

Deno.test("property: in any tree of groups, timeouts and cancellations, nothing is left running and every failure is raised or reported exactly once", async () => {
  await fc.assert(
    fc.asyncProperty(
      trees,
      fc.array(fc.record({ at: small(6), pick: fc.nat() }), { maxLength: 3 }),
      fc.option(small(8)),
      async (tree, cancels, cancelRootAt) => {
        const run: Run = { tasks: [], thrown: [], leftRunning: [] };
        let raised: unknown[] = [];
        const reported = await captureUnhandled(async () => {
          const root = startInlineFuture(grow(tree, [], run));
          run.tasks.push(root as Task<unknown>);
          const cancellers = cancels.map(({ at, pick }) =>
            startInlineFuture((function* () {
              yield* sleep(at);
              run.tasks[pick % run.tasks.length].cancel();
            })())
          );
          if (cancelRootAt !== null) {
            cancellers.push(startInlineFuture((function* () {
              yield* sleep(cancelRootAt);
              root.cancel();
            })()));
          }
          try {
            await root;
          } catch (error) {
            raised = failuresIn(error);
          }
          for (const canceller of cancellers) canceller.cancel();
        });
        assert.deepEqual(run.leftRunning, []);
        assert.ok(run.tasks.every((task) => task.done()));
        assert.equal(pendingDeadlines(), 0);
        const seen = [...raised, ...reported];
        assert.equal(seen.length, run.thrown.length, "each failure once");
        assert.deepEqual(new Set(seen), new Set(run.thrown));
      },
    ),
    { numRuns: 150 },
  );
});
