// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * The tutorial's "terrifying visitor" (part 7) as a real tool: a compiler for
 * arithmetic such as `2 + 3 * 4 - 5`, in four steps, none of which a deep
 * expression can overflow.
 *
 * - {@linkcode tokenize}: text to tokens, lazily, with positions.
 * - {@linkcode parse}: tokens to a tree of {@linkcode Node}s, on explicit
 *   stacks.
 * - {@linkcode NodeVisitor}: walks any tree of `kind`-tagged objects with
 *   generator methods that `yield` child nodes, run on an explicit stack.
 * - {@linkcode Evaluator} and {@linkcode evaluate}: the value.
 *
 * Errors ({@linkcode LexError} and {@linkcode ParseError}, which are
 * `SyntaxError`s; {@linkcode DivisionByZeroError} and
 * {@linkcode OverflowError}, which are {@linkcode ArithmeticError}s) carry
 * the position, and `render()` shows the line with a caret. The `calc` command line (`compiler/calc.ts`) puts
 * it together.
 *
 * ```ts
 * import { evaluate } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * assert.equal(evaluate("2 + 3 * 4 - 5"), 9);
 *
 * // The tutorial's "Death Spiral", a thousand times deeper:
 * const text = Array.from({ length: 1_000_000 }, (_, i) => i).join("+");
 * assert.equal(evaluate(text), 499_999_500_000);
 * ```
 *
 * @module
 */

export * from "./ast.ts";
export * from "./errors.ts";
export * from "./evaluator.ts";
export * from "./lexer.ts";
export * from "./parser.ts";
export * from "./unparse.ts";
export * from "./visitor.ts";
