// Copyright 2026 the @frontier/generators authors. MIT license.
// A first-in, first-out queue with constant-time `shift`: `Array.prototype.shift`
// moves every item left, which turns a loop that drains a long array into
// quadratic work. Items taken out are not kept alive by the queue.

/** A FIFO queue of items that are never `undefined`. */
export class Fifo<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  /** How many items are in the queue. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Adds `item` at the back. */
  push(item: T): void {
    this.#items.push(item);
  }

  /** Takes the item at the front, or `undefined` when the queue is empty. */
  shift(): T | undefined {
    const items = this.#items;
    const head = this.#head;
    if (head === items.length) return undefined;
    const item = items[head];
    items[head] = undefined;
    if (head + 1 === items.length) {
      items.length = 0;
      this.#head = 0;
    } else if (head >= 1024 && head * 2 >= items.length) {
      // Drop the emptied front half; each item is moved at most once per
      // halving, so draining stays linear.
      this.#items = items.slice(head + 1);
      this.#head = 0;
    } else {
      this.#head = head + 1;
    }
    return item;
  }

  /** Empties the queue and returns what it held, front first. */
  clear(): T[] {
    const rest = this.#items.slice(this.#head) as T[];
    this.#items = [];
    this.#head = 0;
    return rest;
  }
}
