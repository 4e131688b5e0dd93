// Copyright 2026 the @frontier/generators authors. MIT license.
// A small SVG bar chart of each benchmark's ratio to its group's baseline, on
// a log scale (the ratios run from about 0.3x to thousands), with 1x marked.

import type { Row } from "./report.ts";

// Bars get this much room; the labels get what their longest one needs.
const BAR_MAX = 500;
const VALUE = 60;
/** Roughly the width of one character of a 12px sans-serif label. */
const CHAR = 6.6;
const ROW = 20;
const HEADING = 28;

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(
    />/g,
    "&gt;",
  );
}

/**
 * Renders the chart for `rows`, grouped as `deno bench` grouped them, with the
 * labels of the rows that `ours` picks in bold.
 */
export function renderChart(
  rows: Row[],
  ours: (row: Row) => boolean = () => false,
): string {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = `${row.file.replace(/_bench\.ts$/, "")} › ${row.group}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const ratios: number[] = [];
  for (const group of groups.values()) {
    const base = group.find((r) => r.baseline) ?? group[0];
    for (const row of group) ratios.push(row.avg / base.avg);
  }
  const LABEL = 24 + CHAR * Math.max(...rows.map((row) => row.name.length));
  const WIDTH = Math.ceil(LABEL + BAR_MAX + VALUE);
  const lo = Math.min(0.1, ...ratios);
  const hi = Math.max(10, ...ratios);
  const span = Math.log10(hi) - Math.log10(lo);
  const x = (ratio: number) =>
    LABEL + ((Math.log10(ratio) - Math.log10(lo)) / span) * BAR_MAX;

  const parts: string[] = [];
  let y = 36;
  for (const [title, group] of groups) {
    const base = group.find((r) => r.baseline) ?? group[0];
    parts.push(
      `<text x="8" y="${y + 18}" class="group">${escape(title)}</text>`,
    );
    y += HEADING;
    for (const row of group) {
      const ratio = row.avg / base.avg;
      const x0 = x(Math.min(1, ratio));
      const x1 = x(Math.max(1, ratio));
      const kind = row.baseline ? "base" : ratio <= 1 ? "fast" : "slow";
      parts.push(
        `<text x="${LABEL - 8}" y="${y + 14}" class="label${
          ours(row) ? " ours" : ""
        }">${escape(row.name)}</text>`,
        `<rect x="${x0.toFixed(1)}" y="${y + 3}" width="${
          Math.max(2, x1 - x0).toFixed(1)
        }" height="${ROW - 6}" class="${kind}"/>`,
        `<text x="${(x1 + 4).toFixed(1)}" y="${y + 14}" class="value">${
          ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)
        }x</text>`,
      );
      y += ROW;
    }
    y += 6;
  }
  const height = y + 24;
  const ticks = [0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 3000, 10000].filter(
    (t) => t >= lo && t <= hi,
  );
  const axis = ticks.map((t) =>
    `<line x1="${x(t).toFixed(1)}" y1="30" x2="${x(t).toFixed(1)}" y2="${
      height - 20
    }" class="${t === 1 ? "one" : "grid"}"/><text x="${x(t).toFixed(1)}" y="${
      height - 6
    }" class="tick">${t}x</text>`
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    "<style>",
    ".group{font-weight:600;font-size:13px}.label{text-anchor:end}",
    ".ours{font-weight:600}",
    ".value{fill:#333}.tick{text-anchor:middle;fill:#666}",
    ".grid{stroke:#ddd}.one{stroke:#333;stroke-dasharray:4 3}",
    ".base{fill:#888}.fast{fill:#2a9d8f}.slow{fill:#e76f51}",
    "</style>",
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    `<text x="8" y="20" class="group">Time relative to each group's baseline (log scale; left of the dashed line is faster)</text>`,
    ...axis,
    ...parts,
    "</svg>",
  ].join("\n");
}
