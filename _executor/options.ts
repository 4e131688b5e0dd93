// Copyright 2026 the @frontier/generators authors. MIT license.
// Checks of the options executors share, and how an aborted signal ends a
// future.

import { describe } from "../_core/describe.ts";
import { checkMilliseconds } from "../_core/checks.ts";
import { TimeoutError } from "../future.ts";

/** The per-task options both executors take (see `SubmitOptions`). */
export interface TaskLimits {
  timeout?: number;
  signal?: AbortSignal;
}

/**
 * Checks `timeout` and `signal`; returns them. `action` names what cannot be
 * done in the messages, e.g. `"map"`.
 */
export function checkLimits(options: unknown, action: string): TaskLimits {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `Cannot ${action}: expected an options object, got ${
        describe(options)
      }; pass { timeout, signal }`,
    );
  }
  const { timeout, signal } = options as TaskLimits;
  if (timeout !== undefined) {
    checkMilliseconds(timeout, { action, name: "option timeout" });
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(
      `Cannot ${action}: option signal must be an AbortSignal, got ${
        describe(signal)
      }; pass the signal of an AbortController, or AbortSignal.timeout(ms)`,
    );
  }
  return { timeout, signal };
}

/** The message of the `TimeoutError` a `timeout` option ends a task with. */
export function timeoutError(what: string, ms: number): TimeoutError {
  return new TimeoutError(
    `${what} did not finish within ${ms} ms (its timeout option)`,
  );
}

/**
 * What an aborted `signal` means for a task: a `TimeoutError` when the
 * signal timed out (`AbortSignal.timeout()`), otherwise `undefined`, which
 * means cancel it.
 */
export function abortTimeout(
  what: string,
  signal: AbortSignal,
): TimeoutError | undefined {
  const reason = signal.reason;
  if (reason instanceof DOMException && reason.name === "TimeoutError") {
    return new TimeoutError(`${what} timed out: its AbortSignal timed out`, {
      cause: reason,
    });
  }
  return undefined;
}

/** The message of the `CancelledError` an aborted signal cancels a task with. */
export function abortMessage(what: string, signal: AbortSignal): string {
  const reason = signal.reason;
  const text = reason instanceof Error
    ? `${reason.name}: ${reason.message}`
    : describe(reason);
  return `${what} was cancelled: its AbortSignal was aborted (${text})`;
}
