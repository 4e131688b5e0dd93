// Copyright 2026 the @frontier/generators authors. MIT license.
// The compiler against its limits and its peers, on the same inputs:
//
// - lexing: `tokenize` against a hand-written character-code scanner that
//   makes no token objects (the limit), the tutorial's sticky-regex scanner,
//   and npm:moo. Throughput is the input size over the time per iteration.
// - parsing: `parse` (explicit stacks) against the tutorial's trick applied
//   to the parser (grammar rules as generators that yield the sub-rule they
//   need), both on the same scanner, a million deep in each shape.
// - evaluation: the `Evaluator` (generator visit methods on an explicit
//   stack) against an explicit-stack evaluator without generators (the
//   limit) and a plain recursive one where it survives. Per node: the time
//   over the node count in the group's name.
// - end to end: `evaluate` against npm:expr-eval and npm:mathjs on inputs
//   they survive; the depths where each fails are printed first, on stderr.
//
// Run: deno bench -A bench/compiler_bench.ts
import moo from "moo";
import { Parser as ExprEvalParser } from "expr-eval";
import { evaluate as mathEvaluate } from "mathjs";
import {
  type BinOp,
  evaluate,
  Evaluator,
  type Node,
  parse,
  tokenize,
  type UnaryOp,
} from "@frontier/generators/compiler";
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
} from "../compiler/_scanner.ts";

const MILLION = 1_000_000;

// -- inputs

/** About `bytes` of `a op b op c ...`, optionally with spaces, parentheses, decimals and newlines. */
function lexInput(bytes: number, spaced: boolean): string {
  const ops = ["+", "-", "*", "/"];
  const parts: string[] = [];
  let length = 0;
  for (let k = 0; length < bytes; k++) {
    let part: string;
    if (spaced) {
      part = `${k % 7 === 0 ? "(" : ""}${k % 1000}${k % 7 === 3 ? ".25" : ""}${
        k % 7 === 6 ? ")" : ""
      }${k % 20 === 19 ? "\n" : " "}${ops[k % 4]} `;
    } else {
      part = `${k % 1000}${ops[k % 4]}`;
    }
    parts.push(part);
    length += part.length;
  }
  parts.push("1");
  return parts.join("");
}

function sumText(n: number): string {
  return Array.from({ length: n }, (_, i) => i).join("+");
}

function parensText(n: number): string {
  return "(".repeat(n) + "1" + ")".repeat(n);
}

function unaryText(n: number): string {
  return "-".repeat(n) + "1";
}

function rightDeepText(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n - 1; i++) parts.push(`${i}-(`);
  parts.push(String(n - 1), ")".repeat(n - 1));
  return parts.join("");
}

/** A complete binary tree of `+` over 2^depth leaves, as text. */
function balancedText(depth: number): string {
  let level = Array.from({ length: 2 ** depth }, (_, i) => String(i % 10));
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(`(${level[i]}+${level[i + 1]})`);
    }
    level = next;
  }
  return level[0];
}

// -- lexers

/** The limit: a character-code loop that counts tokens and makes nothing. */
function countTokensByCharCode(text: string): number {
  let count = 0;
  let line = 1;
  let lineStart = 0;
  const n = text.length;
  for (let i = 0; i < n;) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 46) {
      while (++i < n) {
        const d = text.charCodeAt(i);
        if ((d < 48 || d > 57) && d !== 46) break;
      }
      count++;
    } else if (
      c === 43 || c === 45 || c === 42 || c === 47 || c === 40 || c === 41
    ) {
      i++;
      count++;
    } else if (c === 32 || c === 9) {
      i++;
    } else if (c === 10) {
      i++;
      line++;
      lineStart = i;
    } else {
      throw new SyntaxError(`bad character at ${line}:${i - lineStart + 1}`);
    }
  }
  return count;
}

interface RegexToken {
  type: string;
  value: string;
  offset: number;
  line: number;
  column: number;
}

const REGEX_TYPES = [
  "",
  "NUM",
  "PLUS",
  "MINUS",
  "TIMES",
  "DIVIDE",
  "LPAREN",
  "RPAREN",
  "NL",
  "WS",
];

/**
 * The tutorial's scanner: one sticky regular expression with a group per
 * token type (positional groups: named ones were about 5x slower still).
 */
function* regexTokenize(text: string): Generator<RegexToken> {
  const master =
    /(\d+(?:\.\d*)?|\.\d+)|(\+)|(-)|(\*)|(\/)|(\()|(\))|(\n)|([ \t]+)/y;
  let line = 1;
  let lineStart = 0;
  while (master.lastIndex < text.length) {
    const offset = master.lastIndex;
    const match = master.exec(text);
    if (match === null) throw new SyntaxError(`bad character at ${offset}`);
    let group = 1;
    while (match[group] === undefined) group++;
    const type = REGEX_TYPES[group];
    if (type === "WS") continue;
    if (type === "NL") {
      line++;
      lineStart = master.lastIndex;
      continue;
    }
    yield {
      type,
      value: match[0],
      offset,
      line,
      column: offset - lineStart + 1,
    };
  }
}

const mooLexer = moo.compile({
  WS: /[ \t]+/,
  NL: { match: /\n/, lineBreaks: true },
  NUM: /\d+(?:\.\d*)?|\.\d+/,
  PLUS: "+",
  MINUS: "-",
  TIMES: "*",
  DIVIDE: "/",
  LPAREN: "(",
  RPAREN: ")",
});

function countTokenize(text: string): number {
  let count = 0;
  for (const _ of tokenize(text)) count++;
  return count;
}

function countRegex(text: string): number {
  let count = 0;
  for (const _ of regexTokenize(text)) count++;
  return count;
}

function countMoo(text: string): number {
  mooLexer.reset(text);
  let count = 0;
  for (const token of mooLexer) {
    if (token.type !== "WS" && token.type !== "NL") count++;
  }
  return count;
}

// -- the tutorial's trick applied to the parser

const OPERATORS: Record<number, "+" | "-" | "*" | "/"> = {
  [PLUS]: "+",
  [MINUS]: "-",
  [TIMES]: "*",
  [DIVIDE]: "/",
};

/**
 * expr, term and factor as generators that yield the rule they need next; a
 * driver runs them on an explicit stack. Numbers are read inline, without a
 * generator of their own (about 1.5x faster than a generator per factor).
 */
function generatorParse(text: string): Node {
  const scanner = new Scanner(text);
  let lookahead = scanner.next();
  const EXPR = 0;
  const TERM = 1;
  const FACTOR = 2;
  type Rule = Generator<number, Node, Node>;
  const number = (): Node => {
    const node: Node = {
      kind: "Num",
      value: scanner.numberValue(),
      offset: scanner.offset,
    };
    lookahead = scanner.next();
    return node;
  };
  function* expr(): Rule {
    let left = yield TERM;
    while (lookahead === PLUS || lookahead === MINUS) {
      const op = OPERATORS[lookahead];
      const offset = scanner.offset;
      lookahead = scanner.next();
      const right = yield TERM;
      left = { kind: "BinOp", op, left, right, offset };
    }
    return left;
  }
  function* term(): Rule {
    let left = lookahead === NUM ? number() : yield FACTOR;
    while (lookahead === TIMES || lookahead === DIVIDE) {
      const op = OPERATORS[lookahead];
      const offset = scanner.offset;
      lookahead = scanner.next();
      const right = lookahead === NUM ? number() : yield FACTOR;
      left = { kind: "BinOp", op, left, right, offset };
    }
    return left;
  }
  function* factor(): Rule {
    if (lookahead === NUM) return number();
    if (lookahead === LPAREN) {
      lookahead = scanner.next();
      const inner = yield EXPR;
      if (lookahead !== RPAREN) throw new SyntaxError('expected ")"');
      lookahead = scanner.next();
      return inner;
    }
    if (lookahead === MINUS) {
      const offset = scanner.offset;
      lookahead = scanner.next();
      const operand = yield FACTOR;
      return { kind: "UnaryOp", op: "-", operand, offset };
    }
    throw new SyntaxError("expected a number");
  }
  const rules = [expr, term, factor];
  const stack: Rule[] = [];
  let rule = expr();
  let sent: Node | undefined;
  for (;;) {
    const step = rule.next(sent!);
    if (step.done) {
      sent = step.value;
      const parent = stack.pop();
      if (parent === undefined) break;
      rule = parent;
    } else {
      stack.push(rule);
      rule = rules[step.value]();
      sent = undefined;
    }
  }
  if (lookahead !== END) throw new SyntaxError("expected the end");
  return sent!;
}

// -- evaluators

/** The limit: post-order on an explicit stack of nodes and states, no generators. */
function stackEvaluate(root: Node): number {
  const nodes: Node[] = [root];
  const states: number[] = [0];
  const values: number[] = [];
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const node = nodes[top];
    const state = states[top];
    if (node.kind === "Num") {
      values.push(node.value);
      nodes.pop();
      states.pop();
    } else if (node.kind === "UnaryOp") {
      if (state === 0) {
        states[top] = 1;
        nodes.push(node.operand);
        states.push(0);
      } else {
        values.push(-values.pop()!);
        nodes.pop();
        states.pop();
      }
    } else if (state === 0) {
      states[top] = 1;
      nodes.push(node.left);
      states.push(0);
    } else if (state === 1) {
      states[top] = 2;
      nodes.push(node.right);
      states.push(0);
    } else {
      const right = values.pop()!;
      const left = values.pop()!;
      values.push(apply(node, left, right));
      nodes.pop();
      states.pop();
    }
  }
  return values[0];
}

function apply(node: BinOp, left: number, right: number): number {
  switch (node.op) {
    case "+":
      return left + right;
    case "-":
      return left - right;
    case "*":
      return left * right;
    case "/":
      if (right === 0) throw new RangeError("division by zero");
      return left / right;
  }
}

/** The tutorial's first Evaluator: recursion on the call stack. */
function recursiveEvaluate(node: Node): number {
  switch (node.kind) {
    case "Num":
      return node.value;
    case "UnaryOp":
      return -recursiveEvaluate((node as UnaryOp).operand);
    case "BinOp":
      return apply(
        node,
        recursiveEvaluate(node.left),
        recursiveEvaluate(node.right),
      );
  }
}

function countNodes(root: Node): number {
  let count = 0;
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    count++;
    if (node.kind === "BinOp") stack.push(node.left, node.right);
    else if (node.kind === "UnaryOp") stack.push(node.operand);
  }
  return count;
}

function check(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) {
    throw new Error(`${what}: got ${actual}, expected ${expected}`);
  }
}

// -- where each evaluator fails, printed once on stderr (stdout may be JSON)

/** The first size in [1, max] at which `works` fails, by bisection; 0 if none. */
function firstFailure(max: number, works: (n: number) => boolean): number {
  if (works(max)) return 0;
  let good = 0;
  let bad = max;
  while (bad - good > 1) {
    const mid = Math.floor((good + bad) / 2);
    if (works(mid)) good = mid;
    else bad = mid;
  }
  return bad;
}

function survives(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (error) {
    if (
      error instanceof RangeError ||
      /too much recursion|stack/i.test(String(error))
    ) {
      return false;
    }
    throw error;
  }
}

function probeDepths(): void {
  const shapes: [string, (n: number) => string][] = [
    ["sum terms", sumText],
    ["nested ()", parensText],
    ["unary -", unaryText],
    ["right-deep", rightDeepText],
  ];
  const engines: [string, (text: string) => unknown][] = [
    ["evaluate (ours)", (text) => evaluate(text)],
    ["recursive evaluator", (text) => recursiveEvaluate(parse(text))],
    ["expr-eval", (text) => ExprEvalParser.evaluate(text)],
    ["mathjs", (text) => mathEvaluate(text)],
  ];
  const show = (n: number) =>
    n === 0
      ? `ok at ${MILLION.toLocaleString("en")}`
      : `fails at ${n.toLocaleString("en")}`;
  console.error(
    "Depth at which each first fails (bisection up to a million; stack depth varies a little run to run):",
  );
  console.error(
    `${"".padEnd(22)}${shapes.map(([name]) => name.padEnd(22)).join("")}`,
  );
  for (const [name, run] of engines) {
    const cells = shapes.map(([, make]) =>
      show(firstFailure(MILLION, (n) => survives(() => run(make(n)))))
    );
    console.error(
      `${name.padEnd(22)}${cells.map((cell) => cell.padEnd(22)).join("")}`,
    );
  }
}

if (Deno.env.get("COMPILER_BENCH_DEPTHS") !== "0") probeDepths();

// -- lexing: 10 MB of source

const LEX_BYTES = 10 * 1024 * 1024;
for (const spaced of [false, true]) {
  const text = lexInput(LEX_BYTES, spaced);
  const tokens = countTokenize(text);
  check("char-code scanner", countTokensByCharCode(text), tokens);
  check("regex scanner", countRegex(text), tokens);
  check("moo", countMoo(text), tokens);
  const group = `lex 10 MB ${
    spaced ? "with spaces, parentheses, decimals, newlines" : "without spaces"
  } (${(tokens / 1e6).toFixed(1)}M tokens)`;
  const options = { group, n: 10, warmup: 2 };
  Deno.bench("tokenize (ours)", { ...options, baseline: true }, () => {
    countTokenize(text);
  });
  Deno.bench("char-code scanner, no token objects (the limit)", options, () => {
    countTokensByCharCode(text);
  });
  Deno.bench("sticky-regex tokenizer (the tutorial's scanner)", options, () => {
    countRegex(text);
  });
  Deno.bench("moo", options, () => {
    countMoo(text);
  });
}

// -- parsing: a million deep in every shape

for (
  const [shape, text] of [
    ["sum of a million terms (left-deep)", sumText(MILLION)],
    ["a million nested parentheses", parensText(MILLION)],
    ["a million unary minuses", unaryText(MILLION)],
    ["right-deep 0-(1-(2-...)) a million deep", rightDeepText(MILLION)],
  ] as const
) {
  check(
    `generator parser on ${shape}`,
    countNodes(generatorParse(text)),
    countNodes(parse(text)),
  );
  const options = { group: `parse ${shape}`, n: 10, warmup: 2 };
  Deno.bench(
    "parse (ours: explicit stacks)",
    { ...options, baseline: true },
    () => {
      parse(text);
    },
  );
  Deno.bench("generator-rule parser (the tutorial's trick)", options, () => {
    generatorParse(text);
  });
}

// -- evaluation of a tree, per node

for (
  const [shape, text, recursive] of [
    ["left-deep 0+1+...+499999", sumText(MILLION / 2), false],
    ["balanced, depth 20", balancedText(20), true],
    ["left-deep 0+1+...+4999", sumText(5000), true],
  ] as const
) {
  const tree = parse(text);
  const nodes = countNodes(tree);
  const expected = stackEvaluate(tree);
  check("Evaluator", new Evaluator().visit(tree), expected);
  const options = {
    group: `evaluate a ${nodes.toLocaleString("en")}-node tree, ${shape}`,
    n: nodes > 10_000 ? 20 : undefined,
    warmup: nodes > 10_000 ? 3 : undefined,
  };
  Deno.bench("Evaluator.visit (ours: generator visitor)", {
    ...options,
    baseline: true,
  }, () => {
    new Evaluator().visit(tree);
  });
  Deno.bench(
    "explicit-stack evaluator, no generators (the limit)",
    options,
    () => {
      stackEvaluate(tree);
    },
  );
  if (recursive) {
    check("recursive evaluator", recursiveEvaluate(tree), expected);
    Deno.bench("recursive evaluator (the tutorial's first)", options, () => {
      recursiveEvaluate(tree);
    });
  }
}

// -- end to end, text to number

for (
  const [what, text, withMathjs] of [
    ["2 + 3 * 4 - 5", "2 + 3 * 4 - 5", true],
    ["a 1,000-term sum", sumText(1000), true],
    ["200 nested parentheses", parensText(200), true],
    ["a million-term sum (mathjs fails)", sumText(MILLION), false],
  ] as const
) {
  const expected = evaluate(text);
  check("expr-eval", ExprEvalParser.evaluate(text), expected);
  if (withMathjs) check("mathjs", mathEvaluate(text), expected);
  const big = text.length > 100_000;
  const options = {
    group: `evaluate ${what}`,
    n: big ? 10 : undefined,
    warmup: big ? 2 : undefined,
  };
  Deno.bench("evaluate (ours)", { ...options, baseline: true }, () => {
    evaluate(text);
  });
  Deno.bench("expr-eval", options, () => {
    ExprEvalParser.evaluate(text);
  });
  if (withMathjs) {
    Deno.bench("mathjs", options, () => {
      mathEvaluate(text);
    });
  }
}
