// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Part 5 of the tutorial beyond one machine: `compute_fibs` delegates each
 * `fib` to worker processes through NATS. This script plays every machine
 * at once: it starts a local `nats-server` with JetStream and two worker
 * processes (one Worker thread each), then runs `compute_fibs(n)` twice in
 * sequence and twice in parallel across them, and prints the speedup.
 *
 * On real machines the same parts run apart: see the README's "Beyond one
 * machine".
 *
 * Run it with `deno run -A examples/cluster.ts [n]` (n defaults to 34).
 *
 * @module
 */

import { gather } from "@frontier/generators/future";
import { NatsExecutor } from "@frontier/generators/nats";
import { runInlineFuture, startInlineFuture } from "@frontier/generators/task";
import * as tasks from "./_fib_tasks.ts";
import {
  hasNatsServer,
  NO_NATS_SERVER,
  readyLine,
  startLocalNats,
} from "./_local_nats.ts";

function* computeFibs(pool: NatsExecutor<typeof tasks>, n: number) {
  const result: number[] = [];
  for (let i = 0; i < n; i++) {
    const val = yield* pool.submit(tasks.fib, i);
    result.push(val);
  }
  return result;
}

/** A worker process, once it says it serves. */
async function startWorker(servers: string): Promise<Deno.ChildProcess> {
  const worker = new URL("../nats_worker.ts", import.meta.url).pathname;
  const module = new URL("./_fib_tasks.ts", import.meta.url).href;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      worker,
      "--servers",
      servers,
      "--module",
      module,
      "--workers",
      "1",
      "--concurrency",
      "1",
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    await readyLine(
      child.stdout,
      (line) => line.includes("serving"),
      "a worker process",
    );
  } catch (error) {
    child.kill("SIGKILL");
    await child.status;
    throw error;
  }
  return child;
}

/** Runs part 5 across two worker processes, printing times and the speedup. */
export async function main(n = Number(Deno.args[0] ?? 34)): Promise<void> {
  if (!hasNatsServer()) {
    console.log(NO_NATS_SERVER);
    return;
  }
  await using nats = await startLocalNats("cluster_example_");
  const servers = nats.servers;
  const workers: Deno.ChildProcess[] = [];
  try {
    for (let i = 0; i < 2; i++) workers.push(await startWorker(servers));
    console.log(`nats-server at ${servers}, two worker processes`);

    await using pool = await NatsExecutor.connect({ servers, module: tasks });
    await pool.submit(tasks.fib, 1); // connections warm, off the clock

    let t = performance.now();
    await runInlineFuture(computeFibs(pool, n));
    await runInlineFuture(computeFibs(pool, n));
    const sequential = performance.now() - t;
    console.log(
      `compute_fibs(${n}) twice in sequence: ${Math.round(sequential)} ms`,
    );

    t = performance.now();
    const [r1, r2] = await gather([
      startInlineFuture(computeFibs(pool, n)),
      startInlineFuture(computeFibs(pool, n)),
    ]);
    const parallel = performance.now() - t;
    console.log(
      `two inlined futures in parallel:  ${Math.round(parallel)} ms`,
    );
    console.log(`speedup: ${(sequential / parallel).toFixed(2)}x`);
    console.log(
      `fib(${n - 1}) = ${r1[n - 1]} (both: ${r1[n - 1] === r2[n - 1]})`,
    );
  } finally {
    for (const worker of workers) {
      worker.kill("SIGTERM");
      await worker.status;
    }
  }
}

if (import.meta.main) await main();
