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
  { title: "Part 2: Context managers", module: "./context_managers.ts" },
  {
    title: "Parts 3 and 4: Inlined futures",
    module: "./inlined_futures.ts",
  },
  { title: "Part 6: Actors", module: "./actors.ts" },
  { title: "Part 7: A terrifying visitor", module: "./compiler.ts" },
];

for (const [i, part] of parts.entries()) {
  const heading = `${i + 1}/${parts.length} ${part.title}`;
  console.log(`\n${heading}\n${"=".repeat(heading.length)}`);
  const example = await import(part.module);
  await example.main();
}
