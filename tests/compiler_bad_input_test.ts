// Copyright 2026 the @frontier/generators authors. MIT license.
// What the compiler does with input it cannot use: trees with cycles, things
// that are not tokens, and where the end of input is.
import assert from "node:assert/strict";
import {
  binOp,
  Evaluator,
  type Node,
  num,
  parse,
  ParseError,
  type Token,
  tokenize,
  unparse,
} from "@frontier/generators/compiler";

const root = new URL("../", import.meta.url);

/**
 * Runs `code` in a child Deno with a small heap and a time limit, so that a
 * runaway stack ends as a failed test instead of taking the machine down.
 */
async function runIsolated(
  code: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 60_000);
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--v8-flags=--max-old-space-size=200", code],
      cwd: root.pathname,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
      signal: controller.signal,
    }).output();
    const decoder = new TextDecoder();
    return {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
    };
  } finally {
    clearTimeout(timer);
  }
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail("expected an error");
}

// -- cycles

const CYCLE =
  /^TypeError: Cannot visit a node of kind "BinOp": it is its own descendant, so the tree has a cycle and the visit would never end; visit a tree \(or a graph without cycles\), or stop at nodes already seen$/;

Deno.test("a tree with a cycle is a TypeError from visit, not out-of-memory", async () => {
  // Before the fix, the child process died of out-of-memory on the first
  // case.
  const result = await runIsolated(`
    import { binOp, Evaluator, num, parse, unparse } from "@frontier/generators/compiler";
    const report = (what, fn) => {
      try {
        console.log(what, "gave", fn());
      } catch (error) {
        console.log(what, error.name + ": " + error.message);
      }
    };
    const self = parse("1 + 2");
    self.left = self;
    report("self", () => new Evaluator().visit(self));
    report("unparse", () => unparse(self));
    // A cycle of 5,000 operations, reached after 100,000 acyclic levels.
    const ring = [binOp("+", num(1), num(1))];
    for (let i = 1; i < 5000; i++) ring.push(binOp("-", ring[i - 1], num(1)));
    ring[0].left = ring[ring.length - 1];
    let deep = ring[0];
    for (let i = 0; i < 100_000; i++) deep = binOp("*", deep, num(1));
    report("deep", () => new Evaluator().visit(deep));
  `);
  const lines = result.stdout.trimEnd().split("\n");
  assert.equal(lines.length, 3, result.stdout + result.stderr);
  for (const [i, what] of ["self", "unparse", "deep"].entries()) {
    assert.ok(lines[i].startsWith(`${what} `), lines[i]);
    assert.match(lines[i].slice(what.length + 1), CYCLE);
  }
  assert.equal(result.code, 0);
});

Deno.test("the cycle error is thrown at the yield, where it can be caught", async () => {
  // In a child process too: before the fix, this ran out of memory.
  const result = await runIsolated(`
    import { binOp, NodeVisitor, num } from "@frontier/generators/compiler";
    const tree = binOp("+", num(1), num(2));
    tree.left = tree;
    const closed = [];
    class Guarded extends NodeVisitor {
      depth = 0;
      visitNum(node) {
        return node.value;
      }
      *visitBinOp(node) {
        const depth = this.depth++;
        try {
          return (yield node.left) + (yield node.right);
        } catch (error) {
          // The generator that yielded the repeated node gets the error
          // first; it answers 0 for that side and carries on.
          if (depth !== this.depth - 1) throw error;
          console.log("caught " + error.name + ": " + error.message);
          return 0;
        } finally {
          if (depth === 0) closed.push("root");
        }
      }
    }
    console.log("value", typeof new Guarded().visit(tree), closed.join());
    // Without a catch, every generator on the way up is closed.
    let finished = 0;
    class Counting extends NodeVisitor {
      visitNum(node) {
        return node.value;
      }
      *visitBinOp(node) {
        try {
          return (yield node.left) + (yield node.right);
        } finally {
          finished++;
        }
      }
    }
    try {
      new Counting().visit(tree);
    } catch (error) {
      console.log("thrown " + error.name + ": " + error.message);
      console.log("closed", finished > 1000);
    }
  `);
  const lines = result.stdout.trimEnd().split("\n");
  assert.equal(lines.length, 4, result.stdout + result.stderr);
  assert.match(lines[0].slice("caught ".length), CYCLE);
  assert.equal(lines[1], "value number root");
  assert.match(lines[2].slice("thrown ".length), CYCLE);
  assert.equal(lines[3], "closed true");
});

Deno.test("shared nodes are not cycles: a graph without cycles is visited as its tree", () => {
  let chain: Node = num(1);
  for (let i = 0; i < 100_000; i++) chain = binOp("+", chain, num(1));
  const twice = binOp("-", chain, chain);
  assert.equal(new Evaluator().visit(twice), 0);
  const shared = num(2);
  let deep: Node = shared;
  for (let i = 0; i < 100_000; i++) deep = binOp("+", shared, deep);
  assert.equal(new Evaluator().visit(deep), 200_002);
  assert.equal(unparse(binOp("+", shared, shared)), "2 + 2");
});

// -- things that are not tokens

Deno.test("parse names the item that is not a token, whatever it is", () => {
  const cases: [unknown[], RegExp][] = [
    [[null], /^expected a token at index 0, got null;/],
    [[undefined], /^expected a token at index 0, got undefined;/],
    [
      [...tokenize("1 +"), 2],
      /^expected a token at index 2, got 2 \(a number\);/,
    ],
    [
      [{ type: "NUM", value: "1", offset: 0, line: 1, column: 1 }, "+"],
      /^expected a token at index 1, got "\+" \(a string\);/,
    ],
    [
      [{ type: "num", value: "1", offset: 0, line: 1, column: 1 }],
      /^expected a token at index 0, got a plain object with a bad type: "num" \(a string\);/,
    ],
    [
      [{ type: "NUM", value: "1", offset: -1, line: 1, column: 1 }],
      /^expected a token at index 0, got a plain object with a bad offset: -1 \(a number\);/,
    ],
    [
      [{ type: "NUM", value: "1", offset: 0, line: 1 }],
      /^expected a token at index 0, got a plain object with a bad column: undefined;/,
    ],
  ];
  for (const [tokens, message] of cases) {
    const error = catchError(() => parse(tokens as Token[]));
    assert.ok(error instanceof TypeError, `${error}`);
    assert.ok(error.message.startsWith("Cannot parse: "), error.message);
    assert.match(error.message.slice("Cannot parse: ".length), message);
    assert.ok(
      error.message.endsWith(
        "; pass the tokens of tokenize(text), or objects of the same shape (type, value, offset, line, column)",
      ),
    );
  }
});

// -- the end of input

Deno.test("the end of input is just after the last token, from text or from tokens", () => {
  for (
    const text of [
      "2 +",
      "2 +   ",
      "2 +\n\n  \n",
      "1 *\n(2 +\r\n\t",
      "  ",
      "\n\n",
      "",
      "(1\n\n",
    ]
  ) {
    const fromText = catchError(() => parse(text)) as ParseError;
    const fromTokens = catchError(() => parse(tokenize(text))) as ParseError;
    assert.ok(fromText instanceof ParseError);
    const where = (error: ParseError) => ({
      offset: error.offset,
      line: error.line,
      column: error.column,
      message: error.message,
      render: error.render(),
    });
    assert.deepEqual(where(fromTokens), where(fromText), JSON.stringify(text));
  }
  const error = catchError(() => parse("2 +  \n\n ")) as ParseError;
  assert.deepEqual([error.offset, error.line, error.column], [3, 1, 4]);
  assert.equal(
    error.render(),
    '2 +  \n   ^\nParseError: Cannot parse: expected a number, "(" or "-" but found end of input at line 1, column 4',
  );
});
