// Copyright 2026 the @frontier/generators authors. MIT license.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type BinOp,
  binOp,
  DivisionByZeroError,
  evaluate,
  Evaluator,
  type Kinded,
  LexError,
  type Node,
  NodeVisitor,
  type Num,
  num,
  parse,
  ParseError,
  type Token,
  tokenize,
  type UnaryOp,
  unaryOp,
  unparse,
  type Visiting,
} from "@frontier/generators/compiler";

const MILLION = 1_000_000;
const root = new URL("../", import.meta.url);

/** Type-level equality, for type tests. */
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends
  (<X>() => X extends B ? 1 : 2) ? true : false;
function assertType<_T extends true>(): void {}

/** `0+1+...+(n-1)`, the tutorial's "Death Spiral" input. */
function sumText(n: number): string {
  return Array.from({ length: n }, (_, i) => i).join("+");
}

/** `0-(1-(2-(...)))`, right-deep. */
function rightDeepText(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n - 1; i++) parts.push(`${i}-(`);
  parts.push(String(n - 1), ")".repeat(n - 1));
  return parts.join("");
}

/** The tree without offsets, for comparing trees (small ones: it recurses). */
function strip(node: Node): unknown {
  switch (node.kind) {
    case "Num":
      return { kind: "Num", value: node.value };
    case "BinOp":
      return {
        kind: "BinOp",
        op: node.op,
        left: strip(node.left),
        right: strip(node.right),
      };
    case "UnaryOp":
      return { kind: "UnaryOp", op: node.op, operand: strip(node.operand) };
  }
}

/** The depth of a tree, without recursion. */
function depthOf(tree: Node): number {
  let deepest = 0;
  const stack: [Node, number][] = [[tree, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    if (node.kind === "BinOp") {
      stack.push([node.left, depth + 1], [node.right, depth + 1]);
    } else if (node.kind === "UnaryOp") {
      stack.push([node.operand, depth + 1]);
    }
  }
  return deepest;
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail("expected an error");
}

// -- lexer

Deno.test("tokenize gives the tutorial's tokens, with positions", () => {
  assert.deepEqual([...tokenize("2 + 3 * 4 - 5")], [
    { type: "NUM", value: "2", offset: 0, line: 1, column: 1 },
    { type: "PLUS", value: "+", offset: 2, line: 1, column: 3 },
    { type: "NUM", value: "3", offset: 4, line: 1, column: 5 },
    { type: "TIMES", value: "*", offset: 6, line: 1, column: 7 },
    { type: "NUM", value: "4", offset: 8, line: 1, column: 9 },
    { type: "MINUS", value: "-", offset: 10, line: 1, column: 11 },
    { type: "NUM", value: "5", offset: 12, line: 1, column: 13 },
  ]);
  assert.deepEqual([...tokenize("(8/2)")].map((t) => t.type), [
    "LPAREN",
    "NUM",
    "DIVIDE",
    "NUM",
    "RPAREN",
  ]);
});

Deno.test("tokenize reads integers and decimals: 3.25, .5, 2.", () => {
  const tokens = [...tokenize("3.25 .5 2. 007 12345678901234567890")];
  assert.deepEqual(tokens.map((t) => [t.type, t.value]), [
    ["NUM", "3.25"],
    ["NUM", ".5"],
    ["NUM", "2."],
    ["NUM", "007"],
    ["NUM", "12345678901234567890"],
  ]);
  assert.deepEqual(
    [...tokenize("1.2.3")].map((t) => t.value),
    ["1.2", ".3"],
    "a second point starts a new number",
  );
  assert.equal(evaluate("3.25 + .5 + 2."), 5.75);
  assert.equal(evaluate("12345678901234567890"), 12345678901234567890);
  assert.equal(evaluate("0.1 + 0.2"), 0.1 + 0.2);
});

Deno.test("tokenize skips whitespace of every kind and counts lines", () => {
  const spaces =
    "\t\v\f \u00a0\u1680\u2000\u2005\u200a\u202f\u205f\u3000\ufeff";
  assert.deepEqual(
    [...tokenize(`${spaces}1${spaces}+${spaces}2${spaces}`)].map((t) =>
      t.value
    ),
    ["1", "+", "2"],
  );
  const tokens = [...tokenize("1\n+\r\n2\r*\u20283\u2029/\n\n 4")];
  assert.deepEqual(
    tokens.map((t) => [t.value, t.line, t.column]),
    [["1", 1, 1], ["+", 2, 1], ["2", 3, 1], ["*", 4, 1], ["3", 5, 1], [
      "/",
      6,
      1,
    ], ["4", 8, 2]],
  );
  assert.equal(evaluate("1\n+\r\n2\r*\u20283\u2029/\n\n 4"), 2.5);
});

Deno.test("tokenize is lazy: tokens come before a later bad character", () => {
  const tokens = tokenize("1 + 2 $");
  assert.equal(tokens.next().value?.value, "1");
  assert.equal(tokens.next().value?.value, "+");
  assert.equal(tokens.next().value?.value, "2");
  assert.throws(() => tokens.next(), LexError);
});

Deno.test("a bad character is a LexError with its position, never dropped", () => {
  const error = catchError(() => [...tokenize("1 +\n  2 $ 3")]);
  assert.ok(error instanceof LexError);
  assert.ok(error instanceof SyntaxError);
  assert.equal(error.name, "LexError");
  assert.equal(error.character, "$");
  assert.equal(error.offset, 8);
  assert.equal(error.line, 2);
  assert.equal(error.column, 5);
  assert.equal(error.source, "1 +\n  2 $ 3");
  assert.equal(
    error.message,
    'Cannot tokenize: unexpected character "$" at line 2, column 5',
  );
  assert.equal(
    error.render(),
    '  2 $ 3\n    ^\nLexError: Cannot tokenize: unexpected character "$" at line 2, column 5',
  );
  // The tutorial's scanner would stop quietly at the "x" and give "2 +".
  assert.throws(() => evaluate("2 + x"), LexError);
  assert.throws(() => evaluate("2 + 3x"), { name: "LexError", message: /"x"/ });
});

Deno.test("LexError names odd characters clearly", () => {
  const message = (text: string) =>
    (catchError(() => [...tokenize(text)]) as LexError).message;
  assert.equal(
    message("."),
    'Cannot tokenize: unexpected character "." at line 1, column 1; a decimal point needs a digit before or after it',
  );
  assert.equal(
    message("1 × 2"),
    'Cannot tokenize: unexpected character "×" (U+00D7) at line 1, column 3',
  );
  assert.equal(
    message("1\u200b"),
    "Cannot tokenize: unexpected character U+200B at line 1, column 2",
  );
  assert.equal(
    message("\0"),
    "Cannot tokenize: unexpected character U+0000 at line 1, column 1",
  );
  const emoji = catchError(() => [...tokenize("1 + 😀")]) as LexError;
  assert.equal(emoji.character, "😀", "a whole code point, not half of it");
  assert.match(emoji.message, /"😀" \(U\+1F600\)/);
});

Deno.test("tokenize of something other than a string throws TypeError at once", () => {
  // @ts-expect-error: a number
  assert.throws(() => tokenize(42), {
    name: "TypeError",
    message: "Cannot tokenize: expected a string, got 42 (a number)",
  });
});

// -- parser

Deno.test("parse builds the tutorial's tree, with the operators' offsets", () => {
  assert.deepEqual(parse("2 + 3 * 4 - 5"), {
    kind: "BinOp",
    op: "-",
    left: {
      kind: "BinOp",
      op: "+",
      left: { kind: "Num", value: 2, offset: 0 },
      right: {
        kind: "BinOp",
        op: "*",
        left: { kind: "Num", value: 3, offset: 4 },
        right: { kind: "Num", value: 4, offset: 8 },
        offset: 6,
      },
      offset: 2,
    },
    right: { kind: "Num", value: 5, offset: 12 },
    offset: 10,
  });
});

Deno.test("operators are left-associative, with arithmetic's precedence", () => {
  assert.deepEqual(strip(parse("1 - 2 - 3")), strip(parse("(1 - 2) - 3")));
  assert.deepEqual(strip(parse("8 / 4 / 2")), strip(parse("(8 / 4) / 2")));
  assert.deepEqual(strip(parse("1 + 2 * 3")), strip(parse("1 + (2 * 3)")));
  assert.deepEqual(strip(parse("1 * 2 + 3")), strip(parse("(1 * 2) + 3")));
  assert.equal(evaluate("1 - 2 - 3"), -4);
  assert.equal(evaluate("8 / 4 / 2"), 1);
  assert.equal(evaluate("(1 + 2) * 3"), 9);
  assert.equal(evaluate("((((7))))"), 7);
});

Deno.test("unary minus binds tightest and nests: --2 is 2", () => {
  assert.deepEqual(
    strip(parse("-2 * 3")),
    strip(binOp("*", unaryOp("-", num(2)), num(3))),
  );
  assert.deepEqual(
    strip(parse("--2")),
    strip(unaryOp("-", unaryOp("-", num(2)))),
  );
  assert.equal(evaluate("--2"), 2);
  assert.equal(evaluate("---2"), -2);
  assert.equal(evaluate("2 - -3"), 5);
  assert.equal(evaluate("2--3"), 5);
  assert.equal(evaluate("2 * -3"), -6);
  assert.equal(evaluate("-(2 + 3)"), -5);
});

Deno.test("ParseError says what was found, what was expected, and where", () => {
  const cases: [string, string, string[], number, number][] = [
    ["* 2", '"*"', ["a number", '"("', '"-"'], 1, 1],
    ["2 +", "end of input", ["a number", '"("', '"-"'], 1, 4],
    ["2 + )", '")"', ["a number", '"("', '"-"'], 1, 5],
    ["", "end of input", ["a number", '"("', '"-"'], 1, 1],
    // The end is just after the last token: here, the start.
    ["  \n ", "end of input", ["a number", '"("', '"-"'], 1, 1],
    ["1 2", '"2"', ["an operator", "end of input"], 1, 3],
    ["1 (2)", '"("', ["an operator", "end of input"], 1, 3],
    ["(1 2.5)", '"2.5"', ["an operator", '")"'], 1, 4],
    ["1 + 2)", '")"', ["an operator", "end of input"], 1, 6],
    ["1 +\n  * 2", '"*"', ["a number", '"("', '"-"'], 2, 3],
  ];
  for (const [text, found, expected, line, column] of cases) {
    const error = catchError(() => parse(text));
    assert.ok(error instanceof ParseError, text);
    assert.ok(error instanceof SyntaxError);
    assert.equal(error.name, "ParseError");
    assert.equal(error.found, found, text);
    assert.deepEqual(error.expected, expected, text);
    assert.equal(error.line, line, text);
    assert.equal(error.column, column, text);
    assert.equal(error.source, text);
    assert.match(
      error.message,
      new RegExp(`at line ${line}, column ${column}`),
    );
  }
  assert.equal(
    (catchError(() => parse("* 2")) as ParseError).message,
    'Cannot parse: expected a number, "(" or "-" but found "*" at line 1, column 1',
  );
  assert.equal(
    (catchError(() => parse("1 + 2)")) as ParseError).message,
    'Cannot parse: expected an operator or end of input but found ")" at line 1, column 6 (no "(" is open)',
  );
});

Deno.test("an unclosed ( is reported at that parenthesis", () => {
  const error = catchError(() => parse("2 * (3 + (4 - 1)\n + 5")) as ParseError;
  assert.ok(error instanceof ParseError);
  assert.equal(error.offset, 4);
  assert.equal(error.line, 1);
  assert.equal(error.column, 5);
  assert.equal(error.found, "end of input");
  assert.deepEqual(error.expected, ['")"']);
  assert.equal(
    error.message,
    'Cannot parse: the "(" at line 1, column 5 is never closed; expected ")" but found end of input',
  );
  assert.equal(
    error.render(),
    [
      "2 * (3 + (4 - 1)",
      "    ^",
      'ParseError: Cannot parse: the "(" at line 1, column 5 is never closed; expected ")" but found end of input',
    ].join("\n"),
  );
  // The innermost one that is still open, on whichever line.
  const inner = catchError(() => parse("(1 +\n(2 * (3)")) as ParseError;
  assert.deepEqual([inner.line, inner.column], [2, 1]);
  const deep = catchError(() => parse("(".repeat(MILLION) + "1")) as ParseError;
  assert.deepEqual([deep.offset, deep.column], [MILLION - 1, MILLION]);
});

Deno.test("a number too large for a double is a ParseError", () => {
  const error = catchError(() => parse(`1 + ${"9".repeat(400)}`)) as ParseError;
  assert.ok(error instanceof ParseError);
  assert.equal(error.column, 5);
  assert.match(
    error.message,
    /^Cannot parse: the number "9+…9+" at line 1, column 5 is too large/,
  );
  assert.equal(evaluate(`${"9".repeat(300)}`), Number("9".repeat(300)));
});

Deno.test("parse takes tokens: from tokenize, or any iterable of them", () => {
  const expected = strip(parse("2 + 3 * 4 - 5"));
  assert.deepEqual(strip(parse(tokenize("2 + 3 * 4 - 5"))), expected);
  assert.deepEqual(strip(parse([...tokenize("2 + 3 * 4 - 5")])), expected);
  const made: Token[] = [
    { type: "NUM", value: "2", offset: 0, line: 1, column: 1 },
    { type: "TIMES", value: "*", offset: 1, line: 1, column: 2 },
    { type: "NUM", value: "21", offset: 2, line: 1, column: 3 },
  ];
  assert.equal(new Evaluator().visit(parse(made)), 42);
});

Deno.test("parse errors on tokens keep their positions, and the line when known", () => {
  const fromGenerator = catchError(() =>
    parse(tokenize("1 +\n+ 2"))
  ) as ParseError;
  assert.deepEqual([fromGenerator.line, fromGenerator.column], [2, 1]);
  assert.equal(fromGenerator.source, "1 +\n+ 2", "tokenize's text is known");
  assert.match(fromGenerator.render(), /^\+ 2\n\^\nParseError: /);

  const fromArray = catchError(() =>
    parse([...tokenize("1 +\n+ 2")])
  ) as ParseError;
  assert.deepEqual([fromArray.line, fromArray.column], [2, 1]);
  assert.equal(fromArray.source, undefined);
  assert.equal(fromArray.render(), `ParseError: ${fromArray.message}`);

  const withSource = catchError(() =>
    parse([...tokenize("1 +\n+ 2")], { source: "1 +\n+ 2" })
  ) as ParseError;
  assert.equal(withSource.render(), fromGenerator.render());

  const end = catchError(() => parse([...tokenize("(1 + 22")])) as ParseError;
  assert.deepEqual([end.line, end.column], [1, 1], "at the open parenthesis");
  const atEnd = catchError(() =>
    parse([...tokenize("1 + 22 *")])
  ) as ParseError;
  assert.deepEqual(
    [atEnd.offset, atEnd.column],
    [8, 9],
    "just after the last token",
  );

  const multiline = catchError(() =>
    parse([...tokenize("1 +\n\n  (2 *\n 3")])
  ) as ParseError;
  assert.deepEqual([multiline.line, multiline.column], [3, 3]);
});

Deno.test("parse rejects what is not text or tokens, with TypeError", () => {
  // @ts-expect-error: a number
  assert.throws(() => parse(42), {
    name: "TypeError",
    message:
      "Cannot parse: expected a string or an iterable of tokens, got 42 (a number)",
  });
  assert.throws(
    // @ts-expect-error: not tokens
    () => parse([1, 2]),
    /Cannot parse: expected a token at index 0, got 1 \(a number\); pass the tokens of tokenize\(text\)/,
  );
  const bad = [{ type: "NUM", value: "x1", offset: 0, line: 1, column: 1 }];
  assert.throws(
    () => parse(bad as Token[]),
    /Cannot parse: expected a token at index 0, got a plain object with a bad value: "x1"/,
  );
  const wrongChar = [{
    type: "PLUS",
    value: "-",
    offset: 0,
    line: 1,
    column: 1,
  }];
  assert.throws(() => parse(wrongChar as Token[]), TypeError);
  const noPosition = [{ type: "NUM", value: "1" }];
  assert.throws(() => parse(noPosition as Token[]), TypeError);
});

Deno.test("the parser is stack-safe: a million deep in every shape", () => {
  const nested = parse("(".repeat(MILLION) + "7" + ")".repeat(MILLION));
  assert.deepEqual(nested, { kind: "Num", value: 7, offset: MILLION });

  const negated = parse("-".repeat(MILLION) + "7");
  assert.equal(depthOf(negated), MILLION + 1);
  assert.equal(new Evaluator().visit(negated), 7);

  const rightDeep = parse(rightDeepText(MILLION));
  assert.equal(depthOf(rightDeep), MILLION);
  assert.equal(new Evaluator().visit(rightDeep), -500_000);

  const leftDeep = parse(sumText(MILLION));
  assert.equal(depthOf(leftDeep), MILLION);
  assert.equal(new Evaluator().visit(leftDeep), 499_999_500_000);

  const mixed = "-(".repeat(MILLION / 2) + "1" + "*2)".repeat(MILLION / 2);
  assert.equal(depthOf(parse(mixed)), MILLION + 1);
});

Deno.test("maxDepth turns a too-deep tree into a clean ParseError", () => {
  assert.equal(depthOf(parse("1+2+3", { maxDepth: 3 })), 3);
  assert.equal(
    depthOf(parse("((((1))))", { maxDepth: 1 })),
    1,
    "parentheses add no depth",
  );

  const flat = catchError(() =>
    parse("1+2+3+4", { maxDepth: 3 })
  ) as ParseError;
  assert.ok(flat instanceof ParseError);
  assert.equal(flat.column, 6, "at the operator that went too deep");
  assert.equal(flat.found, '"+"');
  assert.deepEqual(flat.expected, []);
  assert.equal(
    flat.message,
    "Cannot parse: the expression is nested deeper than maxDepth (3) at line 1, column 6; raise maxDepth or simplify the expression",
  );

  const unary = catchError(() =>
    parse("\n---1", { maxDepth: 2 })
  ) as ParseError;
  assert.deepEqual([unary.line, unary.column, unary.found], [2, 2, '"-"']);

  const tokens = catchError(() =>
    parse([...tokenize("1 *\n(2 - 3)")], { maxDepth: 2 })
  ) as ParseError;
  assert.deepEqual([tokens.line, tokens.column], [1, 3]);

  for (
    const text of [
      sumText(MILLION),
      rightDeepText(MILLION),
      "-".repeat(MILLION) + "1",
    ]
  ) {
    assert.throws(() => parse(text, { maxDepth: 10_000 }), ParseError);
    assert.throws(() => evaluate(text, { maxDepth: 10_000 }), ParseError);
  }
});

Deno.test("maxDepth must be a whole number of at least 1", () => {
  for (const bad of [0, -1, 1.5, NaN, "3"]) {
    assert.throws(
      () => parse("1", { maxDepth: bad as number }),
      {
        name: "RangeError",
        message:
          /^Cannot parse: option maxDepth must be a whole number >= 1 \(or Infinity\), got /,
      },
    );
  }
  assert.equal(parse("1", { maxDepth: Infinity }).kind, "Num");
});

// -- visitor

class Postfix extends NodeVisitor<void> {
  out: string[] = [];
  visitNum(node: Num): void {
    this.out.push(String(node.value));
  }
  visitBinOp(node: BinOp): void {
    this.visit(node.left);
    this.visit(node.right);
    this.out.push(node.op);
  }
}

Deno.test("visit dispatches to visit<Kind>; plain methods may call visit", () => {
  const v = new Postfix();
  v.visit(parse("2 + 3 * 4 - 5"));
  assert.equal(v.out.join(" "), "2 3 4 * + 5 -");
});

Deno.test("the recursive visitor overflows on a deep tree; the generator one does not", () => {
  const tree = parse(sumText(MILLION));
  assert.throws(() => new Postfix().visit(tree), RangeError);
  assert.equal(new Evaluator().visit(tree), 499_999_500_000);
  assert.equal(new Evaluator().visit(parse(sumText(1000))), 499500);
});

Deno.test("plain and generator methods mix freely", () => {
  class Mixed extends NodeVisitor<number> {
    visitNum(node: Num): number {
      return node.value;
    }
    // A plain method that visits its operand itself.
    visitUnaryOp(node: UnaryOp): number {
      return -this.visit(node.operand);
    }
    *visitBinOp(node: BinOp): Visiting<number> {
      const left = yield node.left;
      const right = yield node.right;
      return node.op === "+" ? left + right : left * right;
    }
  }
  assert.equal(new Mixed().visit(parse("-(2 + 3) * -4 + 1")), 21);
});

Deno.test("a plain method that returns a generator is run like a generator method", () => {
  class Delegating extends NodeVisitor<number> {
    visitNum(node: Num): number {
      return node.value;
    }
    visitBinOp(node: BinOp): Visiting<number> {
      return this.sum(node);
    }
    *sum(node: BinOp): Visiting<number> {
      return (yield node.left) + (yield node.right);
    }
  }
  assert.equal(new Delegating().visit(parse(sumText(100_000))), 4_999_950_000);
});

Deno.test("a missing method throws an error naming the kind", () => {
  class OnlyNumbers extends NodeVisitor<number> {
    visitNum(node: Num): number {
      return node.value;
    }
  }
  assert.equal(new OnlyNumbers().visit(parse("5")), 5);
  assert.throws(() => new OnlyNumbers().visit(parse("-5")), {
    name: "TypeError",
    message:
      'Cannot visit a node of kind "UnaryOp": OnlyNumbers has no method visitUnaryOp; add visitUnaryOp(node), or override genericVisit(node) to handle the kinds that have no method',
  });
});

Deno.test("genericVisit gives a default, as a plain or a generator method", () => {
  class CountNodes extends NodeVisitor<number> {
    override *genericVisit(node: Node): Visiting<number> {
      let count = 1;
      if (node.kind === "BinOp") {
        count += (yield node.left) + (yield node.right);
      }
      if (node.kind === "UnaryOp") count += yield node.operand;
      return count;
    }
  }
  assert.equal(new CountNodes().visit(parse("1 + 2 * -3")), 6);
  assert.equal(
    new CountNodes().visit(parse(sumText(MILLION))),
    2 * MILLION - 1,
  );

  class KindName extends NodeVisitor<string> {
    visitNum(): string {
      return "number";
    }
    override genericVisit(node: Node): string {
      return node.kind;
    }
  }
  assert.equal(new KindName().visit(parse("1")), "number");
  assert.equal(new KindName().visit(parse("1+1")), "BinOp");
});

// A tree of your own: a file system with directories and files.
type Entry =
  | { kind: "File"; name: string; size: number }
  | { kind: "Dir"; name: string; entries: Entry[] }
  | { kind: "Link"; name: string; target: Entry };

class DiskUsage extends NodeVisitor<number, Entry> {
  visitFile(file: { size: number }): number {
    return file.size;
  }
  *visitDir(dir: { entries: Entry[] }): Visiting<number, Entry> {
    let total = 0;
    for (const entry of dir.entries) total += yield entry;
    return total;
  }
  *visitLink(link: { target: Entry }): Visiting<number, Entry> {
    return yield link.target;
  }
}

Deno.test("any tree of kind-tagged objects can be visited, at any depth", () => {
  const tree: Entry = {
    kind: "Dir",
    name: "/",
    entries: [
      { kind: "File", name: "a", size: 3 },
      {
        kind: "Dir",
        name: "b",
        entries: [{ kind: "File", name: "c", size: 4 }, {
          kind: "Link",
          name: "d",
          target: { kind: "File", name: "e", size: 5 },
        }],
      },
    ],
  };
  assert.equal(new DiskUsage().visit(tree), 12);

  let deep: Entry = { kind: "File", name: "leaf", size: 1 };
  for (let i = 0; i < MILLION; i++) {
    deep = {
      kind: "Dir",
      name: `d${i}`,
      entries: [deep, { kind: "File", name: "f", size: 1 }],
    };
  }
  assert.equal(new DiskUsage().visit(deep), MILLION + 1);
});

Deno.test("visit of something without a kind is a TypeError", () => {
  for (const bad of [null, 42, "Num", {}, { kind: 1 }, { kind: "" }]) {
    assert.throws(
      // @ts-expect-error: not a node
      () => new Evaluator().visit(bad),
      {
        name: "TypeError",
        message:
          /^Cannot visit the node given to visit\(\): expected a node, an object with a non-empty string "kind", got /,
      },
    );
  }
});

Deno.test("yielding something that is not a node throws into the generator at that yield", () => {
  const seen: unknown[] = [];
  class Careless extends NodeVisitor<number> {
    visitNum(node: Num): number {
      return node.value;
    }
    *visitBinOp(node: BinOp): Visiting<number> {
      try {
        yield 42 as unknown as Node;
      } catch (error) {
        seen.push(error);
      }
      return yield node.left;
    }
  }
  assert.equal(new Careless().visit(parse("7 + 1")), 7);
  assert.equal(seen.length, 1);
  assert.ok(seen[0] instanceof TypeError);
  assert.match(
    (seen[0] as Error).message,
    /^Cannot visit what a visit method yielded: expected a node, an object with a non-empty string "kind", got 42 \(a number\)$/,
  );
});

Deno.test("a child's error is thrown into its parent at the yield, and finally blocks run", () => {
  const log: string[] = [];
  class Guarded extends Evaluator {
    override *visitBinOp(node: BinOp): Visiting<number> {
      try {
        return yield* super.visitBinOp(node);
      } catch (error) {
        if (node.op === "+" && error instanceof DivisionByZeroError) {
          log.push(`caught at ${node.offset}`);
          return NaN;
        }
        throw error;
      } finally {
        log.push(`left ${node.offset}`);
      }
    }
  }
  assert.ok(Number.isNaN(new Guarded().visit(parse("1 + 2 * (3 / 0)"))));
  assert.deepEqual(log, ["left 11", "left 6", "caught at 2", "left 2"]);

  log.length = 0;
  assert.throws(
    () => new Guarded().visit(parse("2 * (3 / 0)")),
    DivisionByZeroError,
  );
  assert.deepEqual(
    log,
    ["left 7", "left 2"],
    "every generator on the way out finished",
  );
});

Deno.test("an error deep in a million-deep tree reaches the caller", () => {
  const tree = parse(`1/0+${sumText(MILLION)}`);
  assert.throws(() => new Evaluator().visit(tree), DivisionByZeroError);
});

Deno.test("a generator method may call visit itself", () => {
  class Reentrant extends Evaluator {
    // deno-lint-ignore require-yield -- it visits its operand itself
    override *visitUnaryOp(node: UnaryOp): Visiting<number> {
      return -this.visit(node.operand) * 10;
    }
  }
  assert.equal(new Reentrant().visit(parse("1 + -(2 * 3)")), -59);
});

Deno.test("a visitor may return objects, even iterators", () => {
  class Leaves extends NodeVisitor<Iterable<number>> {
    visitNum(node: Num): Iterable<number> {
      return [node.value].values();
    }
    *visitBinOp(node: BinOp): Visiting<Iterable<number>> {
      return [...(yield node.left), ...(yield node.right)].values();
    }
  }
  assert.deepEqual([...new Leaves().visit(parse("1 + 2 * 3"))], [1, 2, 3]);
});

Deno.test("an async generator visit method is a clear TypeError", () => {
  class Async extends NodeVisitor<number> {
    // deno-lint-ignore require-yield -- only its kind of function matters
    async *visitNum(): AsyncGenerator<never, number> {
      return await Promise.resolve(1);
    }
  }
  assert.throws(
    () => new Async().visit(num(1)),
    {
      name: "TypeError",
      message:
        /^Cannot visit a node of kind "Num": its method is the async generator function visitNum, and visit\(\) runs synchronously/,
    },
  );
});

Deno.test("types: visit takes the visitor's nodes and gives its result", () => {
  assertType<Equal<ReturnType<Evaluator["visit"]>, number>>();
  assertType<Equal<Parameters<Evaluator["visit"]>[0], Node>>();
  assertType<Equal<Visiting<number>, Generator<Node, number, number>>>();
  assertType<Equal<ReturnType<DiskUsage["visit"]>, number>>();
  const ok = (e: Evaluator) => e.visit(num(1));
  assertType<Equal<ReturnType<typeof ok>, number>>();
  // @ts-expect-error: the Evaluator visits compiler nodes only
  const _bad = (e: Evaluator) => e.visit({ kind: "File", name: "a", size: 1 });
  const _badYield = function* (): Visiting<number> {
    // @ts-expect-error: a generator visit method yields nodes, not numbers
    yield 1;
    return 0;
  };
  const _kinded: Kinded = { kind: "Anything" };
  // @ts-expect-error: a node needs a kind
  const _notKinded: Kinded = { name: "x" };
});

// -- evaluator

Deno.test("the Evaluator computes the tutorial's expression", () => {
  assert.equal(new Evaluator().visit(parse("2 + 3 * 4 - 5")), 9);
  assert.equal(evaluate("2 + 3 * 4 - 5"), 9);
  assert.equal(evaluate("7 / 2"), 3.5);
  assert.equal(evaluate("-(1.5 + .5) * 2."), -4);
});

Deno.test("the Evaluator can be driven by hand, as in the tutorial", () => {
  const three = num(3);
  const four = num(4);
  const v = new Evaluator();
  assert.equal(v.visitNum(num(2)), 2);
  const gen = v.visitBinOp(binOp("*", three, four));
  assert.equal(gen.next().value, three);
  assert.equal(gen.next(3).value, four);
  assert.deepEqual(gen.next(4), { done: true, value: 12 });
});

Deno.test("division by zero is an error at the /, not Infinity", () => {
  const error = catchError(() =>
    evaluate("1 +\n 4 / (2 - 2)")
  ) as DivisionByZeroError;
  assert.ok(error instanceof DivisionByZeroError);
  assert.ok(error instanceof RangeError);
  assert.equal(error.name, "DivisionByZeroError");
  assert.match(error.message, /division by zero/);
  assert.deepEqual([error.offset, error.line, error.column], [7, 2, 4]);
  assert.equal(
    error.render(),
    [
      " 4 / (2 - 2)",
      "   ^",
      'DivisionByZeroError: Cannot evaluate: division by zero, the right side of the "/" at line 2, column 4 is 0',
    ].join("\n"),
  );
  assert.throws(() => evaluate("0 / 0"), DivisionByZeroError);
  assert.throws(() => evaluate("1 / -0"), DivisionByZeroError);
  assert.equal(evaluate("0 / 1"), 0);
});

Deno.test("division by zero without the source still says where it can", () => {
  const noSource = catchError(() =>
    new Evaluator().visit(parse("1 / 0"))
  ) as DivisionByZeroError;
  assert.equal(noSource.offset, 2);
  assert.equal(noSource.line, undefined);
  assert.equal(
    noSource.message,
    'Cannot evaluate: division by zero, the right side of the "/" at offset 2 is 0',
  );
  assert.equal(noSource.render(), `DivisionByZeroError: ${noSource.message}`);

  const handMade = catchError(() =>
    new Evaluator().visit(binOp("/", num(1), num(0)))
  ) as DivisionByZeroError;
  assert.equal(handMade.offset, undefined);
  assert.equal(
    handMade.message,
    'Cannot evaluate: division by zero, the right side of a "/" is 0',
  );

  const withSource = catchError(() =>
    new Evaluator({ source: "1 / 0" }).visit(parse("1 / 0"))
  ) as DivisionByZeroError;
  assert.equal(withSource.column, 3);
});

Deno.test("evaluate sums 0+1+...+999 to 499500, and a million terms", () => {
  assert.equal(evaluate(sumText(1000)), 499500);
  assert.equal(evaluate(sumText(MILLION)), 499_999_500_000);
});

Deno.test("a subclass of Evaluator can change an operation", () => {
  class Truncating extends Evaluator {
    override *visitBinOp(node: BinOp): Visiting<number> {
      const value = yield* super.visitBinOp(node);
      return node.op === "/" ? Math.trunc(value) : value;
    }
  }
  assert.equal(new Truncating().visit(parse("7 / 2 + 1")), 4);
});

Deno.test("the Evaluator rejects operators it does not know, and evaluate non-strings", () => {
  const weird = {
    kind: "BinOp",
    op: "%",
    left: num(1),
    right: num(2),
  } as unknown as Node;
  assert.throws(() => new Evaluator().visit(weird), {
    name: "TypeError",
    message:
      /^Cannot evaluate: unknown operator "%" \(a string\); the Evaluator knows "\+", "-", "\*" and "\/"/,
  });
  const weirdUnary = {
    kind: "UnaryOp",
    op: "+",
    operand: num(1),
  } as unknown as Node;
  assert.throws(() => new Evaluator().visit(weirdUnary), TypeError);
  assert.throws(
    // @ts-expect-error: not a string
    () => evaluate(42),
    /Cannot evaluate: expected a string, got 42 \(a number\)/,
  );
});

// -- nodes and unparse

Deno.test("node constructors make plain nodes and check their arguments", () => {
  assert.deepEqual(num(3), { kind: "Num", value: 3, offset: undefined });
  assert.deepEqual(num(3, { offset: 7 }).offset, 7);
  assert.deepEqual(
    binOp("+", num(1), num(2)),
    { kind: "BinOp", op: "+", left: num(1), right: num(2), offset: undefined },
  );
  assert.deepEqual(unaryOp("-", num(1)).operand, num(1));
  assert.throws(
    () => num(Infinity),
    /Cannot make a Num node: expected a finite number, got Infinity/,
  );
  assert.throws(
    // @ts-expect-error: not an operator
    () => binOp("%", num(1), num(2)),
    /Cannot make a BinOp node: expected "\+", "-", "\*" or "\/" as op, got "%" \(a string\)/,
  );
  assert.throws(
    // @ts-expect-error: not a node
    () => binOp("+", 1, num(2)),
    /Cannot make a BinOp node: expected a node \(Num, BinOp or UnaryOp\) as left, got 1 \(a number\)/,
  );
  // @ts-expect-error: only unary minus
  assert.throws(() => unaryOp("+", num(1)), TypeError);
  assert.throws(
    // @ts-expect-error: not a node
    () => unaryOp("-", null),
    /Cannot make a UnaryOp node: expected a node \(Num, BinOp or UnaryOp\) as operand, got null/,
  );
});

Deno.test("unparse writes the fewest parentheses that keep the tree", () => {
  const cases: [string, string][] = [
    ["2 + 3 * 4 - 5", "2 + 3 * 4 - 5"],
    ["(2 + 3) * 4", "(2 + 3) * 4"],
    ["1 - (2 - 3)", "1 - (2 - 3)"],
    ["(1 - 2) - 3", "1 - 2 - 3"],
    ["1 + (2 + 3)", "1 + (2 + 3)"],
    ["8 / (4 / 2)", "8 / (4 / 2)"],
    ["8 / (4 * 2)", "8 / (4 * 2)"],
    ["-(2 * 3)", "-(2 * 3)"],
    ["(-2) * 3", "-2 * 3"],
    ["- - 2", "--2"],
    ["2 - -3", "2 - -3"],
    ["((3.25))", "3.25"],
    [".5 + 2.", "0.5 + 2"],
  ];
  for (const [text, written] of cases) {
    assert.equal(unparse(parse(text)), written, text);
    assert.deepEqual(strip(parse(written)), strip(parse(text)), text);
  }
});

Deno.test("unparse writes numbers without exponents, exactly", () => {
  for (
    const value of [
      1e21,
      1.5e300,
      1e-7,
      1.2345e-300,
      5e-324,
      Number.MAX_VALUE,
      0.1,
    ]
  ) {
    const text = unparse(num(value));
    assert.match(text, /^\d+(\.\d+)?$/);
    assert.equal(evaluate(text), value);
  }
  assert.equal(unparse(num(-2)), "-2");
  assert.equal(unparse(binOp("-", num(1), num(-2))), "1 - -2");
  assert.equal(Object.is(evaluate(unparse(num(-0))), -0), true);
  const bad = { kind: "Num", value: NaN } as Node;
  assert.throws(
    () => unparse(bad),
    /Cannot unparse: expected a finite number, got NaN/,
  );
});

Deno.test("unparse is stack-safe", () => {
  const text = rightDeepText(MILLION);
  const parts: string[] = [];
  for (let i = 0; i < MILLION - 2; i++) parts.push(`${i} - (`);
  parts.push(`${MILLION - 2} - ${MILLION - 1}`, ")".repeat(MILLION - 2));
  assert.equal(unparse(parse(text)), parts.join(""));
  assert.equal(
    unparse(parse("-".repeat(MILLION) + "1")),
    "-".repeat(MILLION) + "1",
  );
});

// -- properties

/** A random tree of small numbers, decimals and the four operators. */
const trees: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(
      fc.nat(1000).map((n) => num(n)),
      fc.nat(10_000).map((n) => num(n / 100)),
    ),
    fc.tuple(fc.constantFrom("+", "-", "*", "/"), tie("node"), tie("node"))
      .map(([op, left, right]) =>
        binOp(op as "+" | "-" | "*" | "/", left as Node, right as Node)
      ),
    tie("node").map((operand) => unaryOp("-", operand as Node)),
  ),
})).node;

/** The reference: plain recursion over the tree (small trees only). */
function reference(node: Node): number {
  switch (node.kind) {
    case "Num":
      return node.value;
    case "UnaryOp":
      return -reference(node.operand);
    case "BinOp": {
      const left = reference(node.left);
      const right = reference(node.right);
      if (node.op === "+") return left + right;
      if (node.op === "-") return left - right;
      if (node.op === "*") return left * right;
      if (right === 0) throw new DivisionByZeroError("division by zero");
      return left / right;
    }
  }
}

const space = fc.constantFrom("", "", " ", "  ", "\t", "\n", "\u00a0");

/** Writes a tree with every operation in parentheses, and random spacing. */
function spaced(node: Node, gaps: string[]): string {
  let i = 0;
  const gap = () => gaps[i++ % gaps.length];
  const write = (node: Node): string => {
    switch (node.kind) {
      case "Num":
        return String(node.value);
      case "UnaryOp":
        return `(${gap()}-${gap()}${write(node.operand)}${gap()})`;
      case "BinOp":
        return `(${gap()}${write(node.left)}${gap()}${node.op}${gap()}${
          write(node.right)
        }${gap()})`;
    }
  };
  return write(node);
}

Deno.test("property: random expressions evaluate like a reference evaluator", () => {
  fc.assert(
    fc.property(trees, fc.array(space, { minLength: 1 }), (tree, gaps) => {
      const text = spaced(tree, gaps);
      let expected: number | "division by zero";
      try {
        expected = reference(tree);
      } catch {
        expected = "division by zero";
      }
      if (expected === "division by zero") {
        assert.throws(() => evaluate(text), DivisionByZeroError);
      } else {
        assert.equal(evaluate(text), expected);
      }
      assert.deepEqual(strip(parse(text)), strip(tree));
    }),
    { numRuns: 500 },
  );
});

Deno.test("property: unparse then parse gives the same tree", () => {
  fc.assert(
    fc.property(trees, (tree) => {
      const text = unparse(tree);
      assert.deepEqual(strip(parse(text)), strip(tree));
      assert.equal(unparse(parse(text)), text);
    }),
    { numRuns: 500 },
  );
});

const grammarish = fc.string({
  unit: fc.oneof(
    fc.constantFrom(..."0123456789.+-*/()  \n\t"),
    fc.constantFrom("x", "é", "😀", "\u200b", "\0", "\u3000", "\r\n", "1e5"),
    fc.string({ unit: "grapheme", maxLength: 1 }),
  ),
  maxLength: 40,
});

Deno.test("property: any string evaluates or throws LexError, ParseError or DivisionByZeroError", () => {
  fc.assert(
    fc.property(fc.oneof(grammarish, fc.string({ unit: "binary" })), (text) => {
      let value: number;
      try {
        value = evaluate(text);
      } catch (error) {
        if (error instanceof LexError) {
          assert.equal(
            text.codePointAt(error.offset),
            error.character.codePointAt(0),
            "the error points at its character",
          );
          assert.equal(typeof error.render(), "string");
          return;
        }
        if (
          error instanceof ParseError || error instanceof DivisionByZeroError
        ) {
          assert.ok(error.offset! >= 0 && error.offset! <= text.length);
          assert.ok(error.render().endsWith(error.message));
          return;
        }
        throw error;
      }
      assert.equal(typeof value, "number");
    }),
    { numRuns: 2000 },
  );
});

Deno.test("property: tokens cover the input exactly, apart from whitespace", () => {
  fc.assert(
    fc.property(grammarish, (text) => {
      const tokens: Token[] = [];
      let error: LexError | undefined;
      try {
        for (const token of tokenize(text)) tokens.push(token);
      } catch (thrown) {
        assert.ok(thrown instanceof LexError);
        error = thrown;
      }
      const end = error?.offset ?? text.length;
      let at = 0;
      for (const token of tokens) {
        assert.match(
          text.slice(at, token.offset),
          /^\s*$/u,
          "only whitespace skipped",
        );
        assert.equal(
          text.slice(token.offset, token.offset + token.value.length),
          token.value,
        );
        const lines = text.slice(0, token.offset).split(
          /\r\n|[\n\r\u2028\u2029]/,
        );
        assert.equal(token.line, lines.length);
        assert.equal(token.column, lines[lines.length - 1].length + 1);
        at = token.offset + token.value.length;
      }
      assert.match(
        text.slice(at, end),
        /^\s*$/u,
        "nothing dropped before the end",
      );
    }),
    { numRuns: 2000 },
  );
});

// -- calc and the example

async function run(
  args: string[],
  stdin = "",
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...args],
    cwd: root.pathname,
    env: { NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  return {
    code,
    stdout: decoder.decode(stdout),
    stderr: decoder.decode(stderr),
  };
}

Deno.test("calc prints the value of its argument, with no permissions", async () => {
  assert.deepEqual(await run(["compiler/calc.ts", "2 + 3 * 4 - 5"]), {
    code: 0,
    stdout: "9\n",
    stderr: "",
  });
  assert.equal(
    (await run(["compiler/calc.ts", "2", "*", "(3", "+", "4)"])).stdout,
    "14\n",
  );
  assert.equal((await run(["compiler/calc.ts", "-1.5"])).stdout, "-1.5\n");
});

Deno.test("calc shows bad input with a caret and exits non-zero", async () => {
  const lex = await run(["compiler/calc.ts", "2 + $3"]);
  assert.equal(lex.code, 1);
  assert.equal(lex.stdout, "");
  assert.equal(
    lex.stderr,
    '2 + $3\n    ^\nLexError: Cannot tokenize: unexpected character "$" at line 1, column 5\n',
  );
  const parse = await run(["compiler/calc.ts", "2 * (3 + 4"]);
  assert.equal(parse.code, 1);
  assert.equal(
    parse.stderr,
    '2 * (3 + 4\n    ^\nParseError: Cannot parse: the "(" at line 1, column 5 is never closed; expected ")" but found end of input\n',
  );
  const zero = await run(["compiler/calc.ts", "1 / (1 - 1)"]);
  assert.equal(zero.code, 1);
  assert.match(
    zero.stderr,
    /^1 \/ \(1 - 1\)\n {2}\^\nDivisionByZeroError: Cannot evaluate: division by zero/,
  );
});

Deno.test("calc reads expressions line by line from standard input", async () => {
  const result = await run(
    ["compiler/calc.ts"],
    "1 + 2\n\n   \n3 * (4 - 5)\r\n2 +\n.5\n" + sumText(100_000),
  );
  assert.equal(result.stdout, "3\n-3\n0.5\n4999950000\n");
  assert.equal(
    result.stderr,
    '2 +\n   ^\nParseError: Cannot parse: expected a number, "(" or "-" but found end of input at line 5, column 4\n',
  );
  assert.equal(result.code, 1, "a bad line makes the exit code 1");
  const good = await run(["compiler/calc.ts"], "1\n2");
  assert.deepEqual(good, { code: 0, stdout: "1\n2\n", stderr: "" });
});

Deno.test("calc cuts a long line around the caret", async () => {
  const result = await run(["compiler/calc.ts"], `${sumText(100_000)}+x+1\n`);
  const [line, caret, message] = result.stderr.split("\n");
  assert.ok(line.startsWith("…") && line.endsWith("+x+1"), line);
  assert.ok(line.length <= 102);
  assert.equal(caret.indexOf("^"), line.indexOf("x"));
  assert.match(
    message,
    /^LexError: Cannot tokenize: unexpected character "x" at line 1, column \d+$/,
  );
});

Deno.test("calc --help explains itself", async () => {
  const result = await run(["compiler/calc.ts", "--help"]);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^calc: evaluates arithmetic/);
});
