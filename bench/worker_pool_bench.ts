// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * WorkerPool against its floor and its peers, in one run so that the ratios
 * compare like with like on a noisy machine:
 *
 * - one task at a time (the round trip), against the floor of the mechanism
 *   the pool uses (a bare `node:worker_threads` thread, the baseline), a bare
 *   Web Worker, npm:piscina and npm:tinypool, one worker each;
 * - 10,000 tiny tasks with all of them in flight, two workers each, against
 *   piscina (the baseline), tinypool, and bare threads and bare Web Workers
 *   sent one message per task;
 * - the tutorial's part 5: `compute_fibs(35)` twice in sequence in this
 *   isolate, against two inlined futures in parallel on a 2-worker pool, with
 *   two bare threads and two bare Web Workers each computing a whole
 *   `compute_fibs(35)` from one message as the parallel floor; and on a
 *   machine with more cores, one per core.
 *
 * Run with `deno bench -A bench/worker_pool_bench.ts`.
 *
 * @module
 */

import { Worker as Thread } from "node:worker_threads";
import { Piscina } from "piscina";
import Tinypool from "tinypool";
import { gather } from "../future.ts";
import { startInlineFuture } from "../task.ts";
import { WorkerPool } from "../worker_pool.ts";

const TASKS = 10_000;
const CORES = navigator.hardwareConcurrency;
const nodeWorker = new URL("./_node_pool_worker.mjs", import.meta.url).href;
const echoWorker = new URL("./_echo_worker.ts", import.meta.url);
const echoThread = new URL("./_pool_echo_thread.ts", import.meta.url);

const add = (a: number, b: number) => a + b;

// --- contenders ------------------------------------------------------------

/** Bare Web Workers that add two numbers per message. */
class BareWorkers {
  #workers: Worker[];
  #next = 0;
  #waiting: ((sum: number) => void)[] = [];
  constructor(count: number) {
    this.#workers = Array.from({ length: count }, () => {
      const worker = new Worker(echoWorker, { type: "module" });
      worker.onmessage = (event) => this.#waiting.shift()!(event.data);
      return worker;
    });
  }
  // Answers come back in the order sent only with one worker; with several,
  // the bench only counts them, which is all the floor needs.
  run(a: number, b: number): Promise<number> {
    const worker = this.#workers[this.#next];
    this.#next = (this.#next + 1) % this.#workers.length;
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      worker.postMessage([a, b]);
    });
  }
  terminate(): void {
    for (const worker of this.#workers) worker.terminate();
  }
}

/**
 * Bare `node:worker_threads` threads that add two numbers per message: the
 * floor of the mechanism WorkerPool uses.
 */
class BareThreads {
  #threads: Thread[];
  #next = 0;
  #waiting: ((sum: number) => void)[] = [];
  constructor(count: number) {
    this.#threads = Array.from({ length: count }, () => {
      const thread = new Thread(echoThread);
      thread.on("message", (sum: number) => this.#waiting.shift()!(sum));
      return thread;
    });
  }
  run(a: number, b: number): Promise<number> {
    const thread = this.#threads[this.#next];
    this.#next = (this.#next + 1) % this.#threads.length;
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      thread.postMessage([a, b]);
    });
  }
  terminate(): void {
    for (const thread of this.#threads) thread.terminate();
  }
}

// A Tinypool made after a Piscina pool has run a task never answers under
// Deno 2.9.6 (both use node:worker_threads), so the Tinypools come first.
const tinypool1 = new Tinypool({
  filename: nodeWorker,
  minThreads: 1,
  maxThreads: 1,
});
const tinypool2 = new Tinypool({
  filename: nodeWorker,
  minThreads: 2,
  maxThreads: 2,
});
await Promise.all([
  tinypool1.run({ a: 1, b: 2 }),
  tinypool2.run({ a: 1, b: 2 }),
]);
const piscina1 = new Piscina({
  filename: nodeWorker,
  minThreads: 1,
  maxThreads: 1,
});
const piscina2 = new Piscina({
  filename: nodeWorker,
  minThreads: 2,
  maxThreads: 2,
});
await Promise.all([
  piscina1.run({ a: 1, b: 2 }),
  piscina2.run({ a: 1, b: 2 }),
]);

const bare1 = new BareWorkers(1);
const bare2 = new BareWorkers(2);
const threads1 = new BareThreads(1);
const threads2 = new BareThreads(2);
await Promise.all([
  bare1.run(1, 2),
  bare2.run(1, 2),
  bare2.run(1, 2),
  threads1.run(1, 2),
  threads2.run(1, 2),
  threads2.run(1, 2),
]);

const pool1 = new WorkerPool({ maxWorkers: 1 });
const pool2 = new WorkerPool({ maxWorkers: 2 });
await Promise.all([pool1.warm(), pool2.warm()]);

// Nothing here is shut down by hand: `deno bench` ends the process when the
// last bench is done. (WorkerPool's idle workers would not hold it anyway.)
addEventListener("unload", () => {
  bare1.terminate();
  bare2.terminate();
  threads1.terminate();
  threads2.terminate();
});

// --- one task at a time ----------------------------------------------------

Deno.bench({
  name: "bare node:worker_threads ping-pong (the pool's floor)",
  group: "round trip, one task at a time",
  baseline: true,
  async fn() {
    await threads1.run(1, 2);
  },
});

Deno.bench({
  name: "bare Web Worker postMessage ping-pong",
  group: "round trip, one task at a time",
  async fn() {
    await bare1.run(1, 2);
  },
});

Deno.bench({
  name: "WorkerPool submit",
  group: "round trip, one task at a time",
  async fn() {
    await pool1.submit(add, 1, 2);
  },
});

Deno.bench({
  name: "piscina run",
  group: "round trip, one task at a time",
  async fn() {
    await piscina1.run({ a: 1, b: 2 });
  },
});

Deno.bench({
  name: "tinypool run",
  group: "round trip, one task at a time",
  async fn() {
    await tinypool1.run({ a: 1, b: 2 });
  },
});

// --- 10,000 tiny tasks in flight --------------------------------------------

Deno.bench({
  name: "piscina, 2 threads",
  group: `${TASKS} tiny tasks, all in flight`,
  baseline: true,
  async fn() {
    const runs: Promise<number>[] = [];
    for (let i = 0; i < TASKS; i++) runs.push(piscina2.run({ a: i, b: 1 }));
    await Promise.all(runs);
  },
});

Deno.bench({
  name: "WorkerPool, 2 workers",
  group: `${TASKS} tiny tasks, all in flight`,
  async fn() {
    const futures = [];
    for (let i = 0; i < TASKS; i++) futures.push(pool2.submit(add, i, 1));
    await gather(futures);
  },
});

Deno.bench({
  name: "tinypool, 2 threads",
  group: `${TASKS} tiny tasks, all in flight`,
  async fn() {
    const runs: Promise<number>[] = [];
    for (let i = 0; i < TASKS; i++) runs.push(tinypool2.run({ a: i, b: 1 }));
    await Promise.all(runs);
  },
});

Deno.bench({
  name: "bare threads, 2, one message per task",
  group: `${TASKS} tiny tasks, all in flight`,
  async fn() {
    const runs: Promise<number>[] = [];
    for (let i = 0; i < TASKS; i++) runs.push(threads2.run(i, 1));
    await Promise.all(runs);
  },
});

Deno.bench({
  name: "bare Web Workers, 2, one message per task",
  group: `${TASKS} tiny tasks, all in flight`,
  async fn() {
    const runs: Promise<number>[] = [];
    for (let i = 0; i < TASKS; i++) runs.push(bare2.run(i, 1));
    await Promise.all(runs);
  },
});

// --- part 5: compute_fibs ---------------------------------------------------

function fib(n: number): number {
  return n <= 2 ? 1 : fib(n - 1) + fib(n - 2);
}

function computeFibsHere(n: number): number[] {
  const result: number[] = [];
  for (let i = 0; i < n; i++) result.push(fib(i));
  return result;
}

function* computeFibs(pool: WorkerPool, n: number) {
  const result: number[] = [];
  for (let i = 0; i < n; i++) result.push(yield* pool.submit(fib, i));
  return result;
}

const fibPool2 = new WorkerPool({ maxWorkers: 2 });
const fibPoolAll = new WorkerPool({ maxWorkers: CORES });
await Promise.all([fibPool2.warm(), fibPoolAll.warm()]);

Deno.bench({
  name: "compute_fibs(35) twice in sequence, in this isolate",
  group: "part 5: compute_fibs(35) x 2",
  baseline: true,
  n: 10,
  warmup: 2,
  fn() {
    computeFibsHere(35);
    computeFibsHere(35);
  },
});

// The floor: two bare threads (and Web Workers), each computing a whole compute_fibs(35) from
// one message. On a shared machine the host decides how parallel two threads
// really are; this row shows what it allowed, so the pool's row can be read
// against it.
const floorSource = `${fib}
onmessage = (e) => {
  const result = [];
  for (let i = 0; i < e.data; i++) result.push(fib(i));
  postMessage(result);
};`;
const floorUrl = URL.createObjectURL(
  new Blob([floorSource], { type: "text/javascript" }),
);
const floorWorkers = [0, 1].map(() => new Worker(floorUrl, { type: "module" }));
function floorRun(worker: Worker, n: number): Promise<number[]> {
  return new Promise((resolve) => {
    worker.onmessage = (e) => resolve(e.data);
    worker.postMessage(n);
  });
}
const floorThreads = [0, 1].map(() =>
  new Thread(
    new URL(`data:text/javascript,${encodeURIComponent(floorSource)}`),
  )
);
function floorThreadRun(thread: Thread, n: number): Promise<number[]> {
  return new Promise((resolve) => {
    thread.once("message", resolve);
    thread.postMessage(n);
  });
}
await Promise.all([
  ...floorWorkers.map((w) => floorRun(w, 20)),
  ...floorThreads.map((t) => floorThreadRun(t, 20)),
]);
addEventListener("unload", () => {
  for (const worker of floorWorkers) worker.terminate();
  for (const thread of floorThreads) thread.terminate();
  URL.revokeObjectURL(floorUrl);
});

Deno.bench({
  name: "bare threads, a whole compute_fibs(35) each (the parallel floor)",
  group: "part 5: compute_fibs(35) x 2",
  n: 10,
  warmup: 2,
  async fn() {
    await Promise.all(floorThreads.map((t) => floorThreadRun(t, 35)));
  },
});

Deno.bench({
  name: "bare Web Workers, a whole compute_fibs(35) each",
  group: "part 5: compute_fibs(35) x 2",
  n: 10,
  warmup: 2,
  async fn() {
    await Promise.all(floorWorkers.map((w) => floorRun(w, 35)));
  },
});

Deno.bench({
  name: "two inlined futures in parallel, 2-worker pool",
  group: "part 5: compute_fibs(35) x 2",
  n: 10,
  warmup: 2,
  async fn() {
    await gather([
      startInlineFuture(computeFibs(fibPool2, 35)),
      startInlineFuture(computeFibs(fibPool2, 35)),
    ]);
  },
});

Deno.bench({
  name: `compute_fibs(35) x ${CORES} in sequence, in this isolate`,
  group: `part 5: compute_fibs(35) x ${CORES} cores`,
  baseline: true,
  ignore: CORES <= 2,
  n: 5,
  warmup: 1,
  fn() {
    for (let i = 0; i < CORES; i++) computeFibsHere(35);
  },
});

Deno.bench({
  name: `${CORES} inlined futures in parallel, ${CORES}-worker pool`,
  group: `part 5: compute_fibs(35) x ${CORES} cores`,
  ignore: CORES <= 2,
  n: 5,
  warmup: 1,
  async fn() {
    const tasks = [];
    for (let i = 0; i < CORES; i++) {
      tasks.push(startInlineFuture(computeFibs(fibPoolAll, 35)));
    }
    await gather(tasks);
  },
});
