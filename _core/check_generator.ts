// Copyright 2026 the @frontier/generators authors. MIT license.
// The check that what a task is given to run is a generator object, shared by
// `Task`, `after` and the structured-concurrency operations.

import {
  describe,
  isAsyncGenerator,
  isGeneratorFunction,
  isGeneratorLike,
} from "./describe.ts";

// `next` of every native generator object: one cached property load tells a
// native generator apart, which keeps spawning a task cheap.
const nativeNext = Object.getPrototypeOf(
  Object.getPrototypeOf((function* () {})()),
).next;

/**
 * Throws a `TypeError` naming `value` and saying what to pass instead, unless
 * it is a (non-async) generator object.
 *
 * @param action What could not be done, e.g. `"create a Task"`.
 */
export function checkGenerator(value: unknown, action: string): void {
  if (
    typeof value === "object" && value !== null &&
    (value as Generator).next === nativeNext
  ) return;
  if (isGeneratorLike(value) && !isAsyncGenerator(value)) return;
  const hint = isGeneratorFunction(value)
    ? `call it first: ${value.name || "fn"}(...)`
    : isAsyncGenerator(value)
    ? "tasks drive plain generators (function*) that yield* futures, not async ones"
    : "call a generator function (function*) to get one";
  throw new TypeError(
    `Cannot ${action}: expected a generator object, got ${
      describe(value)
    }; ${hint}`,
  );
}
