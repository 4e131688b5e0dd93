// Copyright 2026 the @frontier/generators authors. MIT license.
// The checks and errors of a WorkerPool's calls, in std's voice.

import { describe } from "../_core/describe.ts";
import { InvalidStateError } from "../future.ts";

/** Where `submit` was given its function, for `checkTaskFunction`. */
export const SUBMIT = {
  action: "submit",
  instead: "pass a function or use call(name)",
};

/** Where `map` was given its function, for `checkTaskFunction`. */
export const MAP = {
  action: "map",
  instead: "pass a function or the name of an export of the pool's module",
};

/** The error of `action` on a pool that was shut down. */
export function closedError(action: string): InvalidStateError {
  return new InvalidStateError(
    `Cannot ${action}: the WorkerPool was shut down; do it before shutdown(), or make a new pool`,
  );
}

/**
 * Checks the name given to `call` or `map`, for a pool whose module is
 * `moduleUrl`.
 *
 * @returns `name`.
 */
export function checkName(
  name: unknown,
  action: string,
  moduleUrl: string | null,
): string {
  if (typeof name !== "string") {
    throw new TypeError(
      `Cannot ${action}: expected the name of an export of the pool's module, got ${
        describe(name)
      }`,
    );
  }
  if (moduleUrl === null) {
    throw new TypeError(
      `Cannot ${action} ${
        JSON.stringify(name)
      }: this pool has no module to run exports of; make it with new WorkerPool({ module: new URL("./tasks.ts", import.meta.url) })`,
    );
  }
  return name;
}

/** What was thrown, for a message: an error's message, or a description. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : describe(error);
}
