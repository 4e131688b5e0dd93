// Copyright 2026 the @frontier/generators authors. MIT license.

import assert from "node:assert/strict";
import { assertCounted } from "./_util.ts";
import {
  CancelledError,
  Future,
  gather,
  InvalidStateError,
  TimeoutError,
} from "../future.ts";
import { startInlineFuture } from "../task.ts";
import { type Transfer, transfer } from "../executor.ts";
import { QueueFullError } from "../queue.ts";
import {
  WorkerDiedError,
  WorkerPool,
  type WorkerPoolOptions,
} from "../worker_pool.ts";
import { meet } from "./fixtures/pool_tasks.ts";

type Tasks = typeof import("./fixtures/pool_tasks.ts");
const TASKS = new URL("./fixtures/pool_tasks.ts", import.meta.url);

// Runs `body` with a pool, then shuts it down and checks that nothing is
// left behind: no worker, nothing running or queued.
async function withPool<M extends object = Tasks>(
  options: WorkerPoolOptions,
  body: (pool: WorkerPool<M>) => Promise<void>,
): Promise<void> {
  const pool = new WorkerPool<M>(options);
  try {
    await body(pool);
  } finally {
    // A failed assertion must not leave a blocked task holding the pool.
    for (const f of blocking.splice(0)) release(f);
    await pool.shutdown();
  }
  const stats = pool.stats();
  assert.equal(stats.workers, 0, "no worker is left");
  assert.equal(stats.running, 0, "nothing is left running");
  assert.equal(stats.queued, 0, "nothing is left queued");
}

const blocking: Int32Array[] = [];

/** A shared array for tasks that block or meet; `[0]` releases blockers. */
function flags(length = 4): Int32Array {
  const f = new Int32Array(new SharedArrayBuffer(length * 4));
  blocking.push(f);
  return f;
}

function release(f: Int32Array): void {
  Atomics.store(f, 0, 1);
  Atomics.notify(f, 0);
}

/** Waits until a worker has marked `f[index]` (a task has started). */
async function started(f: Int32Array, index: number): Promise<void> {
  while (Atomics.load(f, index) === 0) {
    const waiting = Atomics.waitAsync(f, index, 0, 30_000);
    if (waiting.async) await waiting.value;
  }
}

/** Settles to the future's outcome without throwing: for `assert.rejects`. */
function outcome<T>(future: Future<T>): Promise<T> {
  return Promise.resolve(future);
}

// --- submit ---------------------------------------------------------------

Deno.test("submit() runs a function with its arguments in a worker and returns this package's Future", async () => {
  await withPool({ maxWorkers: 2 }, async (pool) => {
    await pool.warm();
    const fut = pool.submit((x: number, y: number) => x + y, 2, 3);
    assert.ok(fut instanceof Future);
    assert.equal(fut.running(), true, "handed to a ready worker at once");
    const seen: string[] = [];
    fut.addDoneCallback((f) => seen.push(`Got: ${f.result()}`));
    assert.equal(await fut, 5);
    assert.deepEqual(seen, ["Got: 5"]);
    assert.equal(pool.stats().completed, 1);
  });
});

Deno.test("arguments and results of every primitive kind cross as they were, one at a time and many in flight, beside values of other kinds", async () => {
  const values = [
    0,
    -0,
    NaN,
    Infinity,
    2 ** 31,
    -7,
    1.5,
    "",
    "text",
    "ünïcødé ✓",
    "x".repeat(100_000),
    true,
    false,
    null,
    undefined,
    [1, "two"],
    { three: 3 },
    10n,
  ];
  const echo = (value: unknown) => value;
  await withPool({ maxWorkers: 2 }, async (pool) => {
    for (const value of values) {
      assert.deepStrictEqual(await pool.submit(echo, value), value);
      // Arguments at the edges of what JSON keeps, alone and beside others.
      const [first, second] = await pool.submit(
        (a: unknown, b: unknown[]) => [a, b],
        value,
        [value, "\ud800", -0, 1e-300],
      );
      assert.deepStrictEqual(first, value);
      assert.deepStrictEqual(second, [value, "\ud800", -0, 1e-300]);
    }
    const all = await Promise.all(
      Array.from({ length: 500 }, (_, i) => {
        const value = values[i % values.length];
        return Promise.resolve(pool.submit(echo, value)).then((result) =>
          assert.deepStrictEqual(result, value)
        );
      }),
    );
    assert.equal(all.length, 500);
  });
});

Deno.test("submit() compiles a function once per worker and caches it, also across copies of the same source", async () => {
  await withPool({ maxWorkers: 1 }, async (pool) => {
    const counts: number[] = [];
    for (let i = 0; i < 5; i++) {
      // A new function object each time, with the same source.
      const probe = function probe(): number {
        const seen =
          ((globalThis as { seen?: Set<unknown> }).seen ??= new Set());
        seen.add(probe);
        return seen.size;
      };
      counts.push(await pool.submit(probe));
    }
    assert.deepEqual(counts, [1, 1, 1, 1, 1]);
  });
});

Deno.test("submit() of a function that uses a variable from around it fails, saying so and pointing to module and call", async () => {
  await withPool({ maxWorkers: 1 }, async (pool) => {
    const factor = 10;
    const error = await outcome(pool.submit((x: number) => x * factor, 2))
      .then(() => undefined, (e) => e);
    assert.ok(error instanceof ReferenceError);
    assert.match(error.message, /^factor is not defined in the worker/);
    assert.match(error.message, /new WorkerPool\(\{ module \}\)/);
    assert.match(error.message, /pool\.call\(/);
    assert.ok(
      error.cause instanceof ReferenceError,
      "the original is the cause",
    );
  });
});

Deno.test("submit() refuses at once what it cannot send: built-in and bound functions, classes, async generators", async () => {
  await withPool({ maxWorkers: 1 }, (pool) => {
    assert.throws(() => pool.submit(Math.max, 1, 2), {
      name: "TypeError",
      message: /built in or bound.*wrap it in a function/,
    });
    const bound = ((x: number) => x).bind(null);
    assert.throws(() => pool.submit(bound, 1), TypeError);
    class Point {}
    assert.throws(
      () => pool.submit(Point as unknown as () => void),
      /expected a function to call, got the class Point/,
    );
    assert.throws(
      () => pool.submit(async function* () {}),
      /async generators are not tasks/,
    );
    assert.equal(pool.stats().workersStarted, 0, "no worker was needed");
    return Promise.resolve();
  });
});

Deno.test("submit() sends methods and generator functions as what they are", async () => {
  await withPool({ maxWorkers: 1 }, async (pool) => {
    const shapes = {
      double(x: number) {
        return x * 2;
      },
      *count(n: number) {
        let total = 0;
        for (let i = 1; i <= n; i++) total += i;
        // A task's generator may yield futures; this one needs none.
        yield* [];
        return total;
      },
    };
    assert.equal(await pool.submit(shapes.double, 21), 42);
    // A generator function runs as a task in the worker.
    assert.equal(await pool.submit(shapes.count, 4), 10);
    assert.equal(
      await pool.submit(async (s: string) => (await s).toUpperCase(), "a"),
      "A",
    );
  });
});

Deno.test("yield* pool.submit(fn, i) works inside a task, and two tasks on one pool run in parallel", async () => {
  await withPool({ maxWorkers: 2 }, async (pool) => {
    function fib(n: number): number {
      return n <= 2 ? 1 : fib(n - 1) + fib(n - 2);
    }
    function* computeFibs(n: number) {
      const result: number[] = [];
      for (let i = 1; i <= n; i++) result.push(yield* pool.submit(fib, i));
      return result;
    }
    assert.deepEqual(
      await startInlineFuture(computeFibs(10)),
      [1, 1, 2, 3, 5, 8, 13, 21, 34, 55],
    );
    // Each task reaches `meet` and waits there for the other: they meet only
    // if the pool runs them at the same time, in two workers.
    const place = flags(1);
    function* meeting() {
      return yield* pool.submit(meet, place, 20_000);
    }
    const met = await gather([
      startInlineFuture(meeting()),
      startInlineFuture(meeting()),
    ]);
    assert.deepEqual(met, [true, true]);
  });
});

// --- call -------------------------------------------------------------------

Deno.test("call() runs exports of the module: sync, async, and generators as tasks that yield* futures in the worker", async () => {
  await withPool({ maxWorkers: 2, module: TASKS }, async (pool) => {
    assert.equal(await pool.call("add", 2, 3), 5);
    assert.equal(await pool.call("echoLater", "later", 1), "later");
    assert.deepEqual(await pool.call("countdown", 3, 1), [
      "3",
      "2",
      "1",
      "liftoff",
    ]);
  });
});

Deno.test("call() of a generator that runs a pool of its own inside the worker", async () => {
  await withPool({ maxWorkers: 1, module: TASKS }, async (pool) => {
    assert.deepEqual(await pool.call("nestedFibs", 6), [1, 1, 2, 3, 5, 8]);
  });
});

Deno.test("call() is checked by TypeScript against the module: wrong names and argument types do not compile", () => {
  // Never called: the checks are the type errors expected below.
  const typeChecks = (pool: WorkerPool<Tasks>, plain: WorkerPool) => {
    const _sum: Future<number> = pool.call("add", 1, 2);
    const _said: Future<string[]> = pool.call("countdown", 3, 1);
    const _echo: Future<string> = pool.call("echoLater", "x", 1);
    const _moved: Future<Uint8Array> = pool.call(
      "double",
      transfer(new Uint8Array(1)),
    );
    // @ts-expect-error: the module has no export named "nope"
    pool.call("nope");
    // @ts-expect-error: notAFunction is not a function
    pool.call("notAFunction");
    // @ts-expect-error: a string where a number goes
    pool.call("add", 1, "2");
    // @ts-expect-error: an argument is missing
    pool.call("add", 1);
    // @ts-expect-error: the result is a number, not a string
    const _wrong: Future<string> = pool.call("add", 1, 2);
    const _product: Future<number> = pool.submit(
      (a: number, b: number) => a * b,
      2,
      3,
    );
    // @ts-expect-error: the function takes a number
    pool.submit((a: number) => a, "x");
    // @ts-expect-error: a pool without a module has nothing to call
    plain.call("add", 1, 2);
    const _squares: AsyncIterableIterator<number> = pool.map("fib", [1, 2]);
    // @ts-expect-error: fib takes numbers
    pool.map("fib", ["1"]);
  };
  assert.equal(typeof typeChecks, "function");
});

Deno.test("call() of a name the module does not export fails with the exports it has", async () => {
  await withPool({ maxWorkers: 1, module: TASKS }, async (pool) => {
    const untyped = pool as unknown as WorkerPool<{ nope(): void }>;
    await assert.rejects(outcome(untyped.call("nope")), {
      name: "TypeError",
      message: /has no export named "nope"; its function exports are: .*add/,
    });
  });
});

Deno.test("call() without a module, or with a relative one, is refused at once", async () => {
  await withPool({ maxWorkers: 1 }, (pool) => {
    const untyped = pool as unknown as WorkerPool<{ add(): void }>;
    assert.throws(() => untyped.call("add"), /this pool has no module/);
    return Promise.resolve();
  });
  assert.throws(
    () => new WorkerPool({ module: "./tasks.ts" }),
    /must be an absolute URL.*import\.meta\.url/,
  );
});

Deno.test("a module that fails to load fails each call with its error, and submit still works", async () => {
  const module = new URL("./fixtures/bad_module.ts", import.meta.url);
  await withPool<{ never(): string }>(
    { maxWorkers: 1, module },
    async (pool) => {
      await assert.rejects(outcome(pool.call("never")), {
        name: "TypeError",
        message: /failed to load in the worker: this module does not load/,
      });
      assert.equal(await pool.submit(() => "fine"), "fine");
    },
  );
});

// --- map ----------------------------------------------------------------------

Deno.test("map() yields results in input order, whatever the chunk size", async () => {
  await withPool({ maxWorkers: 2, module: TASKS }, async (pool) => {
    const items = Array.from({ length: 25 }, (_, i) => i);
    for (const chunkSize of [1, 3, 25, 100]) {
      const got = await Array.fromAsync(
        pool.map((n: number) => n * n, items, { chunkSize }),
      );
      assert.deepEqual(got, items.map((n) => n * n), `chunkSize ${chunkSize}`);
    }
    const fibs = await Array.fromAsync(pool.map("fib", [1, 2, 3, 4, 5]));
    assert.deepEqual(fibs, [1, 1, 2, 3, 5]);
  });
});

Deno.test("map() reads async iterables lazily and runs async functions", async () => {
  await withPool({ maxWorkers: 2 }, async (pool) => {
    async function* numbers() {
      for (let i = 0; i < 6; i++) yield i;
    }
    const got = await Array.fromAsync(
      pool.map(async (n: number) => (await n) + 1, numbers(), { chunkSize: 4 }),
    );
    assert.deepEqual(got, [1, 2, 3, 4, 5, 6]);
  });
});

Deno.test("map() stops at the first failed item, and breaking out cancels what has not started", async () => {
  await withPool({ maxWorkers: 1 }, async (pool) => {
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (
          const n of pool.map((n: number) => {
            if (n === 3) throw new RangeError("three");
            return n;
          }, [1, 2, 3, 4, 5])
        ) seen.push(n);
      })(),
      { name: "RangeError", message: "three" },
    );
    assert.deepEqual(seen, [1, 2]);
    let read = 0;
    for await (
      const _ of pool.map(
        (n: number) => n,
        function* () {
          for (let i = 0; i < 1000; i++) {
            read++;
            yield i;
          }
        }(),
      )
    ) break;
    assert.ok(read < 1000, "items are read lazily");
  });
});

Deno.test("map() with a timeout or an aborted signal stops the running work", async () => {
  await withPool({ maxWorkers: 1 }, async (pool) => {
    const wait = (x: Int32Array) => {
      Atomics.add(x, 1, 1);
      Atomics.notify(x, 1);
      while (Atomics.load(x, 0) === 0) Atomics.wait(x, 0, 0, 100);
      return 1;
    };
    const f = flags();
    await pool.warm();
    await assert.rejects(
      Array.fromAsync(pool.map(wait, [f], { timeout: 20 })),
      { name: "TimeoutError", message: /map\(\) did not finish within 20 ms/ },
    );
    const controller = new AbortController();
    const iterating = Array.fromAsync(
      pool.map(wait, [f], { signal: controller.signal }),
    );
    Atomics.store(f, 1, 0);
    await started(f, 1);
    controller.abort();
    await assert.rejects(iterating, CancelledError);
    await assert.rejects(
      Array.fromAsync(pool.map(wait, [f], { signal: controller.signal })),
      CancelledError,
    );
  });
});

// --- transfer -------------------------------------------------------------

Deno.test("transfer() moves buffers to the worker and back instead of copying them", async () => {
  await withPool({ maxWorkers: 1, module: TASKS }, async (pool) => {
    const bytes = new Uint8Array([1, 2, 3]);
    const doubled = await pool.call("double", transfer(bytes));
    assert.deepEqual([...doubled], [2, 4, 6]);
    assert.equal(bytes.byteLength, 0, "moved out of this isolate");
    assert.equal(await pool.call("keptLength"), 0, "moved out of the worker");
    // Without the marker, arguments are copied.
    const copied = new Uint8Array([5]);
    assert.deepEqual([...await pool.call("double", copied)], [10]);
    assert.deepEqual([...copied], [5]);
    // Inside a submitted function, `transfer` needs no import.
    const back: ArrayBuffer = await pool.submit(
      (n: number): Transfer<ArrayBuffer> => transfer(new ArrayBuffer(n)),
      8,
    );
    assert.equal(back.byteLength, 8);
    // map items, too.
    const chunks = [new Uint8Array([1]), new Uint8Array([2])];
    const sums = await Array.fromAsync(
      pool.map((c: Uint8Array) => c[0], chunks.map((c) => transfer(c))),
    );
    assert.deepEqual(sums, [1, 2]);
    assert.deepEqual(chunks.map((c) => c.byteLength), [0, 0]);
  });
});

// --- errors and crashes -----------------------------------------------------

Deno.test("an error fails only its own future, with its name, message, stack, cause and properties", async () => {
  await withPool({ maxWorkers: 1, module: TASKS }, async (pool) => {
    const bad = pool.call("validate", -1);
    const good = pool.call("validate", 1);
    const error = await outcome(bad).then(() => undefined, (e) => e);
    assert.ok(error instanceof Error);
    assert.equal(error.name, "ValidationError");
    assert.equal(error.message, "-1 is negative");
    assert.match(
      error.stack!,
      /ValidationError: -1 is negative\n\s+at validate/,
    );
    assert.ok(error.cause instanceof RangeError);
    assert.equal((error.cause as Error).message, "below zero");
    assert.equal((error as unknown as { code: string }).code, "E_INVALID");
    assert.equal(await good, 1);
    const both = await outcome(pool.call("aggregate")).then(() => 0, (e) => e);
    assert.ok(both instanceof AggregateError);
    assert.deepEqual(
      (both as AggregateError).errors.map((e: Error) => e.message),
      ["one", "two"],
    );
    await assert.rejects(
      outcome(pool.call("throwValue", "just a string")),
      (e) => e === "just a string",
    );
    await assert.rejects(
      outcome(pool.call("throwValue", { code: 7 })),
      (e) => (e as { code: number }).code === 7,
    );
    // The tutorial's TypeError, from a function that checks its operands.
    const func = (x: unknown, y: unknown) => {
      if (typeof x !== typeof y) {
        throw new TypeError(
          `unsupported operand type(s) for +: '${typeof x}' and '${typeof y}'`,
        );
      }
      return (x as number) + (y as number);
    };
    await assert.rejects(outcome(pool.submit(func, 2, "Hello")), {
      name: "TypeError",
      message: "unsupported operand type(s) for +: 'number' and 'string'",
    });
    assert.equal(pool.stats().workersStarted, 1, "no worker died");
  });
});

Deno.test("a worker that dies of an uncaught error fails its running tasks, with the error as cause, and is replaced", async () => {
  await withPool({ maxWorkers: 1, module: TASKS }, async (pool) => {
    const dying = pool.call("crashInTimer", "boom in a timer");
    const error = await outcome(dying).then(() => undefined, (e) => e);
    assert.ok(error instanceof WorkerDiedError);
    assert.match(
      error.message,
      /crashed with an uncaught error \(TypeError: boom in a timer\)/,
    );
    assert.ok(error.cause instanceof TypeError);
    assert.equal(await pool.call("add", 1, 1), 2, "the queue goes on");
    assert.equal(pool.stats().workersStarted, 2, "the worker was replaced");
    const rejected = await outcome(pool.call("rejectUnhandled")).then(
      () => 0,
      (e) => e,
    );
    assert.ok(rejected instanceof WorkerDiedError);
    assert.match((rejected.cause as Error).message, /nobody handles me/);
  });
});

Deno.test("a worker that closes itself, or calls Deno.exit(), fails its running tasks and is replaced", async () => {
  await withPool({ maxWorkers: 1, module: TASKS }, async (pool) => {
    await assert.rejects(outcome(pool.call("closeLater")), {
      name: "WorkerDiedError",
      message: /closed itself: close\(\) or Deno\.exit\(\)/,
    });
    await assert.rejects(outcome(pool.call("exitNow")), {
      name: "WorkerDiedError",
      message: /closed itself/,
    });
    assert.equal(await pool.call("add", 2, 2), 4);
    assert.equal(pool.stats().workersStarted, 3);
  });
});

Deno.test("tasks a dying worker had not started run on its replacement", async () => {
  await withPool(
    { maxWorkers: 1, module: TASKS, tasksPerWorker: 8 },
    async (pool) => {
      const f = flags();
      const blocked = pool.call("block", f, 1);
      await started(f, 1);
      const closing = pool.call("closeNow");
      const behind = [pool.call("add", 1, 1), pool.call("add", 2, 2)];
      assert.equal(pool.stats().queued, 0, "all handed to the one worker");
      release(f);
      assert.equal(await blocked, "released");
      assert.equal(await closing, "closing");
      assert.deepEqual(await gather(behind), [2, 4]);
      assert.equal(pool.stats().workersStarted, 2);
    },
  );
});

Deno.test("messages a task posts from its worker are not taken for results: each future gets what its task returned", async () => {
  type Chatty = typeof import("./fixtures/pool_chatty.ts");
  await withPool<Chatty>({
    maxWorkers: 1,
    module: new URL("./fixtures/pool_chatty.ts", import.meta.url),
  }, async (pool) => {
    for (const name of ["viaGlobal", "viaParentPort", "lookalike"] as const) {
      // One at a time: each result would go back as a bare value.
      for (let i = 0; i < 20; i++) {
        assert.equal(await pool.call(name, i), i, `${name}(${i})`);
      }
      // Many in flight.
      const many = Array.from({ length: 50 }, (_, i) => pool.call(name, i));
      assert.deepEqual(
        await Promise.all(many),
        Array.from({ length: 50 }, (_, i) => i),
        name,
      );
    }
  });
});

Deno.test("a long string argument sent alone reaches the worker whole, even one JSON could not hold", async () => {
  // JSON writes each control character as six: 100 million of them would
  // be past V8's longest string.
  const output = await runScript(`
    import { WorkerPool } from ${JSON.stringify(POOL_URL)};
    const pool = new WorkerPool({ maxWorkers: 1 });
    const text = "\\u0001".repeat(100_000_000);
    const length = await pool.submit((s: string) => s.length, text);
    await pool.shutdown();
    console.log(JSON.stringify({ length }));
  `);
  assert.deepEqual(reported(output), { length: 100_000_000 });
});

Deno.test("a result or argument that cannot be copied fails only its own task", async () => {
  await withPool({ maxWorkers: 1, module: TASKS }, async (pool) => {
    const bad = pool.call("returnsFunction");
    const good = pool.call("add", 1, 2);
    await assert.rejects(outcome(bad), {
      name: "DataCloneError",
      message:
        /Cannot return the task's result: it could not be copied back from the worker/,
    });
    assert.equal(await good, 3);
    const badArg = pool.submit((x: unknown) => typeof x, () => {});
    const goodArg = pool.submit((x: unknown) => typeof x, 1);
    await assert.rejects(outcome(badArg), {
      name: "DataCloneError",
      message: /arguments could not be copied to a worker/,
    });
    assert.equal(await goodArg, "number");
  });
});

Deno.test("a module that closes its worker as it loads fails the waiting calls instead of restarting forever", async () => {
  const module = new URL("./fixtures/closing_module.ts", import.meta.url);
  await withPool<{ never(): string }>(
    { maxWorkers: 2, module },
    async (pool) => {
      const calls = [pool.call("never"), pool.call("never")];
      for (const call of calls) {
        await assert.rejects(outcome(call), {
          name: "WorkerDiedError",
          message: /could not start/,
        });
      }
      assert.ok(pool.stats().workersStarted <= 2);
    },
  );
});

// --- cancellation -------------------------------------------------------------

Deno.test("a queued task is cancelled at once", async () => {
  await withPool({ maxWorkers: 1, module: TASKS }, async (pool) => {
    const f = flags();
    const blocked = pool.call("block", f, 1);
    await started(f, 1);
    const queued = pool.call("add", 1, 2);
    assert.equal(pool.stats().queued, 1);
    assert.equal(queued.cancel(), true);
    assert.equal(queued.cancelled(), true);
    assert.equal(pool.stats().queued, 0);
    release(f);
    assert.equal(await blocked, "released");
    assert.equal(pool.stats().workersStarted, 1, "no worker was stopped");
    assert.equal(pool.stats().cancelled, 1);
  });
});

Deno.test("a task handed to a busy worker but not started is cancelled without stopping the worker", async () => {
  await withPool(
    { maxWorkers: 1, module: TASKS, tasksPerWorker: 8 },
    async (pool) => {
      const f = flags();
      const blocked = pool.call("block", f, 1);
      await started(f, 1);
      const behind = pool.call("block", f, 2);
      assert.equal(pool.stats().queued, 0, "handed to the worker");
      assert.equal(behind.cancel(), true);
      release(f);
      assert.equal(await blocked, "released");
      assert.equal(await pool.call("add", 1, 1), 2);
      assert.equal(Atomics.load(f, 2), 0, "the cancelled task never ran");
      assert.equal(pool.stats().workersStarted, 1);
    },
  );
});

Deno.test("cancelling a running task terminates its worker and a fresh one takes the next task", async () => {
  await withPool({ maxWorkers: 1, module: TASKS }, async (pool) => {
    const f = flags();
    const running = pool.call("block", f, 1);
    await started(f, 1);
    assert.equal(running.cancel(), true);
    await assert.rejects(outcome(running), CancelledError);
    assert.equal(await pool.call("add", 3, 4), 7);
    const stats = pool.stats();
    assert.equal(stats.workersStarted, 2);
    assert.equal(stats.cancelled, 1);
  });
});

Deno.test("the timeout option ends a running task with TimeoutError, and its worker is replaced", async () => {
  await withPool({ maxWorkers: 1, module: TASKS }, async (pool) => {
    const f = flags();
    const slow = pool.with({ timeout: 10 }).call("block", f, 1);
    const error = await outcome(slow).then(() => undefined, (e) => e);
    assert.ok(error instanceof TimeoutError);
    assert.match(error.message, /call\("block"\) did not finish within 10 ms/);
    assert.equal(await pool.with({ timeout: 60_000 }).call("add", 1, 2), 3);
    assert.equal(
      await pool.with({ timeout: 60_000 }).submit(() => "quick"),
      "quick",
    );
  });
});

Deno.test("a timeout interrupts a spinning task in its worker, which goes on: no worker is replaced, for submit and for map", async () => {
  await withPool({ maxWorkers: 1 }, async (pool) => {
    await pool.warm();
    const spin = () => {
      for (;;);
    };
    for (let i = 0; i < 10; i++) {
      await assert.rejects(
        outcome(pool.with({ timeout: 20 }).submit(spin)),
        TimeoutError,
      );
      await assert.rejects(async () => {
        for await (const _ of pool.map(spin, [1, 2], { timeout: 20 }));
      }, TimeoutError);
    }
    assert.equal(await pool.submit((x: number) => x + 1, 1), 2);
    assert.equal(pool.stats().workersStarted, 1, "the worker went on");
  });
});

Deno.test("an AbortSignal cancels a task, and AbortSignal.timeout() times it out", async () => {
  await withPool({ maxWorkers: 1, module: TASKS }, async (pool) => {
    const f = flags();
    const controller = new AbortController();
    const running = pool.with({ signal: controller.signal }).call(
      "block",
      f,
      1,
    );
    await started(f, 1);
    controller.abort(new Error("user pressed stop"));
    await assert.rejects(outcome(running), {
      name: "CancelledError",
      message: /AbortSignal was aborted \(Error: user pressed stop\)/,
    });
    const timed = pool.with({ signal: AbortSignal.timeout(10) }).call(
      "block",
      f,
      2,
    );
    await assert.rejects(outcome(timed), TimeoutError);
    const never = pool.with({ signal: controller.signal }).call("add", 1, 1);
    assert.equal(never.cancelled(), true, "an aborted signal cancels at once");
    assert.equal(
      pool.stats().workersStarted,
      2,
      "the pre-aborted task needed no worker",
    );
  });
});

Deno.test("cancelling a running task fails the async tasks started beside it in its worker", async () => {
  await withPool(
    { maxWorkers: 1, module: TASKS, tasksPerWorker: 8 },
    async (pool) => {
      await pool.warm();
      const first = pool.call("echoLater", "first", 60_000);
      const second = pool.call("echoLater", "second", 60_000);
      assert.equal(pool.stats().queued, 0, "both in the one worker");
      // A worker runs its tasks in order: after this answer, both have started.
      assert.equal(await pool.call("add", 0, 0), 0);
      first.cancel();
      await assert.rejects(outcome(second), {
        name: "WorkerDiedError",
        message:
          /terminated to stop another task running in it \(call\("echoLater"\): it was cancelled\)/,
      });
    },
  );
});

Deno.test("a task whose result was already sent when another task's cancel stopped their worker gets that result", async () => {
  await withPool({ maxWorkers: 1, tasksPerWorker: 2 }, async (pool) => {
    await pool.warm();
    const f = new Int32Array(new SharedArrayBuffer(12));
    const forever = pool.submit(() => new Promise(() => {}));
    const finished = pool.submit((f: Int32Array) =>
      new Promise((resolve) => {
        Atomics.store(f, 2, 1);
        Atomics.notify(f, 2);
        const timer = setInterval(() => {
          if (Atomics.load(f, 0) === 0) return;
          clearInterval(timer);
          resolve("sent");
          // Its result is posted in a microtask, before this timer.
          setTimeout(() => {
            Atomics.store(f, 1, 1);
            Atomics.notify(f, 1);
          });
        }, 1);
      }), f);
    await started(f, 2);
    Atomics.store(f, 0, 1);
    // This thread sleeps until the result is sent, so it is still unread
    // when the other task is cancelled.
    assert.equal(Atomics.wait(f, 1, 0, 30_000), "ok");
    assert.ok(forever.cancel());
    assert.equal(await finished, "sent");
    const stats = pool.stats();
    assert.equal(stats.completed, 1);
    assert.equal(stats.cancelled, 1);
    assert.equal(stats.failed, 0);
  });
});

Deno.test("cancelling a running task leaves the other workers alone", async () => {
  await withPool({ maxWorkers: 2, module: TASKS }, async (pool) => {
    const f = flags();
    const staying = pool.call("block", f, 1);
    await started(f, 1);
    const stopped = pool.call("block", f, 2);
    await started(f, 2);
    stopped.cancel();
    release(f);
    assert.equal(await staying, "released");
    assert.equal(pool.stats().workersStarted, 2);
  });
});

// --- backpressure and lifecycle ----------------------------------------------

Deno.test("maxQueue: past it, submit and call throw QueueFullError at once", async () => {
  await withPool(
    { maxWorkers: 1, maxQueue: 2, module: TASKS },
    async (pool) => {
      const f = flags();
      const blocked = pool.call("block", f, 1);
      await started(f, 1);
      const waiting = [pool.call("add", 1, 1), pool.submit(() => 2)];
      assert.throws(() => pool.call("add", 1, 1), {
        name: "QueueFullError",
        message: /queue is full \(maxQueue 2/,
      });
      assert.throws(() => pool.submit(() => 3), QueueFullError);
      release(f);
      assert.equal(await blocked, "released");
      assert.deepEqual(await gather(waiting), [2, 2]);
      assert.equal(await pool.submit(() => 3), 3, "room again");
    },
  );
});

Deno.test("tiny tasks are pipelined to a busy worker, long ones wait for a free one", async () => {
  await withPool({ maxWorkers: 1, module: TASKS }, async (pool) => {
    const f = flags();
    const blocked = pool.call("block", f, 1);
    await started(f, 1);
    // Never measured: it waits for an idle worker.
    const unknown = pool.call("fib", 2);
    assert.equal(pool.stats().queued, 1);
    release(f);
    await gather([blocked, unknown]);
  });
  await withPool(
    { maxWorkers: 1, tasksPerWorker: 3, module: TASKS },
    async (pool) => {
      await pool.warm();
      const f = flags(5);
      const tasks = [1, 2, 3, 4].map((i) => pool.call("block", f, i));
      assert.equal(pool.stats().running, 3, "tasksPerWorker bounds a worker");
      assert.equal(pool.stats().queued, 1);
      release(f);
      await gather(tasks);
    },
  );
});

Deno.test("workers start on demand up to maxWorkers; minWorkers and warm() start them ahead", async () => {
  await withPool({ maxWorkers: 3, module: TASKS }, async (pool) => {
    assert.equal(pool.stats().workers, 0);
    const place = flags(1);
    await gather([
      pool.submit(meet, place, 20_000),
      pool.submit(meet, place, 20_000),
    ]);
    assert.equal(pool.stats().workersStarted, 2, "two tasks, two workers");
    await pool.warm();
    assert.equal(pool.stats().workers, 3);
    assert.equal(pool.stats().idleWorkers, 3);
  });
  await withPool({ maxWorkers: 2, minWorkers: 1 }, async (pool) => {
    assert.equal(pool.stats().workers, 1, "started by the constructor");
    await pool.warm(1);
    assert.equal(pool.stats().idleWorkers, 1);
  });
  assert.throws(
    () => new WorkerPool({ maxWorkers: 1, minWorkers: 2 }),
    RangeError,
  );
  assert.throws(() => new WorkerPool({ maxWorkers: 0 }), RangeError);
});

Deno.test("idle workers beyond minWorkers stop after idleTimeout", async () => {
  await withPool(
    { maxWorkers: 2, minWorkers: 1, idleTimeout: 1 },
    async (pool) => {
      const place = flags(1);
      await gather([
        pool.submit(meet, place, 20_000),
        pool.submit(meet, place, 20_000),
      ]);
      while (pool.stats().workers > 1) {
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.equal(pool.stats().workers, 1, "minWorkers stays");
    },
  );
});

Deno.test("shutdown() lets submitted work finish, refuses new work, and cancelPending cancels what has not started", async () => {
  const pool = new WorkerPool<Tasks>({ maxWorkers: 1, module: TASKS });
  const f = flags();
  const blocked = pool.call("block", f, 1);
  await started(f, 1);
  const queued = pool.call("add", 1, 1);
  const done = pool.shutdown();
  assert.throws(() => pool.submit(() => 1), InvalidStateError);
  assert.throws(() => pool.call("add", 1, 1), /shut down/);
  release(f);
  await done;
  assert.equal(blocked.result(), "released");
  assert.equal(queued.result(), 2, "queued work still ran");
  assert.equal(pool.stats().workers, 0);

  const other = new WorkerPool<Tasks>({ maxWorkers: 1, module: TASKS });
  Atomics.store(f, 0, 0);
  Atomics.store(f, 1, 0);
  const running = other.call("block", f, 1);
  await started(f, 1);
  const pending = other.call("add", 1, 1);
  const closing = other.shutdown({ wait: false, cancelPending: true });
  await closing;
  assert.equal(pending.cancelled(), true);
  assert.equal(running.done(), false, "wait: false does not wait");
  release(f);
  assert.equal(await running, "released");
  await other.shutdown();
  assert.equal(other.stats().workers, 0);
});

Deno.test("await using shuts the pool down at the end of the block", async () => {
  let fut: Future<number>;
  let pool: WorkerPool;
  {
    await using scoped = new WorkerPool({ maxWorkers: 1 });
    pool = scoped;
    fut = scoped.submit(() => 42);
  }
  assert.equal(fut.result(), 42);
  assert.equal(pool.stats().workers, 0);
});

Deno.test("stats() counts workers and tasks", async () => {
  await withPool({ maxWorkers: 1, module: TASKS }, async (pool) => {
    await pool.call("add", 1, 1);
    await outcome(pool.call("validate", -1)).catch(() => {});
    const cancelled = pool.call("add", 1, 1);
    cancelled.cancel();
    await outcome(cancelled).catch(() => {});
    assert.deepEqual(pool.stats(), {
      workers: 1,
      stoppingWorkers: 0,
      startingWorkers: 0,
      idleWorkers: 1,
      queued: 0,
      running: 0,
      completed: 1,
      failed: 1,
      cancelled: 1,
      workersStarted: 1,
    });
  });
});

// --- the process ----------------------------------------------------------

/** How to run a script: a time limit, and more arguments for `deno run`. */
interface ScriptOptions {
  /**
   * Milliseconds after which the script is killed: only a guard against a
   * hang, which the caller sees as `signal` not being `null`.
   */
  limit?: number;
  flags?: string[];
}

async function runScript(
  source: string,
  options: ScriptOptions = {},
): Promise<Deno.CommandOutput> {
  const { limit = 60_000, flags = [] } = options;
  const file = await Deno.makeTempFile({ suffix: ".ts" });
  try {
    await Deno.writeTextFile(file, source);
    return await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-check", ...flags, file],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(limit),
    }).output();
  } finally {
    await Deno.remove(file);
  }
}

/** The JSON a script printed last, after checking that it ended by itself. */
function reported(output: Deno.CommandOutput): Record<string, unknown> {
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(
    output.signal,
    null,
    `the script did not end by itself\n${stderr}`,
  );
  assert.equal(output.code, 0, stderr);
  const lines = new TextDecoder().decode(output.stdout).trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

const POOL_URL = new URL("../worker_pool.ts", import.meta.url).href;

Deno.test("a script that never shuts its pool down still exits when its work is done", async () => {
  const url = new URL("../worker_pool.ts", import.meta.url).href;
  const output = await runScript(`
    import { WorkerPool } from ${JSON.stringify(url)};
    const pool = new WorkerPool({ maxWorkers: 2, minWorkers: 2 });
    console.log(await pool.submit((x: number) => x * 2, 21));
    pool.submit((s: string) => s.length, "unawaited");
  `);
  assert.equal(new TextDecoder().decode(output.stderr), "");
  assert.equal(output.signal, null, "it was not killed");
  assert.equal(output.code, 0);
  assert.equal(new TextDecoder().decode(output.stdout), "42\n");
});

Deno.test("the pool needs no Deno internals: with Worker.prototype's hidden methods gone, the script still exits", async () => {
  const url = new URL("../worker_pool.ts", import.meta.url).href;
  const output = await runScript(`
    const proto = Worker.prototype as unknown as Record<symbol, unknown>;
    for (const symbol of Object.getOwnPropertySymbols(proto)) {
      if (symbol.description === undefined) delete proto[symbol];
    }
    const { WorkerPool } = await import(${JSON.stringify(url)});
    const pool = new WorkerPool({ maxWorkers: 1, minWorkers: 1 });
    console.log(await pool.submit((x: number) => x + 1, 1));
  `);
  assert.equal(output.signal, null, "it was not killed");
  assert.equal(output.code, 0);
  assert.equal(new TextDecoder().decode(output.stdout), "2\n");
});

// --- over HTTP ------------------------------------------------------------

Deno.test("imported over HTTP, the pool loads its worker script from the package's own URL", async () => {
  const root = new URL("../", import.meta.url);
  const requested: string[] = [];
  const controller = new AbortController();
  // The package at /, and a copy at /broken/ whose worker script is missing.
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    onListen() {},
  }, async (request) => {
    const path = new URL(request.url).pathname;
    requested.push(path);
    if (path === "/broken/_executor/worker.ts") {
      return new Response("not found", { status: 404 });
    }
    try {
      const file = new URL(`.${path.replace(/^\/broken\//, "/")}`, root);
      return new Response(await Deno.readFile(file), {
        headers: { "content-type": "application/typescript" },
      });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  try {
    // The importing script runs in a process of its own, outside this
    // project, so that remote modules never land in this project's lock file.
    const base = `http://127.0.0.1:${server.addr.port}`;
    const output = await runScript(`
      const base = ${JSON.stringify(base)};
      const remote = await import(base + "/worker_pool.ts");
      const pool = new remote.WorkerPool({
        maxWorkers: 1,
        module: base + "/tests/fixtures/pool_tasks.ts",
      });
      const product = await pool.submit((x: number, y: number) => x * y, 6, 7);
      const sum = await pool.call("add", 1, 2);
      await pool.shutdown();

      // Tasks of a pool whose worker cannot load fail; they do not hang.
      const broken = await import(base + "/broken/worker_pool.ts");
      const bad = new broken.WorkerPool({ maxWorkers: 1 });
      let failure;
      try {
        await bad.submit(() => 1);
      } catch (error) {
        failure = { name: error.name, message: error.message };
      }
      await bad.shutdown();
      console.log(JSON.stringify({
        product,
        sum,
        workers: pool.stats().workers + bad.stats().workers,
        failure,
      }));
    `);
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    const result = JSON.parse(new TextDecoder().decode(output.stdout));
    assert.equal(result.product, 42);
    assert.equal(result.sum, 3);
    assert.equal(result.workers, 0);
    assert.equal(result.failure?.name, "WorkerDiedError");
    assert.match(result.failure?.message ?? "", /could not start/);
    assert.ok(
      requested.includes("/_executor/worker.ts"),
      "the worker came over HTTP",
    );
    assert.ok(requested.includes("/broken/_executor/worker.ts"));
  } finally {
    controller.abort();
    await server.finished;
  }
});

// --- work that is stopped stops -------------------------------------------

Deno.test("a timed-out spinning task is interrupted, no thread goes on running it, and the process exits", async () => {
  const output = await runScript(
    `
    import { WorkerPool } from ${JSON.stringify(POOL_URL)};
    const pool = new WorkerPool({ maxWorkers: 1 });
    await pool.warm(); // so that the task starts before its timeout
    // The pool's own example, which it never shuts down.
    const spin = pool.with({ timeout: 50 }).submit(() => {
      for (;;);
    });
    const error = await Promise.resolve(spin).then(() => undefined, (e) => e);
    // The loop is interrupted: either its worker goes on, idle, once its
    // report is in, or its thread ends (stats() counts it until then).
    while (pool.stats().stoppingWorkers > 0 || pool.stats().running > 0) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const { running, workers, idleWorkers } = pool.stats();
    console.log(JSON.stringify({ name: error?.name, running, busy: workers - idleWorkers }));
  `,
    { limit: 20_000 },
  );
  assert.deepEqual(reported(output), {
    name: "TimeoutError",
    running: 0,
    busy: 0,
  });
});

Deno.test("cancelling a running spinning task stops its thread: it settles, no CPU is burnt after, and the process exits", async () => {
  const output = await runScript(
    `
    import process from "node:process";
    import { WorkerPool } from ${JSON.stringify(POOL_URL)};
    const pool = new WorkerPool({ maxWorkers: 1 });
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const spin = pool.submit((f: Int32Array) => {
      Atomics.store(f, 0, 1);
      for (;;);
    }, flag);
    while (Atomics.load(flag, 0) === 0) await new Promise((r) => setTimeout(r, 1));
    spin.cancel();
    const before = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 1000));
    const used = process.cpuUsage(before);
    const after = await pool.submit(() => "after");
    const { workers, stoppingWorkers, workersStarted } = pool.stats();
    console.log(JSON.stringify({
      cancelled: spin.cancelled(),
      after,
      cpuMs: (used.user + used.system) / 1000,
      workers,
      stoppingWorkers,
      workersStarted,
    }));
  `,
    { limit: 20_000 },
  );
  const { cpuMs, ...result } = reported(output);
  assert.deepEqual(result, {
    cancelled: true,
    after: "after",
    workers: 1,
    stoppingWorkers: 0,
    workersStarted: 2,
  });
  // The spinning thread alone would burn about 1000 ms of CPU in that second.
  assert.ok(
    (cpuMs as number) < 300,
    `${cpuMs} ms of CPU in the second after the cancel`,
  );
});

Deno.test("shutdown() halts code a task left running in its worker, and no CPU is burnt after", async () => {
  const output = await runScript(
    `
    import process from "node:process";
    import { WorkerPool } from ${JSON.stringify(POOL_URL)};
    const pool = new WorkerPool({ maxWorkers: 1 });
    // The task returns, but leaves a timer that spins in its worker.
    const first = await pool.submit(() => {
      setTimeout(() => {
        for (;;);
      }, 10);
      return "returned";
    });
    await new Promise((r) => setTimeout(r, 50)); // the timer spins now
    await pool.shutdown();
    const before = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 1000));
    const used = process.cpuUsage(before);
    const { workers, stoppingWorkers } = pool.stats();
    console.log(JSON.stringify({
      first,
      cpuMs: (used.user + used.system) / 1000,
      workers,
      stoppingWorkers,
    }));
  `,
    { limit: 20_000 },
  );
  const { cpuMs, ...result } = reported(output);
  assert.deepEqual(result, {
    first: "returned",
    workers: 0,
    stoppingWorkers: 0,
  });
  assert.ok(
    (cpuMs as number) < 300,
    `${cpuMs} ms of CPU in the second after shutdown()`,
  );
});

Deno.test("after three spinning tasks time out, the process burns no CPU", async () => {
  const output = await runScript(
    `
    import process from "node:process";
    import { WorkerPool } from ${JSON.stringify(POOL_URL)};
    const pool = new WorkerPool({ maxWorkers: 3 });
    await pool.warm(); // so that the three start, and spin, before their timeouts
    const spins = [1, 2, 3].map(() =>
      pool.with({ timeout: 50 }).submit(() => {
        for (;;);
      })
    );
    const names = [];
    for (const spin of spins) {
      names.push(await Promise.resolve(spin).then(() => "", (e) => e.name));
    }
    const before = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 1000));
    const used = process.cpuUsage(before);
    await pool.shutdown();
    console.log(JSON.stringify({
      names,
      cpuMs: (used.user + used.system) / 1000,
      workers: pool.stats().workers,
    }));
  `,
    { limit: 30_000 },
  );
  const result = reported(output);
  assert.deepEqual(result.names, [
    "TimeoutError",
    "TimeoutError",
    "TimeoutError",
  ]);
  assert.equal(result.workers, 0);
  // One spinning thread alone would burn about 1000 ms of CPU in that second.
  assert.ok(
    (result.cpuMs as number) < 300,
    `${result.cpuMs} ms of CPU in a second of idling`,
  );
});

// --- a pool that cannot be wedged -----------------------------------------

Deno.test("a task that leaves a busy timer in its worker does not wedge the pool, and shutdown() finishes", async () => {
  const output = await runScript(
    `
    import { WorkerPool } from ${JSON.stringify(POOL_URL)};
    const pool = new WorkerPool({ maxWorkers: 1 });
    const leaveTimer = () => {
      setTimeout(() => {
        for (;;);
      }, 10);
      return "returned";
    };
    const first = await pool.submit(leaveTimer);
    await new Promise((r) => setTimeout(r, 50)); // the timer spins now
    // Sent to the wedged worker: it times out, and the worker is replaced.
    const late = await Promise.resolve(pool.with({ timeout: 200 }).submit(() => 1))
      .then(String, (e) => e.name);
    const next = await pool.with({ timeout: 10_000 }).submit(() => "next");
    // Again, without a timeout: the pool notices the worker by itself.
    await pool.submit(leaveTimer);
    await new Promise((r) => setTimeout(r, 50));
    const unbounded = await pool.submit(() => "ran elsewhere");
    await pool.shutdown();
    console.log(JSON.stringify({ first, late, next, unbounded, stats: pool.stats() }));
  `,
    { limit: 30_000 },
  );
  const result = reported(output);
  assert.equal(result.first, "returned");
  assert.equal(result.late, "TimeoutError");
  assert.equal(result.next, "next");
  assert.equal(result.unbounded, "ran elsewhere");
  const stats = result.stats as Record<string, number>;
  assert.equal(stats.workersStarted, 3, "each wedged worker was replaced");
  // The replaced workers' spinning timers were halted with their threads.
  assert.equal(stats.workers, 0);
  assert.equal(stats.stoppingWorkers, 0);
  assert.equal(stats.running, 0);
});

Deno.test("a task that sets onmessage = null does not leave its worker deaf, and shutdown() finishes", async () => {
  const output = await runScript(
    `
    import { WorkerPool } from ${JSON.stringify(POOL_URL)};
    const pool = new WorkerPool({ maxWorkers: 1 });
    const deaf = await pool.submit(() => {
      (globalThis as { onmessage: unknown }).onmessage = null;
      return "deaf";
    });
    const late = await Promise.resolve(pool.with({ timeout: 200 }).submit(() => 1))
      .then(String, (e) => e.name);
    const next = await pool.submit(() => "next");
    await pool.shutdown();
    console.log(JSON.stringify({ deaf, late, next, stats: pool.stats() }));
  `,
    { limit: 30_000 },
  );
  const result = reported(output);
  assert.equal(result.deaf, "deaf");
  assert.equal(result.late, "1");
  assert.equal(result.next, "next");
  const stats = result.stats as Record<string, number>;
  assert.equal(stats.workersStarted, 1);
  assert.equal(stats.workers, 0);
});

// --- no work stuck behind a slow task ---------------------------------------

Deno.test("quick calls sent ahead to a worker stuck in a long call run on the free worker", async () => {
  await withPool({ maxWorkers: 2, module: TASKS }, async (pool) => {
    await pool.warm();
    const f = flags();
    // The pool learns that usuallyQuick takes no time.
    await gather(
      Array.from({ length: 20 }, () => pool.call("usuallyQuick", f, false)),
    );
    const long = pool.call("usuallyQuick", f, true);
    await started(f, 1);
    const quick = Array.from(
      { length: 200 },
      () => pool.call("usuallyQuick", f, false),
    );
    // Only a bound: if quick calls waited behind the long one, this frees them.
    const guard = setTimeout(() => release(f), 20_000);
    try {
      await gather(quick);
      assert.equal(long.done(), false, "no quick call waited for the long one");
    } finally {
      clearTimeout(guard);
    }
    release(f);
    assert.equal(await long, "released");
  });
});

// --- resources ----------------------------------------------------------------

Deno.test({
  name:
    "pools dropped without shutdown() release their minWorkers once collected",
  ignore: Deno.build.os !== "linux", // counts threads in /proc
  async fn() {
    const output = await runScript(
      `
      import { WorkerPool } from ${JSON.stringify(POOL_URL)};
      const threads = () =>
        Number(/Threads:\\s+(\\d+)/.exec(Deno.readTextFileSync("/proc/self/status"))![1]);
      const before = threads();
      async function useOnce() {
        const pool = new WorkerPool({ maxWorkers: 1, minWorkers: 1 });
        return await pool.submit((x: number) => x + 1, 1);
      }
      for (let i = 0; i < 10; i++) await useOnce();
      const held = threads() - before;
      // Only a bound for the loop: the pools are collected well before it.
      for (let i = 0; i < 200 && threads() - before > 2; i++) {
        (globalThis as unknown as { gc(): void }).gc();
        await new Promise((r) => setTimeout(r, 10));
      }
      console.log(JSON.stringify({ held, after: threads() - before }));
    `,
      { limit: 30_000, flags: ["--v8-flags=--expose-gc"] },
    );
    const { held, after } = reported(output) as { held: number; after: number };
    assert.ok(held >= 10, `ten pools hold ten threads (${held})`);
    assert.ok(
      after <= 2,
      `${after} threads left after the pools were collected`,
    );
  },
});

Deno.test("a worker that runs out of its heapLimit dies with WorkerDiedError, and the process goes on", async () => {
  const output = await runScript(
    `
    import { WorkerPool } from ${JSON.stringify(POOL_URL)};
    const pool = new WorkerPool({ maxWorkers: 1, heapLimit: 64 });
    const hog = pool.submit(() => {
      const kept = [];
      for (;;) kept.push(new Array(100_000).fill(Math.random()));
    });
    const error = await Promise.resolve(hog).then(() => undefined, (e) => e);
    const next = await pool.submit(() => "next");
    await pool.shutdown();
    console.log(JSON.stringify({
      name: error?.name,
      message: error?.message,
      next,
      workersStarted: pool.stats().workersStarted,
    }));
  `,
    { limit: 30_000 },
  );
  const result = reported(output);
  assert.equal(result.name, "WorkerDiedError");
  assert.match(
    result.message as string,
    /ran out of memory \(its heap limit is 64 MB/,
  );
  assert.equal(result.next, "next");
  assert.equal(result.workersStarted, 2);
});

// --- found in review ------------------------------------------------------------

Deno.test("failing the whole queue while a done callback cancels a later task keeps the queued count at 0", async () => {
  const module = new URL("./fixtures/closing_module.ts", import.meta.url);
  await withPool<{ never(): string }>(
    { maxWorkers: 1, module },
    async (pool) => {
      const first = pool.call("never");
      const second = pool.call("never");
      first.addDoneCallback(() => second.cancel());
      await assert.rejects(outcome(first), WorkerDiedError);
      await outcome(second).catch(() => {});
      assert.equal(pool.stats().queued, 0);
    },
  );
});

Deno.test("shutdown({ cancelPending }) cancels every task that had not started, even when a callback kills a worker", async () => {
  const pool = new WorkerPool<Tasks>({
    maxWorkers: 1,
    module: TASKS,
    tasksPerWorker: 2,
  });
  const f = flags();
  const running = pool.call("block", f, 1);
  await started(f, 1);
  // Handed to the busy worker, not started.
  const behind = pool.call("block", f, 2);
  const queued = [pool.call("add", 1, 1), pool.call("add", 2, 2)];
  assert.equal(pool.stats().queued, 2);
  // Stopping the running task kills its worker, which hands `behind` back.
  queued[0].addDoneCallback(() => running.cancel());
  const done = pool.shutdown({ cancelPending: true });
  release(f);
  await done;
  assert.equal(
    behind.cancelled(),
    true,
    "the task handed back was cancelled too",
  );
  assert.ok(queued.every((q) => q.cancelled()));
  assert.equal(Atomics.load(f, 2), 0, "it never ran");
  assert.equal(pool.stats().workers, 0);
});

Deno.test("an argument or a result that fails to clone with something that is not an Error says what was thrown", async () => {
  await withPool({ maxWorkers: 1 }, async (pool) => {
    const trap = {
      get value(): never {
        throw "a getter threw this string";
      },
    };
    const error = await outcome(pool.submit((x: unknown) => typeof x, trap))
      .then(() => undefined, (e) => e);
    assert.equal(error?.name, "DataCloneError");
    assert.match(error.message, /"a getter threw this string" \(a string\)/);
    assert.doesNotMatch(error.message, /undefined/);
    const back = await outcome(pool.submit(() => ({
      get value(): never {
        throw "a result's getter threw this";
      },
    }))).then(() => undefined, (e) => e);
    assert.equal(back?.name, "DataCloneError");
    assert.match(back.message, /"a result's getter threw this" \(a string\)/);
  });
});

// --- ported from CPython's test_concurrent_futures -------------------------

const sleepIn = (ms: number, value: unknown) =>
  new Promise((resolve) => setTimeout(() => resolve(value), ms));

Deno.test("CPython test_submit, test_map: pow runs in a worker, map keeps order through mod.ts", async () => {
  const mod = await import("../mod.ts");
  const pool = new mod.WorkerPool({ maxWorkers: 2 });
  try {
    assert.equal(
      await pool.submit((a: number, b: number) => a ** b, 2, 8),
      256,
    );
    const results: number[] = [];
    for await (
      const n of pool.map((i: number) => i ** i, [...Array(10).keys()])
    ) {
      results.push(n as number);
    }
    assert.deepEqual(results, [...Array(10).keys()].map((i) => i ** i));
  } finally {
    await pool.shutdown();
  }
});

Deno.test("CPython test_map_exception: map yields the results before the failing item, then its error", async () => {
  await withPool({ maxWorkers: 2 }, async (pool) => {
    for (const chunkSize of [1, 2, 3]) {
      const seen: number[] = [];
      await assert.rejects(async () => {
        for await (
          const n of pool.map(
            (x: number) => {
              if (x === 0) throw new RangeError("division by zero");
              return 12 / x;
            },
            [2, 3, 0, 5],
            { chunkSize },
          )
        ) seen.push(n as number);
      }, { name: "RangeError", message: "division by zero" });
      assert.deepEqual(
        seen,
        chunkSize === 3 ? [] : [6, 4],
        `chunkSize ${chunkSize}`,
      );
    }
  });
});

Deno.test("CPython test_map_timeout: map fails with TimeoutError after the results that came in time, also in chunks", async () => {
  await withPool({ maxWorkers: 2 }, async (pool) => {
    for (const chunkSize of [1, 2]) {
      const seen: unknown[] = [];
      const fn = (ms: number) =>
        new Promise((resolve) => setTimeout(() => resolve(ms), ms));
      await assert.rejects(async () => {
        for await (
          const n of pool.map(fn, [0, 0, 60_000, 0], {
            timeout: 500,
            chunkSize,
          })
        ) seen.push(n);
      }, TimeoutError);
      assert.deepEqual(seen, [0, 0], `chunkSize ${chunkSize}`);
    }
    // The pool still works after the timed-out chunks.
    assert.equal(await pool.submit((x: number) => x + 1, 1), 2);
  });
});

Deno.test("CPython test_map_chunksize: a chunk size below 1 is refused, and any chunk size gives the same results", async () => {
  await withPool({ maxWorkers: 2 }, async (pool) => {
    for (const chunkSize of [0, -1, 1.5, NaN]) {
      assert.throws(
        () => pool.map((x: number) => x, [1], { chunkSize }),
        RangeError,
      );
    }
    const items = [...Array(50).keys()];
    for (const chunkSize of [2, 3, 49, 50, 100]) {
      const results: unknown[] = [];
      for await (
        const n of pool.map((x: number) => x * x, items, { chunkSize })
      ) {
        results.push(n);
      }
      assert.deepEqual(
        results,
        items.map((x) => x * x),
        `chunkSize ${chunkSize}`,
      );
    }
  });
});

Deno.test("CPython test_max_workers_negative: maxWorkers of 0 or below is refused", () => {
  for (const maxWorkers of [0, -1]) {
    assert.throws(() => new WorkerPool({ maxWorkers }), RangeError);
  }
});

Deno.test("CPython test_run_after_shutdown: submit, call and map after shutdown() throw InvalidStateError", async () => {
  const pool = new WorkerPool<Tasks>({ maxWorkers: 1, module: TASKS });
  await pool.shutdown();
  assert.throws(() => pool.submit((x: number) => x, 1), InvalidStateError);
  assert.throws(() => pool.call("add", 1, 2), InvalidStateError);
  assert.throws(() => pool.map((x: number) => x, [1]), InvalidStateError);
  // A second shutdown is harmless.
  await pool.shutdown();
});

Deno.test("CPython test_hang_issue12364: shutdown() right after 50 submits lets every one finish", async () => {
  const pool = new WorkerPool<Tasks>({ maxWorkers: 2 });
  const futures = Array.from(
    { length: 50 },
    (_, i) => pool.submit(sleepIn, 5, i),
  );
  await pool.shutdown();
  for (const [i, f] of futures.entries()) assert.equal(f.result(), i);
  assertCounted(pool, futures);
  assert.equal(pool.stats().workers, 0);
});

Deno.test("CPython test_cancel_futures: shutdown({ cancelPending }) cancels what waits, finishes what runs, counts each once", async () => {
  const pool = new WorkerPool<Tasks>({
    maxWorkers: 2,
    module: TASKS,
    tasksPerWorker: 1,
  });
  const f = flags();
  const running = [pool.call("block", f, 1), pool.call("block", f, 2)];
  const waiting = Array.from(
    { length: 48 },
    (_, i) => pool.submit((x: number) => x, i),
  );
  await started(f, 1);
  await started(f, 2);
  const done = pool.shutdown({ cancelPending: true });
  assert.ok(waiting.every((future) => future.cancelled()));
  release(f);
  await done;
  for (const future of running) assert.equal(future.result(), "released");
  assertCounted(pool, [...running, ...waiting]);
  assert.equal(pool.stats().workers, 0);
});

Deno.test("CPython test_shutdown_no_wait: shutdown({ wait: false }) returns at once, and the work still finishes", async () => {
  const pool = new WorkerPool<Tasks>({ maxWorkers: 2 });
  const futures = Array.from(
    { length: 10 },
    (_, i) => pool.submit(sleepIn, 20, i),
  );
  let resolved = false;
  const done = pool.shutdown({ wait: false }).then(() => resolved = true);
  await Promise.resolve();
  await done;
  assert.ok(resolved);
  assert.ok(futures.some((f) => !f.done()), "it did not wait for the work");
  assert.deepEqual(await Promise.all(futures), [...Array(10).keys()]);
  // Once the work is done, the workers go.
  await pool.shutdown();
  assertCounted(pool, futures);
  assert.equal(pool.stats().workers, 0);
});

Deno.test("CPython test_cancel_futures_wait_false: shutdown({ wait: false, cancelPending: true }) in a script, which then exits", async () => {
  const output = await runScript(
    `
    import { WorkerPool } from ${JSON.stringify(POOL_URL)};
    const pool = new WorkerPool({ maxWorkers: 1, tasksPerWorker: 1 });
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const fs = Array.from({ length: 20 }, (_, i) =>
      pool.submit((flag: Int32Array, v: number) => {
        Atomics.store(flag, 0, 1);
        Atomics.notify(flag, 0);
        return new Promise((r) => setTimeout(() => r(v), 50));
      }, flag, i));
    const first = Atomics.waitAsync(flag, 0, 0);
    if (first.async) await first.value;
    pool.shutdown({ wait: false, cancelPending: true });
    await Promise.allSettled(fs);
    console.log(JSON.stringify({
      cancelled: fs.filter((f) => f.cancelled()).length,
      first: fs[0].result(),
    }));
  `,
    { limit: 30_000 },
  );
  const report = reported(output);
  assert.equal(report.first, 0);
  assert.equal(report.cancelled, 19);
});

Deno.test("CPython test_cancel: a pending future cancels and is counted once; cancelling a finished one fails", async () => {
  await withPool(
    { maxWorkers: 1, module: TASKS, tasksPerWorker: 1 },
    async (pool) => {
      const f = flags();
      const running = pool.call("block", f, 1);
      const pending = pool.submit((x: number) => x, 1);
      await started(f, 1);
      assert.ok(pending.cancel());
      assert.ok(pending.cancelled());
      assert.ok(!pending.cancel(), "a second cancel does nothing");
      release(f);
      assert.equal(await running, "released");
      assert.ok(!running.cancel(), "a finished future cannot be cancelled");
      assert.equal(await pool.submit((x: number) => x, 2), 2);
      const stats = pool.stats();
      assert.equal(stats.cancelled, 1);
      assert.equal(stats.completed, 2);
    },
  );
});

Deno.test("CPython test_first_completed, test_first_exception, test_all_completed: wait() on pool futures", async () => {
  const { wait } = await import("../mod.ts");
  await withPool({ maxWorkers: 2, module: TASKS }, async (pool) => {
    const f = flags();
    const long = pool.call("block", f, 1);
    const quick = pool.submit((x: number) => x, 1);
    let result = await wait([long, quick], { returnWhen: "FIRST_COMPLETED" });
    assert.ok(result.done.has(quick));
    assert.ok(result.notDone.has(long));
    const failing = pool.submit(() => {
      throw new TypeError("boom");
    });
    result = await wait([long, failing], { returnWhen: "FIRST_EXCEPTION" });
    assert.ok(result.done.has(failing));
    assert.ok(result.notDone.has(long));
    result = await wait([long, quick], { timeout: 50 });
    assert.ok(
      result.notDone.has(long),
      "a timeout leaves the long one pending",
    );
    release(f);
    result = await wait([long, quick, failing], {
      returnWhen: "ALL_COMPLETED",
    });
    assert.equal(result.done.size, 3);
    assert.equal(result.notDone.size, 0);
  });
});

Deno.test("CPython test_no_timeout, test_future_times_out, test_duplicate_futures: asCompleted() on pool futures", async () => {
  const { asCompleted } = await import("../mod.ts");
  await withPool({ maxWorkers: 2, module: TASKS }, async (pool) => {
    const a = pool.submit((x: number) => x, 1);
    const b = pool.submit(sleepIn, 20, 2);
    const seen: unknown[] = [];
    for await (const f of asCompleted([a, b, a])) seen.push(f.result());
    assert.deepEqual(seen.sort(), [1, 2], "a future listed twice comes once");
    const f = flags();
    const long = pool.call("block", f, 1);
    const quick = pool.submit((x: number) => x, 3);
    const got: unknown[] = [];
    await assert.rejects(async () => {
      for await (const done of asCompleted([long, quick], { timeout: 100 })) {
        got.push(done.result());
      }
    }, TimeoutError);
    assert.deepEqual(got, [3]);
    release(f);
    await long;
  });
});

Deno.test("CPython ExecutorDeadlockTest: a worker that crashes, exits or fails to send its result breaks no later work", async () => {
  await withPool({ maxWorkers: 2, module: TASKS }, async (pool) => {
    const futures: Future<unknown>[] = [];
    for (let round = 0; round < 3; round++) {
      const exit = pool.call("exitNow");
      const crash = pool.call("crashInTimer", "boom");
      const unsendable = pool.call("returnsFunction");
      futures.push(exit, crash, unsendable);
      await assert.rejects(outcome(exit), WorkerDiedError);
      await assert.rejects(outcome(crash), WorkerDiedError);
      await assert.rejects(outcome(unsendable), { name: "DataCloneError" });
      const ok = pool.call("add", round, 1);
      futures.push(ok);
      assert.equal(await ok, round + 1);
    }
    assertCounted(pool, futures);
  });
});

Deno.test("stats() counts each future once after timeouts, cancels of running and waiting work, map breaks and halts", async () => {
  await withPool({ maxWorkers: 2, module: TASKS }, async (pool) => {
    const futures: Future<unknown>[] = [];
    const spin = () => {
      for (;;);
    };
    for (let i = 0; i < 3; i++) {
      const timed = pool.with({ timeout: 30 }).submit(spin);
      futures.push(timed);
      await assert.rejects(outcome(timed), TimeoutError);
      const running = pool.submit(sleepIn, 60_000, 0);
      const waiting = Array.from(
        { length: 5 },
        () => pool.submit(sleepIn, 1, 0),
      );
      futures.push(running, ...waiting);
      await sleepIn(20, 0);
      running.cancel();
      waiting[4].cancel();
      // One of them may still be running in the worker that the cancel
      // stops, and fail with it: each is counted once whatever it became.
      await Promise.allSettled(waiting.slice(0, 4).map(outcome));
      const signal = AbortSignal.timeout(20);
      const aborted = pool.with({ signal }).submit(spin);
      futures.push(aborted);
      await assert.rejects(outcome(aborted), TimeoutError);
    }
    assertCounted(pool, futures);
    const before = pool.stats();
    for await (const x of pool.map((x: number) => x, [1, 2, 3, 4, 5, 6])) {
      if (x === 2) break;
    }
    await sleepIn(50, 0);
    const after = pool.stats();
    assert.equal(after.failed, before.failed);
    assert.equal(
      after.completed + after.cancelled - before.completed - before.cancelled,
      6,
      "each item of the map is counted once",
    );
  });
});
