// Copyright 2026 the @frontier/generators authors. MIT license.
// Keeping a pool's own timers from holding the process open: idle workers
// never keep a script alive, and neither may the timers that watch them.

/** Keeps `timer` from holding the process open. */
export function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  const handle = timer as unknown as { unref?: () => void };
  if (typeof handle.unref === "function") handle.unref();
  else if (typeof Deno === "object") {
    Deno.unrefTimer(timer as unknown as number);
  }
}
