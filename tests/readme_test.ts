// Copyright 2026 the @frontier/generators authors. MIT license.
// The README's API map lists every export; regenerate it with
// `deno run -A tools/api_map.ts --write` when an export changes.
import assert from "node:assert/strict";
import { apiMap, END, START } from "../tools/api_map.ts";

Deno.test("the README's API map lists exactly the package's exports", async () => {
  const readme = await Deno.readTextFile(
    new URL("../README.md", import.meta.url),
  );
  const section = readme.slice(
    readme.indexOf(START) + START.length,
    readme.indexOf(END),
  ).trim();
  assert.equal(
    section,
    (await apiMap()).trim(),
    "README.md is stale: run `deno run -A tools/api_map.ts --write`",
  );
});
