// Copyright 2026 the @frontier/generators authors. MIT license.
// The one run queue that every future callback and task resume goes through.
//
// Completing a future runs its callbacks at once, and starting a task runs its
// first step at once. Inside such work the two differ:
// - a future completed from inside a callback or a task has its callbacks
//   queued, to run right after the current work: a task is never resumed in
//   the middle of someone else's code (the re-entrancy the tutorial's actors
//   trip over);
// - a task started from inside a task still starts at once, nested, up to a
//   small depth, so a child that finishes without waiting is already done when
//   its parent `yield*`s it. Deeper than that, the start is queued too.
// One loop drains the queue, so a chain of a million futures or tasks settles
// at bounded stack depth. The same loop hands control back to the event loop
// after a time slice, so a long run of already-done work does not starve
// timers and I/O.

type Job = (arg: never) => void;

// Captured at load so that fake timers installed by tests never capture the
// scheduler's own yields to the event loop.
const realSetTimeout = globalThis.setTimeout;
const now = performance.now.bind(performance);

/**
 * How deep work may nest before it is queued instead. Each level costs a few
 * stack frames (more if the generators delegate deeply with `yield*`), so it
 * stays small.
 */
export const MAX_NESTING = 16;
/** Milliseconds of synchronous work after which the drain loop yields. */
const SLICE_MS = 20;
/** The clock is read once every this many steps (a power of two, minus one). */
const CHECK_MASK = 1023;

// A ring buffer of (job, arg) pairs; capacity is a power of two.
let jobs: (Job | undefined)[] = new Array(64);
let args: unknown[] = new Array(64);
let head = 0;
let size = 0;

let draining = false;
let nesting = 0;
let yielding = false;
let steps = 0;
let sliceEnd = 0;

function push(job: Job, arg: unknown): void {
  const capacity = jobs.length;
  if (size === capacity) grow(capacity);
  const slot = (head + size) & (jobs.length - 1);
  jobs[slot] = job;
  args[slot] = arg;
  size++;
}

function grow(capacity: number): void {
  const nextJobs: (Job | undefined)[] = new Array(capacity * 2);
  const nextArgs: unknown[] = new Array(capacity * 2);
  for (let i = 0; i < size; i++) {
    const slot = (head + i) & (capacity - 1);
    nextJobs[i] = jobs[slot];
    nextArgs[i] = args[slot];
  }
  jobs = nextJobs;
  args = nextArgs;
  head = 0;
}

/**
 * Runs `job(arg)` now, or, from inside a running job, queues it to run right
 * after the current one. Either way it has run before the outermost call
 * returns (unless the time slice ran out, see {@linkcode tick}).
 */
export function runJob<A>(job: (arg: A) => void, arg: A): void {
  if (draining) {
    push(job as Job, arg);
    return;
  }
  startDrain(job as Job, arg);
}

/**
 * Like {@linkcode runJob}, but from inside a running job it still runs now,
 * nested, while the nesting is shallow.
 */
export function runNested<A>(job: (arg: A) => void, arg: A): void {
  if (!draining) {
    startDrain(job as Job, arg);
    return;
  }
  if (nesting >= MAX_NESTING || yielding) {
    push(job as Job, arg);
    return;
  }
  nesting++;
  try {
    job(arg);
  } catch (error) {
    reportLater(error);
  } finally {
    nesting--;
  }
}

/** What {@linkcode enterNested} answers. */
export const QUEUE = 0;
/** See {@linkcode enterNested}. */
export const NESTED = 1;
/** See {@linkcode enterNested}. */
export const OUTERMOST = 2;

/**
 * {@linkcode runNested} without the job: for a caller that runs its work
 * inline, which spares the hottest path (starting a task) a queued call.
 * `QUEUE` means: queue it with {@linkcode queueJob} instead. Otherwise run
 * the work now, then call {@linkcode leaveNested} with the answer, also if
 * the work throws.
 */
export function enterNested(): number {
  if (!draining) {
    draining = true;
    return OUTERMOST;
  }
  if (nesting >= MAX_NESTING || yielding) return QUEUE;
  nesting++;
  return NESTED;
}

/** Ends work that {@linkcode enterNested} let run now. */
export function leaveNested(answer: number): void {
  if (answer === NESTED) nesting--;
  else drain();
}

function startDrain(job: Job, arg: unknown): void {
  draining = true;
  try {
    job(arg as never);
  } catch (error) {
    reportLater(error);
  }
  drain();
}

/** Queues `job(arg)` behind the work already queued, starting a drain if none runs. */
export function queueJob<A>(job: (arg: A) => void, arg: A): void {
  if (draining) {
    push(job as Job, arg);
    return;
  }
  draining = true;
  push(job as Job, arg);
  drain();
}

/**
 * Counts one step of synchronous work and says whether the current time slice
 * is used up. A loop that gets `true` must queue its continuation with
 * {@linkcode queueJob} and return, so the drain loop can yield. Outside a
 * drain there is nothing to yield to, and it says `false`.
 */
export function tick(): boolean {
  if (yielding) return true;
  if (!draining) return false;
  if ((++steps & CHECK_MASK) !== 0) return false;
  const t = now();
  if (sliceEnd === 0) {
    sliceEnd = t + SLICE_MS;
    return false;
  }
  if (t < sliceEnd) return false;
  yielding = true;
  return true;
}

function drain(): void {
  while (size > 0) {
    if (tick()) {
      // `draining` stays true: work queued meanwhile keeps its place in line.
      realSetTimeout(resumeDrain, 0);
      return;
    }
    const job = jobs[head]!;
    const arg = args[head];
    jobs[head] = undefined;
    args[head] = undefined;
    head = (head + 1) & (jobs.length - 1);
    size--;
    try {
      job(arg as never);
    } catch (error) {
      reportLater(error);
    }
  }
  draining = false;
  yielding = false;
  steps = 0;
  sliceEnd = 0;
}

function resumeDrain(): void {
  yielding = false;
  steps = 0;
  sliceEnd = 0;
  drain();
}

/**
 * Reports an error the way an uncaught exception is reported (the global
 * `error` event, then the process exits if nobody handles it), after the
 * current synchronous work, so that the work still runs to the end.
 */
export function reportLater(error: unknown): void {
  queueMicrotask(() => reportError(error));
}
