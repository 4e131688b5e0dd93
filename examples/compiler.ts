// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Part 7 of the tutorial, "A Terrifying Visitor": the tiny compiler for
 * `2 + 3 * 4 - 5`, the recursive visitor that dies on a deep tree, and the
 * generator visitor that does not. Run it with
 * `deno run examples/compiler.ts`.
 *
 * @module
 */

import {
  type BinOp,
  Evaluator,
  NodeVisitor,
  type Num,
  parse,
  tokenize,
  type Visiting,
} from "@frontier/generators/compiler";

// The tutorial's MyVisitor: prints the tree in postfix order. Its visitBinOp
// calls visit itself, so it recurses on the call stack.
class MyVisitor extends NodeVisitor<void> {
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

// The tutorial's first Evaluator, recursive like MyVisitor.
class RecursiveEvaluator extends NodeVisitor<number> {
  visitNum(node: Num): number {
    return node.value;
  }
  visitBinOp(node: BinOp): number {
    const left = this.visit(node.left);
    const right = this.visit(node.right);
    return node.op === "+"
      ? left + right
      : node.op === "-"
      ? left - right
      : node.op === "*"
      ? left * right
      : left / right;
  }
}

// A tree of your own: anything with a `kind` can be visited.
type Entry =
  | { kind: "File"; name: string; size: number }
  | { kind: "Dir"; name: string; entries: Entry[] };

class DiskUsage extends NodeVisitor<number, Entry> {
  visitFile(file: { size: number }): number {
    return file.size;
  }
  *visitDir(dir: { entries: Entry[] }): Visiting<number, Entry> {
    let total = 0;
    for (const entry of dir.entries) total += yield entry;
    return total;
  }
}

function terms(n: number): string {
  return Array.from({ length: n }, (_, i) => i).join("+");
}

/** Runs the example. */
export function main(): void {
  const text = "2 + 3 * 4 - 5";
  console.log(`-- tokenize(${JSON.stringify(text)})`);
  for (const token of tokenize(text)) console.log(token);

  console.log("-- parse: the tree");
  const tree = parse(text);
  console.log(Deno.inspect(tree, { depth: 10, colors: false }));

  console.log("-- MyVisitor: postfix order");
  const printer = new MyVisitor();
  printer.visit(tree);
  console.log(printer.out.join(" "));

  console.log("-- Evaluator");
  console.log(`${text} = ${new Evaluator().visit(tree)}`);

  console.log("-- Death Spiral: the recursive visitor on a deep tree");
  const deep = parse(terms(100_000));
  try {
    console.log(new RecursiveEvaluator().visit(deep));
  } catch (error) {
    console.log(`recursive visitor on 0+1+...+99999: ${error}`);
  }

  console.log("-- Transcendence: visit methods yield child nodes instead");
  console.log(
    `generator visitor on 0+1+...+999: ${
      new Evaluator().visit(parse(terms(1000)))
    }`,
  );
  console.log(
    `generator visitor on 0+1+...+999999: ${
      new Evaluator().visit(parse(terms(1_000_000)))
    }`,
  );

  console.log("-- Any tree of objects with a kind");
  const disk: Entry = {
    kind: "Dir",
    name: "/",
    entries: [
      { kind: "File", name: "a.txt", size: 3 },
      {
        kind: "Dir",
        name: "src",
        entries: [
          { kind: "File", name: "b.ts", size: 4 },
          { kind: "File", name: "c.ts", size: 5 },
        ],
      },
    ],
  };
  console.log(
    `disk usage of a tree of your own: ${new DiskUsage().visit(disk)}`,
  );
}

if (import.meta.main) main();
