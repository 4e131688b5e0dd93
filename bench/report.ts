// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Runs every benchmark in `bench/` with `deno bench --json` and writes
 * `bench/RESULTS.md` (each group's rows with their ratio to the group's
 * baseline and to each peer, and the machine), `bench/results.svg` (a bar
 * chart of the ratios to the baselines) and the summary in README.md's
 * Benchmarks section. `deno task bench` runs it.
 *
 * The `deno bench --json` output goes to `bench/results.json`, with the date,
 * the number of cores and the memory probe's output of the same run, and
 * each benchmark's file relative to the project (never this machine's
 * paths); `deno run -A bench/report.ts --from bench/results.json` renders
 * saved output instead of running the benchmarks.
 *
 * @module
 */

import { formatRatio, renderChart } from "./_chart.ts";
import { formatMarkdown } from "../tools/format_markdown.ts";
import { writeBenchSummary } from "../tools/bench_summary.ts";

export { formatRatio };

/** One benchmark's summary, in nanoseconds per iteration. */
export interface Row {
  file: string;
  group: string;
  name: string;
  baseline: boolean;
  avg: number;
  min: number;
  p75: number;
}

/**
 * What `deno bench --json` prints (the parts used here), and what this
 * script adds to it in `results.json`: when the run was, on how many cores,
 * and what the memory probe printed.
 */
export interface BenchJson {
  runtime: string;
  cpu: string;
  date?: string;
  cores?: number;
  memory?: string;
  benches: {
    origin: string;
    group?: string | null;
    name: string;
    baseline: boolean;
    results: { ok?: { avg: number; min: number; p75: number } }[];
  }[];
}

// Rows measuring other libraries. Everything that is neither a baseline nor a
// peer is this package, or a native reference point that the name says.
const PEERS =
  /^(co|effection|xstate|piscina|tinypool|moo|expr-eval|mathjs|async-mutex|async-sema|bare worker)\b/i;
const OURS =
  /\(ours\b|^(task|context|WorkerPool|LocalExecutor|ActorSystem|system\.|ref\.|two inlined futures|[\d,]+ messages into a Worker actor)/i;

/** Whether a row measures another library. */
export function isPeer(row: Row): boolean {
  return PEERS.test(row.name);
}

/** Whether a row measures this package (as a baseline or not). */
export function isOurs(row: Row): boolean {
  return !isPeer(row) && OURS.test(row.name);
}

/** Flattens `deno bench --json` output into rows; failed benches are left out. */
export function parseBenchJson(json: BenchJson): Row[] {
  const rows: Row[] = [];
  for (const bench of json.benches) {
    const ok = bench.results[0]?.ok;
    if (!ok) continue;
    rows.push({
      file: bench.origin.split("/").pop() ?? bench.origin,
      group: bench.group ?? bench.name,
      name: bench.name,
      baseline: bench.baseline,
      avg: ok.avg,
      min: ok.min,
      p75: ok.p75,
    });
  }
  return rows;
}

/** Groups rows by file and group, keeping the order they ran in. */
export function groupRows(rows: Row[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = `${row.file} › ${row.group}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return groups;
}

function formatTime(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns.toFixed(1)} ns`;
}

/** The Markdown report. */
export function renderMarkdown(
  rows: Row[],
  machine: { runtime: string; cpu: string; cores: number; date: string },
): string {
  const lines = [
    "# Benchmark results",
    "",
    `Measured ${machine.date} on ${machine.cpu} (${machine.cores} cores), ${machine.runtime}.`,
    "Each row is `deno bench`'s mean time per iteration, from one run; a ratio",
    "is that row's time over the other's, so below 1 is faster, printed with at",
    "least two significant digits. Rows of one group ran in the",
    "same process, one after the other; the machines are shared, so read the",
    "ratios, not the absolute times. Regenerate with `deno task bench`.",
    "",
    "![ratios to each group's baseline](./results.svg)",
    "",
  ];
  for (const [key, group] of groupRows(rows)) {
    const base = group.find((r) => r.baseline) ?? group[0];
    const peers = group.filter((row) => row !== base && isPeer(row));
    lines.push(`## ${key}`, "");
    const header = ["benchmark", "time/iter", `vs ${base.name}`];
    for (const peer of peers) header.push(`vs ${peer.name}`);
    lines.push(`| ${header.join(" | ")} |`);
    lines.push(
      `|${header.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`,
    );
    for (const row of group) {
      const cells = [
        row.baseline ? `${row.name} (baseline)` : row.name,
        formatTime(row.avg),
        row === base ? "1.00x" : formatRatio(row.avg / base.avg),
      ];
      for (const peer of peers) {
        cells.push(
          row !== base && isOurs(row) ? formatRatio(row.avg / peer.avg) : "",
        );
      }
      lines.push(`| ${cells.join(" | ")} |`);
    }
    lines.push("");
  }
  return lines.join("\n") + "\n";
}

async function runBenches(): Promise<BenchJson> {
  const dir = new URL(".", import.meta.url);
  const files = [...Deno.readDirSync(dir)]
    .filter((e) => e.isFile && e.name.endsWith("_bench.ts"))
    .map((e) => new URL(e.name, dir).pathname)
    .sort();
  const merged: BenchJson = { runtime: "", cpu: "", benches: [] };
  const project = new URL("../", dir).href;
  for (const file of files) {
    console.error(`running ${file}`);
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "bench",
        "--allow-all",
        "--json",
        // The peers are the benchmarks' own: their import map and lock live
        // in bench/, so that nothing else (the demo, the tests, a user of
        // the package) ever fetches them.
        `--import-map=${new URL("import_map.json", dir).pathname}`,
        `--lock=${new URL("deno.lock", dir).pathname}`,
        file,
      ],
      // The project's deno.json (found from here) names the package, which
      // the benchmarks import by its name.
      cwd: new URL("../", dir).pathname,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(stdout);
    if (code !== 0 && !text.trim()) {
      throw new Error(
        `deno bench ${file} failed:\n${new TextDecoder().decode(stderr)}`,
      );
    }
    const json = JSON.parse(text) as BenchJson;
    merged.runtime = json.runtime;
    merged.cpu = json.cpu;
    for (const bench of json.benches) {
      merged.benches.push({
        ...bench,
        origin: relativeOrigin(bench.origin, project),
      });
    }
  }
  return merged;
}

/**
 * `origin` (a `file:` URL) relative to the project, so that saved results
 * hold no path of the machine they ran on: `bench/task_bench.ts`.
 */
export function relativeOrigin(origin: string, project: string): string {
  if (origin.startsWith(project)) return origin.slice(project.length);
  const bench = origin.lastIndexOf("/bench/");
  return bench < 0 ? origin : origin.slice(bench + 1);
}

async function memoryProbe(): Promise<string> {
  const probe = new URL("./task_memory.ts", import.meta.url).pathname;
  const { stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--v8-flags=--expose-gc", probe],
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(stdout).trim();
}

/** The Markdown of `RESULTS.md` for the saved (or just measured) `json`. */
export async function renderReport(json: BenchJson): Promise<string> {
  const machine = {
    runtime: json.runtime,
    cpu: json.cpu,
    cores: json.cores ?? navigator.hardwareConcurrency,
    date: json.date ?? "(date not recorded)",
  };
  const markdown = renderMarkdown(parseBenchJson(json), machine) + [
    "## Memory: bytes retained per suspended task",
    "",
    "`deno run --v8-flags=--expose-gc bench/task_memory.ts`",
    "",
    "```",
    json.memory ?? "(not recorded in this run)",
    "```",
    "",
  ].join("\n");
  return await formatMarkdown(markdown);
}

if (import.meta.main) {
  const from = Deno.args.indexOf("--from");
  let json: BenchJson;
  if (from >= 0) {
    json = JSON.parse(await Deno.readTextFile(Deno.args[from + 1]));
  } else {
    json = await runBenches();
    json.date = new Date().toISOString().slice(0, 10);
    json.cores = navigator.hardwareConcurrency;
    json.memory = await memoryProbe();
  }
  const dir = new URL(".", import.meta.url);
  if (from < 0) {
    await Deno.writeTextFile(
      new URL("results.json", dir),
      JSON.stringify(json, null, 2) + "\n",
    );
  }
  const markdown = await renderReport(json);
  await Deno.writeTextFile(new URL("RESULTS.md", dir), markdown);
  await Deno.writeTextFile(
    new URL("results.svg", dir),
    renderChart(parseBenchJson(json), isOurs),
  );
  try {
    await writeBenchSummary(json);
  } catch (error) {
    // A renamed benchmark must not cost the run: the rest is written, and
    // tests/readme_test.ts fails until the summary is brought up to date.
    console.error(`README.md's benchmark summary was not updated: ${error}`);
  }
  console.log(markdown);
}
