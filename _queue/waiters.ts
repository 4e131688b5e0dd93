// Copyright 2026 the @frontier/generators authors. MIT license.
// The futures of a queue's waiting `get()` and `put()`. A getter handed an
// item that its task never takes gives the item back; a putter whose item
// went into the queue while its task was cancelled takes it out again, as if
// the put had not happened (what asyncio does: there the put happens in the
// task, after it resumes).

import { Waiter } from "../_sync/waiter.ts";

/** What a queue's waiters call back into. */
export interface WaiterOwner<T> {
  /** Puts back an item handed to a getter that never took it. */
  returnItem(item: T): void;
  /** Takes out the item of a putter whose task never resumed. */
  takeBack(putter: PutWaiter<T>): void;
}

/** The future of a `get()`. */
export class GetWaiter<T> extends Waiter<T> {
  readonly owner: WaiterOwner<T>;

  constructor(owner: WaiterOwner<T>, line?: { forget(): void }) {
    super(line);
    this.owner = owner;
  }

  override giveBack(item: T): void {
    this.owner.returnItem(item);
  }
}

/**
 * The future of a `put()` that waits for room. While its item is in the
 * queue and its task has not resumed yet, the queue holds the putter itself
 * in the item's place, so that the item can be found and taken out.
 */
export class PutWaiter<T> extends Waiter<void> {
  readonly owner: WaiterOwner<T>;
  readonly item: T;

  constructor(owner: WaiterOwner<T>, item: T, line: { forget(): void }) {
    super(line);
    this.owner = owner;
    this.item = item;
  }

  override giveBack(): void {
    this.owner.takeBack(this);
  }
}
