// Copyright 2026 the @frontier/generators authors. MIT license.
// Helpers shared by the test files.

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
