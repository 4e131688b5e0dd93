// Copyright 2026 the @frontier/generators authors. MIT license.
// The queue of an actor system: (actor, message, question) entries, first in
// first out, in chunks of fixed size linked one after the other. A chunk the
// queue has read to its end is let go of, so a burst of a million messages
// leaves nothing behind once it is delivered (a ring that doubles would keep
// its largest size for good), and nothing is ever copied to grow. One chunk
// read to its end is kept as a spare, so a queue that hovers around a chunk
// boundary does not allocate at every crossing.

import type { AskSlot } from "./ask.ts";
import type { Cell } from "./cell.ts";

/** Entries per chunk: large enough that crossing chunks costs nothing. */
const ENTRIES = 1024;
/** Slots per chunk: an entry takes three. */
const SLOTS = 3 * ENTRIES;

class Chunk {
  slots: unknown[] = new Array(SLOTS);
  // Where the next entry is read, and written, in slots.
  read = 0;
  write = 0;
  next: Chunk | undefined = undefined;
}

/** A first-in first-out queue of messages for the actors of one system. */
export class Mailbox {
  /** How many entries are queued. */
  size = 0;
  /**
   * The message of the entry {@linkcode shift} took last, and its question:
   * fields rather than a returned object, so that taking an entry allocates
   * nothing.
   */
  message: unknown = undefined;
  /** The question of the entry {@linkcode shift} took last. */
  ask: AskSlot | undefined = undefined;

  #head = new Chunk();
  #tail = this.#head;
  #spare: Chunk | undefined = undefined;

  /** Queues a message, or a question, for the actor of `cell`. */
  push(cell: Cell, message: unknown, ask: AskSlot | undefined): void {
    let tail = this.#tail;
    let write = tail.write;
    if (write === SLOTS) {
      tail = this.#append();
      write = 0;
    }
    const slots = tail.slots;
    slots[write] = cell;
    slots[write + 1] = message;
    slots[write + 2] = ask;
    tail.write = write + 3;
    this.size++;
  }

  /**
   * Takes the oldest entry, which must exist: returns its actor, and leaves
   * its message and question in {@linkcode message} and {@linkcode ask}.
   */
  shift(): Cell {
    let head = this.#head;
    let read = head.read;
    if (read === SLOTS) {
      head = this.#advance();
      read = 0;
    }
    const slots = head.slots;
    const cell = slots[read] as Cell;
    this.message = slots[read + 1];
    this.ask = slots[read + 2] as AskSlot | undefined;
    // Delivered messages are not kept alive by the queue.
    slots[read] = undefined;
    slots[read + 1] = undefined;
    slots[read + 2] = undefined;
    if (--this.size === 0) {
      // Empty, so this is the last chunk too: start it over.
      head.read = 0;
      head.write = 0;
    } else head.read = read + 3;
    return cell;
  }

  // The last chunk is full: links a fresh one after it.
  #append(): Chunk {
    const chunk = this.#spare ?? new Chunk();
    this.#spare = undefined;
    this.#tail.next = chunk;
    this.#tail = chunk;
    return chunk;
  }

  // The first chunk is read to its end: moves on to the next one, and keeps
  // the one left behind (already cleared) as the spare.
  #advance(): Chunk {
    const done = this.#head;
    const head = done.next!;
    done.next = undefined;
    done.read = 0;
    done.write = 0;
    this.#spare = done;
    this.#head = head;
    return head;
  }
}
