// Copyright 2026 the @frontier/generators authors. MIT license.
// Helpers shared by the test files.

import assert from "node:assert/strict";
import type { Future } from "../future.ts";

/** Collects what reaches the global `error` event while `body` runs. */
export async function captureReportedErrors(
  body: () => void | Promise<void>,
): Promise<unknown[]> {
  const errors: unknown[] = [];
  const listener = (event: ErrorEvent) => {
    event.preventDefault();
    errors.push(event.error);
  };
  globalThis.addEventListener("error", listener);
  try {
    await body();
    await new Promise((resolve) => setTimeout(resolve, 0));
  } finally {
    globalThis.removeEventListener("error", listener);
  }
  return errors;
}

/** Collects the reasons of unhandled rejections while `body` runs. */
export async function captureUnhandled(
  body: () => void | Promise<void>,
): Promise<unknown[]> {
  const reasons: unknown[] = [];
  const listener = (event: PromiseRejectionEvent) => {
    event.preventDefault();
    reasons.push(event.reason);
  };
  globalThis.addEventListener("unhandledrejection", listener);
  try {
    await body();
    await new Promise((resolve) => setTimeout(resolve, 0));
  } finally {
    globalThis.removeEventListener("unhandledrejection", listener);
  }
  return reasons;
}

/**
 * Asserts that `executor.stats()` counts every future of `futures` once, as
 * what it became (completed, failed or cancelled); all must be done.
 */
export function assertCounted(
  executor: {
    stats(): { completed: number; failed: number; cancelled: number };
  },
  futures: Future<unknown>[],
): void {
  let completed = 0, failed = 0, cancelled = 0;
  for (const f of futures) {
    assert.ok(f.done(), "every future is done");
    if (f.cancelled()) cancelled++;
    else if (f.exception() !== undefined) failed++;
    else completed++;
  }
  const stats = executor.stats();
  assert.deepEqual(
    {
      completed: stats.completed,
      failed: stats.failed,
      cancelled: stats.cancelled,
    },
    { completed, failed, cancelled },
    "stats() counts each future once, as what it became",
  );
}
