// Copyright 2026 the @frontier/generators authors. MIT license.
// What a queue's waiting `get()` and `put()` do with what they were handed
// but never took. A getter gives its item back; a putter whose item went into
// the queue while its task was cancelled takes it out again, as if the put had
// not happened (what asyncio does: there the put happens in the task, after
// it resumes).

import type { GiveBack, Waiter } from "../_sync/waiter.ts";

/** What a queue's waiters call back into. */
export interface WaiterOwner<T> {
  /** Puts back an item handed to a getter that never took it. */
  returnItem(item: T): void;
  /** Takes out the item of a putter whose task never resumed. */
  takeBack(putter: Waiter<void>): void;
}

/** The owners of a queue's getters and putters. */
export function owners<T>(
  queue: WaiterOwner<T>,
): { getters: GiveBack; putters: GiveBack } {
  return {
    getters: { giveBack: (_future, item) => queue.returnItem(item as T) },
    putters: {
      giveBack: (putter) => queue.takeBack(putter as Waiter<void>),
    },
  };
}
