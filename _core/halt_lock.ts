// Copyright 2026 the @frontier/generators authors. MIT license.
// What lets the pool stop a worker in the middle of running code. In Deno
// 2.9, `terminate()` of a `node:worker_threads` thread only asks its event
// loop to end, which a `for (;;)` never lets it do; the one exception is a
// thread that holds a Web Lock: to release its locks safely, Deno first
// halts the thread's JavaScript wherever it is (`terminate_execution()` in
// `impl Drop for WorkerThread`, runtime/ops/worker_host.rs, since 2.9.4).
// So each worker holds a lock of its own, named for it alone, for its whole
// life; nobody else asks for it, and holding it costs nothing per task.

const PREFIX = "@frontier/generators/worker-pool/halt/";

interface LockManager {
  request(name: string, callback: () => Promise<void>): Promise<void>;
}

/**
 * Takes this thread's lock and holds it until the thread ends.
 *
 * @returns Whether it holds it: `false` where Web Locks are missing.
 */
export function holdHaltLock(): Promise<boolean> {
  const locks = (globalThis.navigator as { locks?: LockManager } | undefined)
    ?.locks;
  if (locks === undefined) return Promise.resolve(false);
  return new Promise((resolve) => {
    locks.request(PREFIX + crypto.randomUUID(), () => {
      resolve(true);
      // Never settles: the lock is the thread's until it ends.
      return new Promise<void>(() => {});
    }).catch(() => resolve(false));
  });
}
