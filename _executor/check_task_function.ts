// Copyright 2026 the @frontier/generators authors. MIT license.
// The check both executors make of the function given to `submit` or `map`.

import { describe, isAsyncGeneratorFunction } from "../_core/describe.ts";

/** Where a task function was given, for the message. */
export interface TaskFunctionAt {
  /** What could not be done, e.g. `"submit"`. */
  action: string;
  /** What to pass instead of a value that is not a function. */
  instead: string;
}

/**
 * Checks what `submit` or `map` was given: a function that is not an async
 * generator function.
 */
export function checkTaskFunction(fn: unknown, at: TaskFunctionAt): void {
  if (typeof fn !== "function") {
    throw new TypeError(
      `Cannot ${at.action}: expected a function, got ${
        describe(fn)
      }; ${at.instead}`,
    );
  }
  if (isAsyncGeneratorFunction(fn)) {
    throw new TypeError(
      `Cannot ${at.action}: expected a task function, got ${
        describe(fn)
      }, and async generators are not tasks; use a generator function (function*) that yield*s futures, or an async function`,
    );
  }
}
