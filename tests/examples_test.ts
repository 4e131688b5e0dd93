// Copyright 2026 the @frontier/generators authors. MIT license.
// Runs every example script as a user would (`deno run`) and checks the lines
// the tutorial prints, so no example can rot.
import assert from "node:assert/strict";
import {
  computeFibsCalls,
  fibCalls,
  progressBar,
  progressLine,
} from "../examples/parallel_fibs.ts";

const root = new URL("../", import.meta.url);

interface Run {
  code: number;
  lines: string[];
  stderr: string;
}

async function runExample(
  file: string,
  options: { args?: string[]; permissions?: string[] } = {},
): Promise<Run> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...(options.permissions ?? []),
      new URL(file, root).pathname,
      ...(options.args ?? []),
    ],
    cwd: root.pathname,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout);
  return {
    code,
    lines: text.split("\n").map((line) => line.trimEnd()),
    stderr: new TextDecoder().decode(stderr),
  };
}

/** Asserts that `expected` appear in `lines` in this order (others between). */
function assertInOrder(lines: string[], expected: (string | RegExp)[]): void {
  let at = 0;
  for (const want of expected) {
    const found = lines.findIndex((line, i) =>
      i >= at && (typeof want === "string" ? line === want : want.test(line))
    );
    assert.ok(
      found >= 0,
      `expected ${want} after line ${at} in:\n${lines.join("\n")}`,
    );
    at = found + 1;
  }
}

Deno.test("examples/generators_101.ts prints part 1 of the tutorial", async () => {
  const { code, lines, stderr } = await runExample(
    "examples/generators_101.ts",
  );
  assert.equal(code, 0, stderr);
  assertInOrder(lines, [
    "T-minus 10",
    "T-minus 9",
    "T-minus 1",
    "{ value: 3, done: false } { value: 2, done: false } { value: 1, done: false }",
    "{ value: undefined, done: true }",
    "Got Hello",
    "Got World",
    "1 2 3 4 5 6",
    "1 2 3 4 5 6 7 8 9",
    "Shutting down",
    "caught at the yield: boom",
  ]);
});

Deno.test("examples/inlined_futures.ts prints parts 3 and 4 of the tutorial", async () => {
  const { code, lines, stderr } = await runExample(
    "examples/inlined_futures.ts",
  );
  assert.equal(code, 0, stderr);
  assertInOrder(lines, [
    "-- Task and step()",
    "Got: 5",
    "Got: 20",
    "Got: 18",
    "Got: 2",
    "Failed: TypeError: unsupported operand type(s) for +: 'number' and 'string'",
    "Tick: 0",
    "Tick: 5",
    "Tick: 1000000 (a million ticks on done futures)",
    /^TypeError: Cannot wait in task after: it yielded a generator object.*`yield\*` instead of `yield`$/,
    "-- puzzler 2: iterate the generator by hand",
    "Got: undefined",
    "-- puzzler 3: send results back in by hand",
    "Got: 5",
    "-- puzzler 4: yield* (Python's yield from)",
    "Got: 5",
    "-- puzzler 5: yield* on a future too (iterable futures)",
    "Got: 5",
    "-- tasks as futures",
    "Got: 5",
    "results: 5 9 ticks: 1000000",
  ]);
});

Deno.test("examples/context_managers.ts prints part 2 of the tutorial", async () => {
  const { code, lines, stderr } = await runExample(
    "examples/context_managers.ts",
    { permissions: ["--allow-read", "--allow-write"] },
  );
  assert.equal(code, 0, stderr);
  assertInOrder(lines, [
    /^counting: \d+\.\d{3}$/,
    "tempdir holds 1 file",
    "tempdir removed: true",
    "inside: locked true",
    "after the block failed: locked false",
    "commit",
    "rollback: out of stock",
    'store: {"apples":3,"pears":2}',
    "commit",
    "discarded",
    "not enough plums",
    'store: {"apples":2,"pears":2}',
    "entering",
    "with value",
    "exiting",
    "entering",
    "exiting, handling a problem",
    "open db",
    "using db",
    "closed db",
    "task: CancelledError",
  ]);
});

Deno.test("examples/thread_pool.ts prints the part 3 futures of the tutorial", async () => {
  const { code, lines, stderr } = await runExample("examples/thread_pool.ts", {
    permissions: ["-A"],
  });
  assert.equal(code, 0, stderr);
  assertInOrder(lines, [
    "# fut = pool.submit(func, 2, 3)",
    /^Future \{ <(pending|running)> \}$/,
    "Got: 5",
    "# A done callback, triggered upon completion",
    "Got: 5",
    "Failed: TypeError: unsupported operand type(s) for +: 'number' and 'string'",
    "# Inlined future: the callback is gone",
    "Got: 5",
    /^4 naps of 100 ms took \d+ ms together: \[ 1, 2, 3, 4 \]$/,
  ]);
});

Deno.test("examples/parallel_fibs.ts runs compute_fibs in sequence, in parallel, and inside workers", async () => {
  const { code, lines, stderr } = await runExample(
    "examples/parallel_fibs.ts",
    { permissions: ["-A"], args: ["25"] },
  );
  assert.equal(code, 0, stderr);
  assertInOrder(lines, [
    /^compute_fibs\(25\) twice in sequence: \d+ ms$/,
    /^two inlined futures in parallel: +\d+ ms$/,
    /^speedup: \d+\.\d\dx$/,
    "fib(24) = 46368 (both: true)",
    /^two whole generators, one per worker: \d+ ms$/,
  ]);
  assert.doesNotMatch(stderr, /\[#/, "no progress bar when not on a terminal");
});

Deno.test("examples/actors.ts shows the naive failure, the scheduler, ask, and a Worker ping-pong", async () => {
  const { code, lines, stderr } = await runExample("examples/actors.ts", {
    permissions: ["-A"],
  });
  assert.equal(code, 0, stderr);
  assertInOrder(lines, [
    "printer: 10",
    "printer: 1",
    "pong 1",
    "TypeError: Generator is already running",
    "ping 8",
    "pong 9",
    /^1,000,000 more messages in \d+ ms, last ball 1,000,009/,
    "deposited 100, withdrew 30: balance 70",
    "ping 4 (main thread)",
    /10,000 round trips across the Worker boundary/,
  ]);
  assert.equal(lines.indexOf("ping 10"), -1, "maxMessages bounds the rally");
});

Deno.test("examples/compiler.ts prints part 7 of the tutorial", async () => {
  const { code, lines, stderr } = await runExample("examples/compiler.ts");
  assert.equal(code, 0, stderr);
  assertInOrder(lines, [
    '{ type: "NUM", value: "2", offset: 0, line: 1, column: 1 }',
    '{ type: "NUM", value: "5", offset: 12, line: 1, column: 13 }',
    "2 3 4 * + 5 -",
    "2 + 3 * 4 - 5 = 9",
    "recursive visitor on 0+1+...+99999: RangeError: Maximum call stack size exceeded",
    "generator visitor on 0+1+...+999: 499500",
    "generator visitor on 0+1+...+999999: 499999500000",
    "disk usage of a tree of your own: 12",
  ]);
});

Deno.test("examples/structured_concurrency.ts cancels the siblings of a failed request, and the server sees every cancelled fetch aborted", async () => {
  const { code, lines, stderr } = await runExample(
    "examples/structured_concurrency.ts",
    { permissions: ["--allow-net=127.0.0.1"] },
  );
  assert.equal(code, 0, stderr);
  assert.equal(stderr, "", "no warning either");
  assertInOrder(lines, [
    "-- every request answers: the group returns all bodies",
    "body of /fast/a, body of /fast/b, body of /fast/c",
    "-- one request fails: its two slow siblings are cancelled",
    "AggregateError: GET /fail: 500",
    "the server saw 2 requests aborted",
    "-- too slow for the timeout: every request is cancelled",
    /^TimeoutError: Cannot wait longer for task fetchAll: it did not finish within 100 ms/,
    "the server saw 5 requests aborted",
    "-- a producer and a slow consumer, through a Queue of 2",
    /^put generators \(\d in the queue\)$/,
    /^put locks \(\d in the queue\)$/,
    "consumed 33 letters",
  ]);
});

Deno.test("examples/tour.ts runs every part in order", async () => {
  const { code, lines, stderr } = await runExample("examples/tour.ts", {
    permissions: ["-A"],
  });
  assert.equal(code, 0, stderr);
  assertInOrder(lines, [
    "1/7 Part 1: Generators 101",
    "T-minus 10",
    "2/7 Part 2: Context managers",
    "3/7 Part 3: Futures from a pool",
    "4/7 Parts 3 and 4: Inlined futures",
    "Tick: 1000000 (a million ticks on done futures)",
    "5/7 Part 5: Parallel compute_fibs",
    /^speedup: \d+\.\d\dx$/,
    "6/7 Part 6: Actors",
    "TypeError: Generator is already running",
    "7/7 Part 7: A terrifying visitor",
    "generator visitor on 0+1+...+999999: 499999500000",
    "Beyond the tutorial",
    "1/1 Structured concurrency",
    "the server saw 5 requests aborted",
    "consumed 33 letters",
    /^The tour ran 7 parts and 1 beyond the tutorial in \d+\.\d s\.$/,
  ]);
});

/** A registry address where nothing listens: a port that was just closed. */
function unreachableRegistry(): string {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return `http://127.0.0.1:${port}/`;
}

Deno.test("deno task demo runs from an empty cache with no registry reachable: it fetches no package", async () => {
  const cache = await Deno.makeTempDir({ prefix: "frontier-deno-dir-" });
  const registry = unreachableRegistry();
  try {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["task", "demo"],
      cwd: root.pathname,
      env: {
        NO_COLOR: "1",
        DENO_DIR: cache,
        NPM_CONFIG_REGISTRY: registry,
        JSR_URL: registry,
      },
      stdout: "piped",
      stderr: "piped",
      // Only a guard against a hang: a demo that did not finish fails below.
      signal: AbortSignal.timeout(300_000),
    }).output();
    const errors = new TextDecoder().decode(stderr);
    assert.equal(code, 0, errors);
    assert.doesNotMatch(errors, /Download|npm package/);
    assertInOrder(new TextDecoder().decode(stdout).split("\n"), [
      "1/7 Part 1: Generators 101",
      /^The tour ran 7 parts and 1 beyond the tutorial in \d+\.\d s\.$/,
    ]);
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

/**
 * A terminal of `columns` columns, enough of one to see where a progress bar
 * leaves its text: it wraps long lines, and knows carriage return and "clear
 * to the end of the line".
 */
function fakeTerminal(columns: number) {
  const rows: string[][] = [[]];
  let row = 0;
  let column = 0;
  return {
    columns: () => columns,
    write(text: string): void {
      for (let i = 0; i < text.length; i++) {
        if (text[i] === "\r") {
          column = 0;
        } else if (text.startsWith("\x1b[K", i)) {
          rows[row].length = column;
          i += 2;
        } else {
          if (column === columns) {
            row++;
            column = 0;
            rows[row] ??= [];
          }
          rows[row][column++] = text[i];
        }
      }
    },
    /** The rows with something on them. */
    text(): string[] {
      return rows.map((chars) => chars.join("").trimEnd()).filter(Boolean);
    },
  };
}

Deno.test("the progress bar of examples/parallel_fibs.ts counts the work of fib, not calls", () => {
  const calls = (n: number): number =>
    n <= 2 ? 1 : 1 + calls(n - 1) + calls(n - 2);
  for (let n = 0; n <= 20; n++) assert.equal(fibCalls(n), calls(n));
  const n = 25;
  const output = fakeTerminal(200);
  const bar = progressBar("in sequence", computeFibsCalls(n), output);
  // Every call but the last, fib(24): about three fifths of the work.
  for (let i = 0; i < n - 1; i++) bar.step(fibCalls(i));
  assert.match(output.text()[0], / 6[12]% /);
  bar.step(fibCalls(n - 1));
  assert.match(output.text()[0], / 100% /);
  bar.end();
  assert.deepEqual(output.text(), []);
});

Deno.test("on a 40-column terminal the progress bar keeps to one row, redrawn in place", () => {
  for (const columns of [40, 20, 8, 1]) {
    const output = fakeTerminal(columns);
    const n = 30;
    const bar = progressBar(
      "two inlined futures in parallel",
      2 * computeFibsCalls(n),
      output,
    );
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < n; i++) {
        bar.step(fibCalls(i));
        const rows = output.text();
        assert.ok(rows.length <= 1, `${columns} columns: ${rows.join(" / ")}`);
        assert.ok((rows[0] ?? "").length < columns);
      }
    }
    bar.end();
    assert.deepEqual(output.text(), []);
  }
  const line = progressLine("in sequence", 0.5, 1.25, 40);
  assert.equal(line, "\rin sequence [########.......] 50% 1.3 s\x1b[K");
  assert.equal(
    progressLine("in sequence", 1, 0, 200),
    `\rin sequence [${"#".repeat(30)}] 100% 0.0 s\x1b[K`,
  );
});
