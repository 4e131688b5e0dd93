// Copyright 2026 the @frontier/generators authors. MIT license.
// Calling a function in a worker with a deadline that interrupts it. node:vm's
// `timeout` stops even a `for (;;)` in this thread, and, unlike a halt from
// outside (_core/halt_lock.ts), the worker lives on. Only the synchronous part of
// the call is bounded; what it leaves to do later (an awaited promise) is
// not.

import vm from "node:vm";

/** What `callBounded` returns when the deadline passed. */
export const TIMED_OUT: unique symbol = Symbol("timed out");

const KEY = "@frontier/generators/bounded-call";
const script = new vm.Script(
  `globalThis[Symbol.for(${JSON.stringify(KEY)})]()`,
);
let pending: (() => unknown) | undefined;
(globalThis as Record<symbol, unknown>)[Symbol.for(KEY)] = () => {
  const call = pending!;
  pending = undefined;
  return call();
};

/**
 * Calls `call`, interrupting it if it still runs at `deadline` (a
 * `Date.now()` time).
 *
 * @returns What it returned, or `TIMED_OUT`.
 * @throws What it throws.
 */
export function callBounded(
  call: () => unknown,
  deadline: number,
): unknown {
  const left = deadline - Date.now();
  if (left <= 0) return TIMED_OUT;
  pending = call;
  try {
    return script.runInThisContext({ timeout: Math.ceil(left) });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return TIMED_OUT;
    throw error;
  }
}
