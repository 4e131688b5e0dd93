// Copyright 2026 the @frontier/generators authors. MIT license.
// One task at a time, interleaved: a round trip to a bare node:worker_threads
// thread (the pool's floor), one to a bare Web Worker, and one through a
// WorkerPool, in turn, so that each sees the same moment of a noisy host.
// `deno bench` runs each contender in a block of its own, and on a shared
// machine the wake-up latency of a thread changes from block to block.
//
// Run with `deno run -A bench/_pool_round_trip.ts [rounds]`.

import { Worker as Thread } from "node:worker_threads";
import { WorkerPool } from "../worker_pool.ts";

const rounds = Number(Deno.args[0] ?? 20_000);

const thread = new Thread(new URL("./_pool_echo_thread.ts", import.meta.url));
let threadAnswer: (sum: number) => void = () => {};
thread.on("message", (sum: number) => threadAnswer(sum));
const viaThread = () =>
  new Promise<number>((resolve) => {
    threadAnswer = resolve;
    thread.postMessage([1, 2]);
  });

const worker = new Worker(new URL("./_echo_worker.ts", import.meta.url), {
  type: "module",
});
let workerAnswer: (sum: number) => void = () => {};
worker.onmessage = (event) => workerAnswer(event.data);
const viaWorker = () =>
  new Promise<number>((resolve) => {
    workerAnswer = resolve;
    worker.postMessage([1, 2]);
  });

const pool = new WorkerPool({ maxWorkers: 1 });
await pool.warm();
const add = (a: number, b: number) => a + b;
const viaPool = () => Promise.resolve(pool.submit(add, 1, 2));

const contenders = [viaThread, viaWorker, viaPool];
const totals = [0, 0, 0];
for (let round = -1_000; round < rounds; round++) {
  for (let i = 0; i < contenders.length; i++) {
    const start = performance.now();
    await contenders[i]();
    if (round >= 0) totals[i] += performance.now() - start;
  }
}
const [floor, web, mine] = totals.map((total) => total * 1000 / rounds);
console.log(
  `bare thread ${floor.toFixed(1)} µs, bare Web Worker ${
    web.toFixed(1)
  } µs, WorkerPool ${mine.toFixed(1)} µs: ${
    (mine / floor).toFixed(2)
  }x the thread floor, ${(mine / web).toFixed(2)}x the Web Worker's`,
);
thread.terminate();
worker.terminate();
await pool.shutdown();
