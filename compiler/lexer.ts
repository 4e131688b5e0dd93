// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Lexing, the first step of the tutorial's compiler: {@linkcode tokenize}
 * turns `2 + 3 * 4 - 5` into `NUM PLUS NUM TIMES NUM MINUS NUM`, lazily.
 *
 * @module
 */

import { describe } from "../_core/describe.ts";
import {
  END,
  NUM,
  Scanner,
  TOKEN_TEXTS,
  tokenSources,
  TYPE_NAMES,
} from "./_scanner.ts";

/** The kinds of token, named as in the tutorial. */
export type TokenType =
  | "NUM"
  | "PLUS"
  | "MINUS"
  | "TIMES"
  | "DIVIDE"
  | "LPAREN"
  | "RPAREN";

/** One token of the source text. */
export interface Token {
  /** What kind of token it is. */
  readonly type: TokenType;
  /** The text it matched, e.g. `"3.25"` or `"*"`. */
  readonly value: string;
  /** Where it starts, in UTF-16 code units from 0. */
  readonly offset: number;
  /** Its line, from 1. Lines end at LF, CR, CR LF, U+2028 and U+2029. */
  readonly line: number;
  /** Its column, from 1. */
  readonly column: number;
}

/**
 * Splits `text` into tokens, lazily: each token is read when it is asked for.
 * Numbers are integers or decimals (`42`, `3.25`, `.5`, `2.`); whitespace of
 * every kind (JavaScript's `\s`, line breaks included) is skipped. Any other
 * character throws a {@linkcode LexError} with its position as soon as the
 * scan reaches it: no input is ever dropped silently.
 *
 * @example The tutorial's example
 * ```ts
 * import { tokenize } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * const tokens = [...tokenize("2 + 3 * 4 - 5")];
 * assert.deepEqual(tokens.map((t) => t.type), [
 *   "NUM", "PLUS", "NUM", "TIMES", "NUM", "MINUS", "NUM",
 * ]);
 * assert.deepEqual(tokens[2], {
 *   type: "NUM", value: "3", offset: 4, line: 1, column: 5,
 * });
 * ```
 *
 * @example Bad input stops the scan at once, where it is
 * ```ts
 * import { LexError, tokenize } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * const tokens = tokenize("1 +\n 2 ? 3");
 * assert.equal(tokens.next().value?.value, "1");
 * assert.equal(tokens.next().value?.value, "+");
 * assert.equal(tokens.next().value?.value, "2");
 * assert.throws(() => tokens.next(), {
 *   name: "LexError",
 *   message: 'Cannot tokenize: unexpected character "?" at line 2, column 4',
 * });
 * ```
 *
 * @param text The source text.
 * @returns A generator of the tokens, in order.
 * @throws {TypeError} At once, if `text` is not a string.
 * @throws {LexError} While iterating, at a character that cannot start a
 * token.
 */
export function tokenize(text: string): Generator<Token, void, undefined> {
  if (typeof text !== "string") {
    throw new TypeError(
      `Cannot tokenize: expected a string, got ${describe(text)}`,
    );
  }
  const tokens = scan(text);
  tokenSources.set(tokens, text);
  return tokens;
}

function* scan(text: string): Generator<Token, void, undefined> {
  const scanner = new Scanner(text);
  for (let code = scanner.next(); code !== END; code = scanner.next()) {
    yield {
      type: TYPE_NAMES[code] as TokenType,
      value: code === NUM ? scanner.tokenText() : TOKEN_TEXTS[code],
      offset: scanner.offset,
      line: scanner.line,
      column: scanner.column,
    };
  }
}
