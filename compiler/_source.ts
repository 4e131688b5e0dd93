// Copyright 2026 the @frontier/generators authors. MIT license.
// Positions in source text and how errors show them to people: the line with
// a caret under the offending character.

/** A position: `offset` counts UTF-16 code units from 0, `line` and `column` from 1. */
export interface Position {
  offset: number;
  line: number;
  column: number;
}

const LF = 10;
const CR = 13;
const LS = 0x2028;
const PS = 0x2029;

/** Whether `code` ends a line: LF, CR, U+2028 or U+2029 (as in JavaScript). */
export function isLineBreak(code: number): boolean {
  return code === LF || code === CR || code === LS || code === PS;
}

/**
 * The line and column of `offset` in `source` (a CR LF pair ends one line),
 * counting lines from `startLine`. Only errors call this, so a scan from the
 * start is fine.
 */
export function locate(
  source: string,
  offset: number,
  startLine = 1,
): Position {
  const end = Math.max(0, Math.min(offset, source.length));
  let line = startLine;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    const c = source.charCodeAt(i);
    if (!isLineBreak(c)) continue;
    if (c === CR && source.charCodeAt(i + 1) === LF) i++;
    line++;
    lineStart = i + 1;
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/**
 * Where the lines seen so far start, to find the line and column of an
 * earlier offset without scanning the text again.
 */
export class LineStarts {
  #lines: number[];
  #starts: number[] = [0];

  /** @param startLine The number of the first line. */
  constructor(startLine = 1) {
    this.#lines = [startLine];
  }

  /** Records that `line` starts at `offset` (lines only grow). */
  add(line: number, offset: number): void {
    if (line > this.#lines[this.#lines.length - 1]) {
      this.#lines.push(line);
      this.#starts.push(offset);
    }
  }

  /** The position of `offset`, on the last recorded line that starts at or before it. */
  position(offset: number): Position {
    const starts = this.#starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { offset, line: this.#lines[low], column: offset - starts[low] + 1 };
  }
}

/** `line 3, column 7`, for messages. */
export function where(position: Position): string {
  return `line ${position.line}, column ${position.column}`;
}

// How much of a long line is shown around the caret: a million-term
// expression is one line, and nobody wants all of it echoed back.
const WIDTH = 100;
const BEFORE = 60;

// Whitespace other than tab is drawn as a plain space, and control characters
// as U+FFFD, so the echoed line cannot move the cursor or ring the bell and
// the caret stays under the right character.
const SPACE = /[^\S\t]/gu;
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/gu;

function clean(text: string): string {
  return text.replace(SPACE, " ").replace(CONTROL, "\ufffd");
}

/**
 * The source line that holds `offset`, and under it a caret at `offset`.
 * Long lines are cut to a window around the caret, marked with `…`.
 */
export function showLine(source: string, offset: number): string {
  const at = Math.max(0, Math.min(offset, source.length));
  let start = at;
  while (start > 0 && !isLineBreak(source.charCodeAt(start - 1))) start--;
  let end = at;
  while (end < source.length && !isLineBreak(source.charCodeAt(end))) end++;
  let from = start;
  let to = end;
  if (to - from > WIDTH) {
    from = Math.max(start, at - BEFORE);
    to = Math.min(end, from + WIDTH);
    from = Math.max(start, to - WIDTH);
    // Never cut a surrogate pair in half.
    if (from > start && isLowSurrogate(source.charCodeAt(from))) from++;
    if (to < end && isLowSurrogate(source.charCodeAt(to))) to++;
  }
  const head = from > start ? "…" : "";
  const tail = to < end ? "…" : "";
  const text = head + clean(source.slice(from, to)) + tail;
  const pad = head.length === 0 ? "" : " ";
  const indent = pad + clean(source.slice(from, at)).replace(/[^\t]/gu, " ");
  return `${text}\n${indent}^`;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Renders an error for people: the source line, a caret under the position,
 * then `Name: message`. Without the source, only the last part.
 */
export function render(
  error: Error,
  source: string | undefined,
  offset: number | undefined,
): string {
  const headline = `${error.name}: ${error.message}`;
  if (source === undefined || offset === undefined) return headline;
  return `${showLine(source, offset)}\n${headline}`;
}

/** Quotes a piece of source for a message, cutting long ones: `"3.25"`. */
export function quote(text: string): string {
  const short = text.length > 24
    ? `${text.slice(0, 20)}…${text.slice(-3)}`
    : text;
  return JSON.stringify(short);
}

// Letters, digits, punctuation and symbols print as themselves; everything
// else (controls, format characters, unassigned) only by its code point.
const VISIBLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Names one character for a message: `"$"`, `"×" (U+00D7)`, `U+200B`. */
export function describeCharacter(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  if (!VISIBLE.test(char)) return hex;
  return code < 0x80
    ? JSON.stringify(char)
    : `${JSON.stringify(char)} (${hex})`;
}
