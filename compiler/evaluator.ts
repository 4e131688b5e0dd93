// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Evaluation, the last step of the tutorial's compiler: the
 * {@linkcode Evaluator} walks the tree with generator visit methods, so the
 * tutorial's `0 + 1 + 2 + ... + 999` (and a million terms) comes out as a
 * number instead of "maximum recursion depth exceeded".
 *
 * @module
 */

import { describe } from "../_core/describe.ts";
import type { BinOp, Num, UnaryOp } from "./ast.ts";
import { DivisionByZeroError } from "./errors.ts";
import { parse } from "./parser.ts";
import { NodeVisitor, type Visiting } from "./visitor.ts";
import { locate, where } from "./_source.ts";

/** Options of {@linkcode Evaluator}. */
export interface EvaluatorOptions {
  /**
   * The source text of the trees it evaluates, so that a division by zero
   * can say the line and column of its `/` and show the line.
   */
  source?: string;
}

/**
 * Computes the value of a tree, as in the tutorial:
 * `visitBinOp` yields its two operands and combines what comes back. Every
 * depth of tree works. Dividing by zero throws a
 * {@linkcode DivisionByZeroError} at the `/` instead of giving `Infinity`.
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

  /**
   * Makes an evaluator.
   *
   * @param options The source text, for positions in errors.
   */
  constructor(options?: EvaluatorOptions) {
    super();
    this.#source = options?.source;
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
   */
  *visitBinOp(node: BinOp): Visiting<number> {
    const left = yield node.left;
    const right = yield node.right;
    switch (node.op) {
      case "+":
        return left + right;
      case "-":
        return left - right;
      case "*":
        return left * right;
      case "/":
        if (right === 0) throw this.#divisionByZero(node);
        return left / right;
    }
    throw new TypeError(
      `Cannot evaluate: unknown operator ${
        describe((node as { op: unknown }).op)
      }; the Evaluator knows "+", "-", "*" and "/", so override visitBinOp for others`,
    );
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
    const offset = node.offset;
    const source = this.#source;
    if (offset === undefined) {
      return new DivisionByZeroError(
        'Cannot evaluate: division by zero, the right side of a "/" is 0',
      );
    }
    if (source === undefined) {
      return new DivisionByZeroError(
        `Cannot evaluate: division by zero, the right side of the "/" at offset ${offset} is 0`,
        { offset },
      );
    }
    const position = locate(source, offset);
    return new DivisionByZeroError(
      `Cannot evaluate: division by zero, the right side of the "/" at ${
        where(position)
      } is 0`,
      { ...position, source },
    );
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
 * @throws {TypeError} If `text` is not a string.
 */
export function evaluate(text: string, options?: EvaluateOptions): number {
  if (typeof text !== "string") {
    throw new TypeError(
      `Cannot evaluate: expected a string, got ${
        describe(text)
      }; to evaluate a tree, use new Evaluator().visit(tree)`,
    );
  }
  const tree = parse(text, { maxDepth: options?.maxDepth });
  return new Evaluator({ source: text }).visit(tree);
}
