// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * NatsExecutor against its floor and a peer, with local servers this file
 * starts itself (a `nats-server -js` and a `redis-server`, each on a free
 * port) and two real worker processes (`deno run nats_worker.ts`, one Web
 * Worker each):
 *
 * - one job at a time, against a raw NATS request/reply round trip (the
 *   floor: one message each way, no stream, no pool);
 * - 10,000 tiny jobs all in flight, against BullMQ 5 on the local
 *   redis-server (its worker in this process, with the same concurrency as
 *   the two worker processes together);
 * - the tutorial's part 5, `compute_fibs(34)` twice, on two worker
 *   processes of their own (one job at a time each, as in
 *   `examples/cluster.ts`): in sequence (the baseline), against two inlined
 *   futures in parallel; and, for the host's own floor, twice in sequence
 *   in this isolate against two bare processes in parallel, each computing
 *   one `compute_fibs(34)` when asked on its stdin (no NATS): their ratio
 *   shows how much of two cores the host gives.
 *
 * Run with `deno bench -A bench/nats_bench.ts`. Without `nats-server` or
 * `redis-server` on PATH it registers nothing (not in CI).
 *
 * @module
 */

import { connect } from "npm:@nats-io/transport-node@3.4.0";
import { Queue, Worker as BullWorker } from "bullmq";
import { gather } from "../future.ts";
import { NatsExecutor } from "../nats.ts";
import { runInlineFuture, startInlineFuture } from "../task.ts";
import * as tasks from "../tests/fixtures/nats_tasks.ts";
import {
  freePort,
  NatsServer,
  onPath,
  waitForPort,
  WorkerProcess,
} from "../tests/_nats_server.ts";

const JOBS = 10_000;
/** Jobs each worker process holds at once; BullMQ's worker gets twice it. */
const CONCURRENCY = 64;

async function startRedis(): Promise<
  { port: number; child: Deno.ChildProcess }
> {
  const port = freePort();
  const child = new Deno.Command("redis-server", {
    args: ["--port", String(port), "--save", "", "--appendonly", "no"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  await waitForPort(port, child, "redis-server");
  return { port, child };
}

/**
 * A bare `deno` process that computes `compute_fibs(34)` for each line on
 * its stdin and answers with a line: the host's own parallelism, without
 * NATS.
 */
function startBare(): { pid: number; run(): Promise<void> } {
  const code = `
    const fib = (n) => n <= 2 ? 1 : fib(n - 1) + fib(n - 2);
    const out = new TextEncoder().encode("done\\n");
    for await (const _ of Deno.stdin.readable) {
      for (let i = 0; i < 34; i++) fib(i);
      await Deno.stdout.write(out);
    }`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.getReader();
  const go = new TextEncoder().encode("go\n");
  return {
    pid: child.pid,
    async run() {
      await writer.write(go);
      await reader.read();
    },
  };
}

if (onPath("nats-server") && onPath("redis-server")) {
  const server = await NatsServer.start();
  const redis = await startRedis();
  const workerArgs = ["--workers", "1", "--concurrency", String(CONCURRENCY)];
  const workers = [
    await WorkerProcess.start(server, workerArgs),
    await WorkerProcess.start(server, workerArgs),
  ];
  const pool = await NatsExecutor.connect({
    servers: server.servers,
    module: tasks,
  });
  // Part 5's workers take one job at a time, so that the two chains of
  // jobs run on both.
  const fibArgs = ["--workers", "1", "--concurrency", "1", "--queue", "fibs"];
  workers.push(
    await WorkerProcess.start(server, fibArgs),
    await WorkerProcess.start(server, fibArgs),
  );
  const fibPool = await NatsExecutor.connect({
    servers: server.servers,
    module: tasks,
    queue: "fibs",
  });
  const bare = [startBare(), startBare()];

  // The floor: a responder on a plain subject, in this process.
  const raw = await connect({ servers: server.servers });
  const responder = raw.subscribe("bench.add", {
    callback: (_error, msg) => {
      msg.respond(msg.data);
    },
  });
  const payload = new Uint8Array([1, 2]);

  const connection = { host: "127.0.0.1", port: redis.port };
  const queue = new Queue("bench", { connection });
  let completed = 0;
  let whenCompleted: (() => void) | undefined;
  let target = 0;
  const bull = new BullWorker(
    "bench",
    (job) => Promise.resolve(job.data.a + job.data.b),
    { connection, concurrency: CONCURRENCY * 2 },
  );
  bull.on("completed", () => {
    if (++completed === target) whenCompleted?.();
  });
  const bullBatch = (count: number): Promise<void> => {
    completed = 0;
    target = count;
    const done = new Promise<void>((resolve) => whenCompleted = resolve);
    const jobs = Array.from(
      { length: count },
      (_, i) => ({ name: "add", data: { a: i, b: 1 } }),
    );
    return queue.addBulk(jobs).then(() => done);
  };

  // Warm every path once.
  await pool.call("add", 1, 2);
  await raw.request("bench.add", payload);
  await bullBatch(10);

  addEventListener("unload", () => {
    // `deno bench` ends the process after the last bench; the children go
    // with a signal each (an unload handler cannot wait).
    for (
      const pid of [
        redis.child.pid,
        server.pid,
        ...workers.map((w) => w.pid),
        ...bare.map((b) => b.pid),
      ]
    ) {
      if (pid !== undefined) Deno.kill(pid, "SIGKILL");
    }
    Deno.removeSync(server.storeDir, { recursive: true });
  });

  Deno.bench({
    name: "raw NATS request/reply (the floor)",
    group: "one job at a time",
    baseline: true,
    async fn() {
      await raw.request("bench.add", payload);
    },
  });

  Deno.bench({
    name: "NatsExecutor call, worker process",
    group: "one job at a time",
    async fn() {
      await pool.call("add", 1, 2);
    },
  });

  Deno.bench({
    name: `BullMQ, ${JOBS} tiny jobs`,
    group: `${JOBS} tiny jobs, all in flight`,
    baseline: true,
    n: 3,
    warmup: 1,
    async fn() {
      await bullBatch(JOBS);
    },
  });

  Deno.bench({
    name: `NatsExecutor, ${JOBS} tiny jobs, 2 worker processes`,
    group: `${JOBS} tiny jobs, all in flight`,
    n: 3,
    warmup: 1,
    async fn() {
      const futures = [];
      for (let i = 0; i < JOBS; i++) futures.push(pool.call("add", i, 1));
      await gather(futures);
    },
  });

  const computeFibsHere = (n: number): number[] => {
    const result: number[] = [];
    for (let i = 0; i < n; i++) result.push(tasks.fib(i));
    return result;
  };

  const computeFibs = function* (n: number) {
    const result: number[] = [];
    for (let i = 0; i < n; i++) {
      result.push(yield* fibPool.submit(tasks.fib, i));
    }
    return result;
  };
  await gather([
    startInlineFuture(computeFibs(20)),
    startInlineFuture(computeFibs(20)),
  ]);

  Deno.bench({
    name: "compute_fibs(34) twice in sequence, 2 worker processes",
    group: "part 5: compute_fibs(34) x 2",
    baseline: true,
    n: 5,
    warmup: 1,
    async fn() {
      await runInlineFuture(computeFibs(34));
      await runInlineFuture(computeFibs(34));
    },
  });

  Deno.bench({
    name: "compute_fibs(34) twice in sequence, in this isolate",
    group: "part 5: compute_fibs(34) x 2",
    n: 5,
    warmup: 1,
    fn() {
      computeFibsHere(34);
      computeFibsHere(34);
    },
  });

  Deno.bench({
    name: "two inlined futures in parallel, 2 worker processes",
    group: "part 5: compute_fibs(34) x 2",
    n: 5,
    warmup: 1,
    async fn() {
      await gather([
        startInlineFuture(computeFibs(34)),
        startInlineFuture(computeFibs(34)),
      ]);
    },
  });

  Deno.bench({
    name: "the floor: two bare processes in parallel, no NATS",
    group: "part 5: compute_fibs(34) x 2",
    n: 5,
    warmup: 1,
    async fn() {
      await Promise.all(bare.map((process) => process.run()));
    },
  });

  // Kept for the process's end; see the unload handler.
  void bull;
  void responder;
}
