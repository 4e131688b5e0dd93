// Copyright 2026 the @frontier/generators authors. MIT license.
// What a queue does, behind the `Queue` classes of `queue.ts`: asyncio's
// `Queue` (with Python 3.13's `shutdown`) on hand-over futures. An item put
// while a getter waits goes straight to that getter, without a stop in the
// queue; room freed by a get goes straight to the first waiting putter. So
// waiters are served in the order they came, and a getter woken for an item
// always gets that item.

import { Future, InvalidStateError } from "../future.ts";
import { FAILED, internals } from "../_core/internals.ts";
import { QueueFullError } from "../_core/queue_full_error.ts";
import {
  doneGiving,
  doneShared,
  type GiveBack,
  handOver,
  Waiter,
  WaiterLine,
} from "../_sync/waiter.ts";
import type { Storage } from "./storage.ts";
import { owners, type WaiterOwner } from "./waiters.ts";

const OPEN = 0;
const SHUT_DOWN = 1; // gets drain what is left
const SHUT_DOWN_NOW = 2; // what was left is gone

const DONE = doneShared<void>(undefined);

/** The errors the engine throws that `queue.ts` declares. */
export interface QueueErrors {
  empty: new (message: string) => Error;
  shutDown: new (message: string) => Error;
}

/** How to build a {@linkcode QueueEngine}. */
export interface EngineOptions<T> {
  /** The class name, for messages. */
  kind: string;
  /** The checked `maxSize`: 0 or `Infinity` for no limit. */
  maxSize: number;
  /** Where the items live. */
  storage: Storage<T>;
  /** The error classes of `queue.ts`. */
  errors: QueueErrors;
  /** Checks an item before it is put, throwing a `TypeError`. */
  check?: (item: T) => void;
}

/** A queue, without its public face. */
export class QueueEngine<T> implements WaiterOwner<T> {
  readonly maxSize: number;
  #kind: string;
  #limit: number;
  #storage: Storage<T>;
  #errors: QueueErrors;
  #check: ((item: T) => void) | undefined;
  #getters = new WaiterLine<Waiter<T>>();
  #putters = new WaiterLine<Waiter<void>>();
  #getterOwner: GiveBack;
  #putterOwner: GiveBack;
  #doneGet: <R>(item: R) => Future<R>;
  #joiners: WaiterLine<Waiter<void>> | undefined = undefined;
  #unfinished = 0;
  #state = OPEN;

  constructor(options: EngineOptions<T>) {
    this.#kind = options.kind;
    this.maxSize = options.maxSize;
    this.#limit = options.maxSize === 0 ? Infinity : options.maxSize;
    this.#storage = options.storage;
    this.#errors = options.errors;
    this.#check = options.check;
    const { getters, putters } = owners(this);
    this.#getterOwner = getters;
    this.#putterOwner = putters;
    this.#doneGet = doneGiving(getters);
  }

  get size(): number {
    return this.#storage.size;
  }

  full(): boolean {
    return this.#storage.size >= this.#limit;
  }

  putNowait(item: T): void {
    if (this.#state !== OPEN) throw this.#shutDownError("put into");
    this.#check?.(item);
    if (this.#storage.size >= this.#limit) {
      throw new QueueFullError(
        `Cannot put into the ${this.#kind}: it is full (maxSize ${this.maxSize}); wait for room with put(), or take an item first`,
      );
    }
    this.#add(item);
  }

  put(item: T): Future<void> {
    if (this.#state !== OPEN) return this.#failed("put into");
    this.#check?.(item);
    if (this.#storage.size < this.#limit) {
      this.#add(item);
      return DONE;
    }
    const putter = new Waiter<void>(this.#putterOwner, this.#putters, item);
    this.#putters.push(putter);
    return putter;
  }

  getNowait(): T {
    if (this.#storage.size === 0) {
      if (this.#state !== OPEN) throw this.#shutDownError("get from");
      throw new this.#errors.empty(
        `Cannot get from the ${this.#kind}: it is empty; wait for an item with get()`,
      );
    }
    let item = this.#storage.take();
    if (item instanceof Waiter && item.owner === this.#putterOwner) {
      item = item.item as T; // a putter standing in for its item
    }
    if (!this.#putters.isEmpty()) this.#admitPutters();
    return item;
  }

  get(): Future<T> {
    if (this.#storage.size > 0) {
      return this.#doneGet(this.getNowait());
    }
    if (this.#state !== OPEN) return this.#failed("get from");
    const getter = new Waiter<T>(this.#getterOwner, this.#getters);
    this.#getters.push(getter);
    return getter;
  }

  taskDone(): void {
    if (this.#unfinished <= 0) {
      throw new InvalidStateError(
        `Cannot mark an item of the ${this.#kind} done: every item put is already done; call taskDone() once per item taken with get()`,
      );
    }
    this.#finish(1);
  }

  join(): Future<void> {
    if (this.#unfinished === 0) return DONE;
    const line = this.#joiners ??= new WaiterLine();
    const joiner = new Waiter<void>(undefined, line);
    line.push(joiner);
    return joiner;
  }

  shutdown(immediate: boolean): void {
    if (immediate) {
      const dropped = this.#storage.size;
      this.#storage.clear();
      this.#state = SHUT_DOWN_NOW;
      this.#finish(Math.min(dropped, this.#unfinished));
    } else if (this.#state === OPEN) this.#state = SHUT_DOWN;
    const getters = this.#getters.takeAll();
    const putters = this.#putters.takeAll();
    for (const getter of getters) {
      internals.settle(
        getter as Future<unknown>,
        FAILED,
        this.#shutDownError("get from"),
      );
    }
    for (const putter of putters) {
      internals.settle(
        putter as Future<unknown>,
        FAILED,
        this.#shutDownError("put into"),
      );
    }
  }

  returnItem(item: T): void {
    if (this.#state === SHUT_DOWN_NOW) {
      // Shut down meanwhile: the item goes the way of those it dropped.
      this.#finish(1);
      return;
    }
    const getter = this.#getters.next();
    if (getter !== undefined) handOver(getter, item);
    else this.#storage.returnOldest(item);
  }

  takeBack(putter: Waiter<void>): void {
    const storage = this.#storage;
    const entry = storage.holdsPutters ? putter : putter.item;
    if (!storage.remove(entry as T)) return;
    this.#finish(1);
    this.#admitPutters();
  }

  // Adds an item there is room for: to the first getter, or the storage.
  #add(item: T): void {
    this.#unfinished++;
    // Getters wait only while the storage is empty.
    const getter = this.#storage.size === 0 ? this.#getters.next() : undefined;
    if (getter === undefined) this.#storage.push(item);
    else handOver(getter, item);
  }

  #admitPutters(): void {
    const storage = this.#storage;
    while (storage.size < this.#limit) {
      const putter = this.#putters.next();
      if (putter === undefined) return;
      this.#unfinished++;
      storage.push(
        (storage.holdsPutters && putter.awaitedByTaskOnly()
          ? putter
          : putter.item) as T,
      );
      handOver(putter, undefined);
    }
  }

  #finish(count: number): void {
    this.#unfinished -= count;
    if (this.#unfinished !== 0 || this.#joiners === undefined) return;
    for (const joiner of this.#joiners.takeAll()) handOver(joiner, undefined);
  }

  #failed<R>(action: string): Future<R> {
    const future = new Future<R>();
    internals.settle(
      future as Future<unknown>,
      FAILED,
      this.#shutDownError(action),
    );
    return future;
  }

  #shutDownError(action: string): Error {
    return new this.#errors.shutDown(
      `Cannot ${action} the ${this.#kind}: it is shut down${
        action === "get from" ? " and empty" : ""
      }; shutdown() is final, so stop here or use a new queue`,
    );
  }
}
