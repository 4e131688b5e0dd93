// Copyright 2026 the @frontier/generators authors. MIT license.
// The functions given to a WorkerPool's `submit` travel as source code. Each
// gets a numeric key, the same for every function with the same source, and
// each worker is sent a source once: later tasks name it by its key.

import { describe } from "../_core/describe.ts";
import {
  checkTaskFunction,
  type TaskFunctionAt,
} from "./check_task_function.ts";

/** What a task runs: a submitted function's key, or an export's name. */
export type Key = number | string;

type AnyFunction = (...args: unknown[]) => unknown;

const EXPRESSION = /^(?:async\s*)?(?:function\b|\(|[\w$]+\s*=>)/;
const METHOD = /^(async\s+)?(\*\s*)?([\w$]+)\s*\(/;

/** The source of `fn` as a function expression a worker can compile. */
export function sourceOf(fn: AnyFunction, action: string): string {
  const text = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(text)) {
    throw new TypeError(
      `Cannot ${action}: ${
        describe(fn)
      } is built in or bound, so it has no source code to send to a worker; wrap it in a function, e.g. (x: number) => Math.sqrt(x)`,
    );
  }
  if (/^class\b/.test(text)) {
    throw new TypeError(
      `Cannot ${action}: expected a function to call, got ${
        describe(fn)
      }; submit a function that uses the class instead`,
    );
  }
  if (EXPRESSION.test(text)) return text;
  // A method (`name() {}`) is sent as the function it stands for.
  const method = METHOD.exec(text);
  if (method !== null) {
    return `${method[1] ?? ""}function${method[2] ? "*" : ""} ${method[3]}${
      text.slice(method[0].length - 1)
    }`;
  }
  throw new TypeError(
    `Cannot ${action}: the source of ${describe(fn)} (${
      JSON.stringify(text.slice(0, 80))
    }) is not a function expression (a getter, or a method with a computed name?), so it cannot be sent to a worker; wrap it in an arrow function`,
  );
}

/** The keys and sources of the functions given to one pool. */
export class FunctionRegistry {
  readonly #keys = new WeakMap<AnyFunction, number>();
  readonly #keysBySource = new Map<string, number>();
  readonly #sources: string[] = [""];

  /**
   * The key of `fn`, checked and registered the first time it is seen.
   *
   * @throws {TypeError} If `fn` is not a function that can be sent.
   */
  keyOf(fn: AnyFunction, at: TaskFunctionAt): number {
    let key = this.#keys.get(fn);
    if (key !== undefined) return key;
    checkTaskFunction(fn, at);
    const source = sourceOf(fn, at.action);
    key = this.#keysBySource.get(source);
    if (key === undefined) {
      key = this.#sources.length;
      this.#keysBySource.set(source, key);
      this.#sources.push(source);
    }
    this.#keys.set(fn, key);
    return key;
  }

  /** The source of the function with key `key`. */
  sourceOf(key: number): string {
    return this.#sources[key];
  }
}

/**
 * The functions one worker has been sent, so that each source crosses once.
 * A batch marks the sources it carries as sent while it is built, and takes
 * the marks back if it is refused; a task posted alone marks its source
 * once it went.
 */
export class SentFunctions {
  readonly #registry: FunctionRegistry;
  readonly #sent = new Set<number>();
  // Keys first sent in the batch being built.
  #fresh: number[] = [];

  constructor(registry: FunctionRegistry) {
    this.#registry = registry;
  }

  /**
   * The source to put in a batch with a task of `key`: the function's source
   * the first time, otherwise `null`.
   */
  inBatch(key: Key): string | null {
    if (typeof key !== "number" || this.#sent.has(key)) return null;
    this.#sent.add(key);
    this.#fresh.push(key);
    return this.#registry.sourceOf(key);
  }

  /** The batch built since the last call went as one message. */
  batchPosted(): void {
    if (this.#fresh.length > 0) this.#fresh = [];
  }

  /** The batch built since the last call was refused: none of it arrived. */
  batchRefused(): void {
    for (const key of this.#fresh) this.#sent.delete(key);
    this.#fresh = [];
  }

  /** The source to post with a task of `key` alone, or `null`. */
  alone(key: Key): string | null {
    if (typeof key !== "number" || this.#sent.has(key)) return null;
    return this.#registry.sourceOf(key);
  }

  /** A task of `key` posted alone went, with its source if it had one. */
  postedAlone(key: Key): void {
    if (typeof key === "number") this.#sent.add(key);
  }
}
