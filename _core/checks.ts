// Copyright 2026 the @frontier/generators authors. MIT license.
// Checks of numeric arguments and options, shared by every part so that a bad
// number gets the same message wherever it is given.

import { describe } from "./describe.ts";

/**
 * Where a checked value was given, for the message
 * `Cannot <action>: <name> must be …, got <value>`.
 */
export interface CheckedAt {
  /** What could not be done, e.g. `"create a WorkerPool"`. */
  action: string;
  /** What was wrong, e.g. `"option maxWorkers"`. */
  name: string;
}

/** How {@linkcode checkCount} bounds a count. */
export interface CountBounds extends CheckedAt {
  /**
   * The smallest count allowed.
   *
   * @default {0}
   */
  min?: number;
  /**
   * Whether `Infinity` is allowed, for "no limit".
   *
   * @default {false}
   */
  infinite?: boolean;
}

/**
 * Checks a count: a whole number at least `min`, or `Infinity` where
 * `infinite` allows it.
 *
 * @returns `value`.
 */
export function checkCount(value: unknown, bounds: CountBounds): number {
  const { min = 0, infinite = false } = bounds;
  if (
    typeof value !== "number" || !(value >= min) ||
    !(Number.isInteger(value) || (infinite && value === Infinity))
  ) {
    throw new RangeError(
      `Cannot ${bounds.action}: ${bounds.name} must be a whole number >= ${min}${
        infinite ? " (or Infinity)" : ""
      }, got ${describe(value)}`,
    );
  }
  return value;
}

/**
 * Checks a duration: a finite number of milliseconds, at least 0.
 *
 * @returns `ms`.
 */
export function checkMilliseconds(ms: unknown, at: CheckedAt): number {
  if (typeof ms !== "number" || !(ms >= 0) || !Number.isFinite(ms)) {
    throw new RangeError(
      `Cannot ${at.action}: ${at.name} must be a finite number of milliseconds >= 0, got ${
        describe(ms)
      }; to wait without a limit, leave it out`,
    );
  }
  return ms;
}
