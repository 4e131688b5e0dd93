// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Parsing: {@linkcode parse} turns text or tokens into a tree of
 * {@linkcode Node}s, for the tutorial's grammar plus parentheses and unary
 * minus:
 *
 * ```
 * expr   ::= term { ("+" | "-") term }
 * term   ::= factor { ("*" | "/") factor }
 * factor ::= NUM | "(" expr ")" | "-" factor
 * ```
 *
 * @module
 */

import { describe } from "../_core/describe.ts";
import { checkCount } from "../_core/checks.ts";
import type { Node } from "./ast.ts";
import { ParseError } from "./errors.ts";
import type { Token } from "./lexer.ts";
import { LineStarts, type Position, quote } from "./_source.ts";
import {
  DIVIDE,
  END,
  LPAREN,
  MINUS,
  NUM,
  PLUS,
  RPAREN,
  Scanner,
  TIMES,
  tokenSources,
} from "./_scanner.ts";

/** Options of {@linkcode parse}. */
export interface ParseOptions {
  /**
   * The deepest tree allowed, counted in nodes from the root to the deepest
   * leaf (a lone number is 1 deep; parentheses add no depth of their own).
   * A deeper tree is a {@linkcode ParseError} at the operator that went too
   * deep. Set it when the tree goes to code that recurses; everything in
   * this module works at any depth. Defaults to `Infinity`.
   */
  maxDepth?: number;
  /**
   * The source text of the tokens, so that errors can show the line. Not
   * needed for a string, nor for the generator that `tokenize` returns.
   */
  source?: string;
  /**
   * The number of the text's first line, for text that comes from further
   * down a file (`calc` gives each line of its input its own number). Only
   * for a string: tokens bring their own lines.
   *
   * @default {1}
   */
  startLine?: number;
}

// What parse reads tokens from: a Scanner over a string, or a TokenReader
// over an iterable of tokens.
interface Lexer {
  offset: number;
  line: number;
  column: number;
  next(): number;
  numberValue(): number;
  tokenText(): string;
  position(offset: number): Position;
}

/**
 * Parses `input`, a string or tokens from {@linkcode tokenize}, into a tree.
 * Operators are left-associative; `*` and `/` bind tighter than `+` and `-`,
 * and unary minus tighter than both (`-2 * 3` is `(-2) * 3`).
 *
 * The parser is itself stack-safe: it keeps pending operators on an explicit
 * stack, never on the call stack, so a million nested parentheses, a million
 * unary minuses or a right-deep `1-(2-(3-...))` a million deep all parse.
 * (Measured against the tutorial's trick applied to the parser, grammar
 * rules as generators that yield the sub-rule they need, it was 1.2x (a
 * flat sum) to 14x (nested parentheses) faster at a million deep; see
 * `bench/compiler_bench.ts`.)
 *
 * @example The tutorial's expression
 * ```ts
 * import { parse } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * const tree = parse("2 + 3 * 4 - 5");
 * assert.equal(tree.kind, "BinOp");
 * if (tree.kind === "BinOp") {
 *   assert.equal(tree.op, "-");
 *   assert.deepEqual(tree.right, { kind: "Num", value: 5, offset: 12 });
 * }
 * ```
 *
 * @example Errors say where, what was found and what was expected
 * ```ts
 * import { parse } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => parse("2 * (3 + 4"), {
 *   name: "ParseError",
 *   message:
 *     'Cannot parse: the "(" at line 1, column 5 is never closed; expected ")" but found end of input',
 * });
 * assert.throws(() => parse("2 +"), {
 *   name: "ParseError",
 *   message:
 *     'Cannot parse: expected a number, "(" or "-" but found end of input at line 1, column 4',
 * });
 * ```
 *
 * @example A million nested parentheses
 * ```ts
 * import { parse } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * const n = 1_000_000;
 * assert.equal(parse("(".repeat(n) + "7" + ")".repeat(n)).kind, "Num");
 * ```
 *
 * @param input The source text, or an iterable of tokens.
 * @param options A depth limit; the source text of tokens.
 * @returns The root of the tree.
 * @throws {LexError} At a character that cannot start a token.
 * @throws {ParseError} At the first token that does not fit the grammar,
 * or at a number too large or too small (but not 0) for a double.
 * @throws {TypeError} If `input` is neither a string nor an iterable of
 * tokens.
 * @throws {TypeError} If an item of the tokens is not a token; the message
 * gives its index.
 * @throws {RangeError} If `maxDepth` or `startLine` is not a whole number of
 * at least 1.
 */
export function parse(
  input: string | Iterable<Token>,
  options?: ParseOptions,
): Node {
  const maxDepth = checkCount(options?.maxDepth ?? Infinity, {
    action: "parse",
    name: "option maxDepth",
    min: 1,
    infinite: true,
  });
  const startLine = checkCount(options?.startLine ?? 1, {
    action: "parse",
    name: "option startLine",
    min: 1,
  });
  if (typeof input === "string") {
    return run(new Scanner(input, startLine), maxDepth, input);
  }
  const iterator = typeof input === "object" && input !== null &&
      typeof (input as Iterable<Token>)[Symbol.iterator] === "function"
    ? (input as Iterable<Token>)[Symbol.iterator]()
    : undefined;
  if (iterator === undefined) {
    throw new TypeError(
      `Cannot parse: expected a string or an iterable of tokens, got ${
        describe(input)
      }`,
    );
  }
  const source = options?.source ?? tokenSources.get(input);
  return run(new TokenReader(iterator), maxDepth, source);
}

// Codes on the operator stack besides the operators' character codes.
const UNARY = 1;
const PAREN = 2;

// Binding power of what may be on the operator stack; a parenthesis has 0,
// so no operator reduces past it.
const PRECEDENCE = new Uint8Array(128);
PRECEDENCE[PLUS] = 1;
PRECEDENCE[MINUS] = 1;
PRECEDENCE[TIMES] = 2;
PRECEDENCE[DIVIDE] = 2;
PRECEDENCE[UNARY] = 3;

const OPERATORS: Record<number, "+" | "-" | "*" | "/"> = {
  [PLUS]: "+",
  [MINUS]: "-",
  [TIMES]: "*",
  [DIVIDE]: "/",
};

const NONZERO = /[1-9]/;

const OPERAND = ["a number", '"("', '"-"'];
const AFTER_OPERAND = ["an operator", "end of input"];
const AFTER_OPERAND_IN_PARENS = ["an operator", '")"'];

function run(lexer: Lexer, maxDepth: number, source?: string): Node {
  return new OperatorParser(lexer, maxDepth, source).parse();
}

// Operator precedence with explicit stacks (shunting-yard): operands waiting
// for their operator, and operators (with unary minus and open parentheses)
// waiting for their right operand. A state machine alternates between
// expecting an operand and expecting what may follow one. (A class rather
// than closures, so that optimized code is shared by every parse.)
class OperatorParser {
  readonly lexer: Lexer;
  readonly maxDepth: number;
  readonly limited: boolean;
  readonly source: string | undefined;
  readonly operands: Node[] = [];
  readonly depths: number[] = []; // of each operand, only when limited
  readonly ops: number[] = [];
  readonly opOffsets: number[] = [];
  // How many "(" are open.
  parens = 0;

  constructor(lexer: Lexer, maxDepth: number, source: string | undefined) {
    this.lexer = lexer;
    this.maxDepth = maxDepth;
    this.limited = maxDepth !== Infinity;
    this.source = source;
  }

  parse(): Node {
    const lexer = this.lexer;
    const operands = this.operands;
    let code = lexer.next();
    for (;;) {
      // Expecting an operand: unary minuses and "(", then a number.
      while (code !== NUM) {
        if (code === MINUS) {
          this.push(UNARY);
        } else if (code === LPAREN) {
          this.push(PAREN);
          this.parens++;
        } else {
          throw this.fail(OPERAND, code, "");
        }
        code = lexer.next();
      }
      const value = lexer.numberValue();
      if (value === Infinity) throw this.outOfRange("large");
      // A number written with a digit other than 0 that still reads as 0 is
      // below the smallest double: taking it as 0 would turn `1 / 1e-400`
      // (written out) into a division by zero.
      if (value === 0 && NONZERO.test(lexer.tokenText())) {
        throw this.outOfRange("small");
      }
      operands.push({ kind: "Num", value, offset: lexer.offset });
      if (this.limited) this.depths.push(1);
      code = lexer.next();

      // Expecting an operator, ")" or the end; each ")" closes its "(".
      for (;;) {
        if (
          code === PLUS || code === MINUS || code === TIMES || code === DIVIDE
        ) {
          this.reduce(PRECEDENCE[code]);
          this.push(code);
          break;
        }
        if (code === RPAREN) {
          this.reduce(1);
          if (this.ops.length === 0) {
            throw this.fail(AFTER_OPERAND, code, ' (no "(" is open)');
          }
          this.ops.pop();
          this.opOffsets.pop();
          this.parens--;
          code = lexer.next();
          continue;
        }
        if (code === END) {
          this.reduce(1);
          if (this.parens > 0) throw this.unclosed();
          return operands[0];
        }
        throw this.fail(
          this.parens > 0 ? AFTER_OPERAND_IN_PARENS : AFTER_OPERAND,
          code,
          "",
        );
      }
      code = lexer.next();
    }
  }

  push(code: number): void {
    this.ops.push(code);
    this.opOffsets.push(this.lexer.offset);
  }

  // Pops operators that bind at least as tightly as `precedence` into nodes.
  reduce(precedence: number): void {
    const ops = this.ops;
    const operands = this.operands;
    for (let top = ops.length - 1; top >= 0; top--) {
      const code = ops[top];
      if (code === PAREN || PRECEDENCE[code] < precedence) return;
      ops.pop();
      const offset = this.opOffsets.pop()!;
      const last = operands.length - 1;
      if (code === UNARY) {
        operands[last] = {
          kind: "UnaryOp",
          op: "-",
          operand: operands[last],
          offset,
        };
      } else {
        const right = operands.pop()!;
        operands[last - 1] = {
          kind: "BinOp",
          op: OPERATORS[code],
          left: operands[last - 1],
          right,
          offset,
        };
      }
      if (this.limited) this.measure(code, offset);
    }
  }

  // Keeps the depth of each operand, and stops at the first too deep.
  measure(code: number, offset: number): void {
    const depths = this.depths;
    let depth: number;
    if (code === UNARY) {
      depth = ++depths[depths.length - 1];
    } else {
      const right = depths.pop()!;
      const last = depths.length - 1;
      depth = depths[last] = Math.max(depths[last], right) + 1;
    }
    if (depth > this.maxDepth) {
      const { line, column } = this.lexer.position(offset);
      const found = quote(code === UNARY ? "-" : OPERATORS[code]);
      throw new ParseError(
        `Cannot parse: the expression is nested deeper than maxDepth (${this.maxDepth}) at line ${line}, column ${column}; raise maxDepth or simplify the expression`,
        { offset, line, column, found, expected: [], source: this.source },
      );
    }
  }

  fail(expected: string[], code: number, hint: string): ParseError {
    const { offset, line, column } = this.lexer;
    const found = code === END ? "end of input" : quote(this.lexer.tokenText());
    return new ParseError(
      `Cannot parse: expected ${
        list(expected)
      } but found ${found} at line ${line}, column ${column}${hint}`,
      { offset, line, column, found, expected, source: this.source },
    );
  }

  outOfRange(size: "large" | "small"): ParseError {
    const { offset, line, column } = this.lexer;
    const found = quote(this.lexer.tokenText());
    const [limit, expected] = size === "large"
      ? ["the largest is about 1.8e308", "a number below 1.8e308"]
      : [
        "the smallest above 0 is about 5e-324",
        "0 or a number of about 5e-324 or more",
      ];
    return new ParseError(
      `Cannot parse: the number ${found} at line ${line}, column ${column} is too ${size}; ${limit}`,
      {
        offset,
        line,
        column,
        found,
        expected: [expected],
        source: this.source,
      },
    );
  }

  // The innermost "(" still open at the end.
  unclosed(): ParseError {
    // reduce() stopped at it: it is on top of the operator stack.
    const offset = this.opOffsets[this.opOffsets.length - 1];
    const { line, column } = this.lexer.position(offset);
    return new ParseError(
      `Cannot parse: the "(" at line ${line}, column ${column} is never closed; expected ")" but found end of input`,
      {
        offset,
        line,
        column,
        found: "end of input",
        expected: ['")"'],
        source: this.source,
      },
    );
  }
}

// `a, b or c`
function list(items: readonly string[]): string {
  return items.length < 2
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

const TOKEN_CODES: Record<string, number> = {
  NUM,
  PLUS,
  MINUS,
  TIMES,
  DIVIDE,
  LPAREN,
  RPAREN,
};
const NUMBER = /^(?:\d+\.?\d*|\.\d+)$/;

// Reads tokens from an iterable, checking each, and presents them the way
// the Scanner does.
class TokenReader implements Lexer {
  offset = 0;
  line = 1;
  column = 1;
  #iterator: Iterator<Token>;
  #index = 0;
  #text = "";
  #lineStarts = new LineStarts();

  constructor(iterator: Iterator<Token>) {
    this.#iterator = iterator;
  }

  tokenText(): string {
    return this.#text;
  }

  numberValue(): number {
    return +this.#text;
  }

  position(offset: number): Position {
    return this.#lineStarts.position(offset);
  }

  next(): number {
    const result = this.#iterator.next();
    if (result.done) {
      // The end is just after the last token.
      this.offset += this.#text.length;
      this.column += this.#text.length;
      this.#text = "";
      return END;
    }
    const token = result.value;
    const code = checkToken(token, this.#index++);
    if (token.line !== this.line) {
      this.#lineStarts.add(token.line, token.offset - token.column + 1);
    }
    this.offset = token.offset;
    this.line = token.line;
    this.column = token.column;
    this.#text = token.value;
    return code;
  }
}

// The token's code, after checking every field: the tokens may come from
// anywhere.
function checkToken(token: unknown, index: number): number {
  if (typeof token !== "object" || token === null) {
    throw badToken(token, index, "");
  }
  const { type, value, offset, line, column } = token as Record<
    string,
    unknown
  >;
  const code = typeof type === "string" && Object.hasOwn(TOKEN_CODES, type)
    ? TOKEN_CODES[type]
    : undefined;
  if (code === undefined) throw badToken(token, index, "type");
  if (
    typeof value !== "string" ||
    (code === NUM ? !NUMBER.test(value) : value.charCodeAt(0) !== code ||
      value.length !== 1)
  ) {
    throw badToken(token, index, "value");
  }
  if (!isCount(offset, 0)) throw badToken(token, index, "offset");
  if (!isCount(line, 1)) throw badToken(token, index, "line");
  if (!isCount(column, 1)) throw badToken(token, index, "column");
  return code;
}

function badToken(token: unknown, index: number, field: string): TypeError {
  const bad = field === ""
    ? ""
    : ` with a bad ${field}: ${
      describe((token as Record<string, unknown>)[field])
    }`;
  return new TypeError(
    `Cannot parse: expected a token at index ${index}, got ${
      describe(token)
    }${bad}; pass the tokens of tokenize(text), or objects of the same shape (type, value, offset, line, column)`,
  );
}

function isCount(value: unknown, min: number): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= min;
}
