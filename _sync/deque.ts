// Copyright 2026 the @frontier/generators authors. MIT license.
// A double-ended queue on a ring buffer: the waiters of every primitive and the
// items of a FIFO queue live in one. An array's `shift()` copies the whole
// array once it is large, and a queue of a million items must not pay that per
// item; the buffer also shrinks when it empties, so a queue that once held a
// million items does not keep their room.

const MIN_CAPACITY = 8;

/** A double-ended queue with O(1) operations at both ends. */
export class Deque<T> {
  #items: (T | undefined)[] = new Array(MIN_CAPACITY);
  #head = 0;
  #size = 0;

  /** How many items it holds. */
  get size(): number {
    return this.#size;
  }

  /** Adds `item` at the back. */
  push(item: T): void {
    if (this.#size === this.#items.length) this.#resize(this.#size * 2);
    this.#items[(this.#head + this.#size) & (this.#items.length - 1)] = item;
    this.#size++;
  }

  /** Adds `item` at the front. */
  unshift(item: T): void {
    if (this.#size === this.#items.length) this.#resize(this.#size * 2);
    this.#head = (this.#head - 1) & (this.#items.length - 1);
    this.#items[this.#head] = item;
    this.#size++;
  }

  /** Removes and returns the front item, or `undefined` if it is empty. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const items = this.#items;
    const item = items[this.#head];
    items[this.#head] = undefined;
    this.#head = (this.#head + 1) & (items.length - 1);
    this.#size--;
    this.#maybeShrink();
    return item;
  }

  /** The front item, left in place. */
  peek(): T | undefined {
    return this.#size === 0 ? undefined : this.#items[this.#head];
  }

  /**
   * Removes `item` (the first that is `===` to it), shifting the ones behind
   * it forward: O(n), for the rare case of taking back an item.
   *
   * @returns Whether it was there.
   */
  remove(item: T): boolean {
    const items = this.#items;
    const mask = items.length - 1;
    for (let i = 0; i < this.#size; i++) {
      if (items[(this.#head + i) & mask] !== item) continue;
      for (let j = i; j < this.#size - 1; j++) {
        items[(this.#head + j) & mask] = items[(this.#head + j + 1) & mask];
      }
      items[(this.#head + this.#size - 1) & mask] = undefined;
      this.#size--;
      this.#maybeShrink();
      return true;
    }
    return false;
  }

  /** Keeps only the items for which `keep` is true, in their order. */
  filter(keep: (item: T) => boolean): void {
    const kept: T[] = [];
    for (let i = 0; i < this.#size; i++) {
      const item = this.#items[(this.#head + i) & (this.#items.length - 1)]!;
      if (keep(item)) kept.push(item);
    }
    this.clear();
    for (const item of kept) this.push(item);
  }

  /** Removes every item. */
  clear(): void {
    this.#items = new Array(MIN_CAPACITY);
    this.#head = 0;
    this.#size = 0;
  }

  /** The items, front to back. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.#size; i++) {
      out.push(this.#items[(this.#head + i) & (this.#items.length - 1)]!);
    }
    return out;
  }

  #maybeShrink(): void {
    const capacity = this.#items.length;
    if (capacity > 1024 && this.#size < capacity >> 2) {
      this.#resize(capacity >> 1);
    }
  }

  #resize(capacity: number): void {
    const next: (T | undefined)[] = new Array(Math.max(capacity, MIN_CAPACITY));
    const mask = this.#items.length - 1;
    for (let i = 0; i < this.#size; i++) {
      next[i] = this.#items[(this.#head + i) & mask];
    }
    this.#items = next;
    this.#head = 0;
  }
}
