// Copyright 2026 the @frontier/generators authors. MIT license.
// Checks of the arguments the public functions of `context.ts` take, so that
// each mistake gets one message, in one voice, wherever it is made.

import type { EnterExitManager, ErrorClass } from "../context.ts";
import {
  describe,
  isAsyncGeneratorFunction,
  isGeneratorFunction,
} from "../_core/describe.ts";

/** Checks the generator function given to `contextManager()`. */
export function checkGeneratorFunction(generatorFunction: unknown): void {
  if (isGeneratorFunction(generatorFunction)) return;
  const hint = isAsyncGeneratorFunction(generatorFunction)
    ? "; for an async generator function, use asyncContextManager()"
    : "";
  throw new TypeError(
    `Cannot create a context manager factory: expected a generator function (function*), got ${
      describe(generatorFunction)
    }${hint}`,
  );
}

/** Checks the async generator function given to `asyncContextManager()`. */
export function checkAsyncGeneratorFunction(generatorFunction: unknown): void {
  if (isAsyncGeneratorFunction(generatorFunction)) return;
  const hint = isGeneratorFunction(generatorFunction)
    ? "; for a generator function (function*), use contextManager()"
    : "";
  throw new TypeError(
    `Cannot create an async context manager factory: expected an async generator function (async function*), got ${
      describe(generatorFunction)
    }${hint}`,
  );
}

/**
 * Checks that `manager` has the tutorial's `enter()` and `exit(error)`;
 * `what` names the call, e.g. `enterContext(manager)`.
 */
export function checkEnterExitManager(manager: unknown, what: string): void {
  const candidate = manager as Partial<EnterExitManager<unknown>> | null;
  if (
    typeof candidate !== "object" || candidate === null ||
    typeof candidate.enter !== "function" ||
    typeof candidate.exit !== "function"
  ) {
    throw new TypeError(
      `Cannot run ${what}: expected an object with enter() and exit(error) methods, got ${
        describe(manager)
      }`,
    );
  }
}

/** Checks the classes given to `suppress()`. */
export function checkErrorClasses(errorClasses: readonly ErrorClass[]): void {
  for (const errorClass of errorClasses) {
    if (typeof errorClass !== "function") {
      throw new TypeError(
        `Cannot create a suppress() manager: expected classes of errors, got ${
          describe(errorClass)
        }`,
      );
    }
  }
}

/** Checks the object given to `closing()`. */
export function checkClosable(value: unknown): void {
  if (
    (typeof value !== "object" && typeof value !== "function") ||
    value === null ||
    typeof (value as { close?: unknown }).close !== "function"
  ) {
    throw new TypeError(
      `Cannot create a closing() manager: expected an object with a close() method, got ${
        describe(value)
      }`,
    );
  }
}

/**
 * The error a runner throws for a block that is not a function, or
 * `undefined` for a function. Runners ask before they enter, so a manager in
 * the `enter()`/`exit(error)` shape is never entered for a block that cannot
 * run; one entered already (by its factory) exits with this error, which it
 * cannot suppress, since no block ran whose failure it could handle.
 */
export function refuseBody(body: unknown, what: string): TypeError | undefined {
  if (typeof body === "function") return undefined;
  return new TypeError(
    `Cannot run ${what}: expected a function for the block, got ${
      describe(body)
    }`,
  );
}
