// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Parts 3 and 4 of the tutorial: inlined futures. A `Task` steps a generator
 * that yields futures; `yield*` makes library functions like `after` work; a
 * task is itself a future.
 *
 * `deno run examples/inlined_futures.ts`
 *
 * @module
 */

import { Future, sleep } from "@frontier/generators/future";
import {
  after,
  inlinedFuture,
  type Operation,
  runInlineFuture,
  startInlineFuture,
  Task,
} from "@frontier/generators/task";

/**
 * The tutorial submits work to a thread pool. Here a timer stands in for the
 * background thread (`examples/thread_pool.ts` has a real pool): `fn` runs a
 * little later and its result or error completes the future.
 */
export const pool = {
  submit<A extends unknown[], R>(fn: (...args: A) => R, ...args: A) {
    const fut = new Future<R>();
    setTimeout(() => {
      try {
        fut.setResult(fn(...args));
      } catch (error) {
        fut.setException(error);
      }
    }, 5);
    return fut;
  },
};

/** "Some function. Nothing too interesting", but strict about its types. */
export function func(x: number, y: number): number {
  if (typeof x !== "number" || typeof y !== "number") {
    throw new TypeError(
      `unsupported operand type(s) for +: '${typeof x}' and '${typeof y}'`,
    );
  }
  return x + y;
}

/** Waits for the pool and prints the result. */
export const doFunc = inlinedFuture(function* doFunc(x: number, y: number) {
  const result = yield* pool.submit(func, x, y);
  console.log("Got:", result);
  return result;
});

/**
 * The tutorial's `do_func` as part 3 writes it: a bare `yield` of the future,
 * whose result the task sends back in (typed `unknown`: only `yield*` knows).
 */
export const doFuncYield = inlinedFuture(
  function* doFunc(x: number, y: number) {
    const result = yield pool.submit(func, x, y);
    console.log("Got:", result);
    return result;
  },
);

function* doMany(n: number): Operation<void> {
  while (n > 0) {
    const result = yield* pool.submit(func, n, n);
    console.log("Got:", result);
    n -= 1;
  }
}

function* doFuncCatching(x: number, y: unknown): Operation<void> {
  try {
    const result = yield* pool.submit(func, x, y as number);
    console.log("Got:", result);
  } catch (e) {
    console.log(`Failed: ${(e as Error).name}: ${(e as Error).message}`);
  }
}

/** Steps a task and waits until it is done, printing nothing of its own. */
async function settle(task: Task<unknown>): Promise<void> {
  await Promise.allSettled([task]);
}

/** Prints what the tutorial prints. */
export async function main(): Promise<void> {
  console.log("-- Task and step()");
  const t = new Task(doFunc(2, 3));
  t.step(); // must initiate the first step
  await settle(t);

  console.log("-- multiple yields: do_many(10)");
  await settle(startInlineFuture(doMany(10)));

  console.log("-- exceptions are thrown in at the yield");
  await settle(startInlineFuture(doFuncCatching(2, "Hello")));

  console.log("-- infinite recursion? Each tick starts the next task");
  let ticks = 0;
  const finished = new Future<number>();
  function* recursive(n: number, limit: number): Operation<void> {
    yield* pool.submit(() => undefined);
    if (limit <= 5) console.log("Tick:", n);
    ticks = n;
    if (n < limit) new Task(recursive(n + 1, limit)).step();
    else finished.setResult(n);
  }
  new Task(recursive(0, 5)).step();
  await finished;
  // The same recursion on futures that are already done never suspends, and
  // still neither grows the stack nor holds on to finished tasks.
  const done = Future.from(undefined);
  const ticked = new Future<number>();
  function* fastTick(n: number): Operation<void> {
    yield* done;
    ticks = n;
    if (n < 1_000_000) new Task(fastTick(n + 1)).step();
    else ticked.setResult(n);
  }
  new Task(fastTick(0)).step();
  console.log("Tick:", await ticked, "(a million ticks on done futures)");

  console.log("-- puzzler 1: yield a generator");
  function* after1(delay: number, gen: Generator): Operation<void> {
    yield* sleep(delay);
    yield gen as unknown as Future<unknown>; // busted: gen is not a future
  }
  const p1 = startInlineFuture(after1(10, doFuncYield(2, 3)), {
    name: "after",
  });
  await settle(p1);
  console.log(
    `${(p1.exception() as Error).name}:`,
    (p1.exception() as Error).message,
  );

  console.log("-- puzzler 2: iterate the generator by hand");
  function* after2(delay: number, gen: Operation<unknown>): Operation<void> {
    yield* sleep(delay);
    for (const f of gen) yield f; // the results get lost somewhere
  }
  await settle(startInlineFuture(after2(10, doFuncYield(2, 3))));

  console.log("-- puzzler 3: send results back in by hand");
  function* after3(delay: number, gen: Operation<unknown>): Operation<void> {
    yield* sleep(delay);
    let result: unknown = undefined;
    for (let step = gen.next(result); !step.done; step = gen.next(result)) {
      result = yield step.value;
    }
  }
  await settle(startInlineFuture(after3(10, doFuncYield(2, 3))));

  console.log("-- puzzler 4: yield* (Python's yield from)");
  function* after4(delay: number, gen: Operation<unknown>): Operation<void> {
    yield* sleep(delay);
    yield* gen;
  }
  await settle(startInlineFuture(after4(10, doFuncYield(2, 3))));

  console.log("-- puzzler 5: yield* on a future too (iterable futures)");
  function* after5(delay: number, gen: Operation<unknown>): Operation<void> {
    yield* pool.submit(() => new Promise((r) => setTimeout(r, delay)));
    yield* gen;
  }
  await settle(startInlineFuture(after5(10, doFuncYield(2, 3))));
  console.log("-- and the library's own after(ms, gen)");
  await settle(startInlineFuture(after(10, doFunc(2, 3))));

  console.log("-- tasks as futures");
  const task = new Task(doFunc(2, 3));
  task.step();
  console.log("Got:", await task);

  console.log("-- task runners: run one, run two in parallel");
  const result = await runInlineFuture(doFunc(2, 3));
  console.log("Got:", result);
  const t1 = startInlineFuture(doFunc(2, 3));
  const t2 = startInlineFuture(doFunc(4, 5));
  console.log("results:", await t1, await t2, "ticks:", ticks);
}

if (import.meta.main) await main();
