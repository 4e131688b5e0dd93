// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Prints the README's API map: one line per export of each entry point in
 * `deno.json`, with the first sentence of its documentation.
 *
 * `deno run -A tools/api_map.ts` prints it; `--write` puts it into README.md
 * between the `api-map` markers. `tests/readme_test.ts` checks that the
 * README's copy is current.
 *
 * @module
 */

interface DocSymbol {
  name: string;
  declarations: { kind: string; jsDoc?: { doc?: string } }[];
}

interface DocJson {
  nodes: Record<string, { symbols: DocSymbol[] }>;
}

import { formatMarkdown } from "./format_markdown.ts";

const root = new URL("../", import.meta.url);
export const START = "<!-- api-map:start -->";
export const END = "<!-- api-map:end -->";

const KIND_ORDER = ["class", "function", "variable", "interface", "typeAlias"];

function firstSentence(doc: string | undefined): string {
  if (!doc) return "";
  const text = doc.split("\n\n")[0].replace(/\s+/g, " ")
    .replace(/\{@linkcode ([^}]+)\}/g, "`$1`")
    .replace(/\{@link ([^}]+)\}/g, "$1").trim();
  const end = text.search(/[.:](\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1).replace(/:$/, ".");
}

/** The map, as Markdown, for the entry points of `deno.json` but the root. */
export async function apiMap(): Promise<string> {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("deno.json", root)),
  ) as { name: string; exports: Record<string, string> };
  const entries = Object.entries(config.exports).filter(([key]) => key !== ".");
  const { stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", ...entries.map(([, file]) => file)],
    cwd: root.pathname,
    stdout: "piped",
  }).output();
  const json = JSON.parse(new TextDecoder().decode(stdout)) as DocJson;
  const lines: string[] = [];
  for (const [key, file] of entries) {
    const url = new URL(file, root).href;
    const symbols = json.nodes[url]?.symbols ?? [];
    lines.push(`### \`${config.name}${key.slice(1)}\``, "");
    const sorted = [...symbols].sort((a, b) =>
      KIND_ORDER.indexOf(a.declarations[0].kind) -
        KIND_ORDER.indexOf(b.declarations[0].kind) ||
      a.name.localeCompare(b.name)
    );
    for (const symbol of sorted) {
      const declaration = symbol.declarations[0];
      const kind = declaration.kind === "typeAlias" ? "type" : declaration.kind;
      const summary = firstSentence(declaration.jsDoc?.doc);
      lines.push(
        `- \`${symbol.name}\` (${kind})${summary ? `: ${summary}` : ""}`,
      );
    }
    lines.push("");
  }
  return (await formatMarkdown(lines.join("\n"))).trimEnd();
}

/** `readme` with its API map section replaced by `map`. */
export function withMap(readme: string, map: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) {
    throw new Error(`README.md has no ${START} … ${END} section`);
  }
  return `${readme.slice(0, start + START.length)}\n\n${map}\n\n${
    readme.slice(end)
  }`;
}

if (import.meta.main) {
  const map = await apiMap();
  if (Deno.args.includes("--write")) {
    const file = new URL("README.md", root);
    await Deno.writeTextFile(file, withMap(await Deno.readTextFile(file), map));
  } else {
    console.log(map);
  }
}
