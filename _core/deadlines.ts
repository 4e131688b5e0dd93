// Copyright 2026 the @frontier/generators authors. MIT license.
// One shared timer for every pending deadline of `timeout` and `waitFor`.
//
// Arming a timer per call costs a few microseconds (a setTimeout and a
// clearTimeout), far more than an operation that finishes at once. So
// deadlines wait in a min-heap, one timer is armed for the earliest, and only
// when it has to fire sooner. Removing a deadline that is not the earliest
// costs no timer call at all; the timer may then fire early, finds nothing
// due, and is armed again for the next. When the last deadline goes, the timer
// is cleared: none is left behind.

import { reportLater } from "./scheduler.ts";

/** What a deadline calls when it passes. */
export interface Expirable {
  /** Called once, when the deadline has passed (unless removed before). */
  expire(): void;
}

/** A pending deadline; hand it back to {@linkcode removeDeadline}. */
export class Deadline {
  /** When it passes, in `performance.now()` milliseconds. */
  at: number;
  /** Its place in the heap, or -1 once it has left it. */
  index = -1;
  /** Who is told. */
  owner: Expirable;

  constructor(at: number, owner: Expirable) {
    this.at = at;
    this.owner = owner;
  }
}

// Timers cannot wait longer than this (a 32-bit signed count of ms): a longer
// deadline fires early, finds nothing due, and arms again.
const MAX_DELAY = 2 ** 31 - 1;

const heap: Deadline[] = [];
let timer: ReturnType<typeof setTimeout> | undefined = undefined;
let armedAt = Infinity;

/**
 * Adds a deadline `ms` milliseconds from now; `owner.expire()` is called when
 * it passes, from a timer, unless {@linkcode removeDeadline} comes first.
 */
export function addDeadline(ms: number, owner: Expirable): Deadline {
  const deadline = new Deadline(performance.now() + ms, owner);
  deadline.index = heap.length;
  heap.push(deadline);
  siftUp(deadline.index);
  if (deadline.at < armedAt) arm(deadline.at);
  return deadline;
}

/** Withdraws a deadline that has not passed; a no-op for one that has. */
export function removeDeadline(deadline: Deadline): void {
  const i = deadline.index;
  if (i < 0) return;
  deadline.index = -1;
  const last = heap.pop()!;
  if (last !== deadline) {
    heap[i] = last;
    last.index = i;
    siftDown(i);
    siftUp(last.index);
  }
  if (heap.length === 0) disarm();
}

/** How many deadlines are pending, for tests. */
export function pendingDeadlines(): number {
  return heap.length;
}

function arm(at: number): void {
  if (timer !== undefined) clearTimeout(timer);
  armedAt = at;
  const delay = Math.min(
    Math.max(Math.ceil(at - performance.now()), 0),
    MAX_DELAY,
  );
  timer = setTimeout(fire, delay);
}

function disarm(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  armedAt = Infinity;
}

function fire(): void {
  timer = undefined;
  armedAt = Infinity;
  const now = performance.now();
  // Expiring runs user code, which may add and remove deadlines meanwhile.
  while (heap.length > 0 && heap[0].at <= now) {
    const deadline = heap[0];
    removeDeadline(deadline);
    try {
      deadline.owner.expire();
    } catch (error) {
      reportLater(error);
    }
  }
  if (heap.length > 0 && heap[0].at < armedAt) arm(heap[0].at);
}

function siftUp(i: number): void {
  const item = heap[i];
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const above = heap[parent];
    if (above.at <= item.at) break;
    heap[i] = above;
    above.index = i;
    i = parent;
  }
  heap[i] = item;
  item.index = i;
}

function siftDown(i: number): void {
  const item = heap[i];
  const size = heap.length;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && heap[child + 1].at < heap[child].at) child++;
    const below = heap[child];
    if (below.at >= item.at) break;
    heap[i] = below;
    below.index = i;
    i = child;
  }
  heap[i] = item;
  item.index = i;
}
