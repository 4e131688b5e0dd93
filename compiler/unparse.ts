// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * The way back from a tree to text: {@linkcode unparse} writes an expression
 * that `parse` turns into the same tree.
 *
 * @module
 */

import { describe } from "../_core/describe.ts";
import type { BinOp, Node, Num, UnaryOp } from "./ast.ts";
import { NodeVisitor, type Visiting } from "./visitor.ts";

// How tightly each operator binds.
const PRECEDENCE: Record<string, number> = { "+": 1, "-": 1, "*": 2, "/": 2 };

// Parentheses go where the parser would otherwise group differently: around
// a looser operation, and around an equally tight one on the right (the
// operators are left-associative).
class Unparser extends NodeVisitor<string> {
  visitNum(node: Num): string {
    return formatNumber(node.value);
  }

  *visitBinOp(node: BinOp): Visiting<string> {
    const precedence = PRECEDENCE[node.op];
    let left = yield node.left;
    let right = yield node.right;
    if (node.left.kind === "BinOp" && PRECEDENCE[node.left.op] < precedence) {
      left = `(${left})`;
    }
    if (
      node.right.kind === "BinOp" && PRECEDENCE[node.right.op] <= precedence
    ) {
      right = `(${right})`;
    }
    return `${left} ${node.op} ${right}`;
  }

  *visitUnaryOp(node: UnaryOp): Visiting<string> {
    const operand = yield node.operand;
    return node.operand.kind === "BinOp" ? `-(${operand})` : `-${operand}`;
  }
}

/**
 * Writes `node` as an expression, with only the parentheses it needs:
 * `parse(unparse(tree))` is the same tree as `tree` (offsets aside), at any
 * depth. Numbers are written in plain decimal notation, since the lexer has
 * no exponents; a negative number is written as unary minus.
 *
 * @example
 * ```ts
 * import { parse, unparse } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * assert.equal(unparse(parse("((2 + 3)) * (4 - (5 - 6))")), "(2 + 3) * (4 - (5 - 6))");
 * assert.equal(unparse(parse("- -(1)")), "--1");
 * ```
 *
 * @param node The root of the tree.
 * @returns The expression.
 * @throws {TypeError} If a number is not finite (it has no decimal form), or
 * a node is not a `Num`, `BinOp` or `UnaryOp`.
 */
export function unparse(node: Node): string {
  return new Unparser().visit(node);
}

/**
 * A number in the lexer's notation: decimal digits, never an exponent.
 * JavaScript's shortest round-trip form, with any exponent written out, so
 * the text reads back as exactly the same number.
 */
function formatNumber(value: number): string {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(
      `Cannot unparse: expected a finite number, got ${describe(value)}`,
    );
  }
  if (value < 0 || Object.is(value, -0)) return `-${formatNumber(-value)}`;
  const text = String(value);
  const match = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (match === null) return text;
  const digits = match[1] + (match[2] ?? "");
  const point = 1 + Number(match[3]); // where the decimal point goes
  if (point <= 0) return `0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) {
    return digits + "0".repeat(point - digits.length);
  }
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}
