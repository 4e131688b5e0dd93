// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * The errors of the compiler, each with the position of what went wrong and
 * a `render()` method that shows it to people: the source line, a caret under
 * the offending character, and the message.
 *
 * @module
 */

import { render } from "./_source.ts";

/** Where an error happened in the source text. */
export interface ErrorPosition {
  /** Offset in UTF-16 code units, from 0. */
  offset: number;
  /** Line, from 1. Lines end at LF, CR, CR LF, U+2028 and U+2029. */
  line: number;
  /** Column, from 1, in UTF-16 code units. */
  column: number;
}

/** Options of {@linkcode LexError}. */
export interface LexErrorOptions extends ErrorPosition, ErrorOptions {
  /** The character that no token can start with. */
  character: string;
  /** The text being tokenized. */
  source: string;
}

/**
 * Thrown by {@linkcode tokenize} (and so by `parse` and `evaluate`) at the
 * first character that cannot start a token. It is a `SyntaxError`.
 *
 * @example
 * ```ts
 * import { LexError, tokenize } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * try {
 *   [...tokenize("2 + $3")];
 *   assert.fail("tokenize accepted $");
 * } catch (error) {
 *   assert.ok(error instanceof LexError);
 *   assert.equal(error.character, "$");
 *   assert.equal(error.column, 5);
 *   assert.equal(error.render(), [
 *     "2 + $3",
 *     "    ^",
 *     'LexError: Cannot tokenize: unexpected character "$" at line 1, column 5',
 *   ].join("\n"));
 * }
 * ```
 */
export class LexError extends SyntaxError {
  /** The character that no token can start with (a whole code point). */
  readonly character: string;
  /** Its offset in UTF-16 code units, from 0. */
  readonly offset: number;
  /** Its line, from 1. */
  readonly line: number;
  /** Its column, from 1. */
  readonly column: number;
  /** The text being tokenized. */
  readonly source: string;

  /**
   * Makes a `LexError`.
   *
   * @param message What is wrong, with the position.
   * @param options The character, its position and the source text.
   */
  constructor(message: string, options: LexErrorOptions) {
    super(message, options);
    this.name = "LexError";
    this.character = options.character;
    this.offset = options.offset;
    this.line = options.line;
    this.column = options.column;
    this.source = options.source;
  }

  /**
   * The source line with a caret under the bad character, then the message.
   * A long line is cut to a window around the caret.
   *
   * @returns Three lines of text, for a terminal.
   */
  render(): string {
    return render(this, this.source, this.offset);
  }
}

/** Options of {@linkcode ParseError}. */
export interface ParseErrorOptions extends ErrorPosition, ErrorOptions {
  /** What was found, as a message shows it: `"*"` or `end of input`. */
  found: string;
  /** What would have been accepted there, e.g. `["a number", '"("']`. */
  expected: readonly string[];
  /** The source text, when it is known. */
  source?: string | undefined;
}

/**
 * Thrown by `parse` (and so by `evaluate`) at the first token that does not
 * fit the grammar. It says what was found and what was expected; the end of
 * input is named as such, and a `(` that is never closed is reported at that
 * parenthesis. It is a `SyntaxError`.
 *
 * @example
 * ```ts
 * import { parse, ParseError } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * try {
 *   parse("2 + * 3");
 *   assert.fail("parse accepted 2 + * 3");
 * } catch (error) {
 *   assert.ok(error instanceof ParseError);
 *   assert.equal(error.found, '"*"');
 *   assert.deepEqual(error.expected, ["a number", '"("', '"-"']);
 *   assert.equal(error.render(), [
 *     "2 + * 3",
 *     "    ^",
 *     'ParseError: Cannot parse: expected a number, "(" or "-" but found "*" at line 1, column 5',
 *   ].join("\n"));
 * }
 * ```
 */
export class ParseError extends SyntaxError {
  /** What was found, as the message shows it: `"*"` or `end of input`. */
  readonly found: string;
  /** What would have been accepted there; empty for a limit such as `maxDepth`. */
  readonly expected: readonly string[];
  /** The offset of the offending token, in UTF-16 code units from 0. */
  readonly offset: number;
  /** Its line, from 1. */
  readonly line: number;
  /** Its column, from 1. */
  readonly column: number;
  /** The source text, when it is known (`parse` of a string always knows). */
  readonly source: string | undefined;

  /**
   * Makes a `ParseError`.
   *
   * @param message What is wrong, with the position.
   * @param options What was found and expected, where, and the source text.
   */
  constructor(message: string, options: ParseErrorOptions) {
    super(message, options);
    this.name = "ParseError";
    this.found = options.found;
    this.expected = options.expected;
    this.offset = options.offset;
    this.line = options.line;
    this.column = options.column;
    this.source = options.source;
  }

  /**
   * The source line with a caret under the offending token, then the
   * message; only the message when the source text is not known.
   *
   * @returns Text for a terminal.
   */
  render(): string {
    return render(this, this.source, this.offset);
  }
}

/** Options of {@linkcode ArithmeticError} and its subclasses. */
export interface ArithmeticErrorOptions
  extends Partial<ErrorPosition>, ErrorOptions {
  /** The source text, when it is known. */
  source?: string | undefined;
}

/** Options of {@linkcode DivisionByZeroError}. */
export type DivisionByZeroErrorOptions = ArithmeticErrorOptions;

/**
 * An operation whose result is not a number a calculator's user would want:
 * {@linkcode DivisionByZeroError} or {@linkcode OverflowError}, at the
 * position of the operator. Catch this class to handle both. It is a
 * `RangeError`, as Python's `ArithmeticError` is the base of
 * `ZeroDivisionError` and `OverflowError`.
 *
 * @example
 * ```ts
 * import { ArithmeticError, evaluate } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * for (const text of ["1 / 0", `${"9".repeat(200)} * ${"9".repeat(200)}`]) {
 *   assert.throws(() => evaluate(text), ArithmeticError);
 * }
 * ```
 */
export class ArithmeticError extends RangeError {
  /** The offset of the operator, when the tree knows it. */
  readonly offset: number | undefined;
  /** Its line, when the source text is known. */
  readonly line: number | undefined;
  /** Its column, when the source text is known. */
  readonly column: number | undefined;
  /** The source text, when it is known. */
  readonly source: string | undefined;

  /**
   * Makes an `ArithmeticError`.
   *
   * @param message What is wrong, with the position when it is known.
   * @param options The position of the operator and the source text, if
   * known.
   */
  constructor(message: string, options?: ArithmeticErrorOptions) {
    super(message, options);
    this.name = "ArithmeticError";
    this.offset = options?.offset;
    this.line = options?.line;
    this.column = options?.column;
    this.source = options?.source;
  }

  /**
   * The source line with a caret under the operator, then the message; only
   * the message when the source text or the position is not known.
   *
   * @returns Text for a terminal.
   */
  render(): string {
    return render(this, this.source, this.offset);
  }
}

/**
 * Thrown by the `Evaluator` (and so by `evaluate`) when the right side of a
 * `/` is zero, at the position of that `/`: the result would be `Infinity` or
 * `NaN`, which is almost never what a calculator's user meant. It is an
 * {@linkcode ArithmeticError}, and so a `RangeError`.
 *
 * @example
 * ```ts
 * import { DivisionByZeroError, evaluate } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => evaluate("1 + 4 / (2 - 2)"), (error) => {
 *   assert.ok(error instanceof DivisionByZeroError);
 *   assert.equal(error.column, 7);
 *   assert.equal(error.render(), [
 *     "1 + 4 / (2 - 2)",
 *     "      ^",
 *     'DivisionByZeroError: Cannot evaluate: division by zero, the right side of the "/" at line 1, column 7 is 0',
 *   ].join("\n"));
 *   return true;
 * });
 * ```
 */
export class DivisionByZeroError extends ArithmeticError {
  /**
   * Makes a `DivisionByZeroError`.
   *
   * @param message What is wrong; it should say "division by zero".
   * @param options The position of the `/` and the source text, if known.
   */
  constructor(message: string, options?: DivisionByZeroErrorOptions) {
    super(message, options);
    this.name = "DivisionByZeroError";
  }
}

/**
 * Thrown by the `Evaluator` (and so by `evaluate`) when an operation on two
 * finite numbers gives a result too large to represent (beyond about
 * ±1.8e308), at the position of its operator: the result would be
 * `Infinity`, and every later step would carry it on silently. (A result
 * too close to zero becomes 0, or the nearest tiny number, as IEEE 754 and
 * Python have it; a written number too small to represent is a `ParseError`.)
 * It is an {@linkcode ArithmeticError}, and so a `RangeError`.
 *
 * @example
 * ```ts
 * import { evaluate, OverflowError } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * const big = "1" + "0".repeat(308); // 1e308, written out
 * assert.throws(() => evaluate(`${big} * 10`), (error) => {
 *   assert.ok(error instanceof OverflowError);
 *   assert.equal(error.column, 311);
 *   assert.equal(
 *     error.message,
 *     'Cannot evaluate: overflow, the result of the "*" at line 1, column 311 is too large to represent (beyond ±1.8e308): 1e+308 * 10',
 *   );
 *   return true;
 * });
 * ```
 */
export class OverflowError extends ArithmeticError {
  /**
   * Makes an `OverflowError`.
   *
   * @param message What is wrong; it should say "overflow".
   * @param options The position of the operator and the source text, if
   * known.
   */
  constructor(message: string, options?: ArithmeticErrorOptions) {
    super(message, options);
    this.name = "OverflowError";
  }
}
