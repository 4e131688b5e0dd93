// Copyright 2026 the @frontier/generators authors. MIT license.
// Keeping a pool's idle workers and timers from holding the process open.
//
// Deno's `Worker` keeps the process alive until it is terminated, and has no
// public `unref()`. Its implementation counts references behind an unnamed
// symbol method (the one `node:worker_threads` uses for `unref()`). When it
// is there, idle workers are unreferenced; when a later Deno drops it, idle
// workers are stopped after a short timeout instead.

/**
 * References (`true`) or unreferences (`false`) a worker, or `undefined`
 * where this Deno offers no way to.
 */
export const refWorker: ((worker: Worker, ref: boolean) => void) | undefined =
  findWorkerRef();

function findWorkerRef(): ((worker: Worker, ref: boolean) => void) | undefined {
  if (typeof Worker !== "function") return undefined;
  const prototype = Worker.prototype as unknown as Record<symbol, unknown>;
  for (const symbol of Object.getOwnPropertySymbols(prototype)) {
    const method = prototype[symbol];
    // Only a method that is recognisably the reference counter: a wrong
    // guess must fall back to stopping idle workers, never call into
    // something else.
    if (
      symbol.description === undefined && typeof method === "function" &&
      method.length === 1 &&
      /refCount|unrefOp/.test(Function.prototype.toString.call(method))
    ) {
      return (worker, ref) => method.call(worker, ref);
    }
  }
  return undefined;
}

/** Keeps `timer` from holding the process open. */
export function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  const handle = timer as unknown as { unref?: () => void };
  if (typeof handle.unref === "function") handle.unref();
  else if (typeof Deno === "object") {
    Deno.unrefTimer(timer as unknown as number);
  }
}
