// Copyright 2026 the @frontier/generators authors. MIT license.
// `asCompleted` over many futures, against a `for await` over as many
// promises (the baseline). Target: within 3x of the baseline, for futures
// already done and for futures completed in order while the loop waits.
// Every step is constant time, so the ratio stays flat as N grows.
//
//   deno bench -A bench/future_bench.ts
//
// `deno task bench` runs it with the others and writes bench/RESULTS.md.

import { asCompleted, Future } from "../future.ts";

const N = 100_000;
const GROUP = "asCompleted, 100,000 futures";

function check(sum: number): void {
  if (sum !== (N * (N - 1)) / 2) throw new Error(`wrong sum ${sum}`);
}

const settledPromises = Array.from({ length: N }, (_, i) => Promise.resolve(i));
const doneFutures = Array.from({ length: N }, (_, i) => Future.from(i));

Deno.bench("native for await over 100,000 settled promises", {
  group: GROUP,
  baseline: true,
}, async () => {
  let sum = 0;
  for await (const value of settledPromises) sum += value;
  check(sum);
});

Deno.bench("asCompleted over 100,000 done futures (ours)", {
  group: GROUP,
}, async () => {
  let sum = 0;
  for await (const future of asCompleted(doneFutures)) sum += future.result();
  check(sum);
});

Deno.bench("asCompleted over 100,000 futures completed in order (ours)", {
  group: GROUP,
}, async (b) => {
  const futures = Array.from({ length: N }, () => new Future<number>());
  b.start();
  queueMicrotask(() => {
    for (let i = 0; i < N; i++) futures[i].setResult(i);
  });
  let sum = 0;
  for await (const future of asCompleted(futures)) sum += future.result();
  b.end();
  check(sum);
});
