// Copyright 2026 the @frontier/generators authors. MIT license.
// Shared by the scripts that write Markdown: tools/api_map.ts and
// bench/report.ts.

/**
 * Formats Markdown as `deno fmt` does, so that generated files and sections
 * pass `deno fmt --check`.
 */
export async function formatMarkdown(text: string): Promise<string> {
  const fmt = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext=md", "-"],
    cwd: new URL("../", import.meta.url).pathname,
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = fmt.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const { stdout } = await fmt.output();
  return new TextDecoder().decode(stdout);
}
