// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Evaluation, the last step of the tutorial's compiler: the
 * {@linkcode Evaluator} walks the tree with generator visit methods, so the
 * tutorial's `0 + 1 + 2 + ... + 999` (and a million terms) comes out as a
 * number instead of "maximum recursion depth exceeded".
 *
 * @module
 */

import { checkCount } from "../_core/checks.ts";
import { describe } from "../_core/describe.ts";
import type { BinOp, Num, UnaryOp } from "./ast.ts";
import {
  type ArithmeticErrorOptions,
  DivisionByZeroError,
  OverflowError,
} from "./errors.ts";
import { parse } from "./parser.ts";
import { NodeVisitor, type Visiting } from "./visitor.ts";
import { locate, where } from "./_source.ts";

/** Options of {@linkcode Evaluator}. */
export interface EvaluatorOptions {
  /**
   * The source text of the trees it evaluates, so that a division by zero
   * or an overflow can say the line and column of its operator and show the
   * line.
   */
  source?: string;
  /**
   * The number of the source text's first line.
   *
   * @default {1}
   */
  startLine?: number;
}

/**
 * Computes the value of a tree, as in the tutorial:
 * `visitBinOp` yields its two operands and combines what comes back. Every
 * depth of tree works. Dividing by zero throws a
 * {@linkcode DivisionByZeroError} at the `/` instead of giving `Infinity`,
 * and a result too large to represent throws an {@linkcode OverflowError} at
 * its operator.
 *
 * @example
 * ```ts
 * import { Evaluator, parse } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * const text = Array.from({ length: 1000 }, (_, i) => i).join("+");
 * assert.equal(new Evaluator().visit(parse(text)), 499500);
 * ```
 *
 * @example Extend it: a subclass can override any visit method
 * ```ts
 * import { type BinOp, Evaluator, parse, type Visiting } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * // Division that rounds toward zero.
 * class IntegerEvaluator extends Evaluator {
 *   override *visitBinOp(node: BinOp): Visiting<number> {
 *     const value = yield* super.visitBinOp(node);
 *     return node.op === "/" ? Math.trunc(value) : value;
 *   }
 * }
 * assert.equal(new IntegerEvaluator().visit(parse("7 / 2 + 1")), 4);
 * ```
 */
export class Evaluator extends NodeVisitor<number> {
  #source: string | undefined;
  #startLine: number;

  /**
   * Makes an evaluator.
   *
   * @param options The source text and its first line's number, for
   * positions in errors.
   * @throws {RangeError} If `startLine` is not a whole number of at least 1.
   */
  constructor(options?: EvaluatorOptions) {
    super();
    this.#source = options?.source;
    this.#startLine = checkCount(options?.startLine ?? 1, {
      action: "make an Evaluator",
      name: "option startLine",
      min: 1,
    });
  }

  /**
   * A number's value.
   *
   * @example
   * ```ts
   * import { Evaluator, num } from "@frontier/generators/compiler";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Evaluator().visitNum(num(3)), 3);
   * ```
   *
   * @param node The number.
   * @returns Its value.
   */
  visitNum(node: Num): number {
    return node.value;
  }

  /**
   * Yields both operands, then combines their values.
   *
   * @example
   * ```ts
   * import { binOp, Evaluator, num } from "@frontier/generators/compiler";
   * import assert from "node:assert/strict";
   *
   * // Driven by hand, as the tutorial does with send():
   * const three = num(3);
   * const four = num(4);
   * const gen = new Evaluator().visitBinOp(binOp("*", three, four));
   * assert.equal(gen.next().value, three); // yields the left operand
   * assert.equal(gen.next(3).value, four); // gets its value, yields the right
   * assert.deepEqual(gen.next(4), { done: true, value: 12 });
   * ```
   *
   * @param node The operation.
   * @returns A generator that yields the operands and returns the result.
   * @throws {DivisionByZeroError} If the right side of a `/` is zero.
   * @throws {OverflowError} If the result of finite operands is too large
   * to represent.
   */
  *visitBinOp(node: BinOp): Visiting<number> {
    const left = yield node.left;
    const right = yield node.right;
    let value: number;
    switch (node.op) {
      case "+":
        value = left + right;
        break;
      case "-":
        value = left - right;
        break;
      case "*":
        value = left * right;
        break;
      case "/":
        if (right === 0) throw this.#divisionByZero(node);
        value = left / right;
        break;
      default:
        throw new TypeError(
          `Cannot evaluate: unknown operator ${
            describe((node as { op: unknown }).op)
          }; the Evaluator knows "+", "-", "*" and "/", so override visitBinOp for others`,
        );
    }
    // `x - x` is 0 for every finite x, NaN for the infinities: one cheap
    // test on the hot path. Infinite operands come only from hand-made
    // nodes, and carry on as they are.
    if (value - value !== 0 && left - left === 0 && right - right === 0) {
      throw this.#overflow(node, left, right);
    }
    return value;
  }

  /**
   * Yields the operand, then negates its value.
   *
   * @example
   * ```ts
   * import { Evaluator, parse } from "@frontier/generators/compiler";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Evaluator().visit(parse("--2")), 2);
   * ```
   *
   * @param node The operation.
   * @returns A generator that yields the operand and returns the result.
   */
  *visitUnaryOp(node: UnaryOp): Visiting<number> {
    if (node.op !== "-") {
      throw new TypeError(
        `Cannot evaluate: unknown unary operator ${
          describe(node.op)
        }; the Evaluator knows "-", so override visitUnaryOp for others`,
      );
    }
    return -(yield node.operand);
  }

  #divisionByZero(node: BinOp): DivisionByZeroError {
    const { at, options } = this.#locate(node);
    return new DivisionByZeroError(
      `Cannot evaluate: division by zero, the right side of ${at} is 0`,
      options,
    );
  }

  #overflow(node: BinOp, left: number, right: number): OverflowError {
    const { at, options } = this.#locate(node);
    return new OverflowError(
      `Cannot evaluate: overflow, the result of ${at} is too large to represent (beyond ±1.8e308): ${left} ${node.op} ${right}`,
      options,
    );
  }

  // Where the operator of `node` is: for the message (`the "/" at line 1,
  // column 7`), and for the error's fields, as far as it is known.
  #locate(node: BinOp): { at: string; options?: ArithmeticErrorOptions } {
    const offset = node.offset;
    const source = this.#source;
    const op = JSON.stringify(node.op);
    if (offset === undefined) return { at: `a ${op}` };
    if (source === undefined) {
      return { at: `the ${op} at offset ${offset}`, options: { offset } };
    }
    const position = locate(source, offset, this.#startLine);
    return {
      at: `the ${op} at ${where(position)}`,
      options: { ...position, source },
    };
  }
}

/** Options of {@linkcode evaluate}. */
export interface EvaluateOptions {
  /**
   * The deepest tree allowed, in nodes from the root to the deepest leaf;
   * a deeper one is a `ParseError` (see `ParseOptions`). Defaults to
   * `Infinity`: evaluation works at any depth.
   */
  maxDepth?: number;
  /**
   * The number of the text's first line, for text that comes from further
   * down a file: errors give their line counting from it.
   *
   * @default {1}
   */
  startLine?: number;
}

/**
 * Evaluates an expression: {@linkcode parse} then {@linkcode Evaluator}.
 *
 * @example
 * ```ts
 * import { evaluate } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * assert.equal(evaluate("2 + 3 * 4 - 5"), 9);
 * assert.equal(evaluate("-(1.5 + .5) * 2."), -4);
 * assert.throws(() => evaluate("1 / 0"), { name: "DivisionByZeroError" });
 * ```
 *
 * @param text The expression.
 * @param options A depth limit for the tree.
 * @returns Its value.
 * @throws {LexError} At a character that cannot start a token.
 * @throws {ParseError} At the first token that does not fit the grammar.
 * @throws {DivisionByZeroError} If something is divided by zero.
 * @throws {OverflowError} If a result is too large to represent.
 * @throws {TypeError} If `text` is not a string.
 * @throws {RangeError} If `maxDepth` or `startLine` is not a whole number of
 * at least 1.
 */
export function evaluate(text: string, options?: EvaluateOptions): number {
  if (typeof text !== "string") {
    throw new TypeError(
      `Cannot evaluate: expected a string, got ${
        describe(text)
      }; to evaluate a tree, use new Evaluator().visit(tree)`,
    );
  }
  const startLine = options?.startLine;
  const tree = parse(text, { maxDepth: options?.maxDepth, startLine });
  return new Evaluator({ source: text, startLine }).visit(tree);
}
