// Copyright 2026 the @frontier/generators authors. MIT license.
// Bytes retained by a suspended task, against a suspended async function.
// Run: deno run --v8-flags=--expose-gc bench/task_memory.ts
import { Future } from "@frontier/generators/future";
import { startInlineFuture } from "@frontier/generators/task";

const COUNT = 200_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --v8-flags=--expose-gc");

function heap(): number {
  gc!();
  gc!();
  return Deno.memoryUsage().heapUsed;
}

function measure(make: (gate: Future<number>) => unknown): number {
  const gate = new Future<number>();
  const held: unknown[] = new Array(COUNT);
  const before = heap();
  for (let i = 0; i < COUNT; i++) held[i] = make(gate);
  const after = heap();
  gate.setResult(0);
  held.length = 0;
  return (after - before) / COUNT;
}

function* waiter(gate: Future<number>) {
  return yield* gate;
}
async function asyncWaiter(gate: PromiseLike<number>) {
  return await gate;
}

const promiseGate = { p: Promise.resolve(0) };
let release!: (v: number) => void;
promiseGate.p = new Promise((resolve) => (release = resolve));

const task = measure((gate) => startInlineFuture(waiter(gate)));
const native = measure(() => asyncWaiter(promiseGate.p));
release(0);

export const results = { task, native };
if (import.meta.main) {
  console.log(`suspended task:           ${task.toFixed(0)} bytes`);
  console.log(`suspended async function: ${native.toFixed(0)} bytes`);
}
