// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Part 3 of the tutorial, "Call me, maybe": submitting work to a pool and
 * getting futures back. The tutorial's thread pool is a `WorkerPool` here
 * (real parallel threads); `LocalExecutor` is the counterpart for I/O-bound
 * work that stays in this isolate.
 *
 * Run it with `deno run -A examples/thread_pool.ts`.
 *
 * @module
 */

import {
  LocalExecutor,
  type LocalTaskContext,
} from "@frontier/generators/executor";
import { type Future, sleep } from "@frontier/generators/future";
import { runInlineFuture } from "@frontier/generators/task";
import { WorkerPool } from "@frontier/generators/worker-pool";

/** 'Some function. Nothing too interesting': it sleeps, then adds. */
function func(x: unknown, y: unknown): number {
  // A blocking sleep, as time.sleep() is; fine in a worker thread.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  if (typeof x !== "number" || typeof y !== "number") {
    throw new TypeError(
      `unsupported operand type(s) for +: '${typeof x}' and '${typeof y}'`,
    );
  }
  return x + y;
}

function resultHandler(fut: Future<number>): void {
  try {
    const result = fut.result();
    console.log("Got:", result);
  } catch (e) {
    console.log(`Failed: ${(e as Error).name}: ${(e as Error).message}`);
  }
}

/** Runs the examples of part 3. */
export async function main(): Promise<void> {
  await using pool = new WorkerPool({ maxWorkers: 8 });

  console.log("# fut = pool.submit(func, 2, 3)");
  const fut = pool.submit(func, 2, 3);
  console.log(Deno.inspect(fut));
  // fut.result() would block the caller in Python; JavaScript awaits.
  console.log("Got:", await fut);

  console.log("\n# A done callback, triggered upon completion");
  const withCallback = pool.submit(func, 2, 3);
  withCallback.addDoneCallback(resultHandler);
  await withCallback;

  console.log("\n# Exceptions: pool.submit(func, 2, 'Hello')");
  const bad = pool.submit(func, 2, "Hello");
  bad.addDoneCallback(resultHandler);
  await Promise.resolve(bad).catch(() => {});

  console.log("\n# Inlined future: the callback is gone");
  function* doFunc(x: number, y: number) {
    const result = yield* pool.submit(func, x, y);
    console.log("Got:", result);
  }
  await runInlineFuture(doFunc(2, 3));

  console.log("\n# A time limit stops even a loop that never ends");
  const spin = pool.with({ timeout: 50 }).submit(() => {
    for (;;);
  });
  spin.addDoneCallback(resultHandler);
  await Promise.resolve(spin).catch(() => {});

  console.log("\n# Waiting around, which threads are good at: a LocalExecutor");
  await using io = new LocalExecutor({ maxConcurrency: 8 });
  const started = performance.now();
  const naps = [1, 2, 3, 4].map((i) => io.submit(() => sleep(100, i)));
  const woke: number[] = [];
  for (const nap of naps) woke.push(await nap);
  console.log(
    `4 naps of 100 ms took ${
      Math.round(performance.now() - started)
    } ms together:`,
    woke,
  );

  console.log("\n# A time limit that reaches the work: its signal stops it");
  const slow = io.with({ timeout: 50 }).submit(
    function (this: LocalTaskContext, ms: number) {
      // As fetch(url, { signal: this.signal }) does, the nap gives up when
      // the signal aborts.
      return sleep(ms, ms, { signal: this.signal });
    },
    60_000,
  );
  slow.addDoneCallback(resultHandler);
  await Promise.resolve(slow).catch(() => {});
  console.log("Still running unobserved:", io.stats().abandoned);
}

if (import.meta.main) await main();
