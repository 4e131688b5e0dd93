// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * The tour: every example of the tutorial, in order, each under a heading.
 * Run it with `deno task demo`.
 *
 * Each example file exports `main()` and also runs on its own with
 * `deno run -A examples/<name>.ts`.
 *
 * @module
 */

interface Part {
  title: string;
  module: string;
}

const parts: Part[] = [
  { title: "Part 1: Generators 101", module: "./generators_101.ts" },
  { title: "Part 3: Futures from a pool", module: "./thread_pool.ts" },
  {
    title: "Parts 3 and 4: Inlined futures",
    module: "./inlined_futures.ts",
  },
  { title: "Part 5: Parallel compute_fibs", module: "./parallel_fibs.ts" },
];

for (const [i, part] of parts.entries()) {
  const heading = `${i + 1}/${parts.length} ${part.title}`;
  console.log(`\n${heading}\n${"=".repeat(heading.length)}`);
  const example = await import(part.module);
  await example.main();
}
