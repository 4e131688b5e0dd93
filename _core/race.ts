// Copyright 2026 the @frontier/generators authors. MIT license.
// `race(futures)`: the first to finish wins, the others are cancelled, and the
// race settles like the winner once every one of them has ended.

import type { Future } from "../future.ts";
import { type CancelHandler, FAILED, settleLike } from "./joined.ts";
import { internals } from "./internals.ts";
import { reportUnobserved } from "./report.ts";

/** Runs the race of `contestants` (at least one) into `join`. */
export class Race implements CancelHandler {
  #contestants: Future<unknown>[];
  #join: Future<unknown>;
  #winner: Future<unknown> | undefined = undefined;
  #left: number;

  constructor(contestants: Future<unknown>[], join: Future<unknown>) {
    this.#contestants = contestants;
    this.#join = join;
    this.#left = contestants.length;
    const onDone = (future: Future<unknown>) => this.#done(future);
    for (const future of contestants) future.addDoneCallback(onDone);
  }

  /** The race was cancelled: so is every contestant. */
  onCancel(message: string | undefined): boolean {
    this.#cancelAll(message);
    return true;
  }

  #cancelAll(message: string | undefined): void {
    for (const future of this.#contestants) {
      if (!future.done()) future.cancel(message);
    }
  }

  #done(future: Future<unknown>): void {
    this.#left--;
    if (this.#winner === undefined) {
      this.#winner = future;
      this.#cancelAll(undefined);
    } else if (internals.state(future) === FAILED) {
      // A loser that failed (in its cleanup, say) is no one's to see now.
      reportUnobserved(internals.take(future));
    }
    if (this.#left === 0) {
      this.#contestants = [];
      settleLike(this.#join, this.#winner);
    }
  }
}
