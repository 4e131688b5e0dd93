// Copyright 2026 the @frontier/generators authors. MIT license.
// Where a queue keeps its items: first in first out, last in first out, or
// by priority. The FIFO and LIFO kinds may hold a putter in place of its item
// (see `waiters.ts`), which the engine unwraps; a heap has no places, so it
// holds the item itself and finds it by identity.

import { Deque } from "../_sync/deque.ts";

/** The items of a queue, in the order they come out. */
export interface Storage<T> {
  /** How many items it holds. */
  readonly size: number;
  /**
   * Whether it may hold a putter in place of its item, or only items (and
   * removes an item by identity).
   */
  readonly holdsPutters: boolean;
  /** Adds an item, or a putter standing for its item. */
  push(entry: T): void;
  /** Removes and returns the next item; it is not empty. */
  take(): T;
  /**
   * Puts back an item handed out when the storage was empty, so older than
   * every item it holds now.
   */
  returnOldest(item: T): void;
  /** Removes `entry` if it is still there. */
  remove(entry: T): boolean;
  /** Removes every item. */
  clear(): void;
}

/** First in, first out. */
export class FifoStorage<T> implements Storage<T> {
  #items = new Deque<T>();
  readonly holdsPutters = true;

  get size(): number {
    return this.#items.size;
  }
  push(entry: T): void {
    this.#items.push(entry);
  }
  take(): T {
    return this.#items.shift()!;
  }
  returnOldest(item: T): void {
    this.#items.unshift(item);
  }
  remove(entry: T): boolean {
    return this.#items.remove(entry);
  }
  clear(): void {
    this.#items.clear();
  }
}

/** Last in, first out. */
export class LifoStorage<T> implements Storage<T> {
  #items: (T)[] = [];
  readonly holdsPutters = true;

  get size(): number {
    return this.#items.length;
  }
  push(entry: T): void {
    this.#items.push(entry);
  }
  take(): T {
    return this.#items.pop()!;
  }
  returnOldest(item: T): void {
    this.#items.unshift(item);
  }
  remove(entry: T): boolean {
    const index = this.#items.lastIndexOf(entry);
    if (index < 0) return false;
    this.#items.splice(index, 1);
    return true;
  }
  clear(): void {
    this.#items = [];
  }
}

/**
 * A binary heap by `compare`. Items that compare equal come out in the order
 * they went in: each keeps its arrival number beside it.
 */
export class HeapStorage<T> implements Storage<T> {
  #items: T[] = [];
  #arrivals: number[] = [];
  #nextArrival = 0;
  #firstArrival = 0;
  #compare: (a: T, b: T) => number;
  readonly holdsPutters = false;

  constructor(compare: (a: T, b: T) => number) {
    this.#compare = compare;
  }

  get size(): number {
    return this.#items.length;
  }
  push(entry: T): void {
    this.#insert(entry, this.#nextArrival++);
  }
  take(): T {
    const items = this.#items;
    const top = items[0];
    const lastItem = items.pop()!;
    const lastArrival = this.#arrivals.pop()!;
    if (items.length > 0) {
      items[0] = lastItem;
      this.#arrivals[0] = lastArrival;
      this.#down(0);
    }
    return top;
  }
  returnOldest(item: T): void {
    this.#insert(item, --this.#firstArrival);
  }
  remove(entry: T): boolean {
    const index = this.#items.indexOf(entry);
    if (index < 0) return false;
    const lastItem = this.#items.pop()!;
    const lastArrival = this.#arrivals.pop()!;
    if (index < this.#items.length) {
      this.#items[index] = lastItem;
      this.#arrivals[index] = lastArrival;
      this.#down(index);
      this.#up(index);
    }
    return true;
  }
  clear(): void {
    this.#items = [];
    this.#arrivals = [];
  }

  #insert(item: T, arrival: number): void {
    this.#items.push(item);
    this.#arrivals.push(arrival);
    this.#up(this.#items.length - 1);
  }

  #before(i: number, j: number): boolean {
    const order = this.#compare(this.#items[i], this.#items[j]);
    return order < 0 || (!(order > 0) && this.#arrivals[i] < this.#arrivals[j]);
  }

  #swap(i: number, j: number): void {
    const items = this.#items;
    const arrivals = this.#arrivals;
    [items[i], items[j]] = [items[j], items[i]];
    [arrivals[i], arrivals[j]] = [arrivals[j], arrivals[i]];
  }

  #up(index: number): void {
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.#before(index, parent)) return;
      this.#swap(index, parent);
      index = parent;
    }
  }

  #down(index: number): void {
    const size = this.#items.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= size) return;
      const right = left + 1;
      const child = right < size && this.#before(right, left) ? right : left;
      if (!this.#before(child, index)) return;
      this.#swap(child, index);
      index = child;
    }
  }
}
