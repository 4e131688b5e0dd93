// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * The tree that `parse` builds: plain objects with a `kind` discriminant, so
 * that `switch (node.kind)` narrows the type and a visitor can dispatch on it.
 *
 * @module
 */

import { describe } from "../_core/describe.ts";

/** The operators of {@linkcode BinOp}, by their character. */
export type BinaryOperator = "+" | "-" | "*" | "/";

/** The operator of {@linkcode UnaryOp}: negation. */
export type UnaryOperator = "-";

/** A number. */
export interface Num {
  /** The discriminant. */
  readonly kind: "Num";
  /** Its value (finite, and never negative when `parse` made it). */
  value: number;
  /** Where it starts in the source text, when it came from `parse`. */
  offset?: number | undefined;
}

/** A binary operation, such as `3 * 4`. */
export interface BinOp {
  /** The discriminant. */
  readonly kind: "BinOp";
  /** The operator's character. */
  op: BinaryOperator;
  /** The left operand. */
  left: Node;
  /** The right operand. */
  right: Node;
  /** Where the operator is in the source text, when it came from `parse`. */
  offset?: number | undefined;
}

/** A unary operation: `-x`. Unary minus nests: `--2` is `2`. */
export interface UnaryOp {
  /** The discriminant. */
  readonly kind: "UnaryOp";
  /** The operator's character. */
  op: UnaryOperator;
  /** The operand. */
  operand: Node;
  /** Where the operator is in the source text, when it came from `parse`. */
  offset?: number | undefined;
}

/** Any node of the tree. */
export type Node = Num | BinOp | UnaryOp;

/** Options of the node constructors. */
export interface NodeOptions {
  /** Where the node's token is in the source text, for error messages. */
  offset?: number;
}

/**
 * Makes a {@linkcode Num} node, the tutorial's `Number(3)`.
 *
 * @example
 * ```ts
 * import { num } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(num(3), { kind: "Num", value: 3, offset: undefined });
 * ```
 *
 * @param value A finite number.
 * @param options Where it is in the source text.
 * @returns The node.
 * @throws {TypeError} If `value` is not a finite number.
 */
export function num(value: number, options?: NodeOptions): Num {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(
      `Cannot make a Num node: expected a finite number, got ${
        describe(value)
      }`,
    );
  }
  return { kind: "Num", value, offset: options?.offset };
}

/**
 * Makes a {@linkcode BinOp} node, the tutorial's `BinOp('*', n1, n2)`. It
 * takes three arguments, like the tutorial's constructor, rather than an
 * object.
 *
 * @example
 * ```ts
 * import { binOp, Evaluator, num } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * const tree = binOp("*", num(3), num(4));
 * assert.equal(new Evaluator().visit(tree), 12);
 * ```
 *
 * @param op `"+"`, `"-"`, `"*"` or `"/"`.
 * @param left The left operand.
 * @param right The right operand.
 * @param options Where the operator is in the source text.
 * @returns The node.
 * @throws {TypeError} If `op` is not one of the four, or an operand is not
 * a node.
 */
export function binOp(
  op: BinaryOperator,
  left: Node,
  right: Node,
  options?: NodeOptions,
): BinOp {
  if (op !== "+" && op !== "-" && op !== "*" && op !== "/") {
    throw new TypeError(
      `Cannot make a BinOp node: expected "+", "-", "*" or "/" as op, got ${
        describe(op)
      }`,
    );
  }
  checkNode(left, { making: "BinOp", name: "left" });
  checkNode(right, { making: "BinOp", name: "right" });
  return { kind: "BinOp", op, left, right, offset: options?.offset };
}

/**
 * Makes a {@linkcode UnaryOp} node: `unaryOp("-", x)` is `-x`.
 *
 * @example
 * ```ts
 * import { num, unaryOp } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * const minusTwo = unaryOp("-", num(2));
 * assert.equal(minusTwo.operand.kind, "Num");
 * ```
 *
 * @param op `"-"`.
 * @param operand The operand.
 * @param options Where the operator is in the source text.
 * @returns The node.
 * @throws {TypeError} If `op` is not `"-"`, or `operand` is not a node.
 */
export function unaryOp(
  op: UnaryOperator,
  operand: Node,
  options?: NodeOptions,
): UnaryOp {
  if (op !== "-") {
    throw new TypeError(
      `Cannot make a UnaryOp node: expected "-" as op, got ${describe(op)}`,
    );
  }
  checkNode(operand, { making: "UnaryOp", name: "operand" });
  return { kind: "UnaryOp", op, operand, offset: options?.offset };
}

// Checks a child given to a node constructor.
function checkNode(
  value: unknown,
  at: { making: string; name: string },
): void {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (kind !== "Num" && kind !== "BinOp" && kind !== "UnaryOp") {
    throw new TypeError(
      `Cannot make a ${at.making} node: expected a node (Num, BinOp or UnaryOp) as ${at.name}, got ${
        describe(value)
      }`,
    );
  }
}
