// Copyright 2026 the @frontier/generators authors. MIT license.
// How a future shows itself: the name of its state, for error messages, and
// its `Deno.inspect` form, shared by `Future` and `Task`.

import type { Future } from "../future.ts";
import { FAILED, FINISHED, type InspectFn, internals } from "./internals.ts";

const STATE_NAMES = ["pending", "running", "finished", "failed", "cancelled"];

/** The name of a state constant (`PENDING` … `CANCELLED`), e.g. `"pending"`. */
export function stateName(state: number): string {
  return STATE_NAMES[state];
}

/** How to format a future for `Deno.inspect`. */
export interface FormatOptions {
  /** What the form starts with, e.g. `"Future"` or `"Task doFunc"`. */
  title: string;
  /** The inspect function Deno passed in, for the result or the error. */
  inspect: InspectFn;
  /** The inspect options Deno passed in. */
  options: unknown;
}

/**
 * Formats `future` as `Future { 42 }`, `Future { <failed> Error: … }` or
 * `Future { <pending> }`, under the given title.
 */
export function formatFuture(
  future: Future<unknown>,
  format: FormatOptions,
): string {
  const { title, inspect, options } = format;
  const state = internals.state(future);
  switch (state) {
    case FINISHED:
      return `${title} { ${inspect(internals.peek(future), options)} }`;
    case FAILED:
      return `${title} { <failed> ${
        inspect(internals.peek(future), options)
      } }`;
    default:
      return `${title} { <${STATE_NAMES[state]}> }`;
  }
}
