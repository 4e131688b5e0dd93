// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Part 5 of the tutorial beyond one machine: `compute_fibs` delegates each
 * `fib` to worker processes through NATS. This script plays every machine
 * at once: it starts a local `nats-server` with JetStream and two worker
 * processes (one Web Worker each), then runs `compute_fibs(n)` twice in
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

function* computeFibs(pool: NatsExecutor<typeof tasks>, n: number) {
  const result: number[] = [];
  for (let i = 0; i < n; i++) {
    const val = yield* pool.submit(tasks.fib, i);
    result.push(val);
  }
  return result;
}

function hasNatsServer(): boolean {
  try {
    new Deno.Command("nats-server", { args: ["--version"] }).outputSync();
    return true;
  } catch {
    return false;
  }
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** A child process whose first line of output says it is ready. */
async function startReady(
  command: string,
  args: string[],
  ready: (line: string) => boolean,
): Promise<Deno.ChildProcess> {
  const child = new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // nats-server logs to stderr, the worker to stdout.
  const lines = command === "nats-server" ? child.stderr : child.stdout;
  const other = command === "nats-server" ? child.stdout : child.stderr;
  other.pipeTo(new WritableStream()).catch(() => {});
  const reader = lines.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.split("\n").some(ready)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${command} ended before it was ready:\n${seen}`);
    seen += value;
  }
  // Keep reading, so that a full pipe never blocks it.
  reader.read().then(function drain(result): unknown {
    return result.done ? undefined : reader.read().then(drain);
  }).catch(() => {});
  return child;
}

/** Runs part 5 across two worker processes, printing times and the speedup. */
export async function main(n = Number(Deno.args[0] ?? 34)): Promise<void> {
  if (!hasNatsServer()) {
    console.log(
      "nats-server is not on PATH: install it (Debian, Ubuntu: apt-get install nats-server; macOS: brew install nats-server; or a release from the NATS project) and run this again",
    );
    return;
  }
  const store = await Deno.makeTempDir({ prefix: "cluster_example_" });
  const servers = `127.0.0.1:${freePort()}`;
  const children: Deno.ChildProcess[] = [];
  try {
    children.push(
      await startReady("nats-server", [
        "-js",
        "-sd",
        store,
        "-a",
        "127.0.0.1",
        "-p",
        servers.split(":")[1],
      ], (line) => line.includes("Server is ready")),
    );
    const worker = new URL("../nats_worker.ts", import.meta.url).pathname;
    const module = new URL("./_fib_tasks.ts", import.meta.url).href;
    for (let i = 0; i < 2; i++) {
      children.push(
        await startReady(Deno.execPath(), [
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
        ], (line) => line.includes("serving")),
      );
    }
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
    for (const child of children.reverse()) {
      child.kill("SIGTERM");
      await child.status;
    }
    await Deno.remove(store, { recursive: true });
  }
}

if (import.meta.main) await main();
