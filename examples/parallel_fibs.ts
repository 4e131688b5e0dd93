// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Part 5 of the tutorial: `compute_fibs` delegates each `fib` to a pool of
 * workers, inside an inlined future. Two of them in sequence, then two in
 * parallel on the same pool, then the variant where each whole generator
 * runs inside one worker (`pool.call`).
 *
 * Run it with `deno run -A examples/parallel_fibs.ts [n]` (n defaults to 34).
 *
 * @module
 */

import { gather } from "@frontier/generators/future";
import { runInlineFuture, startInlineFuture } from "@frontier/generators/task";
import { WorkerPool } from "@frontier/generators/worker-pool";

function fib(n: number): number {
  return n <= 2 ? 1 : fib(n - 1) + fib(n - 2);
}

function* computeFibs(pool: WorkerPool, n: number, onStep = () => {}) {
  const result: number[] = [];
  for (let i = 0; i < n; i++) {
    const val = yield* pool.submit(fib, i);
    result.push(val);
    onStep();
  }
  return result;
}

function ms(since: number): string {
  return `${Math.round(performance.now() - since)} ms`;
}

const encoder = new TextEncoder();

/**
 * A one-line progress bar (completed/total, elapsed) on standard error. It is
 * drawn only on a terminal, so piped output stays clean.
 */
function progressBar(label: string, total: number) {
  const shown = Deno.stderr.isTerminal();
  const started = performance.now();
  let completed = 0;
  const draw = (text: string) => Deno.stderr.writeSync(encoder.encode(text));
  return {
    step(): void {
      completed++;
      if (!shown) return;
      const width = 30;
      const filled = Math.round((completed / total) * width);
      const elapsed = ((performance.now() - started) / 1000).toFixed(2);
      draw(
        `\r${label} [${"#".repeat(filled)}${
          ".".repeat(width - filled)
        }] ${completed}/${total} ${elapsed} s`,
      );
    },
    end(): void {
      if (shown) draw("\r\x1b[K");
    },
  };
}

/** Runs the part 5 examples, printing the times and the speedup. */
export async function main(n = Number(Deno.args[0] ?? 34)): Promise<void> {
  await using pool = new WorkerPool({ maxWorkers: 2 });
  await pool.warm(); // start-up off the clock, as a long-lived pool would be

  let bar = progressBar("in sequence", 2 * n);
  let t = performance.now();
  await runInlineFuture(computeFibs(pool, n, bar.step));
  await runInlineFuture(computeFibs(pool, n, bar.step));
  const sequential = performance.now() - t;
  bar.end();
  console.log(`compute_fibs(${n}) twice in sequence: ${ms(t)}`);

  bar = progressBar("in parallel", 2 * n);
  t = performance.now();
  const t1 = startInlineFuture(computeFibs(pool, n, bar.step));
  const t2 = startInlineFuture(computeFibs(pool, n, bar.step));
  const [result1, result2] = await gather([t1, t2]);
  const parallel = performance.now() - t;
  bar.end();
  console.log(`two inlined futures in parallel:  ${ms(t)}`);
  console.log(`speedup: ${(sequential / parallel).toFixed(2)}x`);
  console.log(
    `fib(${n - 1}) = ${result1[n - 1]} (both: ${
      result1[n - 1] === result2[n - 1]
    })`,
  );

  // The whole generator inside one worker: it steps through its futures
  // there, and the two run in parallel on two workers.
  await using whole = new WorkerPool<typeof import("./_fib_tasks.ts")>({
    maxWorkers: 2,
    module: new URL("./_fib_tasks.ts", import.meta.url),
  });
  await whole.warm();
  t = performance.now();
  await gather([
    whole.call("computeFibs", n),
    whole.call("computeFibs", n),
  ]);
  console.log(`two whole generators, one per worker: ${ms(t)}`);
}

if (import.meta.main) await main();
