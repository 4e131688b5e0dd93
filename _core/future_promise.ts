// Copyright 2026 the @frontier/generators authors. MIT license.
// The promise behind a future's `then`, made on demand: most futures are never
// awaited, so they carry no slot for it. The same promise carries the report
// of a failure nobody observes: a rejected promise nobody handles is what Deno
// reports as an unhandled rejection, and observing the future later hands it a
// handler in time. The future keeps a flag saying whether a promise exists.

import type { Future } from "../future.ts";
import { FINISHED, internals } from "./internals.ts";

const promises = new WeakMap<Future<unknown>, Promise<unknown>>();

function noop(): void {}

/**
 * Has `error`, the error of a future that failed while nobody observed it,
 * reported as an unhandled rejection unless {@linkcode markObserved} comes
 * first.
 */
export function reportUnobserved(
  future: Future<unknown>,
  error: unknown,
): void {
  promises.set(future, Promise.reject(error));
}

/** Withdraws the report: someone has seen the future's error after all. */
export function markObserved(future: Future<unknown>): void {
  promises.get(future)!.then(undefined, noop);
}

/** The promise made earlier for `future`, by either function here. */
export function promiseOf<T>(future: Future<T>): Promise<T> {
  return promises.get(future as Future<unknown>) as Promise<T>;
}

/** Makes the promise of `future`'s outcome, for its `then`. */
export function makePromise<T>(future: Future<T>): Promise<T> {
  const self = future as Future<unknown>;
  let promise: Promise<T>;
  if (future.done()) {
    promise = internals.state(self) === FINISHED
      ? Promise.resolve(internals.peek(self) as T)
      : Promise.reject(internals.peek(self));
  } else {
    promise = new Promise<T>((resolve, reject) => {
      future.addDoneCallback(() => {
        if (internals.state(self) === FINISHED) {
          resolve(internals.peek(self) as T);
        } else reject(internals.peek(self));
      });
    });
  }
  promises.set(self, promise);
  return promise;
}
