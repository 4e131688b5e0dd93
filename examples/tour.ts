// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * The tour: every example of the tutorial, in order, each under a heading,
 * then what goes beyond the tutorial. Run it with `deno task demo`.
 *
 * Each example file exports `main()` and also runs on its own with
 * `deno run -A examples/<name>.ts`.
 *
 * @module
 */

import * as actors from "./actors.ts";
import * as compiler from "./compiler.ts";
import * as contextManagers from "./context_managers.ts";
import * as generators101 from "./generators_101.ts";
import * as inlinedFutures from "./inlined_futures.ts";
import * as parallelFibs from "./parallel_fibs.ts";
import * as structuredConcurrency from "./structured_concurrency.ts";
import * as threadPool from "./thread_pool.ts";

interface Part {
  title: string;
  main: () => void | Promise<void>;
}

const parts: Part[] = [
  { title: "Part 1: Generators 101", main: generators101.main },
  { title: "Part 2: Context managers", main: contextManagers.main },
  { title: "Part 3: Futures from a pool", main: threadPool.main },
  { title: "Parts 3 and 4: Inlined futures", main: inlinedFutures.main },
  { title: "Part 5: Parallel compute_fibs", main: parallelFibs.main },
  { title: "Part 6: Actors", main: actors.main },
  { title: "Part 7: A terrifying visitor", main: compiler.main },
];

// Beyond the tutorial: what a program of 2014's ideas needs today.
const beyond: Part[] = [
  { title: "Structured concurrency", main: structuredConcurrency.main },
];

const started = performance.now();
for (const [i, part] of parts.entries()) {
  const heading = `${i + 1}/${parts.length} ${part.title}`;
  console.log(`\n${heading}\n${"=".repeat(heading.length)}`);
  await part.main();
}
console.log("\nBeyond the tutorial\n===================");
for (const [i, part] of beyond.entries()) {
  const heading = `${i + 1}/${beyond.length} ${part.title}`;
  console.log(`\n${heading}\n${"-".repeat(heading.length)}`);
  await part.main();
}

console.log(
  `\nThe tour ran ${parts.length} parts and ${beyond.length} beyond the tutorial in ${
    ((performance.now() - started) / 1000).toFixed(1)
  } s.`,
);
