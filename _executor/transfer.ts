// Copyright 2026 the @frontier/generators authors. MIT license.
// The `transfer` marker: a value whose buffers move to or from a worker
// instead of being copied. Executors that stay in one isolate just unwrap it.

import { describe } from "../_core/describe.ts";

const TRANSFER = Symbol.for("@frontier/generators/transfer");

/**
 * A value marked by {@linkcode transfer}: its buffers move to the other side
 * instead of being copied. Make one with {@linkcode transfer}.
 *
 * @example
 * ```ts
 * import { transfer } from "@frontier/generators/executor";
 * import assert from "node:assert/strict";
 *
 * const buffer = new ArrayBuffer(8);
 * const marked = transfer(buffer);
 * assert.equal(marked.value, buffer);
 * assert.deepEqual(marked.list, [buffer]);
 * ```
 *
 * @typeParam T The type of the value.
 */
export class Transfer<T> {
  // Makes the type nominal: a plain `{ value, list }` is not a marker.
  #brand = true;
  /** The value sent. */
  readonly value: T;
  /** The objects moved rather than copied. */
  readonly list: readonly Transferable[];

  /**
   * Marks `value`; {@linkcode transfer} is the way to call it.
   *
   * @param value The value to send.
   * @param list The objects to move.
   */
  constructor(value: T, list: readonly Transferable[]) {
    this.value = value;
    this.list = list;
    // Recognised by other copies of this package too (see isTransfer).
    Object.defineProperty(this, TRANSFER, { value: this.#brand });
  }
}

/**
 * Marks `value` so that its `ArrayBuffer`s are transferred, not copied, when
 * it crosses to or from a worker: as an argument of `submit`, `call` or
 * `map`, or as what a task returns. The sender's buffers are detached
 * afterwards (their `byteLength` is 0).
 *
 * `list` names the objects to move; without it, every `ArrayBuffer` found in
 * `value` (through arrays, plain objects, `Map`s, `Set`s, typed arrays and
 * `DataView`s) moves. Inside a function given to `submit`, `transfer` is
 * available as it is, without an import.
 *
 * @example Sending a buffer to a worker and back without copying
 * ```ts
 * import { transfer } from "@frontier/generators/executor";
 * import { WorkerPool } from "@frontier/generators/worker-pool";
 * import assert from "node:assert/strict";
 *
 * await using pool = new WorkerPool({ maxWorkers: 1 });
 * const bytes = new Uint8Array([1, 2, 3]);
 * const doubled = await pool.submit((data: Uint8Array) => {
 *   for (let i = 0; i < data.length; i++) data[i] *= 2;
 *   return transfer(data);
 * }, transfer(bytes));
 * assert.deepEqual([...doubled], [2, 4, 6]);
 * assert.equal(bytes.byteLength, 0); // moved, not copied
 * ```
 *
 * @typeParam T The type of the value.
 * @param value The value to send.
 * @param list The objects to move; by default every `ArrayBuffer` in `value`.
 * @returns A marker to pass as an argument or return from a task.
 */
export function transfer<T>(
  value: T,
  list?: readonly Transferable[],
): Transfer<T> {
  if (list !== undefined && !Array.isArray(list)) {
    throw new TypeError(
      `Cannot transfer: list must be an array of transferable objects, got ${
        describe(list)
      }; leave it out to move every ArrayBuffer in value`,
    );
  }
  return new Transfer(value, list ?? findBuffers(value));
}

/** Whether `value` is a {@linkcode transfer} marker, from any copy of the package. */
export function isTransfer(value: unknown): value is Transfer<unknown> {
  return value instanceof Transfer ||
    (typeof value === "object" && value !== null &&
      (value as Record<symbol, unknown>)[TRANSFER] === true);
}

/**
 * Returns `value`, or the value inside a transfer marker, adding the marker's
 * objects to `into`.
 */
export function unwrapTransfer(
  value: unknown,
  into: Transferable[],
): unknown {
  if (!isTransfer(value)) return value;
  for (const item of value.list) {
    if (!into.includes(item)) into.push(item);
  }
  return value.value;
}

function findBuffers(value: unknown): Transferable[] {
  const found = new Set<ArrayBuffer>();
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next !== "object" || next === null || seen.has(next)) continue;
    seen.add(next);
    if (next instanceof ArrayBuffer) found.add(next);
    else if (ArrayBuffer.isView(next)) {
      // A SharedArrayBuffer is shared already; it cannot be transferred.
      if (next.buffer instanceof ArrayBuffer) found.add(next.buffer);
    } else if (Array.isArray(next)) stack.push(...next);
    else if (next instanceof Map) {
      for (const [key, item] of next) stack.push(key, item);
    } else if (next instanceof Set) stack.push(...next);
    else if (Object.getPrototypeOf(next) === Object.prototype) {
      stack.push(...Object.values(next));
    }
  }
  return [...found];
}
