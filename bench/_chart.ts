// Copyright 2026 the @frontier/generators authors. MIT license.
// A small SVG bar chart of each benchmark's ratio to its group's baseline, on
// a log scale (the ratios run from about 0.001x to thousands), with 1x marked.
// A bar's colour says who is faster in its comparison with the baseline: this
// package (green), the other side (orange), or neither, when both sides or
// neither side are this package (grey-blue).

import type { Row } from "./report.ts";

// Bars get this much room; the labels get what their longest one needs.
const BAR_MAX = 500;
const VALUE = 150;
/** Roughly the width of one character of a 12px sans-serif label. */
const CHAR = 6.6;
const ROW = 20;
const HEADING = 28;
const TOP = 64;

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(
    />/g,
    "&gt;",
  );
}

/**
 * A ratio with at least two significant digits: `54x`, `2.31x`, `0.88x`,
 * `0.0018x` (never `0.00x`).
 */
export function formatRatio(ratio: number): string {
  if (ratio >= 10) return `${ratio.toFixed(0)}x`;
  if (ratio >= 1) return `${ratio.toFixed(2)}x`;
  return `${ratio.toPrecision(2)}x`;
}

/** How a row compares with its group's baseline, as words. */
export function compared(ratio: number): string {
  if (formatRatio(ratio) === "1.00x") return "as fast";
  return ratio < 1
    ? `${formatRatio(1 / ratio)} faster`
    : `${formatRatio(ratio)} slower`;
}

/** The class of a bar: who wins the comparison of `row` with `base`. */
export function barKind(
  row: Row,
  base: Row,
  ours: (row: Row) => boolean,
): "base" | "win" | "lose" | "other" {
  if (row === base) return "base";
  const ratio = row.avg / base.avg;
  if (ours(row) === ours(base) || compared(ratio) === "as fast") {
    return "other";
  }
  // The side that is this package is faster when its time is the smaller.
  const oursFaster = ours(row) ? ratio < 1 : ratio > 1;
  return oursFaster ? "win" : "lose";
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
  let y = TOP;
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
      parts.push(
        `<text x="${LABEL - 8}" y="${y + 14}" class="label${
          ours(row) ? " ours" : ""
        }">${escape(row.name)}</text>`,
        `<rect x="${x0.toFixed(1)}" y="${y + 3}" width="${
          Math.max(2, x1 - x0).toFixed(1)
        }" height="${ROW - 6}" class="${barKind(row, base, ours)}"/>`,
        `<text x="${(x1 + 4).toFixed(1)}" y="${y + 14}" class="value">${
          row === base
            ? "baseline"
            : `${compared(ratio)}${
              ours(base) && !ours(row) ? " than ours" : ""
            }`
        }</text>`,
      );
      y += ROW;
    }
    y += 6;
  }
  const height = y + 24;
  const ticks = [
    0.001,
    0.003,
    0.01,
    0.03,
    0.1,
    0.3,
    1,
    3,
    10,
    30,
    100,
    300,
    1000,
    3000,
    10000,
  ].filter((t) => t >= lo && t <= hi);
  const axis = ticks.map((t) =>
    `<line x1="${x(t).toFixed(1)}" y1="${TOP - 6}" x2="${
      x(t).toFixed(1)
    }" y2="${height - 20}" class="${t === 1 ? "one" : "grid"}"/><text x="${
      x(t).toFixed(1)
    }" y="${height - 6}" class="tick">${t}x</text>`
  );
  const legend = [
    ["win", "this package is the faster side"],
    ["lose", "this package is the slower side"],
    ["other", "a comparison between two of ours, or two others"],
  ].map(([kind, text], i) => {
    const left = 8 + i * 300;
    return `<rect x="${left}" y="36" width="12" height="12" class="${kind}"/><text x="${
      left + 18
    }" y="46">${text}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    "<style>",
    ".group{font-weight:600;font-size:13px}.label{text-anchor:end}",
    ".ours{font-weight:600}",
    ".value{fill:#333}.tick{text-anchor:middle;fill:#666}",
    ".grid{stroke:#ddd}.one{stroke:#333;stroke-dasharray:4 3}",
    ".base{fill:#888}.win{fill:#2a9d8f}.lose{fill:#e76f51}.other{fill:#a8b4c4}",
    "</style>",
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    `<text x="8" y="20" class="group">Time of each row against its group's baseline (log scale; left of the dashed line is faster). Rows of this package are in bold.</text>`,
    ...legend,
    ...axis,
    ...parts,
    "</svg>",
  ].join("\n");
}
