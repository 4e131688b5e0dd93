// Copyright 2026 the @frontier/generators authors. MIT license.
// `map` for both executors: items are read lazily, grouped into chunks, and a
// bounded window of chunks is in flight at once; results come out in input
// order. Leaving early (break, an error) gives up on the work that has not
// started and lets the rest finish unobserved, as Python's `Executor.map`
// does; a timeout or an aborted signal stops all of it.

import { describe } from "../_core/describe.ts";
import { CancelledError, type Future } from "../future.ts";
import { abortMessage, abortTimeout, timeoutError } from "./options.ts";

/** How `orderedMap` starts and gives up on work. */
export interface ChunkRunner<R> {
  /**
   * Whether `start` gets chunks and its futures give arrays of results;
   * otherwise it gets one item in an array and its future gives one result.
   */
  chunked: boolean;
  /** Starts `fn` on each item of `chunk`: a future of the result(s). */
  start(chunk: unknown[]): Future<unknown>;
  /** Gives up on `future`: cancels it if its work has not started. */
  release(future: Future<unknown>): void;
}

/** Settings of `orderedMap`. */
export interface OrderedMapOptions {
  /** Names the call in errors, e.g. `"pool.map()"`. */
  what: string;
  chunkSize: number;
  /** How many chunks may be in flight at once. */
  window: number;
  timeout?: number;
  signal?: AbortSignal;
}

type Source =
  | { isAsync: false; iterator: Iterator<unknown> }
  | { isAsync: true; iterator: AsyncIterator<unknown> };

function iterate(items: unknown, action: string): Source {
  if (
    typeof items === "object" && items !== null || typeof items === "string"
  ) {
    const iterable = items as Partial<
      AsyncIterable<unknown> & Iterable<unknown>
    >;
    if (typeof iterable[Symbol.asyncIterator] === "function") {
      return { isAsync: true, iterator: iterable[Symbol.asyncIterator]!() };
    }
    if (typeof iterable[Symbol.iterator] === "function") {
      return { isAsync: false, iterator: iterable[Symbol.iterator]!() };
    }
  }
  throw new TypeError(
    `Cannot ${action}: expected an iterable or async iterable of items, got ${
      describe(items)
    }; pass an array, or any iterable`,
  );
}

/**
 * Maps lazily over `items` with `runner`, in order. The timeout counts from
 * this call.
 */
export function orderedMap<R>(
  runner: ChunkRunner<R>,
  items: unknown,
  options: OrderedMapOptions,
): AsyncIterableIterator<R> {
  const source = iterate(items, "map");
  const deadline = options.timeout === undefined
    ? undefined
    : performance.now() + options.timeout;
  return run(runner, source, options, deadline);
}

async function* run<R>(
  runner: ChunkRunner<R>,
  source: Source,
  options: OrderedMapOptions,
  deadline: number | undefined,
): AsyncGenerator<R, void, undefined> {
  const { what, chunkSize, window, signal, timeout } = options;
  const pending: Future<unknown>[] = [];
  let exhausted = false;
  // Set when a timeout or abort stops the map: running work is stopped too.
  let hard = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  let stopped: Promise<never> | undefined;
  if (deadline !== undefined || signal !== undefined) {
    stopped = new Promise<never>((_, reject) => {
      if (deadline !== undefined) {
        timer = setTimeout(() => {
          hard = true;
          reject(timeoutError(what, timeout!));
        }, Math.max(0, deadline - performance.now()));
      }
      if (signal !== undefined) {
        onAbort = () => {
          hard = true;
          reject(
            abortTimeout(what, signal) ??
              new CancelledError(abortMessage(what, signal)),
          );
        };
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
      }
    });
    // Raced below; this keeps a stop after the last race from being reported.
    stopped.catch(() => {});
  }
  const until = <T>(promise: PromiseLike<T>): PromiseLike<T> =>
    stopped === undefined ? promise : Promise.race([promise, stopped]);
  try {
    // A signal aborted before the first item stops the map at once.
    if (hard) await stopped;
    for (;;) {
      while (!exhausted && pending.length < window) {
        const chunk: unknown[] = [];
        while (chunk.length < chunkSize) {
          const step = source.isAsync
            ? await until(source.iterator.next())
            : source.iterator.next();
          if (step.done) {
            exhausted = true;
            break;
          }
          chunk.push(step.value);
        }
        if (chunk.length > 0) pending.push(runner.start(chunk));
      }
      const head = pending[0];
      if (head === undefined) return;
      const results = head.done() ? head.result() : await until(head);
      pending.shift();
      if (!runner.chunked) yield results as R;
      else for (const result of results as R[]) yield result;
    }
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal!.removeEventListener("abort", onAbort);
    for (const future of pending) {
      if (hard) future.cancel();
      else runner.release(future);
    }
    if (!exhausted) {
      exhausted = true;
      if (source.isAsync) await source.iterator.return?.();
      else source.iterator.return?.();
    }
  }
}
