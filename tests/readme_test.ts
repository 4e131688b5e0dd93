// Copyright 2026 the @frontier/generators authors. MIT license.
// The README's generated parts and its figures: the API map lists every
// export (regenerate it with `deno run -A tools/api_map.ts --write` when an
// export changes); every measured figure comes from the saved benchmark
// results (`deno run -A tools/bench_summary.ts --write`), which RESULTS.md and
// the chart are rendered from; and the instructions for a local checkout work.
import assert from "node:assert/strict";
import { apiMap, END, START } from "../tools/api_map.ts";
import {
  benchSummary,
  END as SUMMARY_END,
  savedResults,
  START as SUMMARY_START,
} from "../tools/bench_summary.ts";
import {
  isOurs,
  parseBenchJson,
  renderReport,
  type Row,
} from "../bench/report.ts";
import {
  barKind,
  compared,
  formatRatio,
  renderChart,
} from "../bench/_chart.ts";

const root = new URL("../", import.meta.url);

async function readme(): Promise<string> {
  return await Deno.readTextFile(new URL("README.md", root));
}

function section(text: string, start: string, end: string): string {
  assert.ok(text.includes(start) && text.includes(end), `no ${start} section`);
  return text.slice(text.indexOf(start) + start.length, text.indexOf(end))
    .trim();
}

Deno.test("the README's API map lists exactly the package's exports", async () => {
  assert.equal(
    section(await readme(), START, END),
    (await apiMap()).trim(),
    "README.md is stale: run `deno run -A tools/api_map.ts --write`",
  );
});

Deno.test("the README's benchmark summary is the one bench/results.json gives", async () => {
  assert.equal(
    section(await readme(), SUMMARY_START, SUMMARY_END),
    await benchSummary(await savedResults()),
    "README.md is stale: run `deno run -A tools/bench_summary.ts --write`",
  );
});

/**
 * What reads as a measured figure: a ratio (`2.2x`, `40–60x`), a size, a
 * time, a rate, or a share.
 */
const FIGURE =
  /\b\d[\d,]*(?:\.\d+)?(?:\s*[–-]\s*\d[\d,]*(?:\.\d+)?)?\s*(?:x|×|times|bytes|[KMG]B|ms|µs|ns|%)(?!\w)|\b(?:million|thousand)s? (?:a|per) second\b|\bhalf the time\b/gi;

Deno.test("the README gives no measured figure outside its benchmark summary", async () => {
  const text = (await readme())
    .replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "") // code: sizes of workloads
    .replace(/<!-- api-map:start -->[\s\S]*<!-- api-map:end -->/, "")
    .replace(
      /<!-- bench-summary:start -->[\s\S]*<!-- bench-summary:end -->/,
      "",
    );
  assert.deepEqual(
    text.match(FIGURE) ?? [],
    [],
    "put measured figures in the summary that tools/bench_summary.ts writes",
  );
});

Deno.test("bench/RESULTS.md and bench/results.svg are rendered from bench/results.json", async () => {
  const json = await savedResults();
  const bench = new URL("bench/", root);
  assert.equal(
    await Deno.readTextFile(new URL("RESULTS.md", bench)),
    await renderReport(json),
    "run `deno run -A bench/report.ts --from bench/results.json`",
  );
  assert.equal(
    await Deno.readTextFile(new URL("results.svg", bench)),
    renderChart(parseBenchJson(json), isOurs),
    "run `deno run -A bench/report.ts --from bench/results.json`",
  );
});

Deno.test("bench/results.json holds no path of the machine it ran on", async () => {
  const json = await savedResults();
  for (const bench of json.benches) {
    assert.match(bench.origin, /^bench\/\w+_bench\.ts$/);
  }
  const text = await Deno.readTextFile(new URL("bench/results.json", root));
  assert.doesNotMatch(text, /file:\/\/|"\/(?:home|work|tmp|Users|root)\//);
});

Deno.test("ratios print with at least two significant digits, in RESULTS.md too", async () => {
  assert.equal(formatRatio(3116.4), "3116x");
  assert.equal(formatRatio(54.2), "54x");
  assert.equal(formatRatio(2.314), "2.31x");
  assert.equal(formatRatio(0.88), "0.88x");
  assert.equal(formatRatio(0.1), "0.10x");
  assert.equal(formatRatio(0.0299), "0.030x");
  assert.equal(formatRatio(0.00183), "0.0018x");
  assert.equal(compared(0.0299), "33x faster");
  assert.equal(compared(2.314), "2.31x slower");
  assert.equal(compared(1.001), "as fast");
  const results = await Deno.readTextFile(new URL("bench/RESULTS.md", root));
  for (const [, ratio] of results.matchAll(/\b(\d+(?:\.\d+)?)x\b/g)) {
    const digits = ratio.replace(".", "").replace(/^0+/, "");
    assert.ok(digits.length >= 2, `${ratio}x has fewer than two digits`);
  }
});

Deno.test("the chart colours a bar by who is faster, this package or the other side", () => {
  const row = (name: string, avg: number, baseline = false): Row => ({
    file: "x_bench.ts",
    group: "g",
    name,
    baseline,
    avg,
    min: avg,
    p75: avg,
  });
  const ours = (r: Row) => r.name.startsWith("ours");
  const oursBase = row("ours", 10, true);
  const peerBase = row("peer", 10, true);
  // A peer slower than our baseline: this package wins.
  assert.equal(barKind(row("xstate", 23), oursBase, ours), "win");
  assert.equal(barKind(row("moo", 5), oursBase, ours), "lose");
  assert.equal(barKind(row("ours too", 5), peerBase, ours), "win");
  assert.equal(barKind(row("ours too", 20), peerBase, ours), "lose");
  // Two of ours, or two others, or a tie: no side wins.
  assert.equal(barKind(row("ours too", 20), oursBase, ours), "other");
  assert.equal(barKind(row("tinypool", 16), peerBase, ours), "other");
  assert.equal(barKind(row("xstate", 10.01), oursBase, ours), "other");
  assert.equal(barKind(oursBase, oursBase, ours), "base");
  const svg = renderChart([oursBase, row("xstate", 23)], ours);
  assert.match(svg, /class="win"\/>\n<text [^>]*>2\.30x slower than ours</);
});

/** A registry address where nothing listens: a port that was just closed. */
function unreachable(): string {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return `http://127.0.0.1:${port}/`;
}

Deno.test("the README's local-checkout config works offline, and the pool needs --allow-read there", async () => {
  const config = (await readme()).match(/```json\n(\{[^`]*"links"[^`]*\})\n```/)
    ?.[1];
  assert.ok(config, "the README shows a deno.json with links");
  const dir = await Deno.makeTempDir({ prefix: "frontier-user-" });
  const cache = await Deno.makeTempDir({ prefix: "frontier-deno-dir-" });
  try {
    // The checkout sits beside the project, as the README has it.
    await Deno.symlink(root.pathname, `${dir}/generators`);
    await Deno.mkdir(`${dir}/app`);
    await Deno.writeTextFile(`${dir}/app/deno.json`, config);
    await Deno.writeTextFile(
      `${dir}/app/main.ts`,
      `import { runInlineFuture, sleep } from "@frontier/generators";
import { evaluate } from "@frontier/generators/compiler";
import { WorkerPool } from "@frontier/generators/worker-pool";
function* add(x: number, y: number) {
  return yield* sleep(1, x + y);
}
console.log(await runInlineFuture(add(2, 3)), evaluate("2 + 3 * 4 - 5"));
await using pool = new WorkerPool({ maxWorkers: 1 });
console.log(await pool.submit((x: number) => x * 2, 21));
`,
    );
    const registry = unreachable();
    const run = async (permissions: string[]) => {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", ...permissions, "main.ts"],
        cwd: `${dir}/app`,
        env: {
          NO_COLOR: "1",
          DENO_DIR: cache,
          NPM_CONFIG_REGISTRY: registry,
          JSR_URL: registry,
        },
        stdout: "piped",
        stderr: "piped",
        // Only a guard against a hang.
        signal: AbortSignal.timeout(120_000),
      }).output();
      return {
        code: output.code,
        stdout: new TextDecoder().decode(output.stdout),
        stderr: new TextDecoder().decode(output.stderr),
      };
    };
    const allowed = await run([`--allow-read=${dir}/generators`]);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(allowed.stdout, "5 9\n42\n");
    assert.doesNotMatch(allowed.stderr, /Download/);
    const denied = await run([]);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /Requires read access/);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(cache, { recursive: true });
  }
});
