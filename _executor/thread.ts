// Copyright 2026 the @frontier/generators authors. MIT license.
// Starting the thread behind a pool's worker.
//
// Workers are `node:worker_threads` threads, chosen by measurement in Deno
// 2.9. Only these can be stopped in the middle of running code (see
// _core/halt_lock.ts; a Web Worker's `terminate()` lets a `for (;;)` spin on), and
// they have a public `unref()`, so a closing thread holds no process open,
// an `exit` event that says when the thread ended, `resourceLimits`, which
// turns an out-of-memory worker into an error event instead of an abort of
// the process, and a round trip that costs no more than a Web Worker's. Inside, the thread has the globals of a Web Worker
// (`postMessage`, `onmessage`, `close`), so the worker script is the same.
// Subprocesses can be killed, but share no memory, cannot be given the
// scoped permissions of this process, and cost a process each.

import { Worker as Thread } from "node:worker_threads";

export { Thread };

/** How to start a thread. */
export interface ThreadOptions {
  /** Shown in Deno's error messages. */
  name: string;
  /** Megabytes of heap the thread may use. */
  heapLimit: number;
}

/** Starts a thread that runs the module at `url`. */
export function startThread(url: URL, options: ThreadOptions): Thread {
  const { name, heapLimit } = options;
  return new Thread(threadSpecifier(url), {
    name,
    resourceLimits: { maxOldGenerationSizeMb: heapLimit },
  });
}

// A thread starts only from a file: or data: URL: a package imported over
// HTTP starts its workers from a one-line module that imports the script.
function threadSpecifier(url: URL): URL {
  if (url.protocol === "file:" || url.protocol === "data:") return url;
  const source = `import ${JSON.stringify(url.href)};`;
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}
