// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * The visitor pattern without the recursion: {@linkcode NodeVisitor}
 * dispatches each node to a `visit<Kind>` method, and a method that is a
 * generator `yield`s child nodes instead of visiting them itself. `visit`
 * runs those generators on an explicit stack (the tutorial's "how do you NOT
 * do something?"), so a tree a million deep is no deeper for the call stack
 * than a tree one deep.
 *
 * @module
 */

import {
  describe,
  isAsyncGeneratorFunction,
  isGeneratorFunction,
} from "../_core/describe.ts";
import type { Node } from "./ast.ts";

/**
 * Anything a visitor can visit: an object with a `kind` that names its type.
 * Bring your own node types; they need nothing else.
 */
export interface Kinded {
  /** The type of node; `visit` calls the method `visit<kind>`. */
  readonly kind: string;
}

/**
 * The type of a generator visit method: it yields child nodes (`N`), gets
 * back their results (`R`) at each `yield`, and returns its own `R`.
 *
 * ```ts ignore
 * *visitBinOp(node: BinOp): Visiting<number> {
 *   const left = yield node.left;
 *   ...
 * }
 * ```
 */
export type Visiting<R, N extends Kinded = Node> = Generator<N, R, R>;

// A visit method, and whether calling it makes a generator.
interface Method {
  fn: (node: Kinded) => unknown;
  generator: boolean;
}

// Generators of any generator function inherit from this object.
const GeneratorPrototype = Object.getPrototypeOf(function* () {}).prototype;

function isGenerator(value: unknown): value is Generator {
  return typeof value === "object" && value !== null &&
    Object.prototype.isPrototypeOf.call(GeneratorPrototype, value);
}

// A tree with a cycle would grow the stack of generators until memory runs
// out. Past DEEP frames, the node of the frame at each power of two is kept
// and every node pushed after it is compared with it (Brent's cycle
// finding): once the visit goes round a cycle the same way twice, the kept
// node comes back, within about twice the depth where the repetition began.
// It costs a comparison or two per generator, and no memory.
const DEEP = 1024;

function cycleError(node: Kinded): TypeError {
  return new TypeError(
    `Cannot visit a node of kind ${
      JSON.stringify(node.kind)
    }: it is its own descendant, so the tree has a cycle and the visit would never end; visit a tree (or a graph without cycles), or stop at nodes already seen`,
  );
}

// What to keep once the frame of the kept node has been left: nothing, and
// the next node at the same depth.
function lost(keptAt: number): [undefined, number, number] {
  return [undefined, -1, keptAt];
}

/**
 * Visits a tree of nodes: `visit(node)` calls the method named `visit` plus
 * the node's `kind` (`visitBinOp` for a `BinOp`) and returns its result.
 *
 * A method may be plain and return its result; it may call `this.visit` on
 * the children itself, as in the tutorial (which then recurses on the call
 * stack). Or it may be a generator method that `yield`s each child node and
 * receives the child's result at the `yield`: those run on an explicit stack
 * of generators, so no depth of tree overflows the call stack. The two kinds
 * mix freely. A plain method that returns a generator object is run the
 * same way (the tutorial's `genvisit`), so a visitor cannot have generators
 * as its results.
 *
 * An error thrown while visiting a child is thrown into the parent's
 * generator at its `yield`, where `try`/`catch` can handle it; `finally`
 * blocks run as the error passes through.
 *
 * A node whose kind has no method goes to {@linkcode genericVisit}, which by
 * default throws an error naming the kind; override it for a default.
 *
 * A node may be shared (a graph without cycles is visited like the tree it
 * unfolds to), but a node must not be its own descendant. Past 1,024
 * generators deep, a visit that goes round a cycle the same way twice (as
 * every visitor whose methods depend only on their node does) is caught
 * before the stack is four times as deep as where it began repeating: a
 * `TypeError` is thrown into the generator that yielded, like a bad yield.
 * (A plain method that calls `visit` on a cycle overflows the call stack: a
 * `RangeError`, also catchable.) The check costs a comparison per generator.
 *
 * Any tree of objects with a string `kind` can be visited, not only the
 * compiler's {@linkcode Node}s: give your node type as `N`.
 *
 * @typeParam R What visiting a node gives.
 * @typeParam N The nodes, by default the compiler's {@linkcode Node}.
 *
 * @example The tutorial's postfix printer, recursive, then with `yield`
 * ```ts
 * import { type BinOp, NodeVisitor, type Num, parse, type Visiting } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * class MyVisitor extends NodeVisitor<void> {
 *   out: string[] = [];
 *   visitNum(node: Num) {
 *     this.out.push(String(node.value));
 *   }
 *   visitBinOp(node: BinOp) {
 *     this.visit(node.left);
 *     this.visit(node.right);
 *     this.out.push(node.op);
 *   }
 * }
 * const v = new MyVisitor();
 * v.visit(parse("2 + 3 * 4 - 5"));
 * assert.equal(v.out.join(" "), "2 3 4 * + 5 -");
 *
 * class Postfix extends NodeVisitor<string> {
 *   visitNum(node: Num) {
 *     return String(node.value);
 *   }
 *   *visitBinOp(node: BinOp): Visiting<string> {
 *     return `${yield node.left} ${yield node.right} ${node.op}`;
 *   }
 * }
 * const deep = Array.from({ length: 100_000 }, (_, i) => i).join("+");
 * assert.ok(new Postfix().visit(parse(deep)).endsWith("99999 +"));
 * ```
 *
 * @example Your own node types
 * ```ts
 * import { NodeVisitor, type Visiting } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * type Entry =
 *   | { kind: "File"; name: string; size: number }
 *   | { kind: "Dir"; name: string; entries: Entry[] };
 *
 * class DiskUsage extends NodeVisitor<number, Entry> {
 *   visitFile(file: { size: number }) {
 *     return file.size;
 *   }
 *   *visitDir(dir: { entries: Entry[] }): Visiting<number, Entry> {
 *     let total = 0;
 *     for (const entry of dir.entries) total += yield entry;
 *     return total;
 *   }
 * }
 * const tree: Entry = {
 *   kind: "Dir",
 *   name: "/",
 *   entries: [
 *     { kind: "File", name: "a", size: 3 },
 *     { kind: "Dir", name: "b", entries: [{ kind: "File", name: "c", size: 4 }] },
 *   ],
 * };
 * assert.equal(new DiskUsage().visit(tree), 7);
 * ```
 *
 * @example A cycle is an error, not a hang
 * ```ts
 * import { Evaluator, parse } from "@frontier/generators/compiler";
 * import assert from "node:assert/strict";
 *
 * const tree = parse("1 + 2");
 * if (tree.kind === "BinOp") tree.left = tree;
 * assert.throws(() => new Evaluator().visit(tree), {
 *   name: "TypeError",
 *   message: /^Cannot visit a node of kind "BinOp": it is its own descendant/,
 * });
 * ```
 */
export class NodeVisitor<R, N extends Kinded = Node> {
  #methods = new Map<string, Method>();

  /**
   * Visits `node` and returns what its method gives. Generator methods run
   * on an explicit stack, never on the call stack.
   *
   * @example
   * ```ts
   * import { Evaluator, parse } from "@frontier/generators/compiler";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Evaluator().visit(parse("2 + 3 * 4 - 5")), 9);
   * ```
   *
   * @param node An object with a string `kind`.
   * @returns The result of `node`'s visit method.
   * @throws {TypeError} If `node` has no string `kind`, or a generator method
   * yields something else or a node that is its own ancestor (thrown into it
   * at that `yield` first), or its kind has no method and
   * {@linkcode genericVisit} is not overridden.
   */
  visit(node: N): R {
    const method = this.#method(node, "the node given to visit()");
    const result = method.fn.call(this, node);
    if (method.generator || isGenerator(result)) {
      return this.#run(result as Visiting<R, N>);
    }
    return result as R;
  }

  /**
   * Visits a node whose kind has no `visit<Kind>` method. By default it
   * throws a `TypeError` naming the kind. Override it to give a default; it
   * may be a plain method or a generator method, like the others.
   *
   * @example A default for every other kind
   * ```ts
   * import { NodeVisitor, parse } from "@frontier/generators/compiler";
   * import assert from "node:assert/strict";
   *
   * class Kinds extends NodeVisitor<string> {
   *   override genericVisit(node: { kind: string }) {
   *     return node.kind;
   *   }
   * }
   * assert.equal(new Kinds().visit(parse("-1")), "UnaryOp");
   * ```
   *
   * @param node The node.
   * @returns Its result, or a generator that computes it.
   * @throws {TypeError} Unless overridden.
   */
  genericVisit(node: N): R | Visiting<R, N> {
    const name = `visit${node.kind}`;
    throw new TypeError(
      `Cannot visit a node of kind ${
        JSON.stringify(node.kind)
      }: ${this.constructor.name} has no method ${name}; add ${name}(node), or override genericVisit(node) to handle the kinds that have no method`,
    );
  }

  // The method for `node`'s kind, found once per kind and visitor.
  #method(node: unknown, what: string): Method {
    const kind = (node as Kinded | null)?.kind;
    if (typeof node !== "object" || typeof kind !== "string" || kind === "") {
      throw new TypeError(
        `Cannot visit ${what}: expected a node, an object with a non-empty string "kind", got ${
          describe(node)
        }`,
      );
    }
    let method = this.#methods.get(kind);
    if (method === undefined) {
      const own = (this as unknown as Record<string, unknown>)[`visit${kind}`];
      const fn = (typeof own === "function" ? own : this.genericVisit) as (
        node: Kinded,
      ) => unknown;
      if (
        isAsyncGeneratorFunction(fn)
      ) {
        throw new TypeError(
          `Cannot visit a node of kind ${JSON.stringify(kind)}: its method is ${
            describe(fn)
          }, and visit() runs synchronously; make it a generator method (*${fn.name}) or a plain one`,
        );
      }
      method = { fn, generator: isGeneratorFunction(fn) };
      this.#methods.set(kind, method);
    }
    return method;
  }

  // Runs generator methods on an explicit stack: a generator that yields a
  // child is pushed, the child's generator runs, and its return value is
  // sent back to the parent at its `yield`.
  #run(root: Visiting<R, N>): R {
    const stack: Visiting<R, N>[] = [];
    // The node kept for finding cycles, the length of the stack under its
    // frame (while it is there; -1 when none is kept), and the length at
    // which the next one is kept.
    let kept: N | undefined = undefined;
    let keptAt = -1;
    let nextKeep = DEEP;
    let gen = root;
    let sent: R | undefined = undefined;
    let error: unknown = undefined;
    let failing = false;
    // The method of the kind seen last: trees tend to repeat kinds.
    let lastKind = "";
    let last: Method | undefined = undefined;
    for (;;) {
      let step: IteratorResult<N, R>;
      try {
        if (failing) {
          failing = false;
          step = gen.throw(error);
        } else {
          step = gen.next(sent as R);
        }
      } catch (thrown) {
        // The generator ended with an error: its parent gets it.
        if (stack.length === 0) throw thrown;
        gen = stack.pop()!;
        if (stack.length <= keptAt) [kept, keptAt, nextKeep] = lost(keptAt);
        error = thrown;
        failing = true;
        continue;
      }
      if (step.done) {
        sent = step.value;
        if (stack.length === 0) return sent;
        gen = stack.pop()!;
        if (stack.length <= keptAt) [kept, keptAt, nextKeep] = lost(keptAt);
        continue;
      }
      const child = step.value;
      try {
        let method: Method;
        const kind = (child as Kinded | null)?.kind;
        if (kind === lastKind && last !== undefined) {
          method = last;
        } else {
          method = this.#method(
            child,
            "what a visit method yielded",
          );
          lastKind = kind as string;
          last = method;
        }
        const result = method.fn.call(this, child);
        if (method.generator || isGenerator(result)) {
          if (stack.length >= DEEP) {
            // The child's generator has not started: dropping it is enough.
            if (child === kept) throw cycleError(child);
            if (stack.length >= nextKeep) {
              kept = child;
              keptAt = stack.length;
              nextKeep = keptAt * 2;
            }
          }
          stack.push(gen);
          gen = result as Visiting<R, N>;
          sent = undefined;
        } else {
          sent = result as R;
        }
      } catch (thrown) {
        // A plain method failed, or the yield was bad: the error goes to
        // the generator that yielded.
        error = thrown;
        failing = true;
      }
    }
  }
}
