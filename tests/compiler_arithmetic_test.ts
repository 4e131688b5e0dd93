// Copyright 2026 the @frontier/generators authors. MIT license.
// Numbers a double cannot hold: results that overflow, and written numbers
// too large or too small.
import assert from "node:assert/strict";
import {
  ArithmeticError,
  binOp,
  DivisionByZeroError,
  evaluate,
  Evaluator,
  num,
  OverflowError,
  parse,
  ParseError,
} from "@frontier/generators/compiler";

const root = new URL("../", import.meta.url);

/** 1e308, written out: the lexer has no exponents. */
const BIG = "1" + "0".repeat(308);
/** 1e-400, written out: below the smallest double. */
const TINY = "0." + "0".repeat(399) + "1";

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail("expected an error");
}

Deno.test("a result too large for a number is an OverflowError at its operator", () => {
  const error = catchError(() => evaluate(`${BIG} * 10`)) as OverflowError;
  assert.ok(error instanceof OverflowError);
  assert.ok(error instanceof ArithmeticError);
  assert.ok(error instanceof RangeError);
  assert.equal(error.name, "OverflowError");
  assert.deepEqual([error.offset, error.line, error.column], [310, 1, 311]);
  assert.equal(
    error.message,
    'Cannot evaluate: overflow, the result of the "*" at line 1, column 311 is too large to represent (beyond ±1.8e308): 1e+308 * 10',
  );
  const [line, caret, message] = error.render().split("\n");
  assert.equal(caret.indexOf("^"), line.indexOf("*"), "the caret under the *");
  assert.match(caret, /^ +\^$/);
  assert.equal(message, `OverflowError: ${error.message}`);

  for (
    const [text, column] of [
      [`${BIG} + ${BIG}`, 311],
      [`-${BIG} - ${BIG}`, 312],
      [`${BIG} / 0.5`, 311],
      [`1 + ${BIG} * -${BIG}`, 315],
    ] as const
  ) {
    const overflow = catchError(() => evaluate(text)) as OverflowError;
    assert.ok(overflow instanceof OverflowError, text);
    assert.equal(overflow.column, column, text);
  }
  // The first operation that overflows is the one reported.
  const powers = catchError(() =>
    evaluate(Array.from({ length: 1100 }, () => "2").join(" * "))
  ) as OverflowError;
  // The k-th " * " is at column 4k - 1; the 1,023rd makes 2 ** 1024.
  assert.equal(powers.column, 4 * 1023 - 1);
  assert.match(powers.message, /: 8\.98846567431158e\+307 \* 2$/);
  // Just below the limit is fine.
  assert.equal(evaluate(`${BIG} * 1.7`), 1.7e308);
});

Deno.test("an overflow in a tree without positions still says which operator", () => {
  const tree = binOp("*", num(1e308), num(10));
  assert.throws(() => new Evaluator().visit(tree), {
    name: "OverflowError",
    message:
      'Cannot evaluate: overflow, the result of a "*" is too large to represent (beyond ±1.8e308): 1e+308 * 10',
  });
  const placed = binOp("+", num(1e308), num(1e308), { offset: 4 });
  const error = catchError(() =>
    new Evaluator().visit(placed)
  ) as OverflowError;
  assert.equal(error.offset, 4);
  assert.match(error.message, /the result of the "\+" at offset 4 is/);
  const withSource = catchError(() =>
    new Evaluator({ source: "a\nb\ncd + e", startLine: 10 }).visit(placed)
  ) as OverflowError;
  assert.deepEqual([withSource.line, withSource.column], [12, 1]);
});

Deno.test("ArithmeticError is the one class to catch for both", () => {
  for (const text of ["1 / 0", `${BIG} * ${BIG}`]) {
    assert.throws(() => evaluate(text), ArithmeticError);
  }
  assert.ok(new DivisionByZeroError("division by zero") instanceof RangeError);
});

Deno.test("a written number that is not 0 but reads as 0 is too small, not a division by zero", () => {
  const error = catchError(() => evaluate(`1 / ${TINY}`)) as ParseError;
  assert.ok(error instanceof ParseError, `${error}`);
  assert.deepEqual([error.line, error.column], [1, 5]);
  assert.equal(
    error.message,
    'Cannot parse: the number "0.000000000000000000…001" at line 1, column 5 is too small; the smallest above 0 is about 5e-324',
  );
  assert.deepEqual(error.expected, ["0 or a number of about 5e-324 or more"]);
  assert.throws(() => parse(TINY), ParseError, "alone too");
  assert.throws(() => parse(`${TINY} * 0`), ParseError, "whatever it meets");
  // 0 written any way is 0, and dividing by it is a division by zero.
  assert.equal(evaluate("0.000 + 00 + .0 + 0."), 0);
  assert.throws(() => evaluate("1 / 0.000"), DivisionByZeroError);
  // A tiny number that a double can still hold is read as it is.
  assert.equal(evaluate("0." + "0".repeat(320) + "1"), 1e-321);
  // A result too small to hold becomes 0, as in IEEE 754 and Python.
  const small = "0." + "0".repeat(199) + "1";
  assert.equal(evaluate(`${small} * ${small}`), 0);
});

Deno.test("calc reports an overflow with a caret, and exits 1", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "compiler/calc.ts", `${BIG} * 10`],
    cwd: root.pathname,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await child.output();
  assert.equal(code, 1);
  assert.equal(new TextDecoder().decode(stdout), "");
  const lines = new TextDecoder().decode(stderr).split("\n");
  assert.equal(lines[1].indexOf("^"), lines[0].indexOf("*"));
  assert.match(lines[2], /^OverflowError: Cannot evaluate: overflow, /);
});
