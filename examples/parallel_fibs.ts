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

function* computeFibs(
  pool: WorkerPool,
  n: number,
  onStep: (i: number) => void = () => {},
) {
  const result: number[] = [];
  for (let i = 0; i < n; i++) {
    const val = yield* pool.submit(fib, i);
    result.push(val);
    onStep(i);
  }
  return result;
}

function ms(since: number): string {
  return `${Math.round(performance.now() - since)} ms`;
}

/**
 * The work of `fib(n)`: how many calls its recursion makes, `2 fib(n) - 1`.
 * The last calls of `compute_fibs` are most of its work (`fib(33)` alone is
 * more than a third of `compute_fibs(34)`), so the bar counts this, not calls.
 */
export function fibCalls(n: number): number {
  let previous = 1;
  let current = 1; // fib(1) and fib(2)
  for (let i = 3; i <= n; i++) {
    [previous, current] = [current, previous + current];
  }
  return 2 * current - 1;
}

/** The work of `compute_fibs(n)`. */
export function computeFibsCalls(n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += fibCalls(i);
  return total;
}

/**
 * One state of the bar, to draw over the previous one: a carriage return,
 * the text cut to `columns - 1` characters (a line as wide as the terminal
 * would wrap, and the next carriage return would go back to the start of
 * the second row only), then "clear to the end of the line".
 */
export function progressLine(
  label: string,
  fraction: number,
  seconds: number,
  columns: number,
): string {
  const tail = ` ${Math.floor(fraction * 100)}% ${seconds.toFixed(1)} s`;
  const room = Math.min(30, columns - 1 - label.length - tail.length - 3);
  let text = `${label}${tail}`;
  if (room >= 5) {
    const filled = Math.round(fraction * room);
    text = `${label} [${"#".repeat(filled)}${
      ".".repeat(room - filled)
    }]${tail}`;
  }
  return `\r${text.slice(0, Math.max(0, columns - 1))}\x1b[K`;
}

/** Where a progress bar draws, and how wide it may be. */
export interface ProgressOutput {
  /** Writes text to the terminal. */
  write(text: string): void;
  /** The terminal's width in columns, asked at each draw (it may change). */
  columns(): number;
}

const encoder = new TextEncoder();

/** Standard error, when it is a terminal; otherwise nothing is drawn. */
function terminal(): ProgressOutput | undefined {
  if (!Deno.stderr.isTerminal()) return undefined;
  return {
    write: (text) => Deno.stderr.writeSync(encoder.encode(text)),
    columns: () => {
      try {
        return Deno.consoleSize().columns;
      } catch {
        return 80;
      }
    },
  };
}

/**
 * A one-row progress bar of `total` units of work (share done, elapsed),
 * redrawn in place on `output` (standard error when it is a terminal, so
 * piped output stays clean).
 */
export function progressBar(
  label: string,
  total: number,
  output: ProgressOutput | undefined = terminal(),
): { step(work: number): void; end(): void } {
  const started = performance.now();
  let done = 0;
  return {
    step(work: number): void {
      done += work;
      if (output === undefined) return;
      output.write(
        progressLine(
          label,
          Math.min(1, done / total),
          (performance.now() - started) / 1000,
          output.columns(),
        ),
      );
    },
    end(): void {
      output?.write("\r\x1b[K");
    },
  };
}

/** Runs the part 5 examples, printing the times and the speedup. */
export async function main(n = Number(Deno.args[0] ?? 34)): Promise<void> {
  await using pool = new WorkerPool({ maxWorkers: 2 });
  await pool.warm(); // start-up off the clock, as a long-lived pool would be

  const work = 2 * computeFibsCalls(n);
  const step = (bar: { step(work: number): void }) => (i: number) =>
    bar.step(fibCalls(i));
  let bar = progressBar("in sequence", work);
  let t = performance.now();
  await runInlineFuture(computeFibs(pool, n, step(bar)));
  await runInlineFuture(computeFibs(pool, n, step(bar)));
  const sequential = performance.now() - t;
  bar.end();
  console.log(`compute_fibs(${n}) twice in sequence: ${ms(t)}`);

  bar = progressBar("in parallel", work);
  t = performance.now();
  const t1 = startInlineFuture(computeFibs(pool, n, step(bar)));
  const t2 = startInlineFuture(computeFibs(pool, n, step(bar)));
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
