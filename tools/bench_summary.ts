// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Writes the summary of the benchmarks that README.md's Benchmarks section
 * shows, from the saved results in `bench/results.json`, so that every figure
 * the README gives is one that run measured.
 *
 * `deno run -A tools/bench_summary.ts` prints it; `--write` puts it into
 * README.md between the `bench-summary` markers (`deno task bench` does that
 * after each run). `tests/readme_test.ts` checks that the README's copy is
 * current, and that the README gives no measured figure outside it.
 *
 * @module
 */

import type { BenchJson, Row } from "../bench/report.ts";
import { parseBenchJson } from "../bench/report.ts";
import { compared } from "../bench/_chart.ts";
import { formatMarkdown } from "./format_markdown.ts";

const root = new URL("../", import.meta.url);
export const START = "<!-- bench-summary:start -->";
export const END = "<!-- bench-summary:end -->";

/** The saved results, as `deno task bench` wrote them. */
export async function savedResults(): Promise<BenchJson> {
  return JSON.parse(
    await Deno.readTextFile(new URL("bench/results.json", root)),
  );
}

/** Looks rows up by file, group and name, and says which one is missing. */
function finder(rows: Row[]) {
  return (file: string, group: string, name: string): Row => {
    const row = rows.find((row) =>
      row.file === `${file}_bench.ts` && row.group === group &&
      row.name === name
    );
    if (row === undefined) {
      throw new Error(
        `Cannot summarize the benchmarks: bench/results.json has no row "${name}" in ${file}_bench.ts › ${group}; update tools/bench_summary.ts to the benchmark's new name`,
      );
    }
    return row;
  };
}

/** `ours` compared with `other`, in words: `2.31x faster than xstate`. */
function against(ours: Row, other: Row, what: string): string {
  return `${compared(ours.avg / other.avg)} than ${what}`;
}

/** The bytes the memory probe printed for `what`. */
// How many times `parallel` beats `sequence`, as "N.NNx".
function times(sequence: Row, parallel: Row): string {
  return `${(sequence.avg / parallel.avg).toFixed(2)}x`;
}

function bytes(memory: string | undefined, what: string): string {
  const match = memory?.match(new RegExp(`${what}:\\s+(\\d+) bytes`));
  if (!match) {
    throw new Error(
      `Cannot summarize the benchmarks: bench/results.json holds no memory figure for "${what}"; run deno task bench`,
    );
  }
  return match[1];
}

/** The summary, as Markdown. */
export async function benchSummary(json: BenchJson): Promise<string> {
  const row = finder(parseBenchJson(json));
  const task = (name: string) => row("task", "settled step", name);
  const done = task("task: yield* done future");
  const later = row(
    "task",
    "step settled later",
    "task: yield* future settled later",
  );
  const awaitLater = row(
    "task",
    "step settled later",
    "native await of a promise settled later",
  );
  const using = (name: string) => row("context", "using", name);
  const tiny = (name: string) =>
    row("worker_pool", "10000 tiny tasks, all in flight", name);
  const roundTrip = (name: string) =>
    row("worker_pool", "round trip, one task at a time", name);
  const fibs = (name: string) =>
    row("worker_pool", "part 5: compute_fibs(35) x 2", name);
  const pingPong = (name: string) => row("actor", "ping-pong", name);
  const lock = (name: string) => row("sync", "Lock, uncontended", name);
  const queue = (name: string) =>
    row("sync", "Queue hand-off, producer task to consumer task", name);
  const job = (name: string) => row("nats", "one job at a time", name);
  const jobs = (name: string) =>
    row("nats", "10000 tiny jobs, all in flight", name);
  const natsFibs = (name: string) =>
    row("nats", "part 5: compute_fibs(34) x 2", name);
  const remoteAsk = (name: string) =>
    row("nats_actors", "a question to another process, one at a time", name);
  const remoteSend = (name: string) =>
    row("nats_actors", "100000 one-way messages to another process", name);
  const workerActor = row(
    "actor",
    "worker",
    "1,000,000 messages into a Worker actor",
  );
  const lex = (group: string, name: string) => row("compiler", group, name);
  const noSpaces = "lex 10 MB without spaces (5.4M tokens)";
  const spaces =
    "lex 10 MB with spaces, parentheses, decimals, newlines (3.6M tokens)";
  const sum = (name: string) =>
    row("compiler", "evaluate a million-term sum (mathjs fails)", name);
  const deep = (name: string) =>
    row(
      "compiler",
      "evaluate a 999,999-node tree, left-deep 0+1+...+499999",
      name,
    );
  const balanced = (name: string) =>
    row("compiler", "evaluate a 2,097,151-node tree, balanced, depth 20", name);
  const visitor = "Evaluator.visit (ours: generator visitor)";
  const explicit = "explicit-stack evaluator, no generators (the limit)";
  const perSecond = 1e6 / (workerActor.avg / 1e9) / 1e6;

  const table = [
    ["what", "against", "result"],
    [
      "a task step on a done future (`yield*`)",
      "native `await`; co; Effection",
      [
        against(done, task("native await of a value"), "`await`"),
        against(done, task("co: yield resolved promise"), "co"),
        against(done, task("effection: yield* call(() => 1)"), "Effection"),
      ].join("; "),
    ],
    [
      "a task step on a future settled later",
      "native `await` of a promise",
      against(later, awaitLater, "`await`"),
    ],
    [
      "a suspended task",
      "a suspended async function",
      `${bytes(json.memory, "suspended task")} bytes against ${
        bytes(json.memory, "suspended async function")
      }`,
    ],
    [
      "a generator context manager with `using`",
      "a hand-written `[Symbol.dispose]` class",
      against(
        using("context: contextManager(function*), using"),
        using("hand-written class with [Symbol.dispose], using"),
        "the class",
      ),
    ],
    [
      "10,000 tiny tasks on 2 workers",
      "piscina; tinypool",
      [
        against(
          tiny("WorkerPool, 2 workers"),
          tiny("piscina, 2 threads"),
          "piscina",
        ),
        against(
          tiny("WorkerPool, 2 workers"),
          tiny("tinypool, 2 threads"),
          "tinypool",
        ),
      ].join("; "),
    ],
    [
      "one task at a time on a worker",
      "a bare `node:worker_threads` ping-pong (the floor); a bare Web Worker; piscina",
      [
        against(
          roundTrip("WorkerPool submit"),
          roundTrip("bare node:worker_threads ping-pong (the pool's floor)"),
          "the floor",
        ),
        against(
          roundTrip("WorkerPool submit"),
          roundTrip("bare Web Worker postMessage ping-pong"),
          "the Web Worker",
        ),
        against(
          roundTrip("WorkerPool submit"),
          roundTrip("piscina run"),
          "piscina",
        ),
      ].join("; "),
    ],
    [
      "two `compute_fibs(35)` in parallel on a 2-worker pool",
      "in sequence; two bare threads (the floor)",
      [
        `${
          times(
            fibs("compute_fibs(35) twice in sequence, in this isolate"),
            fibs("two inlined futures in parallel, 2-worker pool"),
          )
        } faster than in sequence`,
        `two bare threads: ${
          times(
            fibs("compute_fibs(35) twice in sequence, in this isolate"),
            fibs(
              "bare threads, a whole compute_fibs(35) each (the parallel floor)",
            ),
          )
        } faster than in sequence`,
      ].join("; "),
    ],
    [
      "actor ping-pong",
      "xstate; Effection channels",
      [
        against(
          pingPong("ActorSystem ping-pong"),
          pingPong("xstate fromTransition ping-pong"),
          "xstate",
        ),
        against(
          pingPong("ActorSystem ping-pong"),
          pingPong("effection channel ping-pong"),
          "Effection",
        ),
      ].join("; "),
    ],
    [
      "messages into a Worker actor",
      "",
      `${perSecond.toFixed(1)} million a second`,
    ],
    [
      "`Lock` acquire and release in a task, uncontended",
      "async-sema; async-mutex",
      [
        against(
          lock("task: yield* lock.acquire(); lock.release() (ours)"),
          lock("async-sema: await sema.acquire(); sema.release()"),
          "async-sema",
        ),
        against(
          lock("task: yield* lock.acquire(); lock.release() (ours)"),
          lock("async-mutex: await mutex.acquire(); release()"),
          "async-mutex",
        ),
      ].join("; "),
    ],
    [
      "a `Queue` hand-off between two tasks",
      "Effection's `createQueue`; a settled `yield*` step",
      [
        against(
          queue("task: Queue({ maxSize: 64 }) put/get (ours)"),
          queue("effection: createQueue() add/next"),
          "Effection",
        ),
        against(
          queue("task: Queue({ maxSize: 64 }) put/get (ours)"),
          queue("task: yield* done future (a settled step)"),
          "the step",
        ),
      ].join("; "),
    ],
    [
      "one job at a time on a NATS worker process",
      "a raw NATS request/reply (the floor)",
      against(
        job("NatsExecutor call, worker process"),
        job("raw NATS request/reply (the floor)"),
        "the floor",
      ),
    ],
    [
      "10,000 tiny jobs on 2 NATS worker processes",
      "BullMQ on a local redis-server",
      against(
        jobs("NatsExecutor, 10000 tiny jobs, 2 worker processes"),
        jobs("BullMQ, 10000 tiny jobs"),
        "BullMQ",
      ),
    ],
    [
      "two `compute_fibs(34)` in parallel on 2 NATS worker processes",
      "the same in sequence; two bare processes (the floor)",
      [
        `${
          times(
            natsFibs("compute_fibs(34) twice in sequence, 2 worker processes"),
            natsFibs("two inlined futures in parallel, 2 worker processes"),
          )
        } faster than in sequence`,
        `two bare processes: ${
          times(
            natsFibs("compute_fibs(34) twice in sequence, in this isolate"),
            natsFibs("the floor: two bare processes in parallel, no NATS"),
          )
        } faster than in sequence in one isolate`,
      ].join("; "),
    ],
    [
      "an `ask` to an actor in another process",
      "a raw NATS request/reply (the floor)",
      against(
        remoteAsk("system.ask of an actor in another process"),
        remoteAsk("raw NATS request/reply (the floor)"),
        "the floor",
      ),
    ],
    [
      "100,000 `send`s to an actor in another process",
      "a raw NATS publish per message (the floor)",
      against(
        remoteSend("system.send, 100000 messages"),
        remoteSend("raw NATS publish, 100000 messages (the floor)"),
        "the floor",
      ),
    ],
    [
      "lexing 10 MB",
      "moo",
      [
        `${
          against(
            lex(noSpaces, "tokenize (ours)"),
            lex(noSpaces, "moo"),
            "moo",
          )
        } (no spaces)`,
        `${
          against(lex(spaces, "tokenize (ours)"), lex(spaces, "moo"), "moo")
        } (with spaces)`,
      ].join("; "),
    ],
    [
      "`evaluate` a million-term sum",
      "expr-eval (mathjs fails)",
      against(sum("evaluate (ours)"), sum("expr-eval"), "expr-eval"),
    ],
  ];
  const lines = [
    `From one run of \`deno task bench\` on ${
      json.date ?? "a date not recorded"
    }, on ${json.cpu} (${
      json.cores ?? "?"
    } cores, shared with other work), ${json.runtime}: [\`bench/results.json\`](./bench/results.json). Each figure is a ratio of two rows of one group, which ran in the same process one after the other.`,
    "",
    ...table.map((cells, i) =>
      i === 1
        ? `| --- | --- | --- |\n| ${cells.join(" | ")} |`
        : `| ${cells.join(" | ")} |`
    ),
    "",
    `The generator visitor is ${
      compared(deep(visitor).avg / deep(explicit).avg)
    } than an explicit-stack evaluator without generators on a million-deep tree (a million live generators), and ${
      compared(balanced(visitor).avg / balanced(explicit).avg)
    } on a balanced tree of two million nodes; it never overflows, where a recursive one does.`,
  ];
  return (await formatMarkdown(lines.join("\n"))).trimEnd();
}

/** `readme` with its summary section replaced by `summary`. */
export function withSummary(readme: string, summary: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) {
    throw new Error(
      `Cannot write the benchmark summary: README.md has no ${START} … ${END} section`,
    );
  }
  return `${readme.slice(0, start + START.length)}\n\n${summary}\n\n${
    readme.slice(end)
  }`;
}

/** Puts the summary of `json` into README.md. */
export async function writeBenchSummary(json: BenchJson): Promise<void> {
  const file = new URL("README.md", root);
  const summary = await benchSummary(json);
  await Deno.writeTextFile(
    file,
    withSummary(await Deno.readTextFile(file), summary),
  );
}

if (import.meta.main) {
  const json = await savedResults();
  if (Deno.args.includes("--write")) await writeBenchSummary(json);
  else console.log(await benchSummary(json));
}
